import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitClient } from '../../../../electron/core/release/git-client';
import { WorkbenchError } from '../../../../shared/errors';
import { makeTempDir } from '../../support';

/** An executable standing in for git: a shell script. */
function fakeGit(script: string): string {
  const file = path.join(makeTempDir(), 'git');
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

async function failure(action: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await action;
  } catch (error) {
    if (error instanceof WorkbenchError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('GitClient', () => {
  it("runs git with the user's environment as it is, plus GIT_TERMINAL_PROMPT=0 so no credential prompt can wait", async () => {
    const binary = fakeGit('echo "$GIT_TERMINAL_PROMPT|$GIT_SSH_COMMAND|$EDITOR|$GIT_INDEX_FILE|$*"');
    const git = new GitClient(makeTempDir(), { binary, environment: { PATH: process.env.PATH, GIT_SSH_COMMAND: 'ssh -i ~/.ssh/work', EDITOR: 'vim' } });
    expect(await git.run(['status', '--porcelain'], { env: { GIT_INDEX_FILE: '/tmp/index' } })).toBe('0|ssh -i ~/.ssh/work|vim|/tmp/index|status --porcelain\n');
  });

  it('stops a git that goes quiet for longer than the timeout, and says so', async () => {
    const git = new GitClient(makeTempDir(), { binary: fakeGit('exec sleep 30'), environment: { PATH: process.env.PATH }, idleTimeoutMs: 300 });
    expect(await failure(git.run(['status']))).toStrictEqual({
      code: 'unavailable',
      message: 'git status stopped answering and was stopped. Nothing was changed by it; try again.',
    });
  });

  it('reports a failed command with what git said, and a missing git as such', async () => {
    const failing = new GitClient(makeTempDir(), { binary: fakeGit('echo "fatal: something broke" >&2; exit 128'), environment: { PATH: process.env.PATH } });
    const missing = new GitClient(makeTempDir(), { binary: path.join(makeTempDir(), 'git'), environment: { PATH: process.env.PATH } });
    expect({
      failed: await failure(failing.run(['commit'])),
      attempt: await failing.attempt(['commit']),
      missing: await failure(missing.attempt(['status'])),
    }).toStrictEqual({
      failed: { code: 'conflict', message: 'git commit failed: fatal: something broke' },
      attempt: { ok: false, output: 'fatal: something broke' },
      missing: { code: 'unavailable', message: expect.stringMatching(/^Git was not found \(tried to run ".*\/git"\)\. Install Git/) },
    });
  });
});
