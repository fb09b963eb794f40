/**
 * An eval killed half-way (a real process, SIGKILL) keeps the cells it finished; the next
 * engine to start marks it interrupted (only once that process is gone), and resuming it runs
 * only the missing cells, with totals that add up.
 */

import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { startOpenAiServer } from '../../../fixtures/openai-server';
import { bundleForNode, makeTempDir, startNodeChild } from '../../support';
import { addCompatible, afterTest, startWorkbench } from '../runs/run-harness';
import { INTERRUPTED_ERROR } from '../../../../electron/core/runs/run-store';
import { createEvalPrompt, resumeEval, runEval, topicCase } from './eval-harness';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHAT = '/v1/chat/completions';
const ENVIRONMENT = { OPENAI_API_KEY: 'test-openai-key' };

/** Bundles the child script. */
function bundleChild(): Promise<string> {
  return bundleForNode(path.join(HERE, 'eval-child.ts'), path.join(makeTempDir(), 'eval-child.cjs'));
}

/** Starts the child; resolves once it has started its eval and reported `doneCount` finished cells. */
async function startChild(script: string, dataDir: string, baseUrl: string, doneCount: number): Promise<{ child: ChildProcess; evalId: number }> {
  const { child, ready } = await startNodeChild(
    script,
    [dataDir, baseUrl],
    (output) => {
      const started = /started (\d+)/.exec(output);
      const progress = [...output.matchAll(/progress (\d+)/g)].map((match) => Number(match[1]));
      return started && progress.includes(doneCount) ? Number(started[1]) : null;
    },
    afterTest,
  );
  return { child, evalId: ready };
}

describe('interrupted evals', () => {
  test('killed half-way, an eval is marked interrupted at the next start (not while its process lives) and resuming runs only the missing cells', async () => {
    const server = await startOpenAiServer({ apiKey: 'test-openai-key' });
    afterTest(server.close);
    // Two at a time: four answers come back, then the next two hang until the process dies.
    server.script({}, {}, {}, {}, { fault: { kind: 'stall', afterChunks: 1 } }, { fault: { kind: 'stall', afterChunks: 1 } });
    const dataDir = makeTempDir();
    const { child, evalId } = await startChild(await bundleChild(), dataDir, server.baseUrl, 4);
    while (server.requestsTo(CHAT).length < 6) await new Promise((resolve) => setTimeout(resolve, 10));

    const whileAlive = startWorkbench({ dataDir, environment: ENVIRONMENT });
    const during = await whileAlive.call('evals:get', { evalId });
    whileAlive.engine.close();
    expect([during.status, during.doneCount, during.cells.filter((cell) => cell.status === 'running').length]).toStrictEqual(['running', 4, 2]);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const after = startWorkbench({ dataDir, environment: ENVIRONMENT });
    const interrupted = await after.call('evals:get', { evalId });
    expect([interrupted.status, interrupted.doneCount, interrupted.passedCount, interrupted.cells.map((cell) => cell.status)]).toStrictEqual([
      'interrupted',
      4,
      4,
      [...Array(4).fill('passed'), ...Array(6).fill('pending')],
    ]);
    // The two runs in flight are history's interrupted runs; their cells will run again.
    const killedRuns = (await after.call('runs:list', { status: 'error' })).items;
    expect(killedRuns.map((run) => run.error)).toStrictEqual([INTERRUPTED_ERROR, INTERRUPTED_ERROR]);
    expect(interrupted.cells.slice(4).every((cell) => cell.runId === null)).toBe(true);

    const requestsBefore = server.requestsTo(CHAT).length;
    const { done, detail } = await resumeEval(after, { evalId });
    expect([requestsBefore, server.requestsTo(CHAT).length]).toStrictEqual([6, 12]);
    const runs = await Promise.all(detail.cells.map((cell) => after.call('runs:get', { id: cell.runId as number })));
    const runCost = Math.round(runs.reduce((sum, run) => sum + (run.costUsd ?? 0), 0) * 1e12) / 1e12;
    expect({
      status: done.status,
      cellCount: done.cellCount,
      doneCount: done.doneCount,
      passedCount: done.passedCount,
      failedCount: done.failedCount,
      errorCount: done.errorCount,
      costUsd: done.costUsd,
      summaryCost: detail.summaries[0].costUsd,
      statuses: detail.cells.map((cell) => cell.status),
      runStatuses: runs.map((run) => run.status),
      firstRunsKept: detail.cells.slice(0, 4).map((cell) => cell.runId),
    }).toStrictEqual({
      status: 'done',
      cellCount: 10,
      doneCount: 10,
      passedCount: 10,
      failedCount: 0,
      errorCount: 0,
      costUsd: runCost,
      summaryCost: runCost,
      statuses: Array(10).fill('passed'),
      runStatuses: Array(10).fill('ok'),
      firstRunsKept: interrupted.cells.slice(0, 4).map((cell) => cell.runId),
    });
    expect(runCost).toBeGreaterThan(0);
  });
});

describe('evals whose provider is gone', () => {
  test('retrying the errors of a column whose provider was removed is refused, and the recorded errors stay', async () => {
    const workbench = startWorkbench();
    const local = await addCompatible(workbench);
    // Every request of the eval fails on the server's side (400: never retried).
    local.server.script({ fault: { kind: 'http-error', status: 400 } }, { fault: { kind: 'http-error', status: 400 } });
    const { promptId } = await createEvalPrompt(workbench, [topicCase('tides'), topicCase('volcanoes')]);
    const failed = await runEval(workbench, { promptId, versions: [1], targets: [{ providerId: local.providerId, model: 'qwen2.5-7b-instruct' }] });
    const recorded = failed.detail.cells.map((cell) => [cell.status, cell.summary, cell.latencyMs]);
    expect(recorded.map(([status, summary]) => [status, typeof summary === 'string' && summary.includes('(400)')])).toStrictEqual([
      ['error', true],
      ['error', true],
    ]);

    await workbench.call('providers:remove', { id: local.providerId });
    await expect(workbench.call('evals:resume', { evalId: failed.started.id, isRetryingErrors: true })).rejects.toMatchObject({
      code: 'conflict',
      message: `Cannot retry the errors of eval ${failed.started.id}: its provider has been removed for qwen2.5-7b-instruct on LM Studio. Its results stay as they were; run a new eval on a configured model`,
    });
    const after = await workbench.call('evals:get', { evalId: failed.started.id });
    expect([after.status, after.cells.map((cell) => [cell.status, cell.summary, cell.latencyMs])]).toStrictEqual(['done', recorded]);
    expect(local.server.requestsTo('/v1/chat/completions')).toHaveLength(2);
  });
});
