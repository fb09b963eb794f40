/**
 * What `workbench eval` prints: a table of figures per column, the failures with their case and
 * reason, the regressions and improvements, and whether the threshold was met.
 */

import { formatUsd } from '../../shared/cost';
import type { EvalColumn, EvalColumnSummary, EvalDetail } from '../../shared/eval-types';

/** Failures listed per column before the rest are only counted. */
const MAX_FAILURES_SHOWN = 20;

/** True when every column has finished cells and a pass rate at or above `threshold`. */
export function isPassing(detail: EvalDetail, threshold: number): boolean {
  // A hair of tolerance, so 0.9 from 9/10 is never below a 0.9 threshold by float noise.
  return detail.summaries.length > 0 && detail.summaries.every((summary) => summary.passRate !== null && summary.passRate >= threshold - 1e-9);
}

/** The column as people read it: `v2 · OpenAI / gpt-4o-mini`. */
export function columnLabel(column: EvalColumn): string {
  return `${column.version === 'draft' ? 'draft' : `v${column.version}`} · ${column.providerLabel} / ${column.target.model}`;
}

/** The text report of a finished (or cancelled) eval. */
export function formatReport(detail: EvalDetail, options: { promptName: string; threshold: number; elapsedMs: number }): string {
  const columns = new Map(detail.columns.map((column) => [column.key, column]));
  const cases = new Map(detail.cases.map((testCase) => [testCase.id, testCase]));
  const caseLabel = (caseId: number): string => {
    const testCase = cases.get(caseId);
    if (testCase === undefined) return `case ${caseId}`;
    return testCase.description.trim() === '' ? `case ${testCase.position + 1}` : `case ${testCase.position + 1} "${oneLine(testCase.description, 60)}"`;
  };
  const lines: string[] = [];
  const state = detail.status === 'done' ? 'done' : detail.status;
  lines.push(
    `Eval ${detail.id} of "${options.promptName}": ${plural(detail.caseCount, 'case')} x ${plural(detail.columns.length, 'column')} = ${plural(detail.cellCount, 'cell')}, ` +
      `${state} in ${seconds(options.elapsedMs)}`,
  );
  lines.push('');
  const header = ['Column', 'Pass rate', 'Score', 'Passed', 'Failed', 'Errors', 'Cost', 'Judge', 'Per case', 'p50', 'p95', 'Tokens in/out', ''];
  const rows = detail.summaries.map((summary) => {
    const column = columns.get(summary.columnKey);
    const isOk = summary.passRate !== null && summary.passRate >= options.threshold - 1e-9;
    return [
      column === undefined ? summary.columnKey : columnLabel(column),
      summary.passRate === null ? '-' : percent(summary.passRate),
      summary.meanScore === null ? '-' : summary.meanScore.toFixed(3),
      String(summary.passed),
      String(summary.failed),
      String(summary.errors),
      formatUsd(summary.costUsd),
      formatUsd(summary.judgeCostUsd),
      summary.costPerCaseUsd === null ? '-' : formatUsd(summary.costPerCaseUsd),
      milliseconds(summary.latencyP50Ms),
      milliseconds(summary.latencyP95Ms),
      `${summary.inputTokens.toLocaleString('en-US')}/${summary.outputTokens.toLocaleString('en-US')}`,
      isOk ? 'ok' : `BELOW ${percent(options.threshold)}`,
    ];
  });
  lines.push(...table(header, rows, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])));

  for (const summary of detail.summaries) {
    const failing = detail.cells.filter((cell) => cell.columnKey === summary.columnKey && (cell.status === 'failed' || cell.status === 'error'));
    if (failing.length === 0) continue;
    const column = columns.get(summary.columnKey);
    lines.push('', `Failures on ${column === undefined ? summary.columnKey : columnLabel(column)} (${failing.length}):`);
    for (const cell of failing.slice(0, MAX_FAILURES_SHOWN)) {
      lines.push(`  ${cell.status === 'error' ? 'error' : 'fail '}  ${caseLabel(cell.caseId)}: ${oneLine(cell.summary ?? 'no reason recorded', 200)}`);
    }
    if (failing.length > MAX_FAILURES_SHOWN) lines.push(`  ... and ${failing.length - MAX_FAILURES_SHOWN} more (--json lists every cell)`);
  }

  if (detail.regressions.length > 0) {
    lines.push('', `Regressions: passed on v${detail.baselineVersion}, fail now (${detail.regressions.length}):`);
    for (const regression of detail.regressions) {
      const column = columns.get(regression.columnKey);
      lines.push(`  ${caseLabel(regression.caseId)} on ${column === undefined ? regression.columnKey : columnLabel(column)}`);
    }
  }
  if (detail.improvements.length > 0) {
    lines.push('', `Improvements: failed on v${detail.baselineVersion}, pass now (${detail.improvements.length}):`);
    for (const improvement of detail.improvements) {
      const column = columns.get(improvement.columnKey);
      lines.push(`  ${caseLabel(improvement.caseId)} on ${column === undefined ? improvement.columnKey : columnLabel(column)}`);
    }
  }

  const cancelled = detail.cells.filter((cell) => cell.status === 'cancelled' || cell.status === 'pending').length;
  if (cancelled > 0) lines.push('', `${plural(cancelled, 'cell')} did not finish (the eval was ${detail.status}).`);
  if (detail.status === 'cancelled' || detail.status === 'interrupted') {
    // Not a verdict on the prompt: a CI log should not read a Ctrl+C as a quality failure.
    lines.push('', `CANCELLED: no verdict; resume the eval in the app (Evals › Results) to run the ${plural(cancelled, 'cell')} left`);
  } else {
    lines.push('', isPassing(detail, options.threshold) ? `PASS: every column reached ${percent(options.threshold)}` : `FAIL: ${failingColumns(detail.summaries, options.threshold)} below ${percent(options.threshold)}`);
  }
  return `${lines.join('\n')}\n`;
}

function failingColumns(summaries: readonly EvalColumnSummary[], threshold: number): string {
  const count = summaries.filter((summary) => summary.passRate === null || summary.passRate < threshold - 1e-9).length;
  return count === 1 ? '1 column is' : `${count} columns are`;
}

/** Rows padded to their widest cell; columns in `right` aligned right. */
function table(header: string[], rows: string[][], right: ReadonlySet<number>): string[] {
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => row[index].length)));
  const format = (row: string[]) =>
    row
      .map((cell, index) => (right.has(index) ? cell.padStart(widths[index]) : cell.padEnd(widths[index])))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function percent(rate: number): string {
  const value = rate * 100;
  return `${Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)}%`;
}

function milliseconds(value: number | null): string {
  if (value === null) return '-';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
