/**
 * The system `git`, run through simple-git in one working tree, with the user's own
 * environment, config, credential helpers and signing, and nothing that can hang.
 *
 * `GIT_TERMINAL_PROMPT=0` makes a credential prompt fail at once instead of waiting for a
 * terminal nobody sees; every command is killed after a while without output (a push may wait
 * on the network longer). simple-git strips GIT_* variables it did not expect: the user's own
 * environment is allowed through as a whole, since it is theirs (GIT_SSH_COMMAND, GIT_ASKPASS,
 * GIT_CONFIG_GLOBAL... are how people configure Git).
 */

import { simpleGit, type SimpleGit, type SimpleGitOptions } from 'simple-git';
import { WorkbenchError } from '../../../shared/errors';

/** How the engine runs Git. */
export interface GitOptions {
  /** The git executable: `git` (looked up on the environment's PATH) or a path. */
  binary: string;
  /** The environment Git runs with (the user's, normally `process.env`). */
  environment: Readonly<Record<string, string | undefined>>;
  /** Kill a command after this long without output; default 30 s. */
  idleTimeoutMs?: number;
  /** The same for commands that may wait on a remote or a signing passphrase; default 120 s. */
  networkTimeoutMs?: number;
}

/** One command's extra settings. */
export interface GitRunOptions {
  /** Variables added to the environment for this command (GIT_INDEX_FILE...). */
  env?: Record<string, string>;
  /** Text sent to the command's standard input. */
  input?: string;
  /** May wait on the network or on the user (a push, a commit or tag signed with a passphrase): the long timeout. */
  isLong?: boolean;
}

/** What a command that may fail did. */
export interface GitOutcome {
  ok: boolean;
  output: string;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * simple-git refuses commands whose environment or arguments could run other programs (EDITOR,
 * GIT_SSH_COMMAND, GIT_ASKPASS, credential helpers...), a guard for apps that pass on input from
 * strangers. Here the environment is the user's own and every argument is built by the engine
 * from checked values (remote and branch names are validated, paths follow `--`), so the
 * user's setup is honoured as Git itself would.
 */
const USER_OWNED_SETUP: SimpleGitOptions['unsafe'] = {
  allowUnsafeCustomBinary: true,
  allowUnsafeAlias: true,
  allowUnsafeAskPass: true,
  allowUnsafeCommandBinaries: true,
  allowUnsafeConfigEnvCount: true,
  allowUnsafeConfigPaths: true,
  allowUnsafeCredentialHelper: true,
  allowUnsafeDiffExternal: true,
  allowUnsafeDiffTextConv: true,
  allowUnsafeEditor: true,
  allowUnsafeExec: true,
  allowUnsafeFilter: true,
  allowUnsafeFsMonitor: true,
  allowUnsafeGitProxy: true,
  allowUnsafeGpgProgram: true,
  allowUnsafeHooksPath: true,
  allowUnsafeInclude: true,
  allowUnsafeMergeDriver: true,
  allowUnsafePack: true,
  allowUnsafePager: true,
  allowUnsafeProtocolOverride: true,
  allowUnsafeSshCommand: true,
  allowUnsafeSubmodule: true,
  allowUnsafeTemplateDir: true,
  allowUnsafeUrlRewrite: true,
};
const DEFAULT_NETWORK_TIMEOUT_MS = 120_000;

/** Git in one folder. */
export class GitClient {
  readonly directory: string;
  private readonly options: GitOptions;

  constructor(directory: string, options: GitOptions) {
    this.directory = directory;
    this.options = options;
  }

  /** Runs `git <args>` and returns its standard output; throws a `WorkbenchError` saying what Git said. */
  async run(args: readonly string[], runOptions: GitRunOptions = {}): Promise<string> {
    try {
      return await this.instance(runOptions).raw([...args]);
    } catch (error) {
      throw toWorkbenchError(error, this.options.binary, args);
    }
  }

  /** Runs `git <args>` and reports whether it succeeded with what it printed; only a missing binary or a hang throws. */
  async attempt(args: readonly string[], runOptions: GitRunOptions = {}): Promise<GitOutcome> {
    try {
      return { ok: true, output: await this.instance(runOptions).raw([...args]) };
    } catch (error) {
      const failure = toWorkbenchError(error, this.options.binary, args);
      if (isMissingBinary(error) || isTimeout(error)) throw failure;
      return { ok: false, output: gitMessage(error) };
    }
  }

  private instance(runOptions: GitRunOptions): SimpleGit {
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.options.environment)) if (value !== undefined) environment[name] = value;
    Object.assign(environment, runOptions.env ?? {}, { GIT_TERMINAL_PROMPT: '0' });
    const timeout = runOptions.isLong
      ? (this.options.networkTimeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS)
      : (this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    const git = simpleGit({
      baseDir: this.directory,
      binary: this.options.binary,
      maxConcurrentProcesses: 1,
      trimmed: false,
      timeout: { block: timeout },
      allowEnvironment: Object.keys(environment),
      unsafe: USER_OWNED_SETUP,
      ...(runOptions.input === undefined ? {} : { input: () => runOptions.input }),
    });
    return git.env(environment);
  }
}

/** True when the error says the git executable could not be started. */
function isMissingBinary(error: unknown): boolean {
  return /\bENOENT\b|\bEACCES\b/.test(gitMessage(error)) && /\bspawn\b/.test(gitMessage(error));
}

function isTimeout(error: unknown): boolean {
  return /block timeout reached/.test(gitMessage(error));
}

/** What Git printed, without simple-git's stack lines. */
export function gitMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .join('\n')
    .trim();
}

function toWorkbenchError(error: unknown, binary: string, args: readonly string[]): WorkbenchError {
  if (error instanceof WorkbenchError) return error;
  if (isMissingBinary(error)) {
    return new WorkbenchError(
      'unavailable',
      `Git was not found (tried to run "${binary}"). Install Git (https://git-scm.com) and make sure it is on the PATH, then try again.`,
    );
  }
  if (isTimeout(error)) {
    return new WorkbenchError('unavailable', `git ${args[0] ?? ''} stopped answering and was stopped. Nothing was changed by it; try again.`);
  }
  return new WorkbenchError('conflict', `git ${args[0] ?? ''} failed: ${gitMessage(error)}`);
}
