/**
 * Fills a data folder with stored runs through the engine, for UI tests that need a long
 * history. Run as its own Node process (bundled with esbuild, as the benchmarks are: the test
 * runner's loader cannot load the engine's JSON import); prints the new run ids as JSON.
 *
 * Usage: node history-seed.cjs '<HistorySeed as JSON>'
 */

import assert from 'node:assert/strict';
import path from 'node:path';
import { openDatabase, writeMeta } from '../../electron/core/database';
import { createEngine, DATABASE_FILE_NAME } from '../../electron/core/engine';
import { dispatchCall } from '../../electron/core/rpc';
import type { CallHandlers, CallInput, CallName, CallOutput } from '../../shared/contract';

/** What to store. */
export interface HistorySeed {
  dataDir: string;
  /** The OpenAI fixture's base URL; it must answer with the key `test-openai-key`. */
  baseUrl: string;
  models: string[];
  /** The model of the lone first run, when not the first of `models`. */
  firstModel?: string;
  /** `topic` values, each with how many runs ask about it, oldest first. */
  topics: { topic: string; runs: number }[];
  /** Where run ids start (as in a history long in use, whose run numbers have four digits); 1 if absent. */
  firstRunId?: number;
}

async function call<C extends CallName>(handlers: CallHandlers, name: C, input: CallInput<C>): Promise<CallOutput<C>> {
  const result = await dispatchCall(handlers, name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as CallOutput<C>;
}

/**
 * Stores one lone run first (numbered `firstRunId`, when given) (the fixture's next scripted answer, if any), then batches of up to
 * ten samples, one batch at a time, alternating models; returns the run ids, oldest first.
 */
async function seed({ dataDir, baseUrl, models, firstModel, topics, firstRunId }: HistorySeed): Promise<number[]> {
  if (firstRunId !== undefined) {
    // Ids are taken above the highest one reserved (see IdBlocks).
    const database = openDatabase(path.join(dataDir, DATABASE_FILE_NAME));
    writeMeta(database, 'reserved_ids.runs', String(firstRunId - 1));
    database.close();
  }
  const engine = createEngine({ dataDir, promptsDir: null, host: 'web', appVersion: '0.0.0-test', environment: {} });
  try {
    const { handlers } = engine;
    const provider = await call(handlers, 'providers:save', { kind: 'openai', label: 'OpenAI (fixture)', baseUrl, apiKey: 'test-openai-key' });
    const detail = await call(handlers, 'prompts:create', { name: 'Paging' });
    const promptId = detail.prompt.id;
    await call(handlers, 'drafts:save', {
      promptId,
      content: { model: `openai/${models[0]}`, parameters: {}, messages: [{ role: 'user', content: 'Tell me about {{topic}}.' }] },
      variables: { topic: topics[0].topic },
    });
    const ids: number[] = [];
    let batch = 0;
    for (const { topic, runs } of topics) {
      for (let stored = 0; stored < runs; batch += 1) {
        const started = await call(handlers, 'runs:start', {
          promptId,
          versions: ['draft'],
          targets: [{ providerId: provider.id, model: batch === 0 && firstModel !== undefined ? firstModel : models[batch % models.length] }],
          variables: { topic },
          samples: batch === 0 ? 1 : Math.min(10, runs - stored),
          // Every batch asks the fixture: the cache would otherwise repeat earlier answers.
          bypassCache: true,
        });
        ids.push(...started.cells.map((cell) => cell.runId));
        stored += started.cells.length;
        // One batch at a time, so that ids and start times follow the batches' order.
        await engine.whenIdle();
      }
    }
    const stored: [number, string][] = [];
    let cursor: string | undefined;
    do {
      const page = await call(handlers, 'runs:list', { limit: 500, ...(cursor === undefined ? {} : { cursor }) });
      stored.push(...page.items.map((item): [number, string] => [item.id, item.status]));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    assert.deepEqual(
      stored,
      ids.toReversed().map((id) => [id, 'ok']),
    );
    return ids;
  } finally {
    engine.close();
  }
}

seed(JSON.parse(process.argv[2] ?? '') as HistorySeed).then(
  (ids) => process.stdout.write(JSON.stringify(ids)),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
