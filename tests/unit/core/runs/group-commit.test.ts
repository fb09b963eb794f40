/**
 * Committing cells that end together: one transaction for the cells that end in the same turn
 * of the event loop, each stored exactly as announced, the batch ending with its last cell;
 * nothing lost when the engine closes before that commit, or when the database refuses the
 * group (it is then stored cell by cell).
 */

import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { EventName } from '../../../../shared/contract';
import type { RunRecord } from '../../../../shared/types';
import { openDatabase, type Database } from '../../../../electron/core/database';
import { abortError } from '../../../../electron/core/providers/provider-error';
import type { Provider, StreamEvent } from '../../../../electron/core/providers/provider';
import type { ProviderRegistry } from '../../../../electron/core/providers/provider-registry';
import type { ProviderEndpoint } from '../../../../electron/core/providers/provider-settings-store';
import { BatchRunner, type StartedCell } from '../../../../electron/core/runs/batch-runner';
import { ResponseCache } from '../../../../electron/core/runs/response-cache';
import { RunStore, type NewRun } from '../../../../electron/core/runs/run-store';
import { makeTempDir } from '../../support';

const databases: Database[] = [];

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const database of databases.splice(0)) database.close();
});

const ENDPOINT: ProviderEndpoint = {
  id: 1,
  kind: 'openai',
  label: 'OpenAI',
  baseUrl: null,
  endpoint: 'https://api.openai.com/v1',
  keySource: 'environment',
  keyVariable: 'OPENAI_API_KEY',
  isLocal: false,
  isBuiltIn: true,
  keepAlive: null,
  timeLimits: { firstOutputMs: null, stallMs: null, totalMs: null },
  updatedAt: '2025-01-01T00:00:00.000Z',
};

const USAGE = { inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 3, reasoningTokens: 0 };

/** A provider that answers at once (all in microtasks), or, for the models named in `stalls`, never until aborted. */
function instantProvider(stalls: readonly string[] = []): Provider {
  return {
    kind: 'openai',
    label: 'OpenAI',
    endpoint: ENDPOINT.endpoint,
    listModels: async () => [],
    async *stream(request, signal): AsyncGenerator<StreamEvent> {
      if (stalls.includes(request.model)) {
        await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(abortError(signal)), { once: true }));
      }
      yield { type: 'delta', text: `Answer from ${request.model}` };
      yield { type: 'done', usage: USAGE, finishReason: 'stop', timings: null };
    },
  };
}

/** A runner over a fresh database, with the events it emits. */
function startRunner(provider: Provider) {
  const database = openDatabase(path.join(makeTempDir(), 'runs.sqlite'));
  databases.push(database);
  const runs = new RunStore(database);
  const cache = new ResponseCache(database);
  const events: { name: EventName; payload: unknown }[] = [];
  const registry = { provider: async () => ({ settings: ENDPOINT, provider }) } as unknown as ProviderRegistry;
  const runner = new BatchRunner({
    runs,
    cache,
    registry,
    emit: (name, payload) => events.push({ name, payload }),
    now: () => new Date('2025-01-01T00:00:00.000Z'),
  });
  /** Stores a batch of one cell per model, as `runs:start` does, and launches it. */
  const launch = (models: readonly string[], { isCacheBypassed = true } = {}) => {
    const cells: NewRun[] = models.map((model, cellIndex) => ({
      cellIndex,
      promptId: null,
      version: 'draft',
      providerId: ENDPOINT.id,
      providerKind: 'openai',
      providerLabel: ENDPOINT.label,
      endpoint: ENDPOINT.endpoint,
      model,
      sampleIndex: 0,
      sampleCount: 1,
      messages: [{ role: 'user', content: 'Hi' }],
      parameters: {},
      variables: {},
      price: { price: null, source: 'none', catalogModel: null },
      usage: { ...USAGE, outputTokens: 0, isEstimated: true },
      costUsd: null,
      cacheKey: `key-${model}`,
      isCacheBypassed,
    }));
    const startedAt = '2025-01-01T00:00:00.000Z';
    const { batchId, runIds } = runs.createBatch(null, cells, true, startedAt);
    const started: StartedCell[] = cells.map((cell, index) => ({
      ...cell,
      expectedOutputTokens: null,
      isInputCounted: false,
      isCached: false,
      provider: ENDPOINT,
      runId: runIds[index],
      batchId,
      promptName: null,
      startedAt,
    }));
    runner.launch(batchId, started);
    return { batchId, runIds };
  };
  const finishedAtOf = (batchId: number) =>
    (database.prepare('SELECT finished_at AS finishedAt FROM run_batches WHERE id = ?').get(batchId) as { finishedAt: string | null }).finishedAt;
  const announced = () => events.filter((event) => event.name === 'run:done').map((event) => event.payload as RunRecord);
  return { runs, cache, runner, launch, finishedAtOf, announced };
}

const MODELS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'];

describe('committing cells that end together', () => {
  test('cells ending in one turn share one transaction; each is stored as announced, and the batch ends with them', async () => {
    const { runs, runner, launch, finishedAtOf, announced } = startRunner(instantProvider());
    const transaction = vi.spyOn(runs, 'transaction');
    const { batchId, runIds } = launch(MODELS);
    // Only the commits of the cells' ends count, not the one that stored the batch.
    transaction.mockClear();
    await runner.whenIdle();
    const stored = runIds.map((id) => runs.get(id));
    expect({
      transactions: transaction.mock.calls.length,
      statuses: stored.map((run) => [run.model, run.status, run.output]),
      announcedAsStored: announced(),
      batchFinishedAt: finishedAtOf(batchId),
    }).toStrictEqual({
      transactions: 1,
      statuses: MODELS.map((model) => [model, 'ok', `Answer from ${model}`]),
      announcedAsStored: stored,
      batchFinishedAt: '2025-01-01T00:00:00.000Z',
    });
  });

  test('cells that ask the cache still end in one transaction: their lookups only read, and are counted in it', async () => {
    const { runs, cache, runner, launch } = startRunner(instantProvider());
    const transaction = vi.spyOn(runs, 'transaction');
    const lookup = vi.spyOn(cache, 'lookup');
    launch(MODELS, { isCacheBypassed: false });
    transaction.mockClear();
    await runner.whenIdle();
    const stats = cache.stats(null);
    expect([transaction.mock.calls.length, lookup.mock.calls.length, stats.lookups, stats.hits, stats.entries]).toStrictEqual([1, 0, 8, 0, 8]);
    // Asked again, each is a hit, stored and counted in one transaction again.
    const again = launch(MODELS, { isCacheBypassed: false });
    transaction.mockClear();
    await runner.whenIdle();
    const after = cache.stats(null);
    expect([transaction.mock.calls.length, again.runIds.map((id) => runs.get(id).isCacheHit), after.lookups, after.hits]).toStrictEqual([
      1,
      MODELS.map(() => true),
      16,
      8,
    ]);
  });

  test('a cell that ends alone is committed at once, without waiting for the end of the turn', async () => {
    const { runs, launch } = startRunner(instantProvider());
    vi.useFakeTimers({ toFake: ['setImmediate'] });
    const { runIds } = launch(['m1']);
    await vi.waitFor(() => expect(runs.get(runIds[0]).status).toBe('ok'), { interval: 5 });
  });

  test('closing stores a cell that ended but was not yet committed, and hands back the ones still running', async () => {
    const { runs, runner, launch } = startRunner(instantProvider(['stalled']));
    // The commit waiting for the end of the turn never comes by itself: only closing can store it.
    vi.useFakeTimers({ toFake: ['setImmediate'] });
    const { runIds } = launch(['quick', 'stalled']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const beforeClose = runs.get(runIds[0]).status;
    const stillRunning = runner.close();
    expect({ beforeClose, stillRunning, quick: [runs.get(runIds[0]).status, runs.get(runIds[0]).output] }).toStrictEqual({
      beforeClose: 'running',
      stillRunning: [runIds[1]],
      quick: ['ok', 'Answer from quick'],
    });
  });

  test('a group the database refuses is stored cell by cell, so one bad row cannot lose the others', async () => {
    const { runs, runner, launch, announced } = startRunner(instantProvider());
    const finishRun = runs.finishRun.bind(runs);
    let refusedRunId = 0;
    let hasRefused = false;
    vi.spyOn(runs, 'finishRun').mockImplementation((runId, outcome, finishedAt) => {
      if (!hasRefused && runId === refusedRunId) {
        hasRefused = true;
        throw new Error('SQLITE_FULL: database or disk is full');
      }
      return finishRun(runId, outcome, finishedAt);
    });
    const { runIds } = launch(MODELS);
    // The cells end later, in microtasks: the fourth one's row is refused the first time.
    refusedRunId = runIds[3];
    await runner.whenIdle();
    expect({ hasRefused, statuses: runIds.map((id) => runs.get(id).status), announced: announced().length }).toStrictEqual({
      hasRefused: true,
      statuses: MODELS.map(() => 'ok'),
      announced: MODELS.length,
    });
  });
});
