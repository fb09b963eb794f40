/**
 * What Git says about the release repository: where its root and `.git` are, the checked-out
 * branch and commit, its remotes, and whether something (a detached HEAD, a merge, a rebase)
 * stands in the way of a release. Read-only.
 */

import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../../shared/errors';
import type { ReleaseRepositorySettings } from '../../../shared/release-types';
import { GitClient, type GitOptions } from './git-client';

/** A working tree as Git sees it now. */
export interface RepositoryState {
  git: GitClient;
  /** The top of the working tree (as Git resolves it). */
  root: string;
  /** The absolute `.git` folder of this working tree. */
  gitDir: string;
  /** The absolute path of its index (`git rev-parse --git-path index`: a linked worktree's is in its own git folder). */
  indexFile: string;
  /** The absolute folder of the object database (shared by linked worktrees). */
  objectsDir: string;
  /** The checked-out branch (also on a branch without commits); null when HEAD is detached. */
  branch: string | null;
  /** HEAD's commit; null before the first commit. */
  head: string | null;
  remotes: string[];
}

/** Operations that leave the repository between two states, and how to leave them. */
const IN_PROGRESS: { marker: string; what: string; resolve: string }[] = [
  { marker: 'MERGE_HEAD', what: 'A merge', resolve: 'finish it (git commit) or abort it (git merge --abort)' },
  { marker: 'rebase-merge', what: 'A rebase', resolve: 'finish it (git rebase --continue) or abort it (git rebase --abort)' },
  { marker: 'rebase-apply', what: 'A rebase or git am', resolve: 'finish it (--continue) or abort it (--abort)' },
  { marker: 'CHERRY_PICK_HEAD', what: 'A cherry-pick', resolve: 'finish it (git cherry-pick --continue) or abort it (git cherry-pick --abort)' },
  { marker: 'REVERT_HEAD', what: 'A revert', resolve: 'finish it (git revert --continue) or abort it (git revert --abort)' },
];

/** Names Git accepts for remotes and that cannot pass for an option. */
const REMOTE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Opens the working tree at `folder`; a clear error when it is missing, bare or not a repository. */
export async function openRepository(folder: string, options: GitOptions): Promise<RepositoryState> {
  if (!fs.existsSync(folder)) {
    throw new WorkbenchError('not-found', `The folder ${folder} does not exist`);
  }
  if (!fs.statSync(folder).isDirectory()) throw new WorkbenchError('invalid-input', `${folder} is a file, not a folder`);
  const probe = new GitClient(folder, options);
  const inside = await probe.attempt(['rev-parse', '--is-inside-work-tree', '--is-bare-repository']);
  if (!inside.ok) {
    if (/not a git repository/i.test(inside.output)) {
      throw new WorkbenchError('invalid-input', `${folder} is not a Git repository: pick a working tree, or create a repository there`);
    }
    throw new WorkbenchError('conflict', `Git cannot read ${folder}: ${inside.output}`);
  }
  const [isWorkTree, isBare] = inside.output.trim().split('\n');
  if (isBare === 'true' || isWorkTree !== 'true') {
    throw new WorkbenchError('invalid-input', `${folder} is a bare repository (no working tree): pick a clone with a working tree`);
  }
  const [root, gitDir] = (await probe.run(['rev-parse', '--show-toplevel', '--absolute-git-dir'])).trim().split('\n');
  const git = new GitClient(root, options);
  const [indexFile, objectsDir] = (await git.run(['rev-parse', '--git-path', 'index', '--git-path', 'objects']))
    .trim()
    .split('\n')
    .map((line) => path.resolve(root, line));
  const branch = (await git.run(['symbolic-ref', '-q', '--short', 'HEAD'])).trim() || null;
  const head = (await git.run(['rev-parse', '-q', '--verify', 'HEAD^{commit}'])).trim() || null;
  const remotes = (await git.run(['remote']))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return { git, root, gitDir, indexFile, objectsDir, branch, head, remotes };
}

/** Why a release cannot be made in this state with these settings; null when it can. */
export function releaseProblem(state: RepositoryState, settings: ReleaseRepositorySettings): string | null {
  for (const { marker, what, resolve } of IN_PROGRESS) {
    if (fs.existsSync(path.join(state.gitDir, marker))) return `${what} is in progress in ${state.root}: ${resolve}, then release`;
  }
  if (state.branch === null) {
    const at = state.head === null ? '' : ` at ${state.head.slice(0, 7)}`;
    return `HEAD is detached${at} in ${state.root}: check out a branch (git switch <branch>), then release`;
  }
  if (settings.branch !== null && settings.branch !== state.branch) {
    return `Releases go to branch ${settings.branch}, but ${state.branch} is checked out in ${state.root}: switch to ${settings.branch} (git switch ${settings.branch}) or change the branch in the release settings`;
  }
  if (settings.remote !== null && !state.remotes.includes(settings.remote)) {
    return `The remote "${settings.remote}" is not configured in ${state.root}: add it (git remote add ${settings.remote} <url>) or clear it in the release settings`;
  }
  return null;
}

/** Refuses a remote name that is not one (or could be read as an option). */
export function checkRemoteName(remote: string): string {
  if (!REMOTE_NAME.test(remote)) throw new WorkbenchError('invalid-input', `"${remote}" is not a remote name`);
  return remote;
}

/** Refuses a branch name Git would refuse (`git check-ref-format --branch`). */
export async function checkBranchName(git: GitClient, branch: string): Promise<string> {
  if (branch.startsWith('-')) throw new WorkbenchError('invalid-input', `"${branch}" is not a valid branch name`);
  const outcome = await git.attempt(['check-ref-format', '--branch', branch]);
  if (!outcome.ok || outcome.output.trim() !== branch) throw new WorkbenchError('invalid-input', `"${branch}" is not a valid branch name`);
  return branch;
}

/** Creates a repository in `folder` (made if missing) with `git init`, which honours the user's init.defaultBranch. */
export async function initRepository(folder: string, options: GitOptions): Promise<void> {
  fs.mkdirSync(folder, { recursive: true });
  await new GitClient(folder, options).run(['init', '--quiet']);
}
