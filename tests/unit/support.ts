/** Test support: temp folders removed after each test, and a clock the test sets. */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
