/**
 * Approvals and Git releases as the bridge sees them.
 *
 * A release writes each approved version as `<folder>/<slug>.prompt.yml`, commits those files
 * and nothing else, tags each `<slug>/v<version>` (annotated), records it, and pushes if asked.
 *
 * The user's index is never used to build the commit: the commit is made from a temporary
 * index (`GIT_INDEX_FILE`) holding HEAD plus our files, so whatever the user staged stays
 * staged and out of the commit. Afterwards only our paths are brought up to date in the real
 * index (`git reset -- <paths>`), so the next commit of the user does not undo the release.
 * `git commit` itself runs, so hooks, signing (commit.gpgSign, tag.gpgSign) and the user's
 * identity apply as they would in a terminal.
 *
 * A release is all or nothing. Everything that can be checked is checked before a file is
 * written (the preview runs the same checks), Git's index lock is held from the first write to
 * the last, and when a step fails the steps before it are undone: the files put back, and once
 * the commit exists, its tags deleted and the branch moved back. "Released" is only ever said
 * of a commit that is on the branch, tagged, and in the index.
 */

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkbenchError } from '../../../shared/errors';
import type { TestSuite } from '../../../shared/eval-types';
import type {
  ApprovalGate,
  GateCheck,
  PromptReleaseOverview,
  PushStatus,
  ReleaseFilePlan,
  ReleaseItem,
  ReleasePreview,
  ReleaseRecord,
  ReleaseRepositorySettings,
  ReleaseRepositoryStatus,
  ReleaseResult,
  VersionApproval,
  VersionReleaseState,
} from '../../../shared/release-types';
import type { PromptSummary, PromptVersion } from '../../../shared/types';
import type { Database } from '../database';
import type { PromptStore } from '../prompt-store';
import { checkGate, type VersionEvalSource } from './approval-gate';
import { ApprovalStore } from './approval-store';
import { RevertibleWrites } from './atomic-file';
import { GitClient, gitMessage, type GitOptions } from './git-client';
import { checkBranchName, checkRemoteName, initRepository, openRepository, releaseProblem, type RepositoryState } from './git-repository';
import { checksWithoutJudgeProvider, suiteCheckGroups, type JudgeProvider } from '../evals/file-judge';
import { checkIndexUnlocked, IndexLock } from './index-lock';
import { buildReleaseDocument } from './release-document';
import { DEFAULT_RELEASE_FOLDER, expandHome, normalizeFolder, releaseFilePath, releaseTag } from './release-paths';
import { ReleaseStore } from './release-store';
import { checkWritable, gitWriteRefusal, WriteRefused, writeRefusal } from './write-problem';
import { refuseSecrets, type KnownSecret } from './secret-scan';
import { parse as parseYaml } from 'yaml';

/** Where a prompt's test suite is read (the eval engine's suite store). */
export interface SuiteSource {
  get(promptId: number): TestSuite;
}

/** What the service works with. */
export interface ReleaseServiceOptions {
  database: Database;
  prompts: PromptStore;
  /** Test suites, released as testData and evaluators; null releases prompts without them. */
  suites: SuiteSource | null;
  /** The latest eval of a version, for approval gates; null when evals are not available. */
  evals: VersionEvalSource | null;
  git: GitOptions;
  /** Secrets the app knows of, which must never reach a released file. */
  secrets: () => Promise<KnownSecret[]>;
  /** This machine's providers: a released LLM judge names its provider by name and kind, never by id. */
  providers: () => readonly JudgeProvider[];
  now: () => Date;
}

/** What connecting a repository asks for. */
export interface ConnectInput {
  path: string;
  folder?: string;
  remote?: string | null;
  branch?: string | null;
  /** Runs `git init` when the folder is not a repository yet (creating the folder if missing). */
  isCreating?: boolean;
}

/** One file of a release as planned. */
interface PlannedFile extends ReleaseFilePlan {
  prompt: PromptSummary;
  version: PromptVersion;
  approval: VersionApproval;
  absolutePath: string;
  text: string;
  /** The file's content in HEAD, or null when HEAD has none. */
  previous: string | null;
}

/** A release ready to be made. */
interface ReleasePlan {
  settings: ReleaseRepositorySettings;
  state: RepositoryState;
  branch: string;
  files: PlannedFile[];
  message: string;
  /** What the preview of this plan shows, hashed (see `fingerprintOf`). */
  fingerprint: string;
}

/** Approvals, the release repository, releases and their history. */
export class ReleaseService {
  private readonly options: ReleaseServiceOptions;
  private readonly approvals: ApprovalStore;
  private readonly store: ReleaseStore;
  /** Releases and pushes one at a time: two at once would race for HEAD and the tags. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: ReleaseServiceOptions) {
    this.options = options;
    this.approvals = new ApprovalStore(options.database, options.now);
    this.store = new ReleaseStore(options.database, options.now);
  }

  /* ---------------------------------------------------------------- approvals */

  /** Every saved version of a prompt with its approval and releases, newest first. */
  versionStates(promptId: number): VersionReleaseState[] {
    const detail = this.options.prompts.getDetail(promptId);
    const approvals = new Map(this.approvals.listForPrompt(promptId).map((approval) => [approval.versionNumber, approval]));
    return detail.versions.map((version) => ({
      versionNumber: version.number,
      approval: approvals.get(version.number) ?? null,
      releases: this.store.ofVersion(promptId, version.number),
    }));
  }

  /** What the gate says about a version now, without approving it. */
  checkGate(promptId: number, versionNumber: number, gate: ApprovalGate): GateCheck {
    this.options.prompts.getVersion(promptId, versionNumber);
    return checkGate(this.options.evals, promptId, versionNumber, gate);
  }

  /** Approves a version with a note; with a gate, only when its latest eval passes it. */
  async approve(input: { promptId: number; versionNumber: number; note: string; gate?: ApprovalGate | null }): Promise<VersionApproval> {
    this.options.prompts.getVersion(input.promptId, input.versionNumber);
    const gate = input.gate ? checkGate(this.options.evals, input.promptId, input.versionNumber, input.gate) : null;
    const approvedBy = await this.approverName();
    return this.approvals.approve({ promptId: input.promptId, versionNumber: input.versionNumber, note: input.note, approvedBy, gate });
  }

  /** Withdraws the approval of an unreleased version (after any release under way, which may be releasing it). */
  withdraw(promptId: number, versionNumber: number): Promise<VersionReleaseState> {
    return this.serialized(async () => {
      this.approvals.withdraw(promptId, versionNumber);
      return { versionNumber, approval: null, releases: [] };
    });
  }

  /**
   * Every prompt with its approved versions and latest release (archived ones too, marked): the
   * latest in the connected repository, as another repository's releases are not in it.
   */
  overview(): PromptReleaseOverview[] {
    const approved = this.approvals.approvedVersionsByPrompt();
    const latest = this.store.latestByPrompt(this.store.repository()?.path ?? null);
    return this.options.prompts.list({ includeArchived: true }).map((prompt) => ({
      promptId: prompt.id,
      slug: prompt.slug,
      name: prompt.name,
      isArchived: prompt.isArchived,
      approvedVersions: approved.get(prompt.id) ?? [],
      latestRelease: latest.get(prompt.id) ?? null,
    }));
  }

  /** Release history, newest first: one prompt's or all. */
  history(promptId: number | null, limit?: number): ReleaseRecord[] {
    if (promptId !== null) this.options.prompts.getSummary(promptId);
    return this.store.history(promptId, limit);
  }

  /* ---------------------------------------------------------------- repository */

  /** The repository settings and what Git says about the repository now. */
  async repositoryStatus(): Promise<ReleaseRepositoryStatus> {
    const settings = this.store.repository();
    if (settings === null) return { settings: null, currentBranch: null, head: null, remotes: [], problem: null };
    try {
      const state = await openRepository(settings.path, this.options.git);
      return { settings, currentBranch: state.branch, head: state.head, remotes: state.remotes, problem: releaseProblem(state, settings) };
    } catch (error) {
      if (!(error instanceof WorkbenchError)) throw error;
      return { settings, currentBranch: null, head: null, remotes: [], problem: error.message };
    }
  }

  /**
   * Connects the repository at `input.path` (its working tree's root; a subfolder given becomes
   * part of the release folder), creating it with `git init` when asked. Nothing is saved when
   * a check fails.
   */
  async connect(input: ConnectInput): Promise<ReleaseRepositoryStatus> {
    const requested = expandHome(input.path.trim());
    if (requested === '' || !path.isAbsolute(requested)) {
      throw new WorkbenchError('invalid-input', 'Give the full path of the repository folder (like /home/you/work/team-prompts)');
    }
    let folder = normalizeFolder(input.folder ?? DEFAULT_RELEASE_FOLDER);
    if (input.isCreating === true && !(await this.isRepository(requested))) {
      await initRepository(requested, this.options.git);
    } else if (input.isCreating !== true && !fs.existsSync(requested)) {
      throw new WorkbenchError('not-found', `The folder ${requested} does not exist: check the path, or tick “Create the repository if there is none” to make it with a new repository`);
    }
    const state = await openRepository(requested, this.options.git);
    const within = path.relative(fs.realpathSync(state.root), fs.realpathSync(requested)).split(path.sep).join('/');
    folder = normalizeFolder([within, folder].filter((part) => part !== '').join('/'));
    const remote = input.remote?.trim() ? checkRemoteName(input.remote.trim()) : null;
    if (remote !== null && !state.remotes.includes(remote)) {
      const known = state.remotes.length === 0 ? 'it has none' : `it has ${state.remotes.join(', ')}`;
      throw new WorkbenchError('invalid-input', `${state.root} has no remote named "${remote}" (${known}): add it with git remote add ${remote} <url>, or leave the remote empty`);
    }
    const branch = input.branch?.trim() ? await checkBranchName(state.git, input.branch.trim()) : null;
    this.store.saveRepository({ path: state.root, folder, remote, branch });
    return this.repositoryStatus();
  }

  /** Forgets the repository; the release history stays. */
  disconnect(): ReleaseRepositoryStatus {
    this.store.forgetRepository();
    return { settings: null, currentBranch: null, head: null, remotes: [], problem: null };
  }

  /* ---------------------------------------------------------------- releases */

  /** What releasing `items` would write and commit, with the exact diff; changes nothing. */
  preview(items: readonly ReleaseItem[]): Promise<ReleasePreview> {
    return this.serialized(async () => {
      const plan = await this.plan(items);
      return {
        files: plan.files.map(toFilePlan),
        message: plan.message,
        diff: await diffOf(plan, this.options.git),
        branch: plan.branch,
        head: plan.state.head,
        fingerprint: plan.fingerprint,
      };
    });
  }

  /**
   * Releases `items` in one commit with a tag each; pushes when `isPushing`. With a preview's
   * `fingerprint`, refuses when what it would commit is no longer what that preview showed; a
   * file it would replace that is not the prompt's own (`replacesOther`) must be in `replacing`.
   */
  release(items: readonly ReleaseItem[], isPushing: boolean, fingerprint: string | null = null, replacing: readonly string[] = []): Promise<ReleaseResult> {
    return this.serialized(async () => {
      const plan = await this.plan(items);
      // A file that is not this prompt's own is replaced only when the user confirmed it in the preview.
      const unconfirmed = plan.files.find((file) => file.replacesOther !== undefined && !replacing.includes(file.filePath));
      if (unconfirmed?.replacesOther !== undefined) {
        throw new WorkbenchError('conflict', `${unconfirmed.replacesOther}: preview the release and tick “Replace it” to commit. Nothing was written.`);
      }
      if (fingerprint !== null && fingerprint !== plan.fingerprint) {
        throw new WorkbenchError(
          'conflict',
          'What this release would commit changed since its preview (an approval note, a description, the test cases or the file in the repository): preview again to see it. Nothing was written.',
        );
      }
      if (isPushing && plan.settings.remote === null) {
        throw new WorkbenchError('invalid-input', 'No remote is set in the release settings, so there is nowhere to push: set one, or release without pushing');
      }
      await checkIdentity(plan.state.git, this.options.git.environment);
      const commit = await commitAndTag(plan);
      const releasedAt = this.options.now().toISOString();
      let records = this.recordReleases(plan, commit, releasedAt);
      if (!isPushing) return { commit, records, push: 'not-requested', pushMessage: null };
      const pushed = await pushRefs(plan.state, plan.settings.remote as string, plan.branch, plan.files.map((file) => file.tag), commit);
      records = this.store.setPush(commit, pushed.status, pushed.message);
      return { commit, records, push: pushed.status, pushMessage: pushed.message };
    });
  }

  /** Pushes a release commit's branch and tags again (after a rejected or failed push). */
  retryPush(commit: string): Promise<ReleaseResult> {
    return this.serialized(async () => {
      const records = this.store.ofCommit(commit);
      if (records.length === 0) throw new WorkbenchError('not-found', `No release was made by commit ${commit}`);
      const settings = this.store.repository();
      const remote = records[0].remote ?? settings?.remote ?? null;
      if (remote === null) throw new WorkbenchError('invalid-input', 'No remote is set in the release settings, so there is nowhere to push');
      const state = await openRepository(records[0].repositoryPath, this.options.git);
      if (!state.remotes.includes(remote)) {
        throw new WorkbenchError('invalid-input', `The remote "${remote}" is not configured in ${state.root} any more: add it back (git remote add ${remote} <url>)`);
      }
      const pushed = await pushRefs(state, remote, records[0].branch, records.map((record) => record.tag), commit);
      const updated = this.store.setPush(commit, pushed.status, pushed.message);
      return { commit, records: updated, push: pushed.status, pushMessage: pushed.message };
    });
  }

  private recordReleases(plan: ReleasePlan, commit: string, releasedAt: string): ReleaseRecord[] {
    return this.store.record(
      plan.files.map((file) => ({
        promptId: file.promptId,
        promptSlug: file.prompt.slug,
        promptName: file.prompt.name,
        versionNumber: file.versionNumber,
        note: file.approval.note,
        repositoryPath: plan.state.root,
        filePath: file.filePath,
        commit,
        tag: file.tag,
        branch: plan.branch,
        remote: plan.settings.remote,
        push: 'not-requested',
        pushMessage: null,
        releasedAt,
      })),
    );
  }

  /** Checks everything a release needs and builds its files; writes nothing. */
  private async plan(items: readonly ReleaseItem[]): Promise<ReleasePlan> {
    if (items.length === 0) throw new WorkbenchError('invalid-input', 'Pick at least one approved version to release');
    const promptIds = items.map((item) => item.promptId);
    if (new Set(promptIds).size !== promptIds.length) {
      throw new WorkbenchError('invalid-input', 'A release holds one version of each prompt: the file of a prompt can only be written once per commit');
    }
    const settings = this.store.repository();
    if (settings === null) throw new WorkbenchError('invalid-input', 'Connect a release repository first (Release → Repository)');
    const state = await openRepository(settings.path, this.options.git);
    const problem = releaseProblem(state, settings);
    if (problem !== null) throw new WorkbenchError('conflict', problem);
    checkIndexUnlocked(state);
    for (const folder of new Set([state.gitDir, path.dirname(state.indexFile), state.objectsDir])) checkWritable(folder);
    const branch = state.branch as string;
    const secrets = await this.options.secrets();
    const providers = this.options.providers();

    const files: PlannedFile[] = [];
    for (const item of items) {
      const prompt = this.options.prompts.getSummary(item.promptId);
      const version = this.options.prompts.getVersion(item.promptId, item.versionNumber);
      const approval = this.approvals.get(item.promptId, item.versionNumber);
      if (approval === null) {
        throw new WorkbenchError('conflict', `v${item.versionNumber} of ${prompt.name} is not approved: approve it before releasing it`);
      }
      const filePath = releaseFilePath(state.root, settings.folder, prompt.slug);
      const tag = releaseTag(prompt.slug, item.versionNumber);
      await checkTagIsNew(state, tag);
      await checkPathIsClean(state, filePath);
      const suite = this.options.suites?.get(item.promptId) ?? null;
      const text = buildReleaseDocument({ name: prompt.name, description: prompt.description, content: version.content, suite, providers });
      refuseSecrets(filePath, text, secrets);
      const absolutePath = path.join(state.root, ...filePath.split('/'));
      checkWritable(path.dirname(absolutePath));
      const previous = state.head === null ? null : await fileAtCommit(state, state.head, filePath);
      // The same text again replaces nothing of anyone's.
      const replacesOther = previous === null || previous === text ? null : otherPromptsFile(filePath, previous, prompt, this.store.hasReleasedTo(prompt.id, state.root, filePath));
      files.push({
        promptId: prompt.id,
        promptName: prompt.name,
        versionNumber: item.versionNumber,
        filePath,
        tag,
        change: previous === null ? 'added' : previous === text ? 'unchanged' : 'modified',
        warnings: suite === null ? [] : judgeWarnings(suite, providers),
        ...(replacesOther !== null && { replacesOther }),
        prompt,
        version,
        approval,
        absolutePath,
        text,
        previous,
      });
    }
    const message = commitMessage(files);
    return { settings, state, branch, files, message, fingerprint: fingerprintOf(branch, message, files) };
  }

  private async isRepository(folder: string): Promise<boolean> {
    if (!fs.existsSync(folder)) return false;
    const outcome = await new GitClient(folder, this.options.git).attempt(['rev-parse', '--is-inside-work-tree']);
    return outcome.ok && outcome.output.trim() === 'true';
  }

  /** Who approves: Git's user.name when set (the name releases are committed under), else the OS account. */
  private async approverName(): Promise<string> {
    const settings = this.store.repository();
    const folder = settings !== null && fs.existsSync(settings.path) ? settings.path : os.homedir();
    try {
      const name = (await new GitClient(folder, this.options.git).attempt(['config', 'user.name'])).output.trim();
      if (name !== '' && !name.includes('\n')) return name;
    } catch {
      // No git: the account name will do.
    }
    try {
      return os.userInfo().username;
    } catch {
      return 'unknown';
    }
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function toFilePlan(file: PlannedFile): ReleaseFilePlan {
  return {
    promptId: file.promptId,
    promptName: file.promptName,
    versionNumber: file.versionNumber,
    filePath: file.filePath,
    tag: file.tag,
    change: file.change,
    warnings: file.warnings,
    ...(file.replacesOther !== undefined && { replacesOther: file.replacesOther }),
  };
}

/**
 * What the preview says of a file in the repository that a release of `prompt` would replace but
 * that is not its own: its `name:` is another prompt's, or (`isReleasedHere` false) no release of
 * this prompt ever wrote it there, so a teammate's file of the same slug is not overwritten unseen.
 * Null when it is this prompt's own released file.
 */
export function otherPromptsFile(filePath: string, previous: string, prompt: { name: string }, isReleasedHere: boolean): string | null {
  const name = nameInFile(previous);
  if (name !== null && name !== prompt.name) return `${filePath} exists and was not released from this prompt: its name is “${name}”; Commit replaces it`;
  if (!isReleasedHere) return `${filePath} exists and was not released from this prompt: no release of “${prompt.name}” wrote it here; Commit replaces it`;
  return null;
}

/** The `name:` of a prompt file's text; null when it has none or does not parse. */
function nameInFile(text: string): string | null {
  try {
    const parsed: unknown = parseYaml(text);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const name = (parsed as Record<string, unknown>).name;
    return typeof name === 'string' && name.trim() !== '' ? name : null;
  } catch {
    return null;
  }
}

/** What the preview says of the suite's LLM judges whose provider was removed: the file names only their model. */
function judgeWarnings(suite: TestSuite, providers: readonly JudgeProvider[]): string[] {
  return checksWithoutJudgeProvider(suiteCheckGroups(suite.defaultAssertions, suite.cases), providers).map(
    (check) => `The judge of ${check} has no provider (it was removed in Settings › Providers): the file names its model alone, so no tool can tell where to grade it. Choose another judge in Evals › Test cases, then preview again`,
  );
}

/** A hash of everything a preview shows: the branch, the commit message, and each file's path, tag, old and new text. */
function fingerprintOf(branch: string, message: string, files: readonly PlannedFile[]): string {
  const shown = { branch, message, files: files.map((file) => [file.filePath, file.tag, file.previous, file.text]) };
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex');
}

/** The commit message: what is released, with the approval notes. */
export function commitMessage(files: readonly Pick<PlannedFile, 'promptName' | 'versionNumber' | 'approval'>[]): string {
  if (files.length === 1) {
    const [file] = files;
    const note = file.approval.note.trim();
    return note === '' ? `Release ${file.promptName} v${file.versionNumber}` : `Release ${file.promptName} v${file.versionNumber}\n\n${note}`;
  }
  const lines = files.map((file) => {
    const note = file.approval.note.trim().replace(/\s*\n\s*/g, ' ');
    return `- ${file.promptName} v${file.versionNumber}${note === '' ? '' : `: ${note}`}`;
  });
  return `Release ${files.length} prompts\n\n${lines.join('\n')}`;
}

function tagMessage(file: PlannedFile): string {
  const note = file.approval.note.trim();
  return note === '' ? `${file.promptName} v${file.versionNumber}` : `${file.promptName} v${file.versionNumber}\n\n${note}`;
}

async function checkTagIsNew(state: RepositoryState, tag: string): Promise<void> {
  const format = await state.git.attempt(['check-ref-format', `refs/tags/${tag}`]);
  if (!format.ok) throw new WorkbenchError('invalid-input', `${tag} is not a valid tag name`);
  const existing = (await state.git.run(['tag', '--list', tag])).trim();
  if (existing !== '') {
    throw new WorkbenchError('conflict', `The tag ${tag} already exists in ${state.root}; a release never moves or replaces a tag. Save and approve a new version to release it.`);
  }
}

/** Refuses to overwrite a released file with changes nobody committed (staged, unstaged or untracked), or one Git ignores. */
async function checkPathIsClean(state: RepositoryState, filePath: string): Promise<void> {
  const env = { GIT_LITERAL_PATHSPECS: '1' };
  // check-ignore takes paths, not pathspecs (and refuses the literal-pathspec setting).
  if ((await state.git.run(['check-ignore', '--', filePath])).trim() !== '') {
    throw new WorkbenchError('conflict', `${filePath} is ignored by Git (.gitignore or info/exclude): allow it there, or pick another release folder. Nothing was written.`);
  }
  const status = await state.git.run(['status', '--porcelain=v1', '--untracked-files=all', '--', filePath], { env });
  const code = status.slice(0, 2);
  if (status.trim() !== '') {
    // One file: an untracked one is "it"; a tracked one's changes are "them".
    const what = code === '??' ? 'is not tracked by Git yet: commit or discard it first, so the release does not overwrite it' : 'has changes that are not committed: commit or discard them first, so the release does not overwrite them';
    throw new WorkbenchError('conflict', `${filePath} ${what}. Nothing was written.`);
  }
}

/** The text of `filePath` in `commit`, or null when the commit has no such file. */
async function fileAtCommit(state: RepositoryState, commit: string, filePath: string): Promise<string | null> {
  const entry = (await state.git.run(['ls-tree', '-z', commit, '--', filePath], { env: { GIT_LITERAL_PATHSPECS: '1' } })).split('\u0000')[0];
  const match = /^\d+ blob ([0-9a-f]+)\t/.exec(entry);
  if (match === null) return null;
  return state.git.run(['cat-file', 'blob', match[1]]);
}

/**
 * The diff of the released paths against HEAD, as `git show` will print it for the commit:
 * each file's old and new text go to a temporary folder and `git diff --no-index` compares
 * them, then the temporary names in the headers become the repository paths.
 */
async function diffOf(plan: ReleasePlan, gitOptions: GitOptions): Promise<string> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-release-diff-'));
  try {
    const parts: string[] = [];
    // In Git's order (paths compared as UTF-8 bytes), as git show prints the commit.
    const files = [...plan.files].sort((one, other) => Buffer.compare(Buffer.from(one.filePath), Buffer.from(other.filePath)));
    for (const [index, file] of files.entries()) {
      if (file.change === 'unchanged') continue;
      const newFile = path.join(scratch, `${index}-new`);
      fs.writeFileSync(newFile, file.text);
      let oldFile = os.devNull;
      if (file.previous !== null) {
        oldFile = path.join(scratch, `${index}-old`);
        fs.writeFileSync(oldFile, file.previous);
      }
      const output = await new GitClient(scratch, gitOptions).run(['diff', '--no-index', '--no-color', '--no-ext-diff', '--no-textconv', '--', oldFile, newFile]);
      parts.push(renameDiffPaths(output, file.filePath));
    }
    return parts.join('');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Puts the repository path in a `--no-index` diff's header lines (those before the first hunk) instead of the temporary files'. */
function renameDiffPaths(diff: string, filePath: string): string {
  const lines = diff.split('\n');
  const firstHunk = lines.findIndex((line) => line.startsWith('@@'));
  const headerEnd = firstHunk === -1 ? lines.length : firstHunk;
  for (let index = 0; index < headerEnd; index += 1) {
    const line = lines[index];
    if (line.startsWith('diff --git ')) lines[index] = `diff --git a/${filePath} b/${filePath}`;
    else if (line.startsWith('--- ') && line !== '--- /dev/null') lines[index] = `--- a/${filePath}`;
    else if (line.startsWith('+++ ') && line !== '+++ /dev/null') lines[index] = `+++ b/${filePath}`;
  }
  return lines.join('\n');
}

/** Refuses to commit without an identity, with the commands that set one (git would otherwise guess one from the machine). */
async function checkIdentity(git: GitClient, environment: Readonly<Record<string, string | undefined>>): Promise<void> {
  const config = async (key: string) => (await git.attempt(['config', '--get', key])).output.trim();
  const name = environment.GIT_COMMITTER_NAME?.trim() || (await config('committer.name')) || (await config('user.name'));
  const email =
    environment.GIT_COMMITTER_EMAIL?.trim() || (await config('committer.email')) || (await config('user.email')) || environment.EMAIL?.trim();
  if (!name || !email) {
    throw new WorkbenchError(
      'invalid-input',
      'Git does not know who you are, so it cannot put your name on the release commit. Run git config --global user.name "Your Name" ' +
        'and git config --global user.email "you@example.com", then release again. Nothing was written.',
    );
  }
}

/**
 * Makes the release, all of it or none of it, holding Git's index lock throughout: writes the
 * files, commits them from a temporary index, tags the commit, and brings the user's index up to
 * date for those paths. When a step fails, what the steps before it did is undone (the tags
 * deleted, the branch moved back, the files put back) and the index is left as it was.
 */
async function commitAndTag(plan: ReleasePlan): Promise<string> {
  const { state } = plan;
  const paths = plan.files.map((file) => file.filePath);
  let lock: IndexLock;
  try {
    lock = IndexLock.acquire(state);
  } catch (error) {
    throw nothingWritten(writeRefusal(error, state.gitDir) ?? error);
  }
  const writes = new RevertibleWrites();
  let commit: string | null = null;
  const tags: CreatedTag[] = [];
  try {
    // HEAD may have moved since the plan was made (a commit in a terminal): start again rather than undo it.
    await checkHeadUnmoved(state);
    for (const file of plan.files) writes.write(file.absolutePath, file.text);
    commit = await commitFromTemporaryIndex(plan, writes);
    const parent = (await state.git.attempt(['rev-parse', '-q', '--verify', `${commit}^`])).output.trim() || null;
    if (parent !== state.head) throw new WorkbenchError('conflict', `HEAD moved to ${parent?.slice(0, 7) ?? 'nothing'} while the release was being made; try again`);
    for (const file of plan.files) tags.push(await createTag(state, file, commit));
    const released = commit;
    await lock.replaceIndex(async (indexFile) => {
      const reset = await state.git.attempt(['reset', '--quiet', released, '--', ...paths], { env: { GIT_INDEX_FILE: indexFile, GIT_LITERAL_PATHSPECS: '1' } });
      if (!reset.ok) {
        throw gitWriteRefusal(reset.output, state.root) ?? new WorkbenchError('conflict', `Git could not update its index for ${paths.join(', ')} (${firstLine(reset.output)})`);
      }
    });
    return commit;
  } catch (error) {
    const cause = writeRefusal(error, state.gitDir) ?? error;
    if (commit !== null) throw await undoRelease(plan, commit, tags, writes, reasonOf(cause));
    const kept = writes.revert();
    if (kept.length > 0) throw new WorkbenchError('conflict', `${reasonOf(cause)}. The files ${kept.join(', ')} could not be put back as they were.`);
    throw nothingWritten(cause);
  } finally {
    lock.release();
  }
}

async function checkHeadUnmoved(state: RepositoryState): Promise<void> {
  const head = (await state.git.run(['rev-parse', '-q', '--verify', 'HEAD^{commit}'])).trim() || null;
  if (head !== state.head) {
    throw new WorkbenchError('conflict', `HEAD moved to ${head?.slice(0, 7) ?? 'nothing'} while the release was being prepared; try again. Nothing was written.`);
  }
}

/**
 * Commits the released paths from a temporary index holding HEAD plus those paths, so whatever
 * the user staged stays out of the commit, and returns the commit. When git commit fails, the
 * files written are put back before the error is thrown.
 */
async function commitFromTemporaryIndex(plan: ReleasePlan, writes: RevertibleWrites): Promise<string> {
  const { state } = plan;
  const paths = plan.files.map((file) => file.filePath);
  const temporaryIndex = path.join(state.gitDir, `workbench-release-${process.pid}-${randomBytes(4).toString('hex')}.index`);
  const env = { GIT_INDEX_FILE: temporaryIndex, GIT_LITERAL_PATHSPECS: '1' };
  try {
    if (state.head !== null) await writeWithGit(state, ['read-tree', state.head], env);
    await writeWithGit(state, ['add', '--', ...paths], env);
    const staged = (await state.git.run(['diff', '--cached', '--name-only', '--', ...paths], { env })).trim();
    const args = ['commit', '--quiet', '--no-edit', '--cleanup=whitespace', '-m', plan.message];
    if (staged === '') args.push('--allow-empty');
    const outcome = await state.git.attempt(args, { env, isLong: true });
    if (!outcome.ok) {
      const kept = writes.revert();
      const putBack = kept.length === 0 ? 'the files were put back' : `the files could not all be put back (${kept.join(', ')})`;
      const refused = gitWriteRefusal(outcome.output, state.root);
      throw new WorkbenchError('conflict', `${refused?.message ?? `git commit failed: ${outcome.output}`}. Nothing was committed and ${putBack}.`);
    }
  } finally {
    fs.rmSync(temporaryIndex, { force: true });
    fs.rmSync(`${temporaryIndex}.lock`, { force: true });
  }
  return (await state.git.run(['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
}

/** Runs a Git command that writes to the repository; a write the system refused is said in plain words. */
async function writeWithGit(state: RepositoryState, args: string[], env: Record<string, string>): Promise<void> {
  const outcome = await state.git.attempt(args, { env });
  if (!outcome.ok) throw gitWriteRefusal(outcome.output, state.root) ?? new WorkbenchError('conflict', `git ${args[0]} failed: ${outcome.output}`);
}

/** A tag a release created, by name and the tag object it points at. */
interface CreatedTag {
  name: string;
  object: string;
}

async function createTag(state: RepositoryState, file: PlannedFile, commit: string): Promise<CreatedTag> {
  const outcome = await state.git.attempt(['tag', '-a', file.tag, '-m', tagMessage(file), commit], { isLong: true });
  if (!outcome.ok) throw gitWriteRefusal(outcome.output, state.root) ?? new WorkbenchError('conflict', `Could not create the tag ${file.tag} (${firstLine(outcome.output)})`);
  return { name: file.tag, object: (await state.git.run(['rev-parse', '--verify', `refs/tags/${file.tag}`])).trim() };
}

/**
 * Undoes a release whose commit was made, after a later step failed: deletes the tags it created
 * (only while they still point where it put them), moves the branch back to the commit's parent
 * (only while it still points at the commit), and puts the files back. Returns the error to
 * throw: `reason` (why the release failed) and that it was undone, or what is left and how to
 * remove it.
 */
async function undoRelease(plan: ReleasePlan, commit: string, tags: readonly CreatedTag[], writes: RevertibleWrites, reason: string): Promise<WorkbenchError> {
  const { state } = plan;
  const left: string[] = [];
  for (const tag of [...tags].reverse()) {
    const deleted = await state.git.attempt(['update-ref', '-d', `refs/tags/${tag.name}`, tag.object]);
    if (!deleted.ok) left.push(`the tag ${tag.name} (git tag -d ${tag.name})`);
  }
  const parent = (await state.git.attempt(['rev-parse', '-q', '--verify', `${commit}^`])).output.trim() || null;
  const moved = await state.git.attempt(
    parent === null ? ['update-ref', '-d', 'HEAD', commit] : ['update-ref', '-m', 'Prompt Workbench: release undone', 'HEAD', parent, commit],
  );
  if (moved.ok) {
    const kept = writes.revert();
    if (kept.length > 0) left.push(`the released content of ${kept.join(', ')} (git checkout -- ${kept.join(' ')})`);
  } else {
    const undo = parent === null ? 'git update-ref -d HEAD' : `git reset --soft ${parent.slice(0, 7)}`;
    left.push(`the commit ${commit.slice(0, 7)} on ${plan.branch} (${undo}, then git reset -- ${plan.files.map((file) => file.filePath).join(' ')})`);
  }
  if (left.length === 0) {
    return new WorkbenchError('conflict', `${reason}. The release was undone: its commit and tags were removed and the files put back, so nothing was released.`);
  }
  return new WorkbenchError('conflict', `${reason}. The release could not be undone entirely; left in ${state.root}: ${left.join('; ')}.`);
}

/** A refused write, said to have written nothing (the release put back what it had written); any other error as it is. */
function nothingWritten(error: unknown): unknown {
  return error instanceof WriteRefused ? new WorkbenchError(error.code, `${error.message}. Nothing was written.`) : error;
}

/** Why a step failed, as the start of a sentence. */
function reasonOf(error: unknown): string {
  return messageOf(error).replace(/\.$/, '');
}

/** Git's first line, without the advice that follows it. */
function firstLine(output: string): string {
  return output.trim().split('\n', 1)[0];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a push did. */
interface PushOutcome {
  status: Exclude<PushStatus, 'not-requested'>;
  message: string;
}

/**
 * Pushes the branch and the tags, all or none (`--atomic`), so a tag never reaches the remote
 * without its commit on the branch: a tag alone there would set off whatever releases on tags.
 * A remote that cannot take an atomic push gets the branch first and the tags only once the
 * branch is in. Never throws for a push Git refused, only says what happened and what to do.
 */
async function pushRefs(state: RepositoryState, remote: string, branch: string, tags: readonly string[], commit: string): Promise<PushOutcome> {
  const branchRefspec = `refs/heads/${branch}:refs/heads/${branch}`;
  const tagRefspecs = tags.map((tag) => `refs/tags/${tag}:refs/tags/${tag}`);
  const kept = `The release commit ${commit.slice(0, 7)} and its ${tags.length === 1 ? 'tag are' : 'tags are'} kept in ${state.root}`;
  const push = (refspecs: readonly string[], isAtomic: boolean) =>
    state.git.attempt(['push', '--porcelain', ...(isAtomic ? ['--atomic'] : []), checkRemoteName(remote), ...refspecs], { isLong: true });
  let output: string;
  let ok: boolean;
  try {
    ({ ok, output } = await push([branchRefspec, ...tagRefspecs], true));
    if (!ok && /does not support --atomic/i.test(output)) {
      ({ ok, output } = await push([branchRefspec], false));
      if (ok) ({ ok, output } = await push(tagRefspecs, false));
    }
  } catch (error) {
    return { status: 'failed', message: `${error instanceof Error ? error.message : String(error)} ${kept}; press Retry push.` };
  }
  if (ok) return { status: 'pushed', message: `Pushed ${branch} and ${tags.join(', ')} to ${remote}` };
  const detail = remoteLines(output);
  if (/non-fast-forward|fetch first|\[rejected\]/.test(output) && !/remote rejected/.test(output)) {
    return {
      status: 'rejected',
      message: `${remote} has commits on ${branch} that yours does not, so the push was rejected (non-fast-forward). ${kept}: merge them (git pull --no-rebase ${remote} ${branch}), then press Retry push.`,
    };
  }
  if (/remote rejected|hook declined|protected branch/i.test(output)) {
    return { status: 'rejected', message: `${remote} refused the push: ${detail}. ${kept}: do what the remote asks, then press Retry push.` };
  }
  if (/Authentication failed|could not read Username|Permission denied|terminal prompts disabled|403|401/i.test(output)) {
    return {
      status: 'failed',
      message: `Git could not sign in to ${remote}: ${detail}. ${kept}: set up your credentials (a credential helper or an SSH key), then press Retry push.`,
    };
  }
  return { status: 'failed', message: `The push to ${remote} failed: ${detail}. ${kept}; press Retry push when the remote can be reached.` };
}

/** What a failed push said that is worth showing: the remote's own words, then why each ref was refused. */
function remoteLines(output: string): string {
  const lines = output.split('\n').map((line) => line.trim());
  const remoteSays = lines
    .filter((line) => line.startsWith('remote:'))
    .map((line) => line.slice('remote:'.length).trim())
    .filter((line) => line !== '');
  // --porcelain: "!<tab>refs/heads/main:refs/heads/main<tab>[remote rejected] (pre-receive hook declined)"
  const reasons = [...new Set(lines.filter((line) => line.startsWith('!')).map((line) => /\(([^)]*)\)\s*$/.exec(line)?.[1] ?? '').filter((reason) => reason !== ''))];
  const detail = [remoteSays.join(' '), reasons.length > 0 ? `(${reasons.join('; ')})` : ''].filter((part) => part !== '').join(' ');
  if (detail !== '') return detail.slice(0, 1000);
  const errors = lines.filter((line) => /^(error:|fatal:)/.test(line));
  return (errors.length > 0 ? errors.join(' ') : gitMessage(output)).slice(0, 1000);
}
