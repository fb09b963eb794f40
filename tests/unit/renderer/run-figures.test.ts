/**
 * The figures a run column and the batch header show: marked "~" exactly when they rest on an
 * estimate, a cache hit's saving unknown (never $0) when its model had no price, the input the
 * provider counted shown as exact, and a running cell counted in the total before its first token.
 */

import { describe, expect, test } from 'vitest';
import type { ModelPrice, ResolvedPrice, RunCell } from '../../../shared/types';
import type { LiveRunSnapshot } from '../../../renderer/features/runs/live-runs';
import { batchTotals, figureText, liveFigures, missingKeyHint, recordFigures, samplePlace } from '../../../renderer/features/runs/run-figures';
import { run } from './run-records';

const RATES: ModelPrice = { input: 1, output: 5, cachedInput: null, cacheWrite: null, reasoning: null, perThousandRequests: null };
const PRICED: ResolvedPrice = { price: RATES, source: 'catalog', catalogModel: 'claude-haiku-4-5' };
const UNPRICED: ResolvedPrice = { price: null, source: 'none', catalogModel: null };

function cell(overrides: Partial<RunCell> = {}): RunCell {
  return { runId: 1, cellIndex: 0, version: 'draft', providerId: 2, providerLabel: 'Anthropic', model: 'claude-haiku-4-5', sampleIndex: 0, estimatedInputTokens: 1000, isInputCounted: false, price: PRICED, firstOutputLimitMs: 180_000, ...overrides };
}

function running(overrides: Partial<LiveRunSnapshot> = {}): LiveRunSnapshot {
  return { runId: 1, status: 'running', counters: null, countersAt: 0, startedAt: 0, record: null, length: 0, reasoningLength: 0, notices: [], isQueued: false, retry: null, ...overrides };
}

/** Each figure as shown: "~" before an estimate. */
function shown(figures: ReturnType<typeof recordFigures>) {
  return { in: figureText(figures.inputTokens), out: figureText(figures.outputTokens), cost: figureText(figures.cost), speed: figureText(figures.speed), saved: figures.saved };
}

describe('run figures', () => {
  test('a stopped run counted locally marks its speed as an estimate too; exact usage marks nothing', () => {
    const stopped = run({ status: 'cancelled', usage: { ...run().usage, outputTokens: 25, isEstimated: true }, tokensPerSecond: 20.1, costUsd: 0.0005 });
    expect(shown(recordFigures(stopped))).toStrictEqual({ in: '~400', out: '~25', cost: '~$0.00050', speed: '~20.1', saved: null });
    expect(shown(recordFigures(run()))).toStrictEqual({ in: '400', out: '100', cost: '$0.00020', speed: '125', saved: null });
  });

  test('an estimate says why: the provider’s usage is still to come while running, and why it never came after', () => {
    const usage = { ...run().usage, isEstimated: true };
    expect(recordFigures(run({ status: 'cancelled', usage })).outputTokens.hint).toBe('Counted by the local tokenizer: it was stopped before the provider’s usage came');
    expect(recordFigures(run({ status: 'error', usage })).cost.hint).toBe('Counted by the local tokenizer: it failed before the provider’s usage came');
    expect(recordFigures(run({ status: 'ok', usage })).inputTokens.hint).toBe('Counted by the local tokenizer: the server sent no usage for it');
    // Exact figures have no hint; live ones use the one that says the provider's usage replaces them.
    expect(recordFigures(run()).outputTokens.hint).toBeUndefined();
    expect(liveFigures(running(), cell(), 100).inputTokens.hint).toBeUndefined();
  });

  test('a stopped run whose input the provider counted shows its input exact and the rest estimated', () => {
    const stopped = run({ status: 'cancelled', usage: { ...run().usage, outputTokens: 25, isEstimated: true, isInputEstimated: false }, tokensPerSecond: 20.1, costUsd: 0.0005 });
    expect(shown(recordFigures(stopped))).toStrictEqual({ in: '400', out: '~25', cost: '~$0.00050', speed: '~20.1', saved: null });
  });

  test('a cache hit’s times say whose they are', () => {
    expect(recordFigures(run({ isCacheHit: true, cachedFromRunId: 17 })).timingSource).toBe('Those of run 17 whose answer the cache gave: no request went out for this one');
    expect(recordFigures(run()).timingSource).toBeNull();
  });

  test('a run that failed before any usage costs a dash that says nothing was charged; a local run that cost nothing shows $0.00 without "~"', () => {
    const failed = run({ status: 'error', usage: { ...run().usage, inputTokens: 0, outputTokens: 0, isEstimated: true }, costUsd: 0, tokensPerSecond: null });
    expect(shown(recordFigures(failed))).toStrictEqual({ in: '–', out: '–', cost: '–', speed: '–', saved: null });
    expect(recordFigures(failed).cost.hint).toBe('Nothing was charged: the run failed before the model produced or counted anything');
    // Unpriced, it is no different: nothing came back to price.
    expect(figureText(recordFigures({ ...failed, costUsd: null }).cost)).toBe('–');
    expect(shown(recordFigures(run({ costUsd: 0 }))).cost).toBe('$0.00');
    expect(shown(recordFigures(run({ costUsd: 0, isCacheHit: true, savedUsd: 0.0002 }))).cost).toBe('$0.00');
  });

  test('a cache hit says what it saved, and nothing when its model had no price', () => {
    expect(recordFigures(run({ isCacheHit: true, costUsd: 0, savedUsd: 0.0002 })).saved).toBe('$0.00020');
    expect(recordFigures(run({ isCacheHit: true, costUsd: 0, savedUsd: null })).saved).toBeNull();
  });

  test('while running, an input the provider counted is exact and the estimated one is marked', () => {
    expect(shown(liveFigures(running(), cell({ estimatedInputTokens: 37, isInputCounted: true }), 100)).in).toBe('37');
    expect(shown(liveFigures(running(), cell(), 100)).in).toBe('~1,000');
    // No speed before the first token: a dash, not an estimated dash.
    expect(shown(liveFigures(running(), cell(), 100)).speed).toBe('–');
  });

  test('the batch total counts a running cell’s input before its first token, as its column shows it', () => {
    const cells = [cell(), cell({ runId: 2, cellIndex: 1, price: UNPRICED }), cell({ runId: 3, cellIndex: 2 })];
    const snapshots = [running(), running({ runId: 2 }), { ...running({ runId: 3 }), status: 'ok' as const, record: run({ id: 3, costUsd: 0.002 }) }];
    const totals = batchTotals(cells, snapshots);
    // 1,000 input tokens at $1 per million, plus the finished cell's cost; the unpriced one makes the total partial.
    expect([totals.costUsd, totals.isEstimated, totals.hasUnpriced]).toStrictEqual([0.001 + 0.002, true, true]);
    expect(liveFigures(snapshots[0], cells[0], 100).cost).toStrictEqual({ text: '$0.0010', isEstimated: true });
    expect([totals.counts.running, totals.queued]).toStrictEqual([2, 0]);
    expect(batchTotals(cells, [running({ isQueued: true }), ...snapshots.slice(1)]).queued).toBe(1);
    expect(batchTotals(cells, [running({ retry: { at: 5000, reason: 'Rate limited' } }), ...snapshots.slice(1)]).retrying).toBe(1);
    // A column run again in place of a stopped run: what the stopped one cost stays in the total.
    expect(batchTotals(cells, snapshots, { costUsd: 0.0005, count: 1, isEstimated: false }).costUsd).toBeCloseTo(0.001 + 0.002 + 0.0005, 12);
  });

  test('what the batch saved says when a hit on a model without a price saved an unknown amount', () => {
    const cells = [cell(), cell({ runId: 2, cellIndex: 1, price: UNPRICED })];
    const hit = (id: number, savedUsd: number | null) => ({ ...running({ runId: id }), status: 'ok' as const, record: run({ id, isCacheHit: true, costUsd: 0, savedUsd }) });
    const totals = (snapshots: ReturnType<typeof hit>[]) => {
      const { savedUsd, hasUnknownSaved } = batchTotals(cells, snapshots);
      return [savedUsd, hasUnknownSaved];
    };
    expect([totals([hit(1, 0.0012), hit(2, null)]), totals([hit(1, 0.0012), hit(2, 0)]), totals([hit(1, null), hit(2, null)])]).toStrictEqual([
      [0.0012, true],
      [0.0012, false],
      [0, true],
    ]);
  });

  test('the batch total is marked an estimate when only the cost of a run its column replaced is', () => {
    const cells = [cell()];
    const done = [{ ...running(), status: 'ok' as const, record: run({ costUsd: 0.002 }) }];
    expect(batchTotals(cells, done).isEstimated).toBe(false);
    // A stopped run's usage was counted locally; the run that took its place has the provider's.
    expect(batchTotals(cells, done, { costUsd: 0.0005, count: 1, isEstimated: true }).isEstimated).toBe(true);
  });

  test('a stored run is placed among its comparison’s samples, the first of several too; a run on its own is not', () => {
    expect([
      samplePlace({ sampleIndex: 0, sampleCount: 1 }),
      samplePlace({ sampleIndex: 0, sampleCount: 3 }),
      samplePlace({ sampleIndex: 2, sampleCount: 3 }),
    ]).toStrictEqual([null, { number: 1, count: 3 }, { number: 3, count: 3 }]);
  });

  test('a missing key says what it means (a run would fail; an input Anthropic would count is an estimate) and where the key comes from', () => {
    const anthropic = { label: 'Anthropic', keyVariable: null };
    const groq = { label: 'Groq', keyVariable: null };
    const counting = { isWebHost: true, isCounting: true };
    expect([
      missingKeyHint({ ...anthropic, keySource: 'secret-store' }, 'lost-at-restart', counting),
      missingKeyHint({ ...anthropic, keySource: 'secret-store' }, 'lost-at-restart', { ...counting, isWebHost: false }),
      missingKeyHint({ ...anthropic, keySource: 'secret-store' }, 'not-set', counting),
      missingKeyHint({ ...anthropic, keySource: 'environment', keyVariable: 'ANTHROPIC_API_KEY' }, 'not-set', counting),
      missingKeyHint({ ...anthropic, keySource: 'none' }, 'not-set', { isWebHost: false, isCounting: true }),
      missingKeyHint({ ...groq, keySource: 'secret-store' }, 'lost-at-restart', { isWebHost: true, isCounting: false }),
      missingKeyHint({ ...groq, keySource: 'none' }, 'not-set', { isWebHost: true, isCounting: false }),
    ]).toStrictEqual([
      'Anthropic counts the input exactly only with its API key, which is not set: a key entered in the browser host lasts only until the host stops. Enter it again in Settings › Providers.',
      'Anthropic counts the input exactly only with its API key, which is not set: without a system keychain, a key entered here lasts only until the app closes. Enter it again in Settings › Providers.',
      'Anthropic counts the input exactly only with its API key, which is not set. Enter it in Settings › Providers.',
      'Anthropic counts the input exactly only with its API key, which is not set: set ANTHROPIC_API_KEY, or enter a key in Settings › Providers.',
      'Anthropic counts the input exactly only with its API key, which is not set. Enter one in Settings › Providers.',
      'Groq needs an API key to run, which is not set: a key entered in the browser host lasts only until the host stops. Enter it again in Settings › Providers.',
      'Groq needs an API key to run, which is not set. Enter one in Settings › Providers.',
    ]);
  });
});
