/**
 * The figures a run shows (tokens, cost, speed, time), from its live counters while it streams
 * and from the stored run once it ended, each marked when it is an estimate.
 */

import { assertNever } from '../../../shared/assert-never';
import { estimateCost, formatUsd, isInputEstimated } from '../../../shared/cost';
import { setKeyVariableAdvice } from '../../../shared/key-variable';
import type { MissingKey, ProviderSettings, ReplacedCost, RunCell, RunRecord, RunStatus, RunSummary, VersionRef } from '../../../shared/types';
import { countOf, formatDuration, formatNumber } from '../../lib/format';
import type { LiveRunSnapshot } from './live-runs';

/** One figure as shown: its text and whether it is an estimate. */
export interface Figure {
  text: string;
  isEstimated: boolean;
  /**
   * Why an estimate is one, when not `ESTIMATE_HINT` (a run that ended without the provider's
   * usage); on an exact figure, what it means (a dash for a cost nothing was charged).
   */
  hint?: string;
}

/** Everything a run column shows in figures. */
export interface RunFigures {
  status: RunStatus;
  inputTokens: Figure;
  outputTokens: Figure;
  cost: Figure;
  ttft: Figure;
  speed: Figure;
  elapsed: Figure;
  finishReason: string | null;
  /** Output tokens spent thinking, where the provider counted any ("1,024"); null otherwise. */
  reasoningTokens: string | null;
  isCacheHit: boolean;
  /** What a cache hit saved ("$0.0012"), null when not a hit or unknown (the original run's model had no price). */
  saved: string | null;
  /** For a cache hit: whose timing its time figures are ("run 17's, whose answer this is"); null otherwise. */
  timingSource: string | null;
}

/** What the tooltip of an estimated figure says while its run streams. */
export const ESTIMATE_HINT = 'Estimate from the local tokenizer; the provider’s own usage replaces it when the run ends';

/**
 * What the "no key" mark of a model to run says: its provider needs an API key and has none, so
 * a run would fail, and where it counts input exactly (Anthropic) the input shown is the local
 * tokenizer's estimate. Says where the key comes from and what to do; a key entered in a host
 * that keeps it for the session only went with its restart (`lost-at-restart`).
 */
export function missingKeyHint(
  provider: Pick<ProviderSettings, 'label' | 'keySource' | 'keyVariable'>,
  missing: MissingKey,
  { isWebHost, isCounting }: { isWebHost: boolean; isCounting: boolean },
): string {
  const why = isCounting ? `${provider.label} counts the input exactly only with its API key, which is not set` : `${provider.label} needs an API key to run, which is not set`;
  switch (provider.keySource) {
    case 'secret-store':
      if (missing === 'not-set') return `${why}. Enter it in Settings › Providers.`;
      return isWebHost
        ? `${why}: a key entered in the browser host lasts only until the host stops. Enter it again in Settings › Providers.`
        : `${why}: without a system keychain, a key entered here lasts only until the app closes. Enter it again in Settings › Providers.`;
    case 'environment':
      return `${why}: ${setKeyVariableAdvice(provider.keyVariable ?? 'its key variable')}.`;
    case 'none':
      return `${why}. Enter one in Settings › Providers.`;
    default:
      return assertNever(provider.keySource, 'key source');
  }
}

/** What the tooltip of an estimated figure says once its run ended without the provider's usage. */
export function endedEstimateHint(status: Exclude<RunStatus, 'running'>): string {
  const why = status === 'ok' ? 'the server sent no usage for it' : status === 'cancelled' ? 'it was stopped before the provider’s usage came' : 'it failed before the provider’s usage came';
  return `Counted by the local tokenizer: ${why}`;
}

/** What the tooltip of a comparison's total says when part of it is an estimate. */
export function totalEstimateHint(isRunning: boolean): string {
  return isRunning ? ESTIMATE_HINT : 'Part of it was counted by the local tokenizer: runs that were stopped, failed, or whose server sent no usage';
}

const DASH: Figure = { text: '–', isEstimated: false };

/** A comparison none of whose columns ran again. */
export const NOTHING_REPLACED: ReplacedCost = { costUsd: 0, count: 0, isEstimated: false };

/**
 * What a comparison's total includes for runs its columns replaced (“Run this column again”): a
 * stopped run's partial answer was paid for, so it stays in the total, and the header says so.
 * Null when no replaced run cost anything.
 */
export function replacedText(replaced: ReplacedCost): string | null {
  if (replaced.count === 0 || replaced.costUsd <= 0) return null;
  return `incl. ${replaced.isEstimated ? '~' : ''}${formatUsd(replaced.costUsd)} for ${countOf(replaced.count, 'replaced run')}`;
}

/** A cost for people; null means the model has no price (unknown, never $0). */
export function costText(costUsd: number | null): string {
  return costUsd === null ? 'no price' : formatUsd(costUsd);
}

/** What a cache hit saved for people: unknown when the original run's model had no price. */
export function savedText(savedUsd: number | null): string {
  return savedUsd === null ? 'unknown (no price)' : formatUsd(savedUsd);
}

/** What the dash in the cost of a run that failed before any usage says. */
export const NOTHING_CHARGED_HINT = 'Nothing was charged: the run failed before the model produced or counted anything';

/**
 * A stored run's cost as a figure: "no price" when its model had none, marked as an estimate when
 * its usage was counted locally, never on $0 nor on a cache hit (which costs nothing). A run that
 * failed before any usage shows a dash: $0.00 would read as a run that was free.
 */
export function storedCost(run: Pick<RunSummary, 'costUsd' | 'isCacheHit' | 'usage' | 'status'>): Figure {
  if (run.status === 'error' && !run.isCacheHit && run.usage.inputTokens === 0 && run.usage.outputTokens === 0) return { ...DASH, hint: NOTHING_CHARGED_HINT };
  return figure(costText(run.costUsd), run.usage.isEstimated && run.costUsd !== null && run.costUsd > 0 && !run.isCacheHit, hintOf(run.status));
}

function hintOf(status: RunStatus): string | undefined {
  return status === 'running' ? undefined : endedEstimateHint(status);
}

/** A figure as one string, "~" before an estimate. */
export function figureText({ text, isEstimated }: Figure): string {
  return `${isEstimated ? '~' : ''}${text}`;
}

/**
 * A status as a word. A failed run the app stopped under (`isInterrupted`: a crash or a killed
 * process) says "Interrupted": nothing went wrong with its request; one refused before anything
 * was sent (`isNotSent`: no key, a format the provider does not have) says "Not sent".
 */
export function statusLabel(status: RunStatus, isInterrupted = false, isNotSent = false): string {
  if (status === 'error' && isInterrupted) return 'Interrupted';
  if (status === 'error' && isNotSent) return 'Not sent';
  switch (status) {
    case 'running':
      return 'Running';
    case 'ok':
      return 'Done';
    case 'error':
      return 'Failed';
    case 'cancelled':
      return 'Stopped';
    default:
      return assertNever(status, 'run status');
  }
}

/** How long until a failed attempt's retry goes out, for a status chip ("Retry in 3 s"). */
export function retryText(inMs: number): string {
  return inMs <= 0 ? 'Retrying' : `Retry in ${secondsLeft(inMs)} s`;
}

/** Whole seconds left of a wait, rounded up (a wait of 0.3 s says 1 s). */
export function secondsLeft(inMs: number): number {
  return Math.ceil(inMs / 1000);
}

/** A version as a column names it. */
export function versionLabel(version: VersionRef): string {
  return version === 'draft' ? 'Draft' : `v${version}`;
}

/**
 * A stored run's place among the samples of its comparison (sample 1 of 3); null for a run on
 * its own. A re-run of a sample keeps its place.
 */
export function samplePlace(run: Pick<RunSummary, 'sampleIndex' | 'sampleCount'>): { number: number; count: number } | null {
  const number = run.sampleIndex + 1;
  const count = Math.max(run.sampleCount, number);
  return count === 1 ? null : { number, count };
}

/** Output tokens per second for people, without the unit (the label carries it). */
export function speedText(tokensPerSecond: number | null): string {
  if (tokensPerSecond === null || !Number.isFinite(tokensPerSecond)) return '–';
  return tokensPerSecond >= 100 ? formatNumber(Math.round(tokensPerSecond)) : tokensPerSecond.toFixed(1);
}

function figure(text: string, isEstimated: boolean, hint?: string): Figure {
  return hint === undefined || !isEstimated ? { text, isEstimated } : { text, isEstimated, hint };
}

/** The figures of a stored run (history, or a live column once its run ended). */
export function recordFigures(record: RunRecord): RunFigures {
  const isEstimated = record.usage.isEstimated;
  const hint = hintOf(record.status);
  // A run that failed before anything came back counted nothing: no figure, rather than "~0".
  const isEmpty = record.status !== 'ok' && record.usage.inputTokens === 0 && record.usage.outputTokens === 0;
  return {
    status: record.status,
    // The provider may have counted the input of a run whose output was counted here (a stopped Anthropic run).
    inputTokens: isEmpty ? DASH : figure(formatNumber(record.usage.inputTokens), isInputEstimated(record.usage), hint),
    outputTokens: isEmpty ? DASH : figure(formatNumber(record.usage.outputTokens), isEstimated, hint),
    cost: storedCost(record),
    ttft: record.ttftMs === null ? DASH : figure(formatDuration(record.ttftMs), false),
    // Speed is the output count over time: estimated when the count is.
    speed: figure(speedText(record.tokensPerSecond), isEstimated && record.tokensPerSecond !== null && Number.isFinite(record.tokensPerSecond), hint),
    elapsed: record.latencyMs === null ? DASH : figure(formatDuration(record.latencyMs), false),
    finishReason: record.finishReason,
    reasoningTokens: record.usage.reasoningTokens > 0 ? formatNumber(record.usage.reasoningTokens) : null,
    isCacheHit: record.isCacheHit,
    saved: record.isCacheHit && record.savedUsd !== null ? formatUsd(record.savedUsd) : null,
    timingSource: record.isCacheHit ? `Those of ${record.cachedFromRunId === null ? 'the run (since deleted)' : `run ${record.cachedFromRunId}`} whose answer the cache gave: no request went out for this one` : null,
  };
}

/**
 * The figures of a run in a column: live while it streams (elapsed time ticking at `now`),
 * the stored ones after.
 */
export function liveFigures(snapshot: LiveRunSnapshot, cell: Pick<RunCell, 'estimatedInputTokens' | 'isInputCounted' | 'price'>, now: number): RunFigures {
  const { estimatedInputTokens, isInputCounted, price } = cell;
  if (snapshot.record !== null) return recordFigures(snapshot.record);
  const counters = snapshot.counters;
  const costUsd = counters ? counters.costUsd : estimateCost(estimatedInputTokens, 0, price.price);
  const elapsedMs = counters ? counters.elapsedMs + Math.max(0, now - snapshot.countersAt) : now - snapshot.startedAt;
  return {
    status: snapshot.status,
    inputTokens: figure(formatNumber(counters?.inputTokens ?? estimatedInputTokens), counters ? counters.isInputEstimated : !isInputCounted),
    outputTokens: figure(formatNumber(counters?.outputTokens ?? 0), true),
    cost: figure(costText(costUsd), costUsd !== null && costUsd > 0),
    ttft: counters?.ttftMs == null ? DASH : figure(formatDuration(counters.ttftMs), false),
    speed: figure(speedText(counters?.tokensPerSecond ?? null), counters?.tokensPerSecond != null),
    // A queued request has not gone out: its time starts when it does.
    elapsed: snapshot.isQueued ? DASH : figure(formatDuration(elapsedMs), false),
    finishReason: null,
    reasoningTokens: null,
    isCacheHit: false,
    saved: null,
    timingSource: null,
  };
}

/**
 * The total of a batch's cells: live estimates for running ones (the input's cost before any
 * token came, as their columns show), stored costs for the rest.
 */
export function batchTotals(cells: readonly RunCell[], snapshots: readonly LiveRunSnapshot[], replaced: ReplacedCost = NOTHING_REPLACED) {
  // What runs since replaced by a run of their column again cost is spent too.
  let costUsd = replaced.costUsd;
  let savedUsd = 0;
  /** A cache hit on a model without a price saved an unknown amount: the sum says so rather than count it as $0. */
  let hasUnknownSaved = false;
  let isEstimated = replaced.isEstimated;
  let hasUnpriced = false;
  const counts = { running: 0, ok: 0, error: 0, cancelled: 0 };
  /** Running cells still waiting for a concurrency slot, and waiting to go out again after a failed attempt (counted in `running` too). */
  let queued = 0;
  let retrying = 0;
  snapshots.forEach((snapshot, index) => {
    counts[snapshot.status] += 1;
    if (snapshot.status === 'running' && snapshot.isQueued) queued += 1;
    else if (snapshot.status === 'running' && snapshot.retry !== null) retrying += 1;
    const record = snapshot.record;
    const cell = cells[index];
    const cost = record ? record.costUsd : snapshot.counters ? snapshot.counters.costUsd : estimateCost(cell.estimatedInputTokens, 0, cell.price.price);
    // An unpriced model that answered nothing cost nothing either: only answers make the total unknown.
    if (cost === null && (record === null || record.status === 'ok' || record.output !== '')) hasUnpriced = true;
    costUsd += cost ?? 0;
    savedUsd += record?.savedUsd ?? 0;
    if (record?.isCacheHit === true && record.savedUsd === null) hasUnknownSaved = true;
    if (record === null ? (cost ?? 0) > 0 : storedCost(record).isEstimated) isEstimated = true;
  });
  return { costUsd, savedUsd, hasUnknownSaved, isEstimated, hasUnpriced, counts, queued, retrying };
}
