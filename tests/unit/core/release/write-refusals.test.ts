import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gitWriteRefusal, writeRefusal } from '../../../../electron/core/release/write-problem';
import { refuseWrites, type RefusalCode } from '../../../fixtures/read-only-folders';
import { makeTempDir } from '../../support';
import { git, gitEnvironment, makeRepository, promptContent, startReleaseEngine } from './release-harness';

const undos: (() => void)[] = [];
afterEach(() => {
  for (const undo of undos.splice(0).reverse()) undo();
  vi.restoreAllMocks();
});

/** A repository with one commit, an engine with Summarizer v1 approved, and what Git says about the repository. */
async function ready() {
  const environment = gitEnvironment();
  const repository = makeRepository(environment);
  const root = fs.realpathSync(repository);
  const harness = startReleaseEngine(environment);
  const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
  await harness.call('approvals:approve', { promptId, versionNumber: 1, note: '' });
  await harness.call('release:connect', { path: repository });
  const state = () => ({
    head: git(environment, repository, 'rev-parse', 'HEAD').trim(),
    status: git(environment, repository, 'status', '--porcelain', '--untracked-files=all', '--ignored'),
    index: git(environment, repository, 'ls-files', '--stage', '--debug'),
    tags: git(environment, repository, 'tag', '--list'),
    gitFolder: fs.readdirSync(path.join(root, '.git')).sort(),
  });
  const items = [{ promptId, versionNumber: 1 }];
  return { environment, repository, root, harness, state, items };
}

/** Makes `folders` refuse writes with `code` for the rest of the test. */
function readOnly(folders: string[], code: RefusalCode = 'EPERM'): void {
  undos.push(refuseWrites(folders, code));
}

describe('a repository the release cannot write to', () => {
  it('is refused in the preview and at commit, naming the folder, before anything is written', async () => {
    const cases = {
      root: { code: 'EPERM' as const, folder: (root: string) => root },
      releaseFolder: { code: 'EACCES' as const, folder: (root: string) => path.join(root, 'prompts') },
      gitFolder: { code: 'EPERM' as const, folder: (root: string) => path.join(root, '.git') },
      readOnlyDisk: { code: 'EROFS' as const, folder: (root: string) => root },
    };
    const seen: Record<string, unknown> = {};
    for (const [name, { code, folder }] of Object.entries(cases)) {
      const setup = await ready();
      if (name === 'releaseFolder') {
        fs.mkdirSync(path.join(setup.root, 'prompts'));
        fs.writeFileSync(path.join(setup.root, 'prompts', 'README.md'), 'Released prompts\n');
        git(setup.environment, setup.repository, 'add', 'prompts/README.md');
        git(setup.environment, setup.repository, 'commit', '--quiet', '-m', 'Folder');
      }
      const before = setup.state();
      readOnly([folder(setup.root)], code);
      const preview = await setup.harness.failure('release:preview', { items: setup.items });
      const release = await setup.harness.failure('release:run', { items: setup.items });
      undos.pop()?.();
      seen[name] = {
        preview: preview.message.replaceAll(setup.root, '<repo>'),
        isSameAtCommit: release.message === preview.message,
        unchanged: JSON.stringify(setup.state()) === JSON.stringify(before),
        releases: (await setup.harness.call('release:history', {})).length,
      };
    }
    expect(seen).toStrictEqual({
      root: { preview: 'Cannot write to <repo>: permission denied. Nothing was written.', isSameAtCommit: true, unchanged: true, releases: 0 },
      releaseFolder: { preview: 'Cannot write to <repo>/prompts: permission denied. Nothing was written.', isSameAtCommit: true, unchanged: true, releases: 0 },
      gitFolder: { preview: 'Cannot write to <repo>/.git: permission denied. Nothing was written.', isSameAtCommit: true, unchanged: true, releases: 0 },
      readOnlyDisk: { preview: 'Cannot write to <repo>: it is on a read-only disk. Nothing was written.', isSameAtCommit: true, unchanged: true, releases: 0 },
    });
  });

  it('says a full disk plainly when the file cannot be written, and leaves no folder, file or lock behind', async () => {
    const setup = await ready();
    const before = setup.state();
    // A full disk passes every check; the write itself fails.
    readOnly([path.join(setup.root, 'prompts')], 'ENOSPC');
    const preview = await setup.harness.call('release:preview', { items: setup.items });
    const error = await setup.harness.failure('release:run', { items: setup.items });
    expect({
      previewed: preview.files.map((file) => file.filePath),
      error: { code: error.code, message: error.message.replaceAll(setup.root, '<repo>') },
      after: setup.state(),
      hasFolder: fs.existsSync(path.join(setup.root, 'prompts')),
    }).toStrictEqual({
      previewed: ['prompts/summarizer.prompt.yml'],
      error: { code: 'conflict', message: 'Cannot write to <repo>/prompts: the disk is full. Nothing was written.' },
      after: before,
      hasFolder: false,
    });
  });

  it('undoes the commit and its tag when the updated index cannot be put in place, leaving the index as it was', async () => {
    const setup = await ready();
    fs.writeFileSync(path.join(setup.root, 'notes.txt'), 'staged notes\n');
    git(setup.environment, setup.repository, 'add', 'notes.txt');
    const before = setup.state();
    const index = path.join(setup.root, '.git', 'index');
    const rename = fs.renameSync;
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (path.resolve(String(to)) === index) {
        throw Object.assign(new Error(`ENOSPC: no space left on device, rename '${String(from)}' -> '${String(to)}'`), { code: 'ENOSPC', path: String(from), dest: String(to) });
      }
      return rename(from, to);
    });
    const error = await setup.harness.failure('release:run', { items: setup.items });
    vi.restoreAllMocks();
    expect({
      error: error.message.replaceAll(setup.root, '<repo>'),
      after: setup.state(),
      reflog: git(setup.environment, setup.repository, 'reflog', '--format=%gs', '-n', '2', 'main'),
      releases: (await setup.harness.call('release:history', {})).length,
    }).toStrictEqual({
      error: 'Cannot write to <repo>/.git: the disk is full. The release was undone: its commit and tags were removed and the files put back, so nothing was released.',
      after: before,
      reflog: 'Prompt Workbench: release undone\ncommit: Release Summarizer v1\n',
      releases: 0,
    });
  });
});

/** Whether this machine lets the tests make a folder immutable (chattr +i: root on a file system that supports it). */
function canMakeImmutable(): boolean {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-chattr-'));
  try {
    execFileSync('chattr', ['+i', folder], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', folder], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

describe('a repository made immutable for real', () => {
  it.skipIf(!canMakeImmutable())('is refused the same way (chattr +i on the repository, then on .git)', async () => {
    const setup = await ready();
    const before = setup.state();
    const attempts = async (folder: string) => {
      execFileSync('chattr', ['+i', folder]);
      try {
        return {
          preview: (await setup.harness.failure('release:preview', { items: setup.items })).message.replaceAll(setup.root, '<repo>'),
          release: (await setup.harness.failure('release:run', { items: setup.items })).message.replaceAll(setup.root, '<repo>'),
        };
      } finally {
        execFileSync('chattr', ['-i', folder]);
      }
    };
    expect({
      root: await attempts(setup.root),
      gitFolder: await attempts(path.join(setup.root, '.git')),
      after: setup.state(),
    }).toStrictEqual({
      root: { preview: 'Cannot write to <repo>: permission denied. Nothing was written.', release: 'Cannot write to <repo>: permission denied. Nothing was written.' },
      gitFolder: {
        preview: 'Cannot write to <repo>/.git: permission denied. Nothing was written.',
        release: 'Cannot write to <repo>/.git: permission denied. Nothing was written.',
      },
      after: before,
    });
  });
});

describe('refused writes in plain words', () => {
  it('names the folder and the reason for the system’s error codes and for Git’s messages, and nothing else', () => {
    const root = makeTempDir();
    fs.mkdirSync(path.join(root, '.git'));
    fs.writeFileSync(path.join(root, 'prompts'), 'a file where the folder should be\n');
    const failure = (code: string, failedPath?: string, syscall = 'open') => Object.assign(new Error(`${code}: …`), { code, syscall, ...(failedPath === undefined ? {} : { path: failedPath }) });
    const fromCode = (error: unknown) => writeRefusal(error, path.join(root, '.git'))?.message.replaceAll(root, '<repo>') ?? null;
    const fromGit = (output: string) => gitWriteRefusal(output, root)?.message.replaceAll(root, '<repo>') ?? null;
    expect({
      mkdir: fromCode(failure('EPERM', path.join(root, 'prompts-new', 'team'), 'mkdir')),
      open: fromCode(failure('EACCES', path.join(root, '.git', 'index.lock'))),
      readOnly: fromCode(failure('EROFS', path.join(root, 'x.tmp'))),
      full: fromCode(failure('ENOSPC')),
      quota: fromCode(failure('EDQUOT', path.join(root, 'x.tmp'))),
      fileInTheWay: fromCode(failure('ENOTDIR', path.join(root, 'prompts', 'team', 'summarizer.prompt.yml'), 'mkdir')),
      other: fromCode(failure('EBUSY', root)),
      notAnError: fromCode('EPERM'),
      gitLock: fromGit(`fatal: Unable to create '${root}/.git/workbench-release-1.index.lock': Operation not permitted`),
      gitObjects: fromGit('error: insufficient permission for adding an object to repository database .git/objects\nerror: Error building trees'),
      gitReadOnly: fromGit(`fatal: cannot lock ref 'HEAD': Unable to create '${root}/.git/refs/heads/main.lock': Read-only file system`),
      gitFull: fromGit(`fatal: could not open '${root}/.git/index.lock' for writing: No space left on device`),
      hookSaysDenied: fromGit('Permission denied (publickey).'),
      gitOther: fromGit("fatal: tag 'summarizer/v1' already exists"),
    }).toStrictEqual({
      mkdir: 'Cannot write to <repo>: permission denied',
      open: 'Cannot write to <repo>/.git: permission denied',
      readOnly: 'Cannot write to <repo>: it is on a read-only disk',
      full: 'Cannot write to <repo>/.git: the disk is full',
      quota: 'Cannot write to <repo>: your disk quota is used up',
      fileInTheWay: 'Cannot write to <repo>/prompts: it is a file where a folder should be',
      other: null,
      notAnError: null,
      gitLock: 'Cannot write to <repo>/.git: permission denied',
      gitObjects: 'Cannot write to <repo>/.git/objects: permission denied',
      gitReadOnly: 'Cannot write to <repo>/.git/refs/heads: it is on a read-only disk',
      gitFull: 'Cannot write to <repo>/.git: the disk is full',
      hookSaysDenied: null,
      gitOther: null,
    });
  });
});
