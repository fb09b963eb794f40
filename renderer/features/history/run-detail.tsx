/**
 * A stored run, read-only: what was sent (rendered messages, parameters, variables), what came
 * back (output, finish reason, error), what it cost and at which price, and how fast; with
 * Re-run. A run still streaming (a re-run just started) shows live.
 */

import type { ReactNode } from 'react';
import type { RunRecord } from '../../../shared/types';
import { Icon } from '../../components/icons';
import { formatDuration, formatInstant, formatNumber } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { LiveOutput } from '../runs/live-output';
import { liveFigures, recordFigures, samplePlace, versionLabel } from '../runs/run-figures';
import { FigureGrid, RunNotices, StatusChip } from '../runs/run-figures-view';
import { useLiveRun } from '../runs/use-live-run';
import { responseFormatLabel } from '../model/response-format-text';
import { parameterRows } from './run-compare-rows';
import { costRows, usageRows } from './run-detail-rows';
import { MarkedText } from './marked-text';
import { searchedText } from '../../../shared/search-query';

function Facts({ rows, testId }: { rows: [string, ReactNode][]; testId?: string }) {
  return (
    <dl className="stats-list" data-testid={testId}>
      {rows.map(([label, value]) => (
        <div key={label} className="stats-row">
          <dt>{label}</dt>
          <dd className="tabular">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function LiveFigures({ run }: { run: RunRecord }) {
  const snapshot = useLiveRun(run.id);
  return <FigureGrid figures={liveFigures(snapshot, { estimatedInputTokens: run.usage.inputTokens, isInputCounted: false, price: run.price }, performance.now())} />;
}

/** What the response cache did for a run: answered it, was skipped, or was asked and had nothing (the answer then stored, if ok). */
function cacheText(run: RunRecord): string {
  if (run.isCacheHit) return 'answered from the cache';
  if (run.isCacheBypassed) return run.status === 'ok' ? 'bypassed: asked the provider anyway, and stored its answer' : 'bypassed (asked the provider anyway)';
  return run.status === 'ok' ? 'not in the cache; the answer was stored' : 'not in the cache';
}

/** Where a cache hit's answer came from: the cache, in how long, and the run that got it (opened on a click). */
function CacheSource({ run }: { run: RunRecord }) {
  const tookMs = run.finishedAt === null ? null : Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  const took = tookMs === null ? '' : ` in ${formatDuration(tookMs)}`;
  if (run.cachedFromRunId === null) return <span data-testid="cache-source">the cache{took}; the run it came from is gone</span>;
  const sourceId = run.cachedFromRunId;
  return (
    <span data-testid="cache-source">
      the cache{took}, the answer of{' '}
      <button type="button" className="link-button" data-testid="open-cache-source" title="Open the run this answer, its usage and timing came from" onClick={() => void useWorkbench.getState().selectRun(sourceId)}>
        run {sourceId}
      </button>
    </span>
  );
}

/** The DOM id of the open run's heading, which takes the keyboard when the run was opened from another view and the list does not show it. */
export const RUN_DETAIL_HEADING_ID = 'run-detail-heading';

/** The open run. */
export function RunDetail({ run }: { run: RunRecord }) {
  const isRunning = run.status === 'running';
  const figures = recordFigures(run);
  const sample = samplePlace(run);
  // A cache hit shows the timing of the run its answer came from, and says so; its own is how long the cache took.
  const source = run.isCacheHit ? ` (run ${run.cachedFromRunId ?? '?'})` : '';
  const timingRows: [string, ReactNode][] = [
    ...(run.isCacheHit ? ([['Served from', <CacheSource key="source" run={run} />]] as [string, ReactNode][]) : []),
    ['Time to first token', run.ttftMs === null ? '–' : `${formatDuration(run.ttftMs)}${source}`],
    ['Latency', run.latencyMs === null ? '–' : `${formatDuration(run.latencyMs)}${source}`],
    ['Speed', figures.speed.text === '–' ? '–' : `${figures.speed.isEstimated ? '~' : ''}${figures.speed.text} tokens/s${source}`],
    ['Started', formatInstant(run.startedAt)],
    ['Finished', run.finishedAt === null ? '–' : formatInstant(run.finishedAt)],
    ['Finish reason', run.finishReason ?? '–'],
  ];
  const variables = Object.entries(run.variables);
  // The words the history's search found, marked in the answer and the messages sent.
  const query = useWorkbench((state) => searchedText(state.historyFilters.query));
  return (
    <article className="run-detail" data-testid="run-detail" data-run-id={run.id}>
      <header className="run-detail-header">
        <div className="run-detail-title">
          {/* A model's name longer than a narrow window is cut short; the tooltip has it whole. */}
          <h2 id={RUN_DETAIL_HEADING_ID} tabIndex={-1} title={`${run.model} on ${run.providerLabel}`}>
            <span data-testid="detail-model">{run.model}</span> <span className="muted">on {run.providerLabel}</span>
          </h2>
          <div className="muted">
            {run.promptName ?? 'deleted prompt'} · <span className="version-tag">{versionLabel(run.version)}</span> · run {run.id}
            {sample === null ? '' : ` · sample ${sample.number} of ${sample.count}`}
          </div>
        </div>
        {run.isCacheHit && (
          <span className="cached-badge" data-testid="cached-badge" title={`Served from the response cache: the usage and timing shown are those of run ${run.cachedFromRunId ?? '(gone)'}, which got the answer`}>
            cached
          </span>
        )}
        <StatusChip status={run.status} isInterrupted={run.isInterrupted} isNotSent={run.isNotSent} />
        {/* Together: in a narrow window they go under the title as one group, on the right. */}
        <div className="run-detail-actions">
          <span className="read-only-tag">Read-only</span>
          <button
            type="button"
            className="button"
            data-testid="detail-rerun"
            disabled={isRunning || run.providerId === null}
            title={run.providerId === null ? 'Its provider has been removed' : 'Send the same request again (served from the cache when it has the answer)'}
            onClick={() => void useWorkbench.getState().rerunOpenRun(false)}
          >
            <Icon name="play" /> Re-run
          </button>
          <button type="button" className="button" data-testid="detail-rerun-fresh" disabled={isRunning || run.providerId === null} title="Send the request to the provider even if the cache has its answer" onClick={() => void useWorkbench.getState().rerunOpenRun(true)}>
            Re-run without cache
          </button>
        </div>
      </header>
      {isRunning ? <LiveFigures run={run} /> : <FigureGrid figures={figures} />}
      {run.notices.length > 0 && <RunNotices notices={run.notices} />}
      {run.error && (
        <div className={`run-error${run.status === 'cancelled' ? ' is-quiet' : ''}`} role="alert" data-testid="detail-error">
          {/* A stopped run's status says "Stopped" already; its kind would only say it again in other words. */}
          {run.errorKind && run.status !== 'cancelled' && (
            <span className="error-kind" data-testid="detail-error-kind">
              {run.isNotSent ? 'not sent' : run.errorKind}
            </span>
          )}{' '}
          {run.error}
        </div>
      )}
      {run.reasoning !== '' && !isRunning && (
        <section className="detail-section">
          <details className="run-thinking" data-testid="detail-thinking">
            <summary title="What the model reasoned before answering, as the provider sent it">
              <span className="run-thinking-label">Thinking</span>
              <span className="run-thinking-size tabular">{formatNumber(run.reasoning.length)} chars</span>
            </summary>
            <pre className="detail-output" data-testid="detail-reasoning">
              {run.reasoning}
            </pre>
          </details>
        </section>
      )}
      <section className="detail-section">
        <h3>Output</h3>
        {isRunning ? (
          <div className="detail-output is-live">
            <LiveOutput runId={run.id} placeholder="Waiting for the first token…" testId="detail-output" />
          </div>
        ) : (
          <pre className="detail-output" data-testid="detail-output">
            {run.output ? <MarkedText text={run.output} query={query} isScrolled /> : <span className="muted">(no output)</span>}
          </pre>
        )}
      </section>
      <div className="detail-grid">
        {isRunning ? (
          // What the stored row said when it started would contradict the live figures above: one set of figures at a time.
          <section className="detail-section">
            <h3>Usage, cost and timing</h3>
            <p className="muted" data-testid="detail-running-note">
              Live in the figures above while it runs; the provider’s counts, the rates charged and the timing show here when it ends.
            </p>
          </section>
        ) : run.isNotSent ? (
          // Refused before sending: no usage to count or estimate, and no rates charged.
          <section className="detail-section">
            <h3>Usage and cost</h3>
            <p className="muted" data-testid="detail-not-sent">
              Nothing was sent to {run.providerLabel}, so nothing was used or charged.
            </p>
          </section>
        ) : (
          <>
            <section className="detail-section">
              <h3>Usage</h3>
              <Facts rows={usageRows(run.usage)} testId="detail-usage" />
            </section>
            <section className="detail-section">
              <h3>Cost</h3>
              <Facts rows={costRows(run)} testId="detail-cost" />
            </section>
            <section className="detail-section">
              <h3>Timing</h3>
              <Facts rows={timingRows} testId="detail-timing" />
            </section>
          </>
        )}
        <section className="detail-section">
          <h3>Parameters</h3>
          <Facts rows={[...parameterRows(run.parameters), ['Response format', responseFormatLabel(run.responseFormat)], ['Endpoint', run.endpoint], ['Cache', cacheText(run)]]} testId="detail-parameters" />
          {run.responseFormat?.type === 'json_schema' && (
            <details className="detail-schema" data-testid="detail-schema">
              <summary>Schema “{run.responseFormat.name}”</summary>
              <pre>{JSON.stringify(run.responseFormat.schema, null, 2)}</pre>
            </details>
          )}
        </section>
      </div>
      <section className="detail-section">
        <h3>Variables</h3>
        {variables.length === 0 ? (
          <p className="muted">None</p>
        ) : (
          <dl className="variables-list" data-testid="detail-variables">
            {variables.map(([name, value]) => (
              <div key={name} className="stats-row">
                <dt className="variable-key">{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      <section className="detail-section">
        <h3>Messages sent</h3>
        {run.messages.map((message, index) => (
          <div key={index} className="preview-message" data-testid="detail-message">
            <div className="preview-role">{message.role}</div>
            <pre className="preview-text">
              <MarkedText text={message.content} query={query} />
            </pre>
          </div>
        ))}
      </section>
    </article>
  );
}
