/**
 * Cancelling: one cell or a whole batch, mid-stream. The HTTP stream closes (the server sees
 * the client leave), the run is stored as cancelled with what it had received, other cells
 * carry on, and nothing cancelled ever reaches the cache.
 */

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { DATABASE_FILE_NAME } from '../../../../electron/core/engine';
import { addOpenAi, createPrompt, startWorkbench } from './run-harness';

const SLOW = { tokens: Array.from({ length: 40 }, (_, index) => `w${index} `), chunkDelayMs: 20 };
const FULL_TEXT = SLOW.tokens.join('');

describe('cancelling runs', () => {
  test('cancelling one cell closes its HTTP stream and stores it as cancelled with its partial output; the other cell finishes', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench, { reply: SLOW });
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], samples: 2 });
    const [first, second] = started.cells;
    await workbench.waitFor('run:delta', (delta) => delta.runId === first.runId);
    expect(await workbench.call('runs:cancel', { runId: first.runId })).toStrictEqual({ cancelled: 1 });
    await server.waitForClientDisconnects(1);
    const cancelled = await workbench.runDone(first.runId);
    const finished = await workbench.runDone(second.runId);
    expect({
      status: cancelled.status,
      errorKind: cancelled.errorKind,
      error: cancelled.error,
      isPrefix: FULL_TEXT.startsWith(cancelled.output) && cancelled.output.length > 0 && cancelled.output.length < FULL_TEXT.length,
      isEstimated: cancelled.usage.isEstimated,
      other: [finished.status, finished.output],
      disconnects: server.clientDisconnects(),
    }).toStrictEqual({
      status: 'cancelled',
      errorKind: 'cancelled',
      error: 'Stopped by you before it finished',
      isPrefix: true,
      isEstimated: true,
      other: ['ok', FULL_TEXT],
      disconnects: 1,
    });
    expect(await workbench.call('runs:get', { id: first.runId })).toStrictEqual(cancelled);
    expect(await workbench.call('runs:cancel', { runId: first.runId })).toStrictEqual({ cancelled: 0 });
    expect((await workbench.call('cache:stats', {})).entries).toBe(1);
  });

  test('cancelling a batch stops every running cell; a cancelled request is asked of the server again next time', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOpenAi(workbench, { reply: SLOW });
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft' as const], targets: [{ providerId, model: 'gpt-4o-mini' }], samples: 3 };
    const started = await workbench.call('runs:start', request);
    await workbench.waitFor('run:delta', (delta) => delta.batchId === started.batchId);
    expect(await workbench.call('runs:cancel', { batchId: started.batchId })).toStrictEqual({ cancelled: 3 });
    const done = await workbench.batchDone(started.batchId);
    await server.waitForClientDisconnects(3);
    expect([done.counts, (await workbench.call('cache:stats', {})).entries]).toStrictEqual([{ running: 0, ok: 0, error: 0, cancelled: 3 }, 0]);
    expect(await workbench.call('runs:cancel', { batchId: started.batchId })).toStrictEqual({ cancelled: 0 });

    server.script({ reply: { chunkDelayMs: 0 } }, { reply: { chunkDelayMs: 0 } }, { reply: { chunkDelayMs: 0 } });
    const again = await workbench.call('runs:start', request);
    const second = await workbench.batchDone(again.batchId);
    expect([second.counts.ok, server.requestsTo(chatPath).length]).toStrictEqual([3, 6]);
  });

  test('a run stopped before today\'s words reads as stopped by you everywhere: the run, History and the export', async () => {
    let workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench, { reply: SLOW });
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const runId = started.cells[0].runId;
    await workbench.waitFor('run:delta', (delta) => delta.runId === runId);
    await workbench.call('runs:cancel', { runId });
    await workbench.batchDone(started.batchId);
    workbench.engine.close();
    // As earlier versions stored a stopped run: the provider layer's words.
    const database = new BetterSqlite3(path.join(workbench.dataDir, DATABASE_FILE_NAME));
    database.prepare("UPDATE runs SET error = 'The request was cancelled' WHERE id = ?").run(runId);
    database.close();
    workbench = startWorkbench({ dataDir: workbench.dataDir });
    const csv = parse((await workbench.call('runs:export', { format: 'csv' })).text, { columns: true, bom: true }) as Record<string, string>[];
    const jsonl = (await workbench.call('runs:export', { format: 'jsonl' })).text.trim().split('\n').map((line) => JSON.parse(line) as { error: string });
    expect([
      (await workbench.call('runs:get', { id: runId })).error,
      (await workbench.call('runs:list', {})).items.map((item) => item.error),
      csv.map((row) => [row.status, row.error_kind, row.error]),
      jsonl.map((run) => run.error),
    ]).toStrictEqual([
      'Stopped by you before it finished',
      ['Stopped by you before it finished'],
      [['cancelled', 'cancelled', 'Stopped by you before it finished']],
      ['Stopped by you before it finished'],
    ]);
  });
});
