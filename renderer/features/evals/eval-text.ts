/**
 * Eval figures for people: pass rates, scores, cell and eval states as words, column titles.
 */

import { assertNever } from '../../../shared/assert-never';
import type { EvalCellStatus, EvalColumn, EvalStatus, EvalSummary } from '../../../shared/eval-types';
import { formatPercent } from '../../lib/format';
import { versionLabel } from '../runs/run-figures';

/** A pass rate ("75%"), or a dash before any cell finished. */
export function passRateText(rate: number | null): string {
  return rate === null ? '–' : formatPercent(rate);
}

/** A score 0..1 with two decimals ("0.85"), or a dash. */
export function scoreText(score: number | null): string {
  return score === null ? '–' : score.toFixed(2);
}

/** A cell's state as the grid writes it. */
export function cellStatusLabel(status: EvalCellStatus): string {
  switch (status) {
    case 'pending':
      return 'pending';
    case 'running':
      return 'running';
    case 'passed':
      return 'pass';
    case 'failed':
      return 'fail';
    case 'error':
      return 'error';
    case 'cancelled':
      return 'cancelled';
    default:
      return assertNever(status, 'cell status');
  }
}

/** The mark beside a cell's state, so it never rests on colour alone. */
export function cellStatusMark(status: EvalCellStatus): string {
  switch (status) {
    case 'pending':
      return '·';
    case 'running':
      return '…';
    case 'passed':
      return '✓';
    case 'failed':
      return '✗';
    case 'error':
      return '!';
    case 'cancelled':
      return '–';
    default:
      return assertNever(status, 'cell status');
  }
}

/** An eval's state as a word. */
export function evalStatusLabel(status: EvalStatus): string {
  switch (status) {
    case 'running':
      return 'Running';
    case 'done':
      return 'Done';
    case 'cancelled':
      return 'Cancelled';
    case 'interrupted':
      return 'Interrupted';
    default:
      return assertNever(status, 'eval status');
  }
}

/** "v2 · gpt-4o-mini": a column as the summaries and the detail name it. */
export function columnTitle(column: EvalColumn): string {
  return `${versionLabel(column.version)} · ${column.target.model}`;
}

/** "v1, v2 × 2 models": what an eval compared. */
export function evalScope(summary: Pick<EvalSummary, 'versions' | 'targets'>): string {
  const versions = summary.versions.map(versionLabel).join(', ');
  const models = summary.targets.length === 1 ? summary.targets[0].model : `${summary.targets.length} models`;
  return `${versions} × ${models}`;
}

/** True when an eval can run the cells it has not finished. */
export function isResumable(summary: Pick<EvalSummary, 'status' | 'doneCount' | 'cellCount'>): boolean {
  return (summary.status === 'cancelled' || summary.status === 'interrupted') && summary.doneCount < summary.cellCount;
}
