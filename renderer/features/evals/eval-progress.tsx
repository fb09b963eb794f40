/**
 * The open eval's state line: a progress bar with done/total, passed, failed, errors and cost,
 * live while it runs; Cancel while it runs; Resume and Retry errors once it stopped.
 */

import { formatUsd } from '../../../shared/cost';
import type { EvalSummary } from '../../../shared/eval-types';
import { Icon } from '../../components/icons';
import { formatDate, formatNumber } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { stopShortcutLabel } from '../status/shortcuts';
import { evalScope, evalStatusLabel, isResumable } from './eval-text';

/** The progress line of an eval. */
export function EvalProgressLine({ summary }: { summary: EvalSummary }) {
  const isRunning = summary.status === 'running';
  const share = summary.cellCount === 0 ? 0 : summary.doneCount / summary.cellCount;
  const state = useWorkbench.getState();
  return (
    <div className={`eval-progress is-${summary.status}`} data-testid="eval-progress" data-status={summary.status}>
      <div className="eval-progress-head">
        <strong data-testid="eval-title">Eval #{summary.id}</strong>
        <span className={`status-chip is-${isRunning ? 'running' : summary.status === 'done' ? 'ok' : 'cancelled'}`} data-testid="eval-status">
          <span className="status-chip-dot" aria-hidden="true" />
          {evalStatusLabel(summary.status)}
        </span>
        <span className="muted">{evalScope(summary)}</span>
        <span className="muted">{formatDate(summary.createdAt)}</span>
        {summary.baselineVersion !== null && <span className="badge">baseline v{summary.baselineVersion}</span>}
        <span className="spacer" />
        {isRunning && (
          <button
            type="button"
            className="button button-small button-danger"
            data-testid="cancel-eval"
            title={`Stop the cells still running (${stopShortcutLabel()})`}
            onClick={() => void state.cancelEval(summary.id)}
          >
            <Icon name="stop" /> Cancel
          </button>
        )}
        {isResumable(summary) && (
          <button type="button" className="button button-small" data-testid="resume-eval" title="Run only the cells not finished yet" onClick={() => void state.resumeEval(summary.id, false)}>
            <Icon name="play" /> Resume
          </button>
        )}
        {!isRunning && summary.errorCount > 0 && (
          <button type="button" className="button button-small" data-testid="retry-errors" title="Run the cells that ended in an error again; a cell whose answer came and only its checks erred (a judge that failed) is graded again, without asking its model" onClick={() => void state.resumeEval(summary.id, true)}>
            <Icon name="restore" /> Retry errors
          </button>
        )}
      </div>
      <div
        className="progress-bar"
        role="progressbar"
        aria-label="Cells done"
        aria-valuemin={0}
        aria-valuemax={summary.cellCount}
        aria-valuenow={summary.doneCount}
        data-testid="eval-progress-bar"
      >
        <span className="progress-passed" style={{ width: `${(summary.cellCount === 0 ? 0 : summary.passedCount / summary.cellCount) * 100}%` }} />
        <span className="progress-failed" style={{ width: `${(summary.cellCount === 0 ? 0 : summary.failedCount / summary.cellCount) * 100}%` }} />
        <span className="progress-errors" style={{ width: `${(summary.cellCount === 0 ? 0 : summary.errorCount / summary.cellCount) * 100}%` }} />
      </div>
      <div className="eval-progress-figures tabular" data-testid="eval-counts">
        <span data-testid="eval-done">
          {formatNumber(summary.doneCount)}/{formatNumber(summary.cellCount)} done
        </span>
        <span className="is-passed" data-testid="eval-passed">
          ✓ {formatNumber(summary.passedCount)} passed
        </span>
        <span className="is-failed" data-testid="eval-failed">
          ✗ {formatNumber(summary.failedCount)} failed
        </span>
        <span className="is-error" data-testid="eval-errors">
          ! {formatNumber(summary.errorCount)} {summary.errorCount === 1 ? 'error' : 'errors'}
        </span>
        <span data-testid="eval-cost" title="What the runs cost, judges counted apart; everything the eval spent, its retries too">
          {formatUsd(summary.costUsd)}
          {summary.judgeCostUsd > 0 ? ` + judge ${formatUsd(summary.judgeCostUsd)}` : ''}
        </span>
        {isRunning && <span className="muted">{Math.round(share * 100)}%</span>}
      </div>
    </div>
  );
}
