/**
 * `runs:latestBatch`: the prompt's last comparison from the runs panel comes back after a
 * restart (a new engine on the same folder), each column holding its latest run; a column run
 * again in its place, even twice, stays in its column; runs sent again from history and evals
 * never take its place; a database from before batches had an origin shows none.
 */

import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { MIGRATIONS, openDatabase } from '../../../../electron/core/database';
import { createEvalPrompt, runEval, topicCase } from '../evals/eval-harness';
import { makeTempDir } from '../../support';
import { addCompatible, addOpenAi, createPrompt, startWorkbench, type Workbench } from './run-harness';

/** The runs panel's view of the prompt's last comparison: per column, its run's model, status and output. */
async function latestColumns(workbench: Workbench, promptId: number) {
  const batch = await workbench.call('runs:latestBatch', { promptId });
  if (batch === null) return null;
  return {
    batchId: batch.batchId,
    columns: batch.cells.map((cell, index) => ({
      cellIndex: cell.cellIndex,
      runId: cell.runId,
      model: cell.model,
      status: batch.records[index].status,
      isSameRun: batch.records[index].id === cell.runId,
    })),
  };
}

describe('the last comparison of a prompt', () => {
  test('comes back after a restart with retried columns in their places; history re-runs and evals leave it alone', async () => {
    const dataDir = makeTempDir();
    let workbench = startWorkbench({ dataDir });
    const openAi = await addOpenAi(workbench);
    const local = await addCompatible(workbench);
    const promptId = await createPrompt(workbench);
    const otherId = await createPrompt(workbench, undefined, undefined, 'Other');
    expect(await workbench.call('runs:latestBatch', { promptId })).toBeNull();

    // The local server fails its first two answers: the column fails, and fails again when run again.
    local.server.script({ fault: { kind: 'http-error', status: 500 } }, { fault: { kind: 'http-error', status: 500 } });
    const targets = [
      { providerId: openAi.providerId, model: 'gpt-4o-mini' },
      { providerId: local.providerId, model: 'qwen2.5-7b-instruct' },
    ];
    const batch = await workbench.call('runs:start', { promptId, versions: ['draft'], targets, samples: 1 });
    await workbench.batchDone(batch.batchId);
    const [okRun, failedRun] = batch.cells.map((cell) => cell.runId);
    expect(await latestColumns(workbench, promptId)).toStrictEqual({
      batchId: batch.batchId,
      columns: [
        { cellIndex: 0, runId: okRun, model: 'gpt-4o-mini', status: 'ok', isSameRun: true },
        { cellIndex: 1, runId: failedRun, model: 'qwen2.5-7b-instruct', status: 'error', isSameRun: true },
      ],
    });

    const retry = await workbench.call('runs:rerun', { id: failedRun, inPlaceOf: batch.batchId });
    await workbench.batchDone(retry.batchId);
    // The retried column failed again: it runs again from its new run, still in the first batch's place.
    const again = await workbench.call('runs:rerun', { id: retry.cells[0].runId, inPlaceOf: batch.batchId });
    expect((await workbench.waitFor('run:started', (started) => started.batchId === again.batchId)).retryOf).toStrictEqual({ batchId: batch.batchId, runId: retry.cells[0].runId });
    await workbench.batchDone(again.batchId);
    // A run of another batch is no column of this one.
    await expect(workbench.call('runs:rerun', { id: okRun, inPlaceOf: retry.batchId })).rejects.toThrow(`Run ${okRun} is not a column of batch ${retry.batchId}`);
    // Sent again from history, and an eval of the prompt: neither is the runs panel's.
    const rerun = await workbench.call('runs:rerun', { id: okRun, bypassCache: true });
    await workbench.batchDone(rerun.batchId);
    const evalPrompt = await createEvalPrompt(workbench, [topicCase('tides')]);
    await runEval(workbench, { promptId: evalPrompt.promptId, versions: [1], targets: [targets[0]] });
    expect(await workbench.call('runs:latestBatch', { promptId: evalPrompt.promptId })).toBeNull();

    // A new engine on the same folder (the app restarted) shows the same columns, each with its latest run.
    workbench.engine.close();
    workbench = startWorkbench({ dataDir });
    const restored = await workbench.call('runs:latestBatch', { promptId });
    expect(restored && { ...restored, records: restored.records.map((record) => [record.id, record.status, record.output]) }).toStrictEqual({
      batchId: batch.batchId,
      promptId,
      isCacheBypassed: false,
      startedAt: expect.any(String) as string,
      // Their input as the server counted it (the fixture's usage), no longer the estimate made before running.
      cells: [
        { ...batch.cells[0], estimatedInputTokens: 1187 },
        { ...again.cells[0], cellIndex: 1, estimatedInputTokens: 1187 },
      ],
      records: [
        [okRun, 'ok', expect.any(String) as string],
        [again.cells[0].runId, 'ok', expect.any(String) as string],
      ],
      // The runs replaced failed before answering: they cost nothing.
      replaced: { costUsd: 0, count: 0, isEstimated: false },
      // Nothing streams: no column has a live state to show.
      live: [],
    });
    expect(restored?.records.every((record) => record.output !== '')).toBe(true);
    expect(await workbench.call('runs:latestBatch', { promptId: otherId })).toBeNull();

    // A newer comparison takes its place.
    const newer = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [targets[0]], samples: 1, bypassCache: true });
    await workbench.batchDone(newer.batchId);
    expect((await latestColumns(workbench, promptId))?.batchId).toBe(newer.batchId);
  });

  test('a comparison still running comes back as running, with the text it has streamed so far', async () => {
    const workbench = startWorkbench();
    const openAi = await addOpenAi(workbench, { reply: { tokens: ['A slow', ' answer', ' here'], chunkDelayMs: 300 } });
    const promptId = await createPrompt(workbench);
    const batch = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId: openAi.providerId, model: 'gpt-4o-mini' }], samples: 1 });
    const runId = batch.cells[0].runId;
    expect((await latestColumns(workbench, promptId))?.columns.map((column) => column.status)).toStrictEqual(['running']);
    // Once text has streamed, a window opening now gets it all, as the others were sent it (the stored row has none yet).
    await workbench.waitFor('run:delta', (delta) => delta.runId === runId);
    const restored = await workbench.call('runs:latestBatch', { promptId });
    const fetched = await workbench.call('runs:get', { id: runId });
    expect([restored?.records[0].status, restored?.records[0].output, fetched.output]).toStrictEqual(['running', workbench.streamedText(runId), workbench.streamedText(runId)]);
    expect(fetched.output).toMatch(/^A slow/);
    await workbench.batchDone(batch.batchId);
    expect((await workbench.call('runs:get', { id: runId })).output).toBe('A slow answer here');
    expect((await latestColumns(workbench, promptId))?.columns.map((column) => column.status)).toStrictEqual(['ok']);
  });

  test('batches stored before they had an origin are not shown again', async () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, 'workbench.sqlite');
    // A database as the previous release left it, with a batch of a prompt.
    const old = openDatabase(file, MIGRATIONS.slice(0, -1));
    old.exec(`INSERT INTO prompts (id, slug, name, created_at, updated_at) VALUES (1, 'old', 'Old', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`);
    old.exec(`INSERT INTO run_batches (id, prompt_id, cell_count, bypass_cache, created_at) VALUES (1, 1, 1, 0, '2026-01-01T00:00:00.000Z')`);
    old.close();
    const workbench = startWorkbench({ dataDir });
    expect(await workbench.call('runs:latestBatch', { promptId: 1 })).toBeNull();
    const database = new BetterSqlite3(file, { readonly: true });
    try {
      expect(database.prepare('SELECT origin FROM run_batches').pluck().all()).toStrictEqual([null]);
    } finally {
      database.close();
    }
  });

  test('its total keeps what a stopped column cost before it ran again', async () => {
    const dataDir = makeTempDir();
    let workbench = startWorkbench({ dataDir });
    const { server, providerId } = await addOpenAi(workbench, { reply: { tokens: ['Tides', ' rise', ' and', ' fall'], chunkDelayMs: 2000 } });
    const promptId = await createPrompt(workbench);
    const batch = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], samples: 1 });
    const stoppedId = batch.cells[0].runId;
    await workbench.waitFor('run:delta', (delta) => delta.runId === stoppedId && delta.text !== '');
    await workbench.call('runs:cancel', { batchId: batch.batchId });
    const stopped = await workbench.runDone(stoppedId);
    expect([stopped.status, (stopped.costUsd as number) > 0]).toStrictEqual(['cancelled', true]);
    server.script({ reply: { tokens: ['Tides', ' rise.'], chunkDelayMs: 0 } });
    const retry = await workbench.call('runs:rerun', { id: stoppedId, inPlaceOf: batch.batchId });
    await workbench.batchDone(retry.batchId);
    workbench.engine.close();
    workbench = startWorkbench({ dataDir });
    const restored = await workbench.call('runs:latestBatch', { promptId });
    // Its usage was counted locally (the stream stopped before the provider's usage came): the total says so.
    expect([restored?.cells.map((cell) => cell.runId), restored?.replaced]).toStrictEqual([[retry.cells[0].runId], { costUsd: stopped.costUsd, count: 1, isEstimated: true }]);
  });
});
