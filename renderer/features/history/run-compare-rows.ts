/**
 * What two stored runs are compared by, row by row: what was asked (model, prompt version,
 * parameters, variables, endpoint), marked where the two differ, since that is what explains
 * a different answer; then what came back (status, tokens, the price charged, cost, timing),
 * with the second run's figures also as a change from the first's and the price marked where it
 * differs, since that is what explains a different cost for the same tokens.
 */

import { formatUsd, isInputEstimated } from '../../../shared/cost';
import type { ModelParameters, RunRecord } from '../../../shared/types';
import { formatDuration, formatNumber } from '../../lib/format';
import { priceRatesText, sourceLabel } from '../pricing/price-text';
import { savedText, speedText, statusLabel, versionLabel } from '../runs/run-figures';
import { versionText } from '../versions/version-text';
import { responseFormatLabel } from '../model/response-format-text';

/** One row of the comparison. */
export interface CompareRow {
  label: string;
  original: string;
  modified: string;
  /** A request row (or the price) whose two sides differ. */
  isDifferent: boolean;
  /** What "differs" means on this row, when not that the two runs were asked it differently. */
  differsTitle?: string;
  /** For a figure row: the second run's figure as a change from the first's ("−56%"); null when it cannot be said. */
  change: string | null;
}

/** The rows of the comparison, in two groups. */
export interface CompareRows {
  request: CompareRow[];
  result: CompareRow[];
}

/** A parameter for people: its value, or what the provider does without one. */
export function parameterRows(parameters: ModelParameters): [string, string][] {
  const show = (value: number | undefined) => (value === undefined ? 'provider default' : String(value));
  return [
    ['Temperature', show(parameters.temperature)],
    ['Max tokens', show(parameters.maxTokens)],
    ['Top-p', show(parameters.topP)],
    ['Reasoning', parameters.reasoningEffort === 'none' ? 'off' : (parameters.reasoningEffort ?? 'provider default')],
    ['Stop', parameters.stop && parameters.stop.length > 0 ? parameters.stop.map((item) => JSON.stringify(item)).join(', ') : 'none'],
  ];
}

function requestRow(label: string, original: string, modified: string): CompareRow {
  return { label, original, modified, isDifferent: original !== modified, change: null };
}

/** A figure's change from `before` to `after` as a signed percentage; null when either is unknown or `before` is 0. */
export function relativeChange(before: number | null, after: number | null): string | null {
  if (before === null || after === null || !Number.isFinite(before) || !Number.isFinite(after) || before <= 0) return null;
  const percent = Math.round(((after - before) / before) * 100);
  if (percent === 0) return 'same';
  // A true minus sign, so the figures line up with the plus.
  return percent > 0 ? `+${formatNumber(percent)}%` : `−${formatNumber(-percent)}%`;
}

function figureRow(label: string, original: RunRecord, modified: RunRecord, value: (run: RunRecord) => number | null, text: (run: RunRecord) => string): CompareRow {
  return { label, original: text(original), modified: text(modified), isDifferent: false, change: relativeChange(value(original), value(modified)) };
}

function statusText(run: RunRecord): string {
  const label = statusLabel(run.status, run.isInterrupted, run.isNotSent);
  return run.finishReason === null ? label : `${label} · ${run.finishReason}`;
}

function tokensText(count: number, isEstimated: boolean): string {
  return `${isEstimated ? '~' : ''}${formatNumber(count)}`;
}

/** For a cache hit's timing: whose it is. */
function cachedFrom(run: RunRecord): string {
  return run.isCacheHit ? ` (run ${run.cachedFromRunId ?? '?'}, cached)` : '';
}

/** The price a run was charged at, every rate and where it came from: "in $1 · out $5 · cached $0.10 (catalog)". */
function priceText(run: RunRecord): string {
  if (run.price.price === null) return 'no price';
  return `${priceRatesText(run.price.price)} (${sourceLabel(run.price.source)})`;
}

/**
 * The provider row: runs keep the name their provider had when they ran, so one provider renamed
 * between two runs is the same provider, said so and not marked as a difference.
 */
function providerRow(original: RunRecord, modified: RunRecord): CompareRow {
  const isSameProvider = original.providerId !== null && original.providerId === modified.providerId;
  if (!isSameProvider || original.providerLabel === modified.providerLabel) return requestRow('Provider', original.providerLabel, modified.providerLabel);
  return { label: 'Provider', original: original.providerLabel, modified: `${modified.providerLabel} (the same provider, renamed)`, isDifferent: false, change: null };
}

/** The price row: marked when the rates differ (not merely where they came from, which costs nothing). */
function priceRow(original: RunRecord, modified: RunRecord): CompareRow {
  const isDifferent = priceRatesText(original.price.price) !== priceRatesText(modified.price.price);
  return { label: 'Price / 1M', original: priceText(original), modified: priceText(modified), isDifferent, differsTitle: 'The two runs were charged at different prices', change: null };
}

function costText(run: RunRecord): string {
  if (run.costUsd === null) return 'no price';
  if (run.isCacheHit) return `${formatUsd(run.costUsd)} (cached, saved ${savedText(run.savedUsd)})`;
  return `${run.usage.isEstimated ? '~' : ''}${formatUsd(run.costUsd)}`;
}

/** The rows comparing `original` with `modified`. */
export function compareRows(original: RunRecord, modified: RunRecord): CompareRows {
  const request: CompareRow[] = [
    requestRow('Model', original.model, modified.model),
    providerRow(original, modified),
    requestRow('Prompt', `${original.promptName ?? 'deleted prompt'} · ${versionLabel(original.version)}`, `${modified.promptName ?? 'deleted prompt'} · ${versionLabel(modified.version)}`),
  ];
  const originalParameters = parameterRows(original.parameters);
  const modifiedParameters = parameterRows(modified.parameters);
  const changedParameters = originalParameters.filter(([, value], index) => value !== modifiedParameters[index][1]);
  if (changedParameters.length === 0) request.push(requestRow('Parameters', 'same', 'same'));
  for (const [label, value] of changedParameters) request.push(requestRow(label, value, modifiedParameters.find(([name]) => name === label)?.[1] ?? ''));
  if (JSON.stringify(original.responseFormat) !== JSON.stringify(modified.responseFormat)) {
    // Two schemas of one name differ too: the row says so rather than showing the same words twice.
    const [before, after] = [responseFormatLabel(original.responseFormat), responseFormatLabel(modified.responseFormat)];
    request.push({ ...requestRow('Response format', before, before === after ? `${after} (another schema)` : after), isDifferent: true });
  }
  const names = [...new Set([...Object.keys(original.variables), ...Object.keys(modified.variables)])];
  const changedVariables = names.filter((name) => original.variables[name] !== modified.variables[name]);
  if (changedVariables.length === 0) request.push(requestRow('Variables', names.length === 0 ? 'none' : 'same', names.length === 0 ? 'none' : 'same'));
  for (const name of changedVariables) request.push(requestRow(`{{${name}}}`, original.variables[name] ?? '(not set)', modified.variables[name] ?? '(not set)'));
  // Another provider has another endpoint anyway; the same provider at another one was moved (a new base URL).
  if (original.endpoint !== modified.endpoint && original.providerId === modified.providerId) request.push(requestRow('Endpoint', original.endpoint, modified.endpoint));
  const isSameMessages = JSON.stringify(original.messages) === JSON.stringify(modified.messages);
  // Two different texts can be the same length: the row says whether they differ, the Request diff shows how.
  if (isSameMessages) request.push(requestRow('Messages sent', 'same', 'same'));
  else request.push({ ...requestRow('Messages sent', messageSummary(original), messageSummary(modified)), isDifferent: true });

  const latency = (run: RunRecord) => run.latencyMs;
  const ttft = (run: RunRecord) => run.ttftMs;
  const result: CompareRow[] = [
    { label: 'Status', original: statusText(original), modified: statusText(modified), isDifferent: false, change: null },
    figureRow('Input tokens', original, modified, (run) => run.usage.inputTokens, (run) => tokensText(run.usage.inputTokens, isInputEstimated(run.usage))),
    figureRow(
      'Output tokens',
      original,
      modified,
      (run) => run.usage.outputTokens,
      (run) => `${tokensText(run.usage.outputTokens, run.usage.isEstimated)}${run.usage.reasoningTokens > 0 ? ` (${formatNumber(run.usage.reasoningTokens)} reasoning)` : ''}`,
    ),
    priceRow(original, modified),
    // A cache hit cost nothing: its change from a paid run is not a saving of the model's.
    figureRow('Cost', original, modified, (run) => (run.isCacheHit ? null : run.costUsd), costText),
    // A cache hit's timing is the run's it came from: said beside it, so a "−97%" is not read as the model's.
    figureRow('Time to first token', original, modified, ttft, (run) => (run.ttftMs === null ? '–' : `${formatDuration(run.ttftMs)}${cachedFrom(run)}`)),
    figureRow('Latency', original, modified, latency, (run) => (run.latencyMs === null ? '–' : `${formatDuration(run.latencyMs)}${cachedFrom(run)}`)),
    figureRow('Tokens/s', original, modified, (run) => run.tokensPerSecond, (run) => (run.tokensPerSecond === null ? '–' : `${run.usage.isEstimated ? '~' : ''}${speedText(run.tokensPerSecond)}${cachedFrom(run)}`)),
  ];
  return { request, result };
}

/** A run's request as text for the diff: its model, every parameter, then each rendered message. */
export function requestText(run: RunRecord): string {
  return versionText({ model: run.model, parameters: run.parameters, messages: run.messages });
}

function messageSummary(run: RunRecord): string {
  const characters = run.messages.reduce((total, message) => total + message.content.length, 0);
  return `${run.messages.length} ${run.messages.length === 1 ? 'message' : 'messages'}, ${formatNumber(characters)} chars`;
}
