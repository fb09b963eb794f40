/**
 * Engine overhead: the same 500 streamed chat requests against an instant local OpenAI-protocol
 * server, once through the bare `openai` SDK and once through the workbench's runner (render,
 * plan, price, SQLite insert and commit, FTS index, live deltas, events; cache bypassed).
 * Prints runs per second of each and their ratio (goal: the runner within 1.2x of the SDK), and
 * the same against a server that streams at a real model's pace, where the fixed cost per run
 * meets a realistic request time.
 */

import { OpenAI } from 'openai';
import { createEngine, type Engine } from '../../electron/core/engine';
import { createProvider } from '../../electron/core/providers/create-provider';
import { dispatchCall } from '../../electron/core/rpc';
import { RunPlanner } from '../../electron/core/runs/run-planner';
import { RunStore } from '../../electron/core/runs/run-store';
import type { BatchDone, BatchStarted } from '../../shared/types';
import { startOpenAiServer } from '../fixtures/openai-server';
import { cleanUp, heading, makeTempDir, percentile, row, timed } from './bench-support';

const RUNS = 500;
const WARMUP = 30;
/** Rounds of each pass; the machine this runs on is shared, so one round proves little. */
const ROUNDS = 5;
/** Requests in flight in the concurrent passes: the provider layer's limit for OpenAI, so both sides run alike. */
const BATCH = 8;
/** Runs against the server that takes its time like a real one (20 tokens, 5 ms apart). */
const SLOW_RUNS = 80;
const KEY = 'bench-key';
const MESSAGES = [
  { role: 'system' as const, content: 'You answer in one short sentence.' },
  { role: 'user' as const, content: 'Tell me about tides.' },
];

async function main(): Promise<void> {
  const server = await startOpenAiServer({ apiKey: KEY });
  const paced = await startOpenAiServer({ apiKey: KEY, reply: { tokens: Array.from({ length: 20 }, (_, index) => ` word${index}`), chunkDelayMs: 5 } });
  const engine = createEngine({ dataDir: makeTempDir(), promptsDir: null, host: 'web', appVersion: 'bench', environment: {} });
  try {
    const call = async <T>(channel: string, input: unknown): Promise<T> => {
      const result = await dispatchCall(engine.handlers, channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
      return result.value as T;
    };
    const provider = await call<{ id: number }>('providers:save', { kind: 'openai', label: 'Bench', baseUrl: server.baseUrl, apiKey: KEY });
    const pacedProvider = await call<{ id: number }>('providers:save', { kind: 'openai', label: 'Paced', baseUrl: paced.baseUrl, apiKey: KEY });
    const prompt = await call<{ prompt: { id: number } }>('prompts:create', { name: 'Bench' });
    const promptId = prompt.prompt.id;
    await call('drafts:save', {
      promptId,
      content: { model: '', parameters: {}, messages: [MESSAGES[0], { role: 'user', content: 'Tell me about {{topic}}.' }] },
      variables: { topic: 'tides' },
    });
    const batches = batchWaiter(engine);
    let runnerRuns = 0;
    const runnerBatch = async (samples: number, providerId = provider.id) => {
      runnerRuns += samples;
      const started = await call<BatchStarted>('runs:start', {
        promptId,
        versions: ['draft'],
        targets: [{ providerId, model: 'gpt-4o-mini' }],
        samples,
        bypassCache: true,
      });
      const done = await batches.wait(started.batchId);
      if (done.counts.ok !== samples) throw new Error(`A bench batch failed: ${JSON.stringify(done.counts)}`);
    };

    const bareClient = (baseURL: string) => new OpenAI({ apiKey: KEY, baseURL, maxRetries: 0, organization: null, project: null });
    const client = bareClient(server.baseUrl);
    const pacedClient = bareClient(paced.baseUrl);
    const bareRequest = async (target = client) => {
      const stream = await target.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: MESSAGES,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      if (text === '') throw new Error('The bare SDK got no text');
    };

    // The provider layer alone (retries, timeouts, limits, stream guard around the same SDK), to show where time goes.
    const layered = createProvider({ kind: 'openai', apiKey: KEY, baseUrl: server.baseUrl });
    const pacedLayered = createProvider({ kind: 'openai', apiKey: KEY, baseUrl: paced.baseUrl });
    const layeredRequest = async (target = layered) => {
      let text = '';
      for await (const event of target.stream({ model: 'gpt-4o-mini', messages: MESSAGES, parameters: {} }, new AbortController().signal)) {
        if (event.type === 'delta') text += event.text;
      }
      if (text === '') throw new Error('The provider layer got no text');
    };

    const sequential = {
      bare: async (count: number) => {
        for (let index = 0; index < count; index += 1) await bareRequest();
      },
      layer: async (count: number) => {
        for (let index = 0; index < count; index += 1) await layeredRequest();
      },
      runner: async (count: number) => {
        for (let index = 0; index < count; index += 1) await runnerBatch(1);
      },
    };
    const inBatches = async (count: number, batch: (size: number) => Promise<unknown>) => {
      for (let index = 0; index < count; index += BATCH) await batch(Math.min(BATCH, count - index));
    };
    const concurrent = {
      bare: (count: number) => inBatches(count, (size) => Promise.all(Array.from({ length: size }, () => bareRequest()))),
      layer: (count: number) => inBatches(count, (size) => Promise.all(Array.from({ length: size }, () => layeredRequest()))),
      runner: (count: number) => inBatches(count, (size) => runnerBatch(size)),
    };
    const pacedPass = {
      bare: (count: number) => inBatches(count, (size) => Promise.all(Array.from({ length: size }, () => bareRequest(pacedClient)))),
      layer: (count: number) => inBatches(count, (size) => Promise.all(Array.from({ length: size }, () => layeredRequest(pacedLayered)))),
      runner: (count: number) => inBatches(count, (size) => runnerBatch(size, pacedProvider.id)),
    };

    await sequential.bare(WARMUP);
    await sequential.layer(WARMUP);
    await sequential.runner(WARMUP);

    heading(`Engine overhead: ${RUNS} streamed runs against an instant local OpenAI-protocol server`);
    for (const [name, pass, runs] of [
      ['one at a time', sequential, RUNS],
      [`${BATCH} at a time (a batch of ${BATCH} samples)`, concurrent, RUNS],
      [`${BATCH} at a time, ${SLOW_RUNS} runs, server streaming 20 tokens 5 ms apart`, pacedPass, SLOW_RUNS],
    ] as const) {
      // Rounds alternate the three sides, in a reversed order every other round, so none always
      // follows another's garbage; each side keeps its best round, and the ratio of each round's
      // pair shows how far the machine's noise moves the result.
      const times = { bare: [] as number[], layer: [] as number[], runner: [] as number[] };
      for (let round = 0; round < ROUNDS; round += 1) {
        const order = round % 2 === 0 ? (['bare', 'layer', 'runner'] as const) : (['runner', 'layer', 'bare'] as const);
        for (const side of order) times[side].push(await timed(() => pass[side](runs)));
      }
      const best = { bare: Math.min(...times.bare), layer: Math.min(...times.layer), runner: Math.min(...times.runner) };
      const roundRatios = times.runner.map((runner, round) => runner / times.bare[round]);
      const rate = (total: number) => `${((runs * 1000) / total).toFixed(0)} runs/s (${(total / runs).toFixed(2)} ms/run)`;
      console.log(`\n  ${name}`);
      row('bare openai SDK', rate(best.bare));
      row('provider layer alone (retry, limits, guard)', rate(best.layer));
      row('workbench runner (render, store, events)', rate(best.runner));
      row('ratio runner / SDK time (goal <= 1.2x)', `${(best.runner / best.bare).toFixed(2)}x best of ${ROUNDS}; median of rounds ${percentile(roundRatios, 0.5).toFixed(2)}x`);
      row('runner time over the SDK, per run', `${((best.runner - best.bare) / runs).toFixed(2)} ms`);
    }
    // Where the runner's time goes, one at a time: one more pass with the store's transactions and
    // the planner timed (after the measured passes, so the timing costs them nothing).
    const passes: Awaited<ReturnType<typeof timedParts>>[] = [];
    for (let round = 0; round < 3; round += 1) passes.push(await timedParts(() => sequential.runner(RUNS)));
    const spent = passes.reduce((best, pass) => (pass.totalMs < best.totalMs ? pass : best));
    heading(`Where the runner's time goes, one at a time (the quickest of 3 more passes of ${RUNS} runs, timed apart)`);
    row('whole run through the runner', `${(spent.totalMs / RUNS).toFixed(3)} ms per run`);
    // Planning runs inside the transaction that stores the batch, so it is taken out of the store's share.
    row('storing in SQLite (batch, row and cache entry, commits)', `${((spent.storeMs - spent.planMs) / RUNS).toFixed(3)} ms per run`);
    row('  of which BEGIN and COMMIT (the WAL write)', `${((spent.storeMs - spent.bodyMs) / RUNS).toFixed(3)} ms per run`);
    row('planning (render, price, estimate, cache key)', `${(spent.planMs / RUNS).toFixed(3)} ms per run`);
    // Every run the runner made is stored, finished and carries the server's exact usage.
    const stored: { status: string; usage: { isEstimated: boolean } }[] = [];
    let cursor: string | undefined;
    do {
      const page = await call<{ items: typeof stored; nextCursor: string | null }>('runs:list', { limit: 500, cursor });
      stored.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    const isComplete = stored.length === runnerRuns && stored.every((run) => run.status === 'ok' && !run.usage.isEstimated);
    row('runs stored by the runner (sanity)', `${stored.length} of ${runnerRuns}, ${isComplete ? 'all ok with exact usage' : 'NOT all ok with exact usage'}`);
    if (!isComplete) process.exitCode = 1;
  } finally {
    await engine.whenIdle();
    engine.close();
    await server.close();
    await paced.close();
    cleanUp();
  }
}

/**
 * Runs `pass` with the time spent in the run store's outermost transactions (and in their
 * bodies, so the rest is BEGIN and COMMIT) and in the planner added up (the store's and
 * planner's methods wrapped for the pass, then restored).
 */
async function timedParts(pass: () => Promise<void>): Promise<{ totalMs: number; storeMs: number; bodyMs: number; planMs: number }> {
  const spent = { storeMs: 0, bodyMs: 0, planMs: 0 };
  let depth = 0;
  const transaction = RunStore.prototype.transaction;
  const plan = RunPlanner.prototype.plan;
  RunStore.prototype.transaction = function timedTransaction<T>(this: RunStore, body: () => T): T {
    const startedAt = performance.now();
    depth += 1;
    // The outermost body's own time: the rest of the transaction is its BEGIN and COMMIT.
    const timedBody =
      depth > 1
        ? body
        : () => {
            const bodyStartedAt = performance.now();
            try {
              return body();
            } finally {
              spent.bodyMs += performance.now() - bodyStartedAt;
            }
          };
    try {
      return transaction.call(this, timedBody) as T;
    } finally {
      depth -= 1;
      if (depth === 0) spent.storeMs += performance.now() - startedAt;
    }
  };
  RunPlanner.prototype.plan = function timedPlan(this: RunPlanner, ...args: Parameters<RunPlanner['plan']>) {
    const startedAt = performance.now();
    try {
      return plan.apply(this, args);
    } finally {
      spent.planMs += performance.now() - startedAt;
    }
  };
  try {
    const totalMs = await timed(pass);
    return { totalMs, ...spent };
  } finally {
    RunStore.prototype.transaction = transaction;
    RunPlanner.prototype.plan = plan;
  }
}

/** Resolves `batch:done` events by batch id. */
function batchWaiter(engine: Engine) {
  const waiting = new Map<number, (done: BatchDone) => void>();
  const early = new Map<number, BatchDone>();
  engine.subscribe((name, payload) => {
    if (name !== 'batch:done') return;
    const done = payload as BatchDone;
    const resolve = waiting.get(done.batchId);
    if (resolve) {
      waiting.delete(done.batchId);
      resolve(done);
    } else {
      early.set(done.batchId, done);
    }
  });
  return {
    wait(batchId: number): Promise<BatchDone> {
      const done = early.get(batchId);
      if (done) {
        early.delete(batchId);
        return Promise.resolve(done);
      }
      return new Promise((resolve) => waiting.set(batchId, resolve));
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
