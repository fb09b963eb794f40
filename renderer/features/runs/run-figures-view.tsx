/**
 * Figures on screen: a labelled value in tabular numerals, marked "~" when it is an estimate,
 * and a run's status as a small chip.
 */

import type { RunStatus } from '../../../shared/types';
import { Icon } from '../../components/icons';
import { ESTIMATE_HINT, retryText, statusLabel, type Figure, type RunFigures } from './run-figures';

/**
 * One labelled figure. Its tooltip says what it is and holds the whole value, which a narrow
 * column may cut short, and why it is an estimate or what it means.
 */
export function FigureValue({ label, figure, name, title }: { label: string; figure: Figure; name: string; title: string }) {
  const hint = figure.isEstimated ? (figure.hint ?? ESTIMATE_HINT) : figure.hint;
  const tooltip = `${title}: ${figure.isEstimated ? '~' : ''}${figure.text}${hint === undefined ? '' : `\n${hint}`}`;
  return (
    <div className="figure" data-testid={`figure-${name}`} data-estimated={figure.isEstimated} title={tooltip}>
      <span className="figure-label">{label}</span>
      <span className={`figure-value${figure.isEstimated ? ' is-estimate' : ''}`} data-testid="figure-value">
        {figure.isEstimated && <span className="estimate-mark">~</span>}
        {figure.text}
      </span>
    </div>
  );
}

/** A time figure's title, and for a cache hit whose times they are. */
function withSource(title: string, figures: RunFigures): string {
  return figures.timingSource === null ? title : `${title}. ${figures.timingSource}`;
}

/** The six figures of a run, in two rows of three, each label over its value. */
export function FigureGrid({ figures }: { figures: RunFigures }) {
  return (
    <div className="figure-grid">
      <FigureValue label="In" name="input" figure={figures.inputTokens} title="Input tokens" />
      <FigureValue label="Out" name="output" figure={figures.outputTokens} title="Output tokens" />
      <FigureValue label="Cost" name="cost" figure={figures.cost} title="Cost of this run" />
      <FigureValue label="TTFT" name="ttft" figure={figures.ttft} title={withSource('Time to first token, from when the last attempt went out (waits before a retry count in Time)', figures)} />
      <FigureValue label="Tok/s" name="speed" figure={figures.speed} title={withSource('Output tokens per second', figures)} />
      <FigureValue label="Time" name="elapsed" figure={figures.elapsed} title={withSource('Time from the request going out to the last token', figures)} />
    </div>
  );
}

/**
 * A run's status as a chip; a running one still waiting for a concurrency slot says "Queued", and one
 * waiting to be sent again after a failed attempt counts down to it ("Retry in 3 s").
 */
export function StatusChip({
  status,
  isQueued = false,
  retry = null,
  isCutOff = false,
  isInterrupted = false,
  isNotSent = false,
}: {
  status: RunStatus;
  /** A failed run the app stopped under: "Interrupted" (a stored run; see `statusLabel`). */
  isInterrupted?: boolean;
  /** A failed run refused before anything was sent: "Not sent" (see `statusLabel`). */
  isNotSent?: boolean;
  isQueued?: boolean;
  retry?: { inMs: number; reason: string } | null;
  /** True while the link to the engine is down: how a running run goes is unknown until it returns. */
  isCutOff?: boolean;
}) {
  const isCutOffNow = status === 'running' && isCutOff;
  const isQueuedNow = status === 'running' && !isCutOffNow && isQueued;
  const retryNow = status === 'running' && !isCutOffNow && !isQueuedNow ? retry : null;
  let title: string | undefined;
  if (isCutOffNow) title = 'The connection to the workbench dropped while this ran: its outcome shows when it is back (the run goes on there, or ended with the host)';
  else if (isQueuedNow) title = 'Waiting for another request to this model to finish (one at a time per model, by the provider’s limit)';
  else if (retryNow !== null) title = `Sent again when the wait ends, after: ${retryNow.reason}`;
  let kind: string = status === 'error' && isInterrupted ? 'interrupted' : status;
  if (isCutOffNow) kind = 'cut-off';
  else if (isQueuedNow) kind = 'queued';
  else if (retryNow !== null) kind = 'retrying';
  let label = statusLabel(status, isInterrupted, isNotSent);
  if (isCutOffNow) label = 'No connection';
  else if (isQueuedNow) label = 'Queued';
  else if (retryNow !== null) label = retryText(retryNow.inMs);
  return (
    <span
      className={`status-chip is-${kind}`}
      data-testid="run-status"
      data-status={status}
      data-queued={isQueuedNow}
      data-retrying={retryNow !== null}
      data-cut-off={isCutOffNow}
      title={title}
    >
      <span className="status-chip-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

/**
 * What the provider changed about the request to have it accepted, and each retry, so a
 * comparison says so. `isCompact` (a run column) keeps each notice to one line, the whole of it
 * in its tooltip (and in History), so notices never push the answer or the final error out of sight.
 */
export function RunNotices({ notices, isCompact = false }: { notices: readonly string[]; isCompact?: boolean }) {
  return (
    <ul className={`run-notices${isCompact ? ' is-compact' : ''}`} data-testid="run-notices" aria-label="How this request was sent">
      {notices.map((text, index) => (
        // Two retries may read alike: each is its own line. Notices only ever grow at the end, so the index is stable.
        // Compact, a notice takes the keyboard's focus, which shows it whole (a tooltip is the mouse's only).
        <li key={`${index}:${text}`} title={isCompact ? text : undefined} tabIndex={isCompact ? 0 : undefined}>
          <Icon name="info" className="run-notice-icon" />
          <span className="run-notice-text" data-testid="run-notice">
            {text}
          </span>
        </li>
      ))}
    </ul>
  );
}
