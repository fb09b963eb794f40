/**
 * Starts the built browser host (`dist/electron/web.cjs`) for a UI test, on a free port, with
 * its own data folder, and reads the URL it prints.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A running host as a test holds it. */
export interface HostHandle {
  url: string;
  dataDir: string;
  /** Everything the host printed so far. */
  output(): string;
  /** Stops the host gracefully (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the host at once (SIGKILL), as a crash would, and waits for it to be gone. */
  kill(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ENTRY = path.join(ROOT, 'dist', 'electron', 'web.cjs');

/** A new empty temp folder for a test's data. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `workbench-${prefix}-`));
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops a host with SIGTERM as Ctrl+C would; one that has not exited 10 s later is killed and the test fails, saying so. */
async function stopGently(child: ChildProcess, output: () => string): Promise<void> {
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const hasExited = await Promise.race([
    waitForExit(child).then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000))),
  ]);
  clearTimeout(timer);
  if (hasExited) return;
  child.kill('SIGKILL');
  await waitForExit(child);
  throw new Error(`The host did not exit within 10 s of SIGTERM:\n${output()}`);
}

/** What a test may set on the host it starts. */
export interface HostOptions {
  dataDir?: string;
  promptsDir?: string;
  /**
   * Variables added to the host's environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_HOST...).
   * The provider variables of the test's own environment are never passed on, so a developer's
   * real keys cannot reach a test; a value of `undefined` removes a variable.
   */
  env?: Record<string, string | undefined>;
  /** The port to listen on (a host started again where one ran); a free one when absent. */
  port?: number;
}

/** Variables a host must not inherit from the test run: they would point providers at real services. */
const PROVIDER_VARIABLES = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OLLAMA_HOST', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL'];

/** Starts a host; rejects with its output if it does not print its URL within 20 s. */
export async function startHost(options: HostOptions = {}): Promise<HostHandle> {
  if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run 'npm run build' before the UI tests`);
  const dataDir = options.dataDir ?? makeTempDir('data');
  const environment: NodeJS.ProcessEnv = { ...process.env, WORKBENCH_DATA_DIR: dataDir };
  for (const name of PROVIDER_VARIABLES) delete environment[name];
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete environment[name];
    else environment[name] = value;
  }
  if (options.promptsDir) environment.WORKBENCH_PROMPTS_DIR = options.promptsDir;
  const child = spawn(process.execPath, [ENTRY, '--port', String(options.port ?? 0)], { cwd: ROOT, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The host printed no URL within 20 s:\n${output}`));
    }, 20_000);
    const poll = setInterval(() => {
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(match[1]);
      } else if (child.exitCode !== null) {
        clearTimeout(timer);
        clearInterval(poll);
        reject(new Error(`The host exited with code ${child.exitCode}:\n${output}`));
      }
    }, 25);
  });

  return {
    url,
    dataDir,
    output: () => output,
    stop: () => stopGently(child, () => output),
    kill: async () => {
      child.kill('SIGKILL');
      await waitForExit(child);
    },
  };
}
