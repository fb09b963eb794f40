/**
 * A process killed mid-run leaves its runs `running`, with what they streamed until a moment
 * before; the next engine to start marks them as interrupted, keeping that text, but only once
 * that process is gone: the other host sharing the file may be
 * running its own batch right now. Engines closing normally store their running cells as
 * cancelled.
 */

import { describe, expect, test } from 'vitest';
import { INTERRUPTED_ERROR } from '../../../../electron/core/runs/run-store';
import { startOpenAiServer } from '../../../fixtures/openai-server';
import { makeTempDir } from '../../support';
import { bundleChild, startChild } from './interrupted-child-process';
import { addOpenAi, afterTest, createPrompt, startWorkbench } from './run-harness';

/** Resolves to what `attempt` resolves to once it stops failing; fails after about two seconds. */
async function eventually<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('interrupted runs', () => {
  test('a run left running by a killed process is marked "error: interrupted" at the next start, not while it lives', async () => {
    const server = await startOpenAiServer({ apiKey: 'test-openai-key' });
    afterTest(server.close);
    server.script({ fault: { kind: 'stall', afterChunks: 2 } });
    const dataDir = makeTempDir();
    const { child, runId } = await startChild(await bundleChild(), dataDir, server.baseUrl);
    while (server.requestsTo('/v1/chat/completions').length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

    // The child writes its run's row a moment after starting it (RunStore's deferred write), so
    // the other host sees it as running shortly after, not necessarily at once.
    const whileAlive = startWorkbench({ dataDir });
    const duringRun = await eventually(() => whileAlive.call('runs:get', { id: runId }));
    // What it streams is stored as it goes (about every second), so the other host sees it too.
    let streamed = duringRun;
    for (let tries = 0; streamed.output === '' && tries < 100; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      streamed = await whileAlive.call('runs:get', { id: runId });
    }
    whileAlive.engine.close();

    const exited = new Promise((resolve) => child.once('exit', resolve));
    const killedAt = new Date().toISOString();
    child.kill('SIGKILL');
    await exited;
    const afterKill = startWorkbench({ dataDir });
    const marked = await afterKill.call('runs:get', { id: runId });
    expect([duringRun.status, streamed.status, marked.status, marked.errorKind, marked.error]).toStrictEqual(['running', 'running', 'error', 'interrupted', INTERRUPTED_ERROR]);
    // Nothing it streamed before the kill is lost: the text, and its figures as estimates (the provider's usage never came).
    expect(marked.output).not.toBe('');
    expect('Hello, side by side!'.startsWith(marked.output)).toBe(true);
    expect(marked.output).toBe(streamed.output);
    expect([marked.usage.isEstimated, marked.usage.outputTokens > 0, marked.usage.inputTokens > 0, (marked.costUsd ?? 0) > 0, marked.ttftMs !== null, marked.latencyMs !== null]).toStrictEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    // It ended about when it was last seen alive, not when the next engine noticed.
    expect(marked.finishedAt !== null && marked.finishedAt >= marked.startedAt && marked.finishedAt <= killedAt).toBe(true);
    expect((await afterKill.call('runs:list', { status: 'running' })).items).toStrictEqual([]);
    // Lists and records say it was interrupted, so History can tell it from a failed request.
    const listed = (await afterKill.call('runs:list', {})).items.find((item) => item.id === runId);
    expect([marked.isInterrupted, duringRun.isInterrupted, listed?.isInterrupted]).toStrictEqual([true, false, true]);
  });

  test('closing the engine stores its running cells as cancelled', async () => {
    const dataDir = makeTempDir();
    const first = startWorkbench({ dataDir });
    const { server, providerId } = await addOpenAi(first);
    server.script({ fault: { kind: 'stall', afterChunks: 1 } });
    const promptId = await createPrompt(first);
    const started = await first.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    await first.waitFor('run:delta', (delta) => delta.runId === started.cells[0].runId && delta.text !== '');
    const streamed = first.deltasOf(started.cells[0].runId).map((delta) => delta.text).join('');
    first.engine.close();
    await server.waitForClientDisconnects(1);
    const reopened = startWorkbench({ dataDir });
    const run = await reopened.call('runs:get', { id: started.cells[0].runId });
    expect([run.status, run.error]).toStrictEqual(['cancelled', 'Stopped: the app closed before this run finished']);
    // What it had streamed when the app closed is kept (well within the second between checkpoints), with its figures as estimates.
    expect([run.output, run.usage.isEstimated, run.usage.outputTokens > 0]).toStrictEqual([streamed, true, true]);
    expect(streamed).not.toBe('');
  });
});
