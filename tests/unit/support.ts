/** Test support: temp folders removed after each test, and a clock the test sets. */

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach } from 'vitest';

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

/** A fresh folder under the OS temp folder, removed after the current test. */
export function makeTempDir(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-test-'));
  folders.push(folder);
  return folder;
}

/** A clock that stands still at the time last set. */
export interface ManualClock {
  now: () => Date;
  set(time: string): void;
}

/** A clock standing at `start` until the test moves it. */
export function manualClock(start = '2025-01-01T00:00:00.000Z'): ManualClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(time) {
      current = new Date(time);
    },
  };
}

/**
 * Bundles a TypeScript entry into one CommonJS file a child `node` process can run (plain Node
 * cannot load the project's extensionless imports); better-sqlite3 stays external, found
 * through NODE_PATH in the project's node_modules.
 */
export async function bundleForNode(entry: string, outfile: string): Promise<string> {
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node22', external: ['better-sqlite3'], logLevel: 'error' });
  return outfile;
}

/**
 * Runs a script bundled by `bundleForNode` in a child `node` (killed after the test if still
 * alive) and resolves once `isReady` finds what it waits for in everything the child printed;
 * rejects, with what it wrote to stderr, if it exits first.
 */
export function startNodeChild<T>(
  script: string,
  args: readonly string[],
  isReady: (output: string) => T | null,
  onCleanup: (cleanup: () => void) => void,
): Promise<{ child: ChildProcess; ready: T }> {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, NODE_PATH: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = isReady(output);
      if (ready !== null) resolve({ child, ready });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`The child exited (${code}) before it was ready: ${errors}`)));
  });
}
