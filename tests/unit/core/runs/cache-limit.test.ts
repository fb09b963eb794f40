/**
 * The response cache's size limit: each answer's size is known from the index, the answers used
 * longest ago go first, a new limit applies at once, and runs that push the cache past it are
 * trimmed once they stop. A database from before sizes were kept gets them on upgrade.
 */

import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { MIGRATIONS, openDatabase, schemaVersion, SCHEMA_VERSION } from '../../../../electron/core/database';
import { ResponseCache, type CachedResponse } from '../../../../electron/core/runs/response-cache';
import { makeTempDir } from '../../support';
import { addOpenAi, afterTest, createPrompt, startWorkbench } from './run-harness';

const MB = 1024 * 1024;

function answer(output: string): CachedResponse {
  return {
    output,
    reasoning: '',
    finishReason: 'stop',
    usage: { inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0, isEstimated: false },
    costUsd: 0.001,
    price: { price: null, source: 'none', catalogModel: null },
    ttftMs: 1,
    latencyMs: 2,
    tokensPerSecond: 3,
    sourceRunId: 0,
    notices: [],
  };
}

const request = { providerKind: 'openai' as const, endpoint: 'https://api.openai.com/v1', model: 'gpt-4o-mini', messages: [], parameters: {}, sampleIndex: 0 };

describe('response cache size limit', () => {
  test('sizes come from the index; trimming evicts the answers used longest ago, a hit counting as use', () => {
    const database = openDatabase(path.join(makeTempDir(), 'workbench.sqlite'));
    afterTest(() => {
      database.close();
    });
    // The answers stand alone here: no runs to point back at.
    database.pragma('foreign_keys = OFF');
    const cache = new ResponseCache(database);
    for (let index = 0; index < 10; index += 1) cache.store(`k${index}`, request, answer('x'.repeat(1000)), `2026-01-01T00:00:0${index}.000Z`);
    // The oldest answer is used again: it is now the most recent.
    expect(cache.lookup('k0', '2026-01-01T00:01:00.000Z')?.output).toHaveLength(1000);
    const each = cache.stats(null).sizeBytes / 10;
    const evicted = cache.trim(each * 5, '2026-01-01T00:02:00.000Z');
    const plan = database.prepare('EXPLAIN QUERY PLAN SELECT count(*), coalesce(sum(size_bytes), 0) FROM response_cache INDEXED BY response_cache_by_use').all() as { detail: string }[];
    expect({
      each,
      evicted,
      left: (database.prepare('SELECT key FROM response_cache ORDER BY key').all() as { key: string }[]).map((row) => row.key),
      stats: cache.stats(each * 5),
      plan: plan.map((row) => row.detail),
    }).toStrictEqual({
      // Output, usage JSON, key, endpoint and model, in bytes.
      each: 1000 + JSON.stringify(answer('').usage).length + 2 + request.endpoint.length + request.model.length,
      evicted: 5,
      left: ['k0', 'k6', 'k7', 'k8', 'k9'],
      stats: { entries: 5, sizeBytes: each * 5, limitBytes: each * 5, lookups: 1, hits: 1, hitRate: 1, savedUsd: 0.001, unpricedHits: 0, clearedAt: null },
      plan: ['SCAN response_cache USING COVERING INDEX response_cache_by_use'],
    });
    expect(cache.trim(each * 5, '2026-01-01T00:02:00.000Z')).toBe(0);
  });

  test('a database from before sizes were kept gets each answer’s size on upgrade', () => {
    const file = path.join(makeTempDir(), 'workbench.sqlite');
    const old = openDatabase(file, MIGRATIONS.slice(0, 6));
    old.exec(`INSERT INTO response_cache (key, provider_kind, endpoint, model, output, reasoning, usage_json, price_json, price_source, created_at)
      VALUES ('k', 'openai', 'e', 'm', 'héllo', 'hm', '{}', '{"input":1}', 'catalog', 't')`);
    old.close();
    const database = openDatabase(file);
    afterTest(() => {
      database.close();
    });
    expect({ version: schemaVersion(database), size: new ResponseCache(database).stats(null).sizeBytes }).toStrictEqual({
      version: SCHEMA_VERSION,
      // Bytes, not characters: é is two.
      size: 'héllo'.length + 1 + 'hm'.length + '{}'.length + 'k'.length + 'e'.length + 'm'.length + '{"input":1}'.length,
    });
  });

  test('a new limit applies at once, and runs that go past it are trimmed once they stop', async () => {
    const workbench = startWorkbench();
    // Answers of about 400 KB each: three of them are past a 1 MB limit.
    const { providerId } = await addOpenAi(workbench, { reply: { tokens: Array.from({ length: 400 }, () => 'x'.repeat(1024)) } });
    const promptId = await createPrompt(workbench);
    const run = async (samples: number) => {
      const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], samples });
      await workbench.batchDone(started.batchId);
    };
    // Samples 1, 2 and 3: three distinct requests (the sample index is in the key), three answers.
    await run(3);
    const unlimited = await workbench.call('cache:stats', {});
    expect([unlimited.entries, unlimited.sizeBytes > MB, unlimited.limitBytes]).toStrictEqual([3, true, null]);

    await workbench.call('settings:update', { cacheLimitMb: 1 });
    const limited = await workbench.call('cache:stats', {});
    expect([limited.entries, limited.sizeBytes <= MB, limited.limitBytes]).toStrictEqual([2, true, MB]);

    // A fourth sample stores a fourth answer, past the limit until runs stop and the idle upkeep runs.
    await run(4);
    const deadline = Date.now() + 10_000;
    let stats = await workbench.call('cache:stats', {});
    while (stats.entries > 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stats = await workbench.call('cache:stats', {});
    }
    expect([stats.entries, stats.sizeBytes <= MB]).toStrictEqual([2, true]);
    await expect(workbench.call('settings:update', { cacheLimitMb: 0.5 })).rejects.toThrow('The cache limit is at least 1 MB');
  });

  test('answers past their age are misses, and are dropped when not used since', () => {
    const database = openDatabase(path.join(makeTempDir(), 'workbench.sqlite'));
    afterTest(() => {
      database.close();
    });
    database.pragma('foreign_keys = OFF');
    let maxAgeDays: number | null = null;
    const cache = new ResponseCache(database, { maxAgeDays: () => maxAgeDays });
    cache.store('old', request, answer('from monday'), '2026-01-05T09:00:00.000Z');
    cache.store('new', request, answer('from tuesday'), '2026-01-06T09:00:00.000Z');
    const wednesday = '2026-01-07T08:00:00.000Z';
    // Without an age, both are served; with one day, Monday's answer is a miss.
    expect(cache.lookup('old', wednesday)?.output).toBe('from monday');
    maxAgeDays = 1;
    expect([cache.lookup('old', wednesday), cache.lookup('new', wednesday)?.output]).toStrictEqual([null, 'from tuesday']);
    // Monday's answer was used on Wednesday, before the age was set: the idle pass keeps it until that use is a day old (lookups never serve it).
    expect(cache.trim(null, wednesday)).toBe(0);
    expect(cache.trim(null, '2026-01-08T09:00:00.000Z')).toBe(2);
    expect(cache.stats(null)).toMatchObject({ entries: 0, lookups: 3, hits: 2 });
  });

  test('an age limit set in settings drops old answers at once, and the next run asks the server again', async () => {
    let clock = new Date('2026-03-02T10:00:00.000Z');
    const workbench = startWorkbench({ now: () => clock });
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const run = async () => {
      const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
      await workbench.batchDone(started.batchId);
      return workbench.call('runs:get', { id: started.cells[0].runId });
    };
    expect((await run()).isCacheHit).toBe(false);
    clock = new Date('2026-03-03T09:00:00.000Z');
    expect((await run()).isCacheHit).toBe(true);
    clock = new Date('2026-03-05T10:00:00.000Z');
    await workbench.call('settings:update', { cacheMaxAgeDays: 2 });
    expect((await workbench.call('cache:stats', {})).entries).toBe(0);
    expect([(await run()).isCacheHit, server.requestsTo(chatPath).length]).toStrictEqual([false, 2]);
    await expect(workbench.call('settings:update', { cacheMaxAgeDays: 0 })).rejects.toThrow('Answers expire after 1 day at least');
  });
});
