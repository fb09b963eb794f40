/**
 * The evals of the open prompt, newest first: pick one to reopen its results.
 */

import { useShallow } from 'zustand/react/shallow';
import { formatUsd } from '../../../shared/cost';
import type { EvalSummary } from '../../../shared/eval-types';
import { formatDate, formatNumber } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { evalScope, evalStatusLabel } from './eval-text';

function EvalItem({ summary, isOpen }: { summary: EvalSummary; isOpen: boolean }) {
  const finished = summary.passedCount + summary.failedCount + summary.errorCount;
  return (
    <li>
      <button
        type="button"
        className={`eval-item${isOpen ? ' is-open' : ''}`}
        aria-current={isOpen ? 'true' : undefined}
        data-testid="eval-item"
        data-eval-id={summary.id}
        data-status={summary.status}
        onClick={() => void useWorkbench.getState().openEvalById(summary.id)}
      >
        <span className="eval-item-line">
          <strong>#{summary.id}</strong>
          <span className={`status-dot-small is-${summary.status === 'running' ? 'running' : summary.status === 'done' ? 'ok' : 'cancelled'}`} aria-hidden="true" />
          <span className="muted">{evalStatusLabel(summary.status)}</span>
          <span className="spacer" />
          <span className="muted tabular">{formatDate(summary.createdAt)}</span>
        </span>
        <span className="eval-item-line muted">{evalScope(summary)}</span>
        <span className="eval-item-line tabular">
          <span>
            {formatNumber(summary.passedCount)}/{formatNumber(finished)} passed
          </span>
          {summary.doneCount < summary.cellCount && <span className="muted">{formatNumber(summary.cellCount - summary.doneCount)} left</span>}
          <span className="spacer" />
          <span className="muted">{formatUsd(summary.costUsd + summary.judgeCostUsd)}</span>
        </span>
      </button>
    </li>
  );
}

/** The list of past evals. */
export function EvalList() {
  const { list, openId } = useWorkbench(useShallow((state) => ({ list: state.evalList, openId: state.openEval?.id ?? null })));
  return (
    <nav className="eval-list" aria-label="Evals of this prompt" data-testid="eval-list">
      <div className="eval-list-header section-title">Evals</div>
      {list.length === 0 ? (
        <p className="empty-hint eval-list-empty">None yet. Choose versions and models, then Run eval.</p>
      ) : (
        <ul>
          {list.map((summary) => (
            <EvalItem key={summary.id} summary={summary} isOpen={summary.id === openId} />
          ))}
        </ul>
      )}
    </nav>
  );
}
