/**
 * The response cache: a repeated request is answered without the server, with the original
 * usage, timings and price and the money saved; bypassing asks the server; errors are never
 * cached; each sample is its own entry; clearing empties it and restarts the counters.
 */

import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { cacheKey } from '../../../../electron/core/runs/response-cache';
import { addOpenAi, createPrompt, startWorkbench, type Workbench } from './run-harness';

async function runBatch(workbench: Workbench, input: Parameters<Workbench['call']>[1] & object) {
  const started = await workbench.call('runs:start', input as never);
  const done = await workbench.batchDone(started.batchId);
  const runs = await Promise.all(started.cells.map((cell) => workbench.runDone(cell.runId)));
  return { started, done, runs };
}

describe('response cache', () => {
  test('a repeated request is answered from the cache: no request reaches the server, original usage, money saved', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] };
    const { runs: [original] } = await runBatch(workbench, request);
    const { runs: [hit], done } = await runBatch(workbench, request);
    expect(server.requestsTo(chatPath)).toHaveLength(1);
    expect({
      isCacheHit: hit.isCacheHit,
      status: hit.status,
      output: hit.output,
      usage: hit.usage,
      ttftMs: hit.ttftMs,
      latencyMs: hit.latencyMs,
      finishReason: hit.finishReason,
      price: hit.price,
      costUsd: hit.costUsd,
      savedUsd: hit.savedUsd,
      batchSaved: done.totalSavedUsd,
      cachedFrom: [original.cachedFromRunId, hit.cachedFromRunId],
    }).toStrictEqual({
      isCacheHit: true,
      status: 'ok',
      output: original.output,
      usage: original.usage,
      ttftMs: original.ttftMs,
      latencyMs: original.latencyMs,
      finishReason: original.finishReason,
      price: original.price,
      costUsd: 0,
      savedUsd: original.costUsd,
      batchSaved: original.costUsd,
      // The hit's usage and timing are the original's: it says whose.
      cachedFrom: [null, original.id],
    });
    expect(original.costUsd).toBeGreaterThan(0);
    expect(workbench.deltasOf(hit.id)).toStrictEqual([]);
    // What run:done announced is what history holds.
    expect([await workbench.call('runs:get', { id: original.id }), await workbench.call('runs:get', { id: hit.id })]).toStrictEqual([original, hit]);
    const stats = await workbench.call('cache:stats', {});
    expect({ ...stats, sizeBytes: stats.sizeBytes > original.output.length }).toStrictEqual({
      entries: 1,
      sizeBytes: true,
      limitBytes: null,
      lookups: 2,
      hits: 1,
      hitRate: 0.5,
      savedUsd: original.costUsd,
      unpricedHits: 0,
      clearedAt: null,
    });
  });

  test('a hit on a model without a price saved an unknown amount, never $0, in the run, its batch, history and the export', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench, { models: ['house-model-1'] });
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft'], targets: [{ providerId, model: 'house-model-1' }] };
    const { runs: [original] } = await runBatch(workbench, request);
    const { runs: [hit], done } = await runBatch(workbench, request);
    expect([original.costUsd, original.price.price, hit.isCacheHit, hit.costUsd, hit.savedUsd, done.totalSavedUsd]).toStrictEqual([null, null, true, 0, null, 0]);
    expect((await workbench.call('runs:get', { id: hit.id })).savedUsd).toBeNull();
    // The cache's own counters leave the hit out of what was saved, and say so.
    const stats = await workbench.call('cache:stats', {});
    expect([stats.hits, stats.savedUsd, stats.unpricedHits]).toStrictEqual([1, 0, 1]);
    expect((await workbench.call('runs:list', {})).items.map((run) => [run.isCacheHit, run.savedUsd])).toStrictEqual([
      [true, null],
      [false, 0],
    ]);
    const rows = parse((await workbench.call('runs:export', { format: 'csv' })).text, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((row) => [row.saved_usd, row.cached_from_run])).toStrictEqual([
      ['', String(original.id)],
      ['0', ''],
    ]);
  });

  test('the estimate knows what the cache will answer: $0 for those cells, in the total and against the budget', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench, { models: ['gpt-4o-mini', 'house-model-1'] });
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }, { providerId, model: 'house-model-1' }], samples: 2 };
    const before = await workbench.call('runs:estimate', request as never);
    expect(before.cells.map((cell) => cell.isCached)).toStrictEqual([false, false, false, false]);
    expect([before.totalCostUsd > 0, before.unpricedModels]).toStrictEqual([true, ['house-model-1']]);
    // Sample #1 of each model runs once: those two are cached now, #2 of each is not.
    await runBatch(workbench, { ...request, samples: 1 });
    const after = await workbench.call('runs:estimate', request as never);
    expect(after.cells.map((cell) => [cell.model, cell.sampleIndex, cell.isCached, cell.costUsd === 0])).toStrictEqual([
      ['gpt-4o-mini', 0, true, true],
      ['gpt-4o-mini', 1, false, false],
      ['house-model-1', 0, true, true],
      ['house-model-1', 1, false, false],
    ]);
    expect(after.totalCostUsd).toBeCloseTo((after.cells[1].costUsd as number) * 1, 12);
    // Bypassing the cache, every cell will ask again.
    expect((await workbench.call('runs:estimate', { ...request, bypassCache: true } as never)).cells.map((cell) => cell.isCached)).toStrictEqual([false, false, false, false]);
    // A budget spent to the last cent still lets through a batch the cache answers whole, as the estimate says.
    const spent = (await workbench.call('runs:estimate', request as never)).budget.spentTodayUsd;
    await workbench.call('settings:update', { dailyBudgetUsd: spent });
    const cachedOnly = { ...request, samples: 1 };
    expect((await workbench.call('runs:estimate', cachedOnly as never)).budget.exceedsByUsd).toBeNull();
    const { runs } = await runBatch(workbench, cachedOnly);
    expect(runs.map((run) => run.isCacheHit)).toStrictEqual([true, true]);
    await expect(workbench.call('runs:start', request as never)).rejects.toThrow(/would go over today’s budget/);
  });

  test('bypassing the cache asks the server, and the fresh answer replaces the cached one', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] };
    await runBatch(workbench, request);
    server.script({ reply: { tokens: ['Fresh', ' answer'] } });
    const { runs: [bypassed] } = await runBatch(workbench, { ...request, bypassCache: true });
    const { runs: [hit] } = await runBatch(workbench, request);
    expect([bypassed.isCacheHit, bypassed.output, hit.isCacheHit, hit.output, server.requestsTo(chatPath).length]).toStrictEqual([
      false,
      'Fresh answer',
      true,
      'Fresh answer',
      2,
    ]);
    expect((await workbench.call('cache:stats', {})).lookups).toBe(2);
  });

  test('errors are never cached: the next identical request goes to the server', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    server.script({ fault: { kind: 'http-error', status: 500 } });
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] };
    const { runs: [failed] } = await runBatch(workbench, request);
    const { runs: [retried] } = await runBatch(workbench, request);
    expect([failed.status, failed.isCacheHit, retried.status, retried.isCacheHit, server.requestsTo(chatPath).length]).toStrictEqual([
      'error',
      false,
      'ok',
      false,
      2,
    ]);
  });

  test('each sample is its own entry; different variables are a different request; clearing empties the cache and its counters', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], samples: 2 };
    await runBatch(workbench, request);
    const { runs: hits } = await runBatch(workbench, request);
    await runBatch(workbench, { ...request, variables: { topic: 'volcanoes' } });
    expect([hits.map((run) => run.isCacheHit), server.requestsTo(chatPath).length]).toStrictEqual([[true, true], 4]);
    const cleared = await workbench.call('cache:clear', {});
    expect({ ...cleared, clearedAt: typeof cleared.clearedAt }).toStrictEqual({
      entries: 0,
      sizeBytes: 0,
      limitBytes: null,
      lookups: 0,
      hits: 0,
      hitRate: null,
      savedUsd: 0,
      unpricedHits: 0,
      clearedAt: 'string',
    });
    const { runs: afterClear } = await runBatch(workbench, request);
    expect([afterClear.map((run) => run.isCacheHit), server.requestsTo(chatPath).length]).toStrictEqual([[false, false], 6]);
  });

  test('a lookup is counted with the run it belongs to: one made before a clear is not counted after it', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] };
    let letGo = () => {};
    server.script({ fault: { kind: 'pause', afterChunks: 2, until: new Promise<void>((resolve) => (letGo = resolve)) } });
    const started = await workbench.call('runs:start', request as never);
    // The run has asked the cache (a miss) and is streaming when the cache is cleared.
    await workbench.waitFor('run:delta', (delta) => delta.runId === started.cells[0].runId);
    await workbench.call('cache:clear', {});
    letGo();
    await workbench.batchDone(started.batchId);
    const afterClear = await workbench.call('cache:stats', {});
    // Its answer came after the clear and is kept; its lookup came before and is not counted.
    expect([afterClear.entries, afterClear.lookups, afterClear.hits]).toStrictEqual([1, 0, 0]);
    const { runs: [hit] } = await runBatch(workbench, request);
    const stats = await workbench.call('cache:stats', {});
    expect([hit.isCacheHit, stats.lookups, stats.hits, stats.savedUsd]).toStrictEqual([true, 1, 1, hit.savedUsd]);
  });

  test('the key covers provider, endpoint, model, messages, parameters and sample, and nothing else', () => {
    const base = {
      providerKind: 'openai' as const,
      endpoint: 'https://api.openai.com/v1',
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'Hi' }],
      parameters: { temperature: 0.2, maxTokens: 10 },
      sampleIndex: 0,
    };
    const key = cacheKey(base);
    const variants = [
      { ...base, providerKind: 'openai-compatible' as const },
      { ...base, endpoint: 'https://openrouter.ai/api/v1' },
      { ...base, model: 'gpt-4o' },
      { ...base, messages: [{ role: 'user' as const, content: 'Hi!' }] },
      { ...base, messages: [{ role: 'system' as const, content: 'Hi' }] },
      { ...base, parameters: { temperature: 0.3, maxTokens: 10 } },
      { ...base, sampleIndex: 1 },
    ].map(cacheKey);
    const same = [
      { ...base, parameters: { maxTokens: 10, temperature: 0.2 } },
      { ...base, parameters: { ...base.parameters, topP: undefined, stop: [] } },
      { ...base, endpoint: 'https://api.openai.com/v1/' },
    ].map(cacheKey);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set([key, ...variants]).size).toBe(8);
    expect(same).toStrictEqual([key, key, key]);
  });
});
