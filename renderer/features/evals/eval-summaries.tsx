/**
 * The figures of each version x model of the open eval: pass rate, mean score, cost (total, per
 * case, the judges' apart), p50/p95 latency and tokens. Stored by the engine, never recomputed here.
 * The costs are what each column spent over every try (Resume, Retry errors), so they add up to
 * the eval's cost; the other figures are its cells' as they stand.
 * Too narrow for its columns, each row stacks, every figure named (`data-label`).
 */

import { formatUsd } from '../../../shared/cost';
import type { EvalColumnSummary, EvalDetail } from '../../../shared/eval-types';
import { countOf, formatDuration, formatNumber } from '../../lib/format';
import { versionLabel } from '../runs/run-figures';
import { passRateText, scoreText } from './eval-text';

function duration(milliseconds: number | null): string {
  return milliseconds === null ? '–' : formatDuration(milliseconds);
}

/** The cells that have not finished (stopped, or not run yet): the pass rate leaves them out. */
function notFinishedOf(summary: EvalColumnSummary): number {
  return summary.total - summary.passed - summary.failed - summary.errors;
}

/** "5 of 5 finished cases passed; 9 were stopped or have not run": the rate's denominator in words. */
function passRateTitle(summary: EvalColumnSummary): string {
  const rest = notFinishedOf(summary);
  const finished = summary.total - rest;
  const of = `${summary.passed} of ${countOf(finished, 'finished case')} passed`;
  return rest === 0 ? of : `${of}; ${countOf(rest, 'case')} stopped or not run yet`;
}

/** The judges' cost, "no price" when none of them has one, "+ unknown" when some do not. */
function judgeCostText(summary: EvalColumnSummary): string {
  if (summary.unpricedJudgeCells === 0) return summary.judgeCostUsd > 0 ? formatUsd(summary.judgeCostUsd) : '–';
  return summary.judgeCostUsd > 0 ? `${formatUsd(summary.judgeCostUsd)} + unknown` : 'no price';
}

/** What the Cost column counts. */
const COST_TITLE = 'What this column’s runs spent, every try counted (Resume, Retry errors); the judges apart. The columns add up to the eval’s cost';
/** What the Per case column counts. */
const PER_CASE_TITLE = 'Cost over the finished cases: what each case spent on runs, every try counted; the judges apart';
/** What the Judge column counts. */
const JUDGE_COST_TITLE = 'What this column’s LLM judges spent, every try counted, apart from the runs';

/** The summary table of an eval. */
export function EvalSummaries({ detail }: { detail: EvalDetail }) {
  const byKey = new Map(detail.summaries.map((summary) => [summary.columnKey, summary]));
  // Judges cost nothing in an eval without LLM-judge checks: no column for them then.
  const hasJudges = detail.summaries.some((summary) => summary.judgeCostUsd > 0 || summary.unpricedJudgeCells > 0);
  return (
    <div className="eval-summaries" data-testid="eval-summaries">
      <table className="data-table summary-table is-stackable">
        <thead>
          <tr>
            <th>Version</th>
            <th>Model</th>
            <th className="is-number">Pass rate</th>
            <th className="is-number">Mean score</th>
            <th className="is-number" title="Failed / errors">
              Fail / err
            </th>
            <th className="is-number" title={COST_TITLE}>
              Cost
            </th>
            <th className="is-number" title={PER_CASE_TITLE}>
              Per case
            </th>
            {hasJudges && (
              <th className="is-number" title={JUDGE_COST_TITLE}>
                Judge
              </th>
            )}
            <th className="is-number" title="Latency of the runs: median / 95th percentile">
              p50 / p95
            </th>
            <th className="is-number" title="Input → output tokens">
              Tokens
            </th>
          </tr>
        </thead>
        <tbody>
          {detail.columns.map((column) => {
            const summary = byKey.get(column.key);
            return (
              <tr key={column.key} data-testid="summary-row" data-column={column.key}>
                <td>
                  <span className="version-tag">{versionLabel(column.version)}</span>
                </td>
                <td className="model-id" title={column.providerLabel}>
                  {column.target.model}
                </td>
                {summary ? (
                  <>
                    <td className="is-number" data-label="Pass rate" data-testid="summary-pass-rate" title={passRateTitle(summary)}>
                      <strong>{passRateText(summary.passRate)}</strong>{' '}
                      <span className="muted">
                        {summary.passed}/{summary.passed + summary.failed + summary.errors}
                        {notFinishedOf(summary) > 0 && ` · ${notFinishedOf(summary)} not finished`}
                      </span>
                    </td>
                    <td
                      className="is-number"
                      data-label="Mean score"
                      data-testid="summary-score"
                      title={summary.errors > 0 ? `Over the graded cells: the ${countOf(summary.errors, 'error')} ${summary.errors === 1 ? 'has' : 'have'} no score` : undefined}
                    >
                      {scoreText(summary.meanScore)}
                    </td>
                    <td className="is-number" data-label="Fail / err" data-testid="summary-failures">
                      {summary.failed} / {summary.errors}
                    </td>
                    <td className="is-number" data-label="Cost" data-testid="summary-cost" title={summary.unpricedRunCells > 0 ? `${countOf(summary.unpricedRunCells, 'run')} without a price, not counted` : undefined}>
                      {formatUsd(summary.costUsd)}
                      {summary.unpricedRunCells > 0 && ' + unpriced'}
                    </td>
                    <td className="is-number" data-label="Per case" data-testid="summary-per-case">
                      {summary.costPerCaseUsd === null ? '–' : formatUsd(summary.costPerCaseUsd)}
                    </td>
                    {hasJudges && (
                      <td
                        className="is-number"
                        data-label="Judge"
                        data-testid="summary-judge-cost"
                        title={summary.unpricedJudgeCells > 0 ? `${countOf(summary.unpricedJudgeCells, 'case')} judged by a model without a price, not counted` : undefined}
                      >
                        {judgeCostText(summary)}
                      </td>
                    )}
                    <td className="is-number" data-label="p50 / p95" data-testid="summary-latency">
                      {duration(summary.latencyP50Ms)} / {duration(summary.latencyP95Ms)}
                    </td>
                    <td className="is-number" data-label="Tokens" data-testid="summary-tokens">
                      {formatNumber(summary.inputTokens)} → {formatNumber(summary.outputTokens)}
                    </td>
                  </>
                ) : (
                  <td colSpan={hasJudges ? 8 : 7} className="muted">
                    no figures yet
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
