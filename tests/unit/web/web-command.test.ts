/**
 * `npm run web` as a process (electron/web.ts bundled as the build bundles it): its help, an
 * unknown option said plainly, a data folder it cannot use said as the engine words it, and a
 * busy default port that falls back to a free one and says so.
 */

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { bundleForNode, makeTempDir } from '../support';
import { afterTest } from '../core/runs/run-harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DEFAULT_PORT = 5178;
let script = '';

beforeAll(async () => {
  // The bundle next to a built renderer, as dist/ holds them.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-web-command-'));
  fs.mkdirSync(path.join(folder, 'renderer'));
  fs.writeFileSync(path.join(folder, 'renderer', 'index.html'), '<!doctype html><title>Prompt Workbench</title>');
  script = await bundleForNode(path.join(ROOT, 'electron', 'web.ts'), path.join(folder, 'electron', 'web.cjs'));
  return () => fs.rmSync(folder, { recursive: true, force: true });
}, 60_000);

/** Starts the host with `args` (on a new data folder unless `dataDir`); resolves with what it printed once `until` matches it, or once it exits. */
function runWeb(args: string[], until: RegExp | null = null, dataDir = makeTempDir()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), WORKBENCH_DATA_DIR: dataDir, WORKBENCH_PROMPTS_DIR: makeTempDir() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  afterTest(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until?.test(stdout)) resolve({ code: null, stdout, stderr });
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run web', () => {
  test('--help says how to start it and what it reads; an unknown option is said plainly', async () => {
    const help = await runWeb(['--help']);
    expect([help.code, help.stderr]).toStrictEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: npm run web/);
    expect(help.stdout).toContain('WORKBENCH_DATA_DIR');
    const typo = await runWeb(['--prot', '5']);
    expect([typo.code, typo.stdout, typo.stderr]).toStrictEqual([1, '', 'Prompt Workbench could not start: Unknown option --prot (--help lists the options)\n']);
  });

  test('on a data folder whose database is not one, it prints the engine’s words: the file, what is wrong, what to do', async () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, 'workbench.sqlite');
    fs.writeFileSync(file, Buffer.alloc(64 * 1024, 'not a database '));
    const started = await runWeb([], null, dataDir);
    expect([started.code, started.stdout, started.stderr]).toStrictEqual([
      1,
      '',
      `Prompt Workbench could not start: The file ${file} is not a Prompt Workbench database (SQLite says “file is not a database”). ` +
        'It was left unchanged. Restore it from a backup, move it aside (with any workbench.sqlite-wal and -shm files beside it) and start ' +
        'again to begin with an empty database, or set WORKBENCH_DATA_DIR to another data folder.\n',
    ]);
  });

  test('with its default port taken, it takes a free one and says so', async () => {
    const holder = net.createServer();
    // Something may hold the port already (a workbench left running): taken either way.
    await new Promise<void>((resolve) => {
      holder.once('error', () => resolve());
      holder.listen(DEFAULT_PORT, '127.0.0.1', () => resolve());
    });
    afterTest(() => new Promise<void>((resolve) => holder.close(() => resolve())));
    const started = await runWeb([], /is running at (http:\/\/\S+)/);
    const url = new URL(/is running at (http:\/\/\S+)/.exec(started.stdout)?.[1] ?? '');
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).not.toBe(String(DEFAULT_PORT));
    expect(started.stdout).toContain(`Port ${DEFAULT_PORT} is in use (another workbench?); using ${url.port} instead.`);
  });
});
