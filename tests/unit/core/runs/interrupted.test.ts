/**
 * A process killed mid-run leaves its runs `running`; the next engine to start marks them as
 * interrupted, but only once that process is gone: the other host sharing the file may be
 * running its own batch right now. Engines closing normally store their running cells as
 * cancelled.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { INTERRUPTED_ERROR } from '../../../../electron/core/runs/run-store';
import { startOpenAiServer } from '../../../fixtures/openai-server';
import { bundleForNode, makeTempDir } from '../../support';
import { addOpenAi, afterTest, createPrompt, startWorkbench } from './run-harness';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../../..');

/** Bundles the child script. */
function bundleChild(): Promise<string> {
  return bundleForNode(path.join(HERE, 'interrupted-child.ts'), path.join(makeTempDir(), 'interrupted-child.cjs'));
}

/** Starts the child and resolves with it and its run id once the run is under way. */
function startChild(script: string, dataDir: string, baseUrl: string): Promise<{ child: ChildProcess; runId: number }> {
  const child = spawn(process.execPath, [script, dataDir, baseUrl], {
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  afterTest(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /started (\d+)/.exec(output);
      if (match) resolve({ child, runId: Number(match[1]) });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`The child exited (${code}) before starting its run: ${errors}`)));
  });
}

describe('interrupted runs', () => {
  test('a run left running by a killed process is marked "error: interrupted" at the next start, not while it lives', async () => {
    const server = await startOpenAiServer({ apiKey: 'test-openai-key' });
    afterTest(server.close);
    server.script({ fault: { kind: 'stall', afterChunks: 2 } });
    const dataDir = makeTempDir();
    const { child, runId } = await startChild(await bundleChild(), dataDir, server.baseUrl);
    while (server.requestsTo('/v1/chat/completions').length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

    const whileAlive = startWorkbench({ dataDir });
    const duringRun = await whileAlive.call('runs:get', { id: runId });
    whileAlive.engine.close();

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const afterKill = startWorkbench({ dataDir });
    const marked = await afterKill.call('runs:get', { id: runId });
    expect([duringRun.status, marked.status, marked.errorKind, marked.error, typeof marked.finishedAt]).toStrictEqual([
      'running',
      'error',
      'interrupted',
      INTERRUPTED_ERROR,
      'string',
    ]);
    expect((await afterKill.call('runs:list', { status: 'running' })).items).toStrictEqual([]);
  });

  test('closing the engine stores its running cells as cancelled', async () => {
    const dataDir = makeTempDir();
    const first = startWorkbench({ dataDir });
    const { server, providerId } = await addOpenAi(first);
    server.script({ fault: { kind: 'stall', afterChunks: 1 } });
    const promptId = await createPrompt(first);
    const started = await first.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    await first.waitFor('run:delta', (delta) => delta.runId === started.cells[0].runId);
    first.engine.close();
    await server.waitForClientDisconnects(1);
    const reopened = startWorkbench({ dataDir });
    const run = await reopened.call('runs:get', { id: started.cells[0].runId });
    expect([run.status, run.error]).toStrictEqual(['cancelled', 'Cancelled: the app closed before this run finished']);
  });
});
