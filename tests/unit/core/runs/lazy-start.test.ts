/**
 * Runs started from the editor write their rows lazily (RunStore.createBatch `isDeferred`): a
 * cell that ends within the moment is written once, already ended; one still going after it is
 * written as running; anything that reads runs, or may change what a run points at, writes
 * them first. Ids are reserved in blocks, so processes sharing the file never hand out the same
 * one, and a process killed before writing its run leaves nothing behind.
 *
 * Every write to `runs` is watched through triggers on a log table, added to the real file.
 */

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../../../electron/core/database';
import { DATABASE_FILE_NAME } from '../../../../electron/core/engine';
import { RunStore, type NewRun, type RunOutcome } from '../../../../electron/core/runs/run-store';
import { startOpenAiServer } from '../../../fixtures/openai-server';
import { makeTempDir } from '../../support';
import { bundleChild, startChild } from './interrupted-child-process';
import { addOpenAi, afterTest, createPrompt, startWorkbench, type Workbench } from './run-harness';

/** Logs every insert and update of a run, with its status, in the data folder's database file. */
function watchRunWrites(dataDir: string): () => [string, number, string][] {
  const database = new BetterSqlite3(path.join(dataDir, DATABASE_FILE_NAME));
  afterTest(() => {
    database.close();
  });
  database.exec(`
    CREATE TABLE IF NOT EXISTS test_run_writes (seq INTEGER PRIMARY KEY, kind TEXT, run_id INTEGER, status TEXT);
    CREATE TRIGGER IF NOT EXISTS test_log_run_insert AFTER INSERT ON runs
      BEGIN INSERT INTO test_run_writes (kind, run_id, status) VALUES ('insert', new.id, new.status); END;
    CREATE TRIGGER IF NOT EXISTS test_log_run_update AFTER UPDATE ON runs
      BEGIN INSERT INTO test_run_writes (kind, run_id, status) VALUES ('update', new.id, new.status); END;
  `);
  return () => database.prepare('SELECT kind, run_id, status FROM test_run_writes ORDER BY seq').raw().all() as [string, number, string][];
}

/** An engine on a fresh folder whose run writes are logged, with the OpenAI fixture and a prompt. */
async function watchedWorkbench(runWriteDelayMs?: number) {
  const dataDir = makeTempDir();
  // The engine creates the schema; the triggers go on it before the engine under test opens it.
  startWorkbench({ dataDir }).engine.close();
  const writes = watchRunWrites(dataDir);
  const workbench = startWorkbench({ dataDir, runWriteDelayMs });
  const { server, providerId } = await addOpenAi(workbench);
  const promptId = await createPrompt(workbench);
  const start = () => workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], bypassCache: true });
  return { workbench, server, writes, start };
}

async function waitForRequests(server: { requestsTo(path: string): unknown[] }, count: number): Promise<void> {
  while (server.requestsTo('/v1/chat/completions').length < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

const RUN: NewRun = {
  cellIndex: 0,
  promptId: null,
  version: 'draft',
  providerId: 1,
  providerKind: 'openai',
  providerLabel: 'OpenAI',
  endpoint: 'https://api.openai.com/v1',
  model: 'gpt-4o-mini',
  sampleIndex: 0,
  sampleCount: 1,
  messages: [{ role: 'user', content: 'Hi' }],
  parameters: {},
  variables: {},
  price: { price: null, source: 'none', catalogModel: null },
  usage: { inputTokens: 8, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, isEstimated: true },
  costUsd: null,
  cacheKey: 'key',
  isCacheBypassed: true,
};

const OUTCOME: RunOutcome = {
  status: 'ok',
  error: null,
  errorKind: null,
  finishReason: 'stop',
  output: 'Hello there',
  reasoning: '',
  usage: { inputTokens: 8, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0, isEstimated: false },
  costUsd: null,
  savedUsd: 0,
  price: { price: null, source: 'none', catalogModel: null },
  ttftMs: 1,
  latencyMs: 2,
  tokensPerSecond: null,
  isCacheHit: false,
  notices: [],
};

describe('lazy start rows', () => {
  test('a run that ends within the moment is written once, already ended', async () => {
    const { workbench, writes, start } = await watchedWorkbench(60_000);
    const started = await start();
    const done = await workbench.batchDone(started.batchId);
    const runId = started.cells[0].runId;
    expect({ counts: done.counts, writes: writes(), stored: (await workbench.call('runs:get', { id: runId })).status }).toStrictEqual({
      counts: { running: 0, ok: 1, error: 0, cancelled: 0 },
      writes: [['insert', runId, 'ok']],
      stored: 'ok',
    });
  });

  test('a run still going after the moment is written as running, then completed', async () => {
    const { workbench, server, writes, start } = await watchedWorkbench(50);
    server.script({ fault: { kind: 'stall', afterChunks: 1 } });
    const started = await start();
    const runId = started.cells[0].runId;
    while (writes().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await workbench.call('runs:cancel', { runId });
    await workbench.batchDone(started.batchId);
    expect(writes()).toStrictEqual([
      ['insert', runId, 'running'],
      ['update', runId, 'cancelled'],
    ]);
  });

  test('history, and calls that may change what a run points at, write its row first', async () => {
    const { workbench, server, writes, start } = await watchedWorkbench(60_000);
    server.script({ fault: { kind: 'stall', afterChunks: 1 } });
    const started = await start();
    const runId = started.cells[0].runId;
    const history = await workbench.call('runs:list', {});
    const afterList = writes();
    // A second batch, then a call of another kind: its row is written before that call runs.
    server.script({ fault: { kind: 'stall', afterChunks: 1 } });
    const second = await start();
    await workbench.call('prompts:list', {});
    const afterOtherCall = writes();
    await workbench.call('runs:cancel', { batchId: started.batchId });
    await workbench.call('runs:cancel', { batchId: second.batchId });
    await Promise.all([workbench.batchDone(started.batchId), workbench.batchDone(second.batchId)]);
    expect({ history: history.items.map((run) => [run.id, run.status]), afterList, afterOtherCall }).toStrictEqual({
      history: [[runId, 'running']],
      afterList: [['insert', runId, 'running']],
      afterOtherCall: [
        ['insert', runId, 'running'],
        ['insert', second.cells[0].runId, 'running'],
      ],
    });
  });

  test('two engines sharing the file never hand out the same id, and every run is stored', async () => {
    const dataDir = makeTempDir();
    const first = startWorkbench({ dataDir });
    const second = startWorkbench({ dataDir });
    const server = await startOpenAiServer({ apiKey: 'test-openai-key' });
    afterTest(server.close);
    const setUp = async (workbench: Workbench, name: string) => {
      const saved = await workbench.call('providers:save', { kind: 'openai', label: `Fixture ${name}`, baseUrl: server.baseUrl, apiKey: 'test-openai-key' });
      const promptId = await createPrompt(workbench, undefined, { topic: name }, name);
      return { workbench, name, providerId: saved.id, promptId };
    };
    const sides = [await setUp(first, 'first'), await setUp(second, 'second')];
    const ids: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      for (const side of sides) {
        const started = await side.workbench.call('runs:start', {
          promptId: side.promptId,
          versions: ['draft'],
          targets: [{ providerId: side.providerId, model: 'gpt-4o-mini' }],
          samples: 2,
          bypassCache: true,
        });
        await side.workbench.batchDone(started.batchId);
        ids.push(...started.cells.map((cell) => cell.runId));
      }
    }
    const stored = await first.call('runs:list', { limit: 100 });
    expect({
      distinct: new Set(ids).size,
      stored: stored.items.length,
      allOk: stored.items.every((run) => run.status === 'ok'),
      everyIdStored: ids.every((id) => stored.items.some((run) => run.id === id)),
    }).toStrictEqual({ distinct: 20, stored: 20, allOk: true, everyIdStored: true });
  });

  test('a process killed before writing its run leaves no row, and later runs do not take its id', async () => {
    const server = await startOpenAiServer({ apiKey: 'test-openai-key' });
    afterTest(server.close);
    server.script({ fault: { kind: 'stall', afterChunks: 1 } });
    const dataDir = makeTempDir();
    const { child, runId } = await startChild(await bundleChild(), dataDir, server.baseUrl, 60_000);
    await waitForRequests(server, 1);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const after = startWorkbench({ dataDir });
    const missing = await after.call('runs:get', { id: runId }).then(
      () => 'found',
      (error: Error) => error.message,
    );
    const providerId = (await after.call('providers:save', { kind: 'openai', label: 'Again', baseUrl: server.baseUrl, apiKey: 'test-openai-key' })).id;
    const promptId = await createPrompt(after);
    const started = await after.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    await after.batchDone(started.batchId);
    expect({ missing, running: (await after.call('runs:list', { status: 'running' })).items, isNewIdAbove: started.cells[0].runId > runId }).toStrictEqual({
      missing: `Run ${runId} does not exist`,
      running: [],
      isNewIdAbove: true,
    });
  });

  test('a rolled-back transaction leaves memory as it found it', () => {
    const database = openDatabase(path.join(makeTempDir(), 'runs.sqlite'));
    afterTest(() => {
    database.close();
  });
    const runs = new RunStore(database, process.pid, 60_000);
    afterTest(() => runs.close());
    const at = '2026-01-01T00:00:00.000Z';
    // A batch whose start rolls back is forgotten.
    expect(() =>
      runs.transaction(() => {
        runs.createBatch(null, [RUN], true, at, { isDeferred: true });
        throw new Error('refused');
      }),
    ).toThrow('refused');
    runs.flushPending();
    const afterRolledBackStart = database.prepare('SELECT count(*) AS count FROM runs').get();
    // A cell whose end rolls back stays pending, and is written as running later.
    const { runIds } = runs.createBatch(null, [RUN], true, at, { isDeferred: true });
    expect(() =>
      runs.transaction(() => {
        runs.finishRun(runIds[0], OUTCOME, at);
        throw new Error('refused');
      }),
    ).toThrow('refused');
    const beforeFlush = database.prepare('SELECT count(*) AS count FROM runs').get();
    runs.flushPending();
    const afterFlush = runs.get(runIds[0]);
    // And it can still end.
    runs.transaction(() => runs.finishRun(runIds[0], OUTCOME, at));
    expect({ afterRolledBackStart, beforeFlush, afterFlush: afterFlush.status, ended: [runs.get(runIds[0]).status, runs.get(runIds[0]).output] }).toStrictEqual({
      afterRolledBackStart: { count: 0 },
      beforeFlush: { count: 0 },
      afterFlush: 'running',
      ended: ['ok', 'Hello there'],
    });
  });
});
