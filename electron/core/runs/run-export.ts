/**
 * History as a file: the runs a filter or search finds, page by page, as CSV (one row per run,
 * for a spreadsheet) or JSON Lines (one run per line, every field as `runs:get` gives it).
 *
 * Stored runs hold no secrets (keys live in the secret store, never with a run), so a run is
 * exported whole. A CSV cell that a spreadsheet would take for a formula (it starts with `=`,
 * `+`, `-`, `@`, a tab or a carriage return: a model's output can) gets a leading apostrophe,
 * the usual guard against formula injection; numbers are left alone, and JSON Lines keeps every
 * text exactly as stored. CSV starts with a UTF-8 byte-order mark, for Excel (csv-byte-order-mark.ts).
 */

import { stringify } from 'csv-stringify/sync';
import { isInputEstimated } from '../../../shared/cost';
import type { RunExportFormat, RunRecord } from '../../../shared/types';
import { CSV_BYTE_ORDER_MARK } from '../csv-byte-order-mark';

/** A column of the CSV: its header and how a run fills it. */
type Column = [header: string, value: (run: RunRecord) => string | number | null];

const json = (value: unknown) => JSON.stringify(value);

const COLUMNS: readonly Column[] = [
  ['id', (run) => run.id],
  ['batch_id', (run) => run.batchId],
  ['started_at', (run) => run.startedAt],
  ['finished_at', (run) => run.finishedAt],
  ['status', (run) => run.status],
  ['prompt', (run) => run.promptName],
  ['version', (run) => (run.version === 'draft' ? 'draft' : run.version)],
  ['provider', (run) => run.providerLabel],
  ['provider_kind', (run) => run.providerKind],
  ['endpoint', (run) => run.endpoint],
  ['model', (run) => run.model],
  ['sample', (run) => run.sampleIndex + 1],
  // How many samples its comparison ran: sample 1 of 1 is a run on its own.
  ['samples', (run) => run.sampleCount],
  ['input_tokens', (run) => run.usage.inputTokens],
  ['cached_input_tokens', (run) => run.usage.cachedInputTokens],
  ['cache_write_tokens', (run) => run.usage.cacheWriteTokens],
  ['output_tokens', (run) => run.usage.outputTokens],
  ['reasoning_tokens', (run) => run.usage.reasoningTokens],
  ['usage_estimated', (run) => (run.usage.isEstimated ? 1 : 0)],
  // The input alone may be the provider's count (a stopped Anthropic run).
  ['input_estimated', (run) => (isInputEstimated(run.usage) ? 1 : 0)],
  ['cost_usd', (run) => run.costUsd],
  ['saved_usd', (run) => run.savedUsd],
  ['price_source', (run) => run.price.source],
  ['price_model', (run) => run.price.catalogModel],
  // The rates the run was charged at, USD per million tokens, tiers and all (a null rate is charged as its parent: cached input and cache writes as input, reasoning as output).
  ['price_per_1m', (run) => (run.price.price === null ? null : json(run.price.price))],
  ['cache_hit', (run) => (run.isCacheHit ? 1 : 0)],
  // A cache hit's usage and timing are this run's.
  ['cached_from_run', (run) => run.cachedFromRunId],
  ['cache_bypassed', (run) => (run.isCacheBypassed ? 1 : 0)],
  ['ttft_ms', (run) => roundMs(run.ttftMs)],
  ['latency_ms', (run) => roundMs(run.latencyMs)],
  ['tokens_per_second', (run) => (run.tokensPerSecond === null ? null : Math.round(run.tokensPerSecond * 10) / 10)],
  ['finish_reason', (run) => run.finishReason],
  ['error_kind', (run) => run.errorKind],
  ['error', (run) => run.error],
  ['temperature', (run) => run.parameters.temperature ?? null],
  ['max_tokens', (run) => run.parameters.maxTokens ?? null],
  ['top_p', (run) => run.parameters.topP ?? null],
  ['reasoning_effort', (run) => run.parameters.reasoningEffort ?? null],
  ['stop', (run) => (run.parameters.stop === undefined || run.parameters.stop.length === 0 ? null : json(run.parameters.stop))],
  // Empty for text; else the format as JSON (a schema whole, with its name).
  ['response_format', (run) => (run.responseFormat === undefined ? null : json(run.responseFormat))],
  ['notices', (run) => (run.notices.length === 0 ? null : run.notices.join('\n'))],
  ['variables', (run) => json(run.variables)],
  ['messages', (run) => json(run.messages)],
  ['output', (run) => run.output],
  ['reasoning', (run) => run.reasoning],
];

function roundMs(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}

/** Text a spreadsheet would run as a formula, made plain text. */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** `runs` as text in `format`; the CSV header, after a UTF-8 byte-order mark, only when `withHeader` (the first page). */
export function exportRuns(runs: readonly RunRecord[], format: RunExportFormat, withHeader: boolean): string {
  if (format === 'jsonl') {
    return runs
      .map((run) => {
        // The preview repeats the output's start; everything else goes as stored.
        const whole: Omit<RunRecord, 'outputPreview'> & { outputPreview?: string } = { ...run };
        delete whole.outputPreview;
        return `${JSON.stringify(whole)}\n`;
      })
      .join('');
  }
  const rows = runs.map((run) => COLUMNS.map(([, value]) => csvCell(value(run))));
  if (!withHeader) return stringify(rows, { record_delimiter: '\n' });
  // The file starts with the first page: the mark goes before its header.
  return CSV_BYTE_ORDER_MARK + stringify([COLUMNS.map(([header]) => header), ...rows], { record_delimiter: '\n' });
}

function csvCell(value: string | number | null): string | number {
  if (value === null) return '';
  return typeof value === 'number' ? value : guardFormula(value);
}

/** The file name of an export made on `date`. */
export function exportFileName(format: RunExportFormat, date: Date): string {
  return `workbench-runs-${date.toISOString().slice(0, 10)}.${format}`;
}
