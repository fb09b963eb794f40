/**
 * An opened cell of the grid: its verdict, each assertion's verdict and reason (an error with the
 * judge's raw text when there is one), the judge's cost apart from the run's, the output, a diff
 * against the baseline version's output for the case on the same model (when the eval compares
 * with one), and a diff of the output against the expected output.
 */

import { formatUsd } from '../../../shared/cost';
import type { AssertionResult, EvalCellDetail, EvalColumn } from '../../../shared/eval-types';
import { IconButton } from '../../components/icon-button';
import { formatDuration, formatNumber } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { useMonacoTheme } from '../settings/use-theme';
import { versionLabel } from '../runs/run-figures';
import { RunNotices } from '../runs/run-figures-view';
import { DiffView } from '../versions/diff-view';
import { describeAssertion } from './assertion-text';
import { cellStatusLabel, cellStatusMark, columnTitle, scoreText } from './eval-text';
import type { OpenCell } from './evals-slice';

function verdictOf(result: AssertionResult): 'passed' | 'failed' | 'error' {
  if (result.error !== null) return 'error';
  return result.isPassed ? 'passed' : 'failed';
}

function AssertionVerdict({ result }: { result: AssertionResult }) {
  const verdict = verdictOf(result);
  const judge = result.judge;
  return (
    <li className={`verdict is-${verdict}`} data-testid="assertion-result" data-verdict={verdict}>
      <div className="verdict-head">
        <span className="verdict-mark" aria-hidden="true">
          {cellStatusMark(verdict)}
        </span>
        <span className="verdict-word" data-testid="assertion-verdict">
          {cellStatusLabel(verdict)}
        </span>
        <span className="verdict-name" data-testid="assertion-name">
          {describeAssertion(result.assertion)}
        </span>
        <span className="spacer" />
        <span className="tabular muted" data-testid="assertion-score" title={verdict === 'error' ? 'Not graded: left out of the case’s score' : 'Score after negation (0–1)'}>
          {verdict === 'error' ? 'not graded' : scoreText(result.score)}
        </span>
      </div>
      {result.reason !== '' && (
        <p className="verdict-reason" data-testid="assertion-reason">
          {result.reason}
        </p>
      )}
      {result.error !== null && (
        <pre className="verdict-error" data-testid="assertion-error">
          {result.error}
        </pre>
      )}
      {judge && (
        <p className="verdict-judge muted tabular" data-testid="assertion-judge-cost">
          judge {judge.model} · {formatNumber(judge.usage.inputTokens)} → {formatNumber(judge.usage.outputTokens)} tok ·{' '}
          {judge.costUsd === null ? 'no price' : formatUsd(judge.costUsd)}
        </p>
      )}
    </li>
  );
}

/** The cell's run, as a link that opens it in History (the keyboard going with it). */
function OpenRunButton({ runId }: { runId: number }) {
  return (
    <button type="button" className="link-button" data-testid="cell-open-run" title="Open this run in History" onClick={() => void useWorkbench.getState().openRunInHistory(runId)}>
      #{runId}
    </button>
  );
}

/** The baseline version's output for the case beside this one, with the baseline's verdict. */
function BaselineComparison({ detail, baseline, baselineColumn, column }: { detail: EvalCellDetail; baseline: EvalCellDetail; baselineColumn: EvalColumn; column: EvalColumn }) {
  const theme = useMonacoTheme();
  const before = versionLabel(baselineColumn.version);
  return (
    <section className="detail-section" data-testid="cell-baseline">
      <h3>
        {before} → {versionLabel(column.version)} output
      </h3>
      <p className="cell-baseline-verdict muted" data-testid="cell-baseline-verdict">
        On {before} (the baseline): {cellStatusMark(baseline.status)} {cellStatusLabel(baseline.status)}
        {baseline.score !== null && ` · ${scoreText(baseline.score)}`}
        {baseline.output === detail.output && ', with the same output'}
      </p>
      {baseline.output !== detail.output && (
        <div className="cell-diff">
          <DiffView original={baseline.output} modified={detail.output} theme={theme} language="plaintext" testId="cell-baseline-diff" />
        </div>
      )}
    </section>
  );
}

function Body({ detail, comparison }: { detail: EvalCellDetail; comparison: { baseline: EvalCellDetail; baselineColumn: EvalColumn; column: EvalColumn } | null }) {
  const theme = useMonacoTheme();
  const variables = Object.entries(detail.variables);
  return (
    <>
      <dl className="stats-list cell-facts" data-testid="cell-facts">
        <div className="stats-row">
          <dt>Run cost</dt>
          <dd className="tabular">{detail.costUsd === null ? 'no price' : formatUsd(detail.costUsd)}</dd>
        </div>
        <div className="stats-row">
          <dt>Judge cost</dt>
          <dd className="tabular" data-testid="cell-judge-cost">
            {detail.judgeCostUsd !== null ? formatUsd(detail.judgeCostUsd) : detail.results.some((result) => result.judge !== null) ? 'no price' : '–'}
          </dd>
        </div>
        <div className="stats-row">
          <dt>Latency</dt>
          <dd className="tabular">{detail.latencyMs === null ? '–' : formatDuration(detail.latencyMs)}</dd>
        </div>
        <div className="stats-row">
          <dt>Run</dt>
          <dd>
            {detail.runId === null ? '–' : <OpenRunButton runId={detail.runId} />}
            {detail.isCached && <span className="cached-badge cell-cached">cached</span>}
          </dd>
        </div>
      </dl>
      {detail.notices.length > 0 && <RunNotices notices={detail.notices} />}
      {detail.error !== null && (
        <div className="run-error" role="alert" data-testid="cell-error">
          {detail.error}
        </div>
      )}
      <section className="detail-section">
        <h3>Checks</h3>
        {detail.results.length === 0 ? (
          <p className="muted">{detail.status === 'error' ? 'Not checked: the run failed.' : 'No checks on this case.'}</p>
        ) : (
          <ol className="verdict-list" data-testid="assertion-results">
            {detail.results.map((result) => (
              <AssertionVerdict key={result.index} result={result} />
            ))}
          </ol>
        )}
      </section>
      <section className="detail-section">
        <h3>Output</h3>
        <pre className="detail-output" data-testid="cell-output">
          {detail.output || <span className="muted">(no output)</span>}
        </pre>
      </section>
      {comparison !== null && <BaselineComparison detail={detail} {...comparison} />}
      {detail.expected !== null && (
        <section className="detail-section">
          <h3>Expected → output</h3>
          <div className="cell-diff">
            <DiffView original={detail.expected} modified={detail.output} theme={theme} language="plaintext" testId="cell-diff" />
          </div>
        </section>
      )}
      {variables.length > 0 && (
        <section className="detail-section">
          <h3>Variables</h3>
          <dl className="variables-list">
            {variables.map(([name, value]) => (
              <div key={name} className="stats-row">
                <dt className="variable-key">{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </>
  );
}

/** The opened cell, beside the grid. */
export function CellDetail({
  open,
  column,
  baselineColumn,
  caseNumber,
}: {
  open: OpenCell;
  column: EvalColumn | undefined;
  baselineColumn: EvalColumn | undefined;
  caseNumber: number | null;
}) {
  const detail = open.detail;
  const baseline = open.baseline?.detail;
  // A baseline cell that never ran (cancelled, pending) has nothing to compare with.
  const comparison = baseline && baseline.runId !== null && baselineColumn && column ? { baseline, baselineColumn, column } : null;
  return (
    <aside className="cell-detail" aria-label="Cell" data-testid="cell-detail" data-status={detail?.status}>
      <header className="cell-detail-header">
        <div className="cell-detail-title" data-testid="cell-title">
          <strong>Case #{caseNumber ?? '?'}</strong>
          <span className="muted">{column ? columnTitle(column) : open.columnKey}</span>
        </div>
        <span className="spacer" />
        {detail && (
          <span className={`cell-verdict is-${detail.status}`} data-testid="cell-verdict">
            <span aria-hidden="true">{cellStatusMark(detail.status)}</span> {cellStatusLabel(detail.status)}
            {detail.score !== null && <span className="tabular"> · {scoreText(detail.score)}</span>}
          </span>
        )}
        <IconButton icon="close" label="Close (Esc)" testId="close-cell" onClick={() => useWorkbench.getState().closeEvalCell()} />
      </header>
      <div className="cell-detail-body">
        {open.error !== null ? (
          <p className="run-error" role="alert">
            {open.error}
          </p>
        ) : detail === null ? (
          <p className="muted cell-loading">Loading…</p>
        ) : (
          <Body detail={detail} comparison={comparison} />
        )}
      </div>
    </aside>
  );
}
