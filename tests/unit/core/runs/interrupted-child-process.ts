/**
 * Starts interrupted-child.ts as a real process: the engine in it runs a prompt against a
 * stalling fixture and waits to be killed.
 */

import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode, makeTempDir, startNodeChild } from '../../support';
import { afterTest } from './run-harness';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Bundles the child script. */
export function bundleChild(): Promise<string> {
  return bundleForNode(path.join(HERE, 'interrupted-child.ts'), path.join(makeTempDir(), 'interrupted-child.cjs'));
}

/** Starts the child and resolves with it and its run id once the run is under way. */
export async function startChild(script: string, dataDir: string, baseUrl: string, runWriteDelayMs?: number): Promise<{ child: ChildProcess; runId: number }> {
  const args = [dataDir, baseUrl, ...(runWriteDelayMs === undefined ? [] : [String(runWriteDelayMs)])];
  const { child, ready } = await startNodeChild(script, args, (output) => /started (\d+)/.exec(output)?.[1] ?? null, afterTest);
  return { child, runId: Number(ready) };
}
