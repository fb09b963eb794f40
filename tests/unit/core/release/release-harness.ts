/**
 * Test support for releases: an engine on a temp folder driven through `dispatchCall`, a Git
 * environment of its own (identity, default branch, no system or user config leaking in),
 * working trees and bare remotes in temp folders, and `git` run as a user would run it.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../../../electron/core/engine';
import { dispatchCall } from '../../../../electron/core/rpc';
import type { CallInput, CallName, CallOutput } from '../../../../shared/contract';
import type { WireError } from '../../../../shared/errors';
import type { PromptContent } from '../../../../shared/types';
import { makeTeamRepository } from '../../../fixtures/git-repository';
import { makeTempDir, manualClock, type ManualClock } from '../../support';

const engines: Engine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
});

/** The identity test repositories commit under. */
export const IDENTITY = { name: 'Ada Lovelace', email: 'ada@example.com' };

/**
 * An environment for Git with its own HOME and global config (identity, `main` as the default
 * branch) and without the variables of the machine's Git setup, so tests behave the same on
 * every machine; `extra` adds (or, with undefined, removes) variables.
 */
export function gitEnvironment(extra: Record<string, string | undefined> = {}, identity: typeof IDENTITY | null = IDENTITY): Record<string, string> {
  const home = makeTempDir();
  const config = ['[init]', '\tdefaultBranch = main', '[advice]', '\tdetachedHead = false'];
  if (identity !== null) config.push('[user]', `\tname = ${identity.name}`, `\temail = ${identity.email}`);
  fs.writeFileSync(path.join(home, '.gitconfig'), `${config.join('\n')}\n`);
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^GIT_/.test(name) && !/_API_KEY$/.test(name) && name !== 'EMAIL') environment[name] = value;
  }
  Object.assign(environment, { HOME: home, GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1', LANG: 'C', LC_ALL: 'C' });
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete environment[name];
    else environment[name] = value;
  }
  return environment;
}

/** Runs git in `cwd` and returns its standard output; throws with its standard error when it fails. */
export function git(environment: Record<string, string>, cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: environment, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs git and returns its exit status and output, for commands expected to fail. */
export function gitStatus(environment: Record<string, string>, cwd: string, ...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('git', args, { cwd, env: environment, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A working tree with one commit (README.md) on `main`. */
export function makeRepository(environment: Record<string, string>): string {
  return makeTeamRepository((cwd, ...args) => git(environment, cwd, ...args), makeTempDir());
}

/** A bare repository added to `repository` as `origin`, with `main` pushed to it. */
export function addBareRemote(environment: Record<string, string>, repository: string): string {
  const remote = path.join(makeTempDir(), 'remote.git');
  git(environment, path.dirname(remote), 'init', '--quiet', '--bare', remote);
  git(environment, repository, 'remote', 'add', 'origin', remote);
  git(environment, repository, 'push', '--quiet', 'origin', 'main');
  return remote;
}

/** A call that failed, as the transport carries it. */
export class CallFailure extends Error {
  readonly code: WireError['code'];

  constructor(error: WireError) {
    super(error.message);
    this.code = error.code;
  }
}

/** An engine for release tests and the way to call it. */
export interface ReleaseHarness {
  engine: Engine;
  clock: ManualClock;
  environment: Record<string, string>;
  dataDir: string;
  call<C extends CallName>(channel: C, input: CallInput<C>): Promise<CallOutput<C>>;
  /** The error a call fails with; fails the test when it succeeds. */
  failure<C extends CallName>(channel: C, input: CallInput<C>): Promise<{ code: string; message: string }>;
  /** Creates a prompt with one saved version of `content`; returns its id. */
  addPrompt(name: string, content: PromptContent, note?: string): Promise<number>;
}

/** Starts an engine on a temp data folder with `environment` as its environment. */
export function startReleaseEngine(environment: Record<string, string>, options: Partial<EngineOptions> = {}): ReleaseHarness {
  const clock = manualClock('2025-03-01T09:00:00.000Z');
  const dataDir = options.dataDir ?? makeTempDir();
  const engine = createEngine({ dataDir, promptsDir: null, host: 'web', appVersion: '0.0.0', now: clock.now, environment, ...options });
  engines.push(engine);
  const call = async <C extends CallName>(channel: C, input: CallInput<C>): Promise<CallOutput<C>> => {
    const result = await dispatchCall(engine.handlers, channel, input);
    if (!result.ok) throw new CallFailure(result.error);
    return result.value as CallOutput<C>;
  };
  return {
    engine,
    clock,
    environment,
    dataDir,
    call,
    async failure(channel, input) {
      try {
        await call(channel, input);
      } catch (error) {
        if (error instanceof CallFailure) return { code: error.code, message: error.message };
        throw error;
      }
      throw new Error(`${channel} succeeded but was expected to fail`);
    },
    async addPrompt(name, content, note = 'First cut') {
      const detail = await call('prompts:create', { name });
      await call('versions:save', { promptId: detail.prompt.id, content, variables: {}, note });
      return detail.prompt.id;
    },
  };
}

/** The content of a small prompt, varied by `topic`. */
export function promptContent(topic: string, overrides: Partial<PromptContent> = {}): PromptContent {
  return {
    model: 'openai/gpt-4o-mini',
    parameters: { temperature: 0.3, maxTokens: 400 },
    messages: [
      { role: 'system', content: `You write about ${topic}.\nBe brief.` },
      { role: 'user', content: 'Tell me about {{subject}}' },
    ],
    ...overrides,
  };
}
