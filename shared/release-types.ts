/**
 * Domain types of approvals and Git releases: approving versions (with an optional eval gate),
 * the release repository, releases with their commits and tags, and importing prompt files.
 */

import type { FileProblem } from './types';

/** The figures of the latest finished eval of one prompt version (all its models together). */
export interface VersionEvalFigures {
  evalId: number;
  /** passed / finished cells, 0..1; null when no cell finished. */
  passRate: number | null;
  meanScore: number | null;
  finishedAt: string;
  cellCount: number;
}

/** An approval gate: the latest eval of the version must pass at least this share of its cells. */
export interface ApprovalGate {
  /** 0..1 */
  minPassRate: number;
}

/** What checking a gate found, shown before approving and kept with the approval. */
export interface GateCheck {
  minPassRate: number;
  /** The eval the gate was checked against; null when the version has none. */
  eval: VersionEvalFigures | null;
  isPassed: boolean;
  /** A sentence saying why it passed or did not. */
  reason: string;
}

/** Who approved a version, when, and why. */
export interface VersionApproval {
  promptId: number;
  versionNumber: number;
  note: string;
  approvedBy: string;
  approvedAt: string;
  /** The gate checked at approval; null when approved without one. */
  gate: GateCheck | null;
}

/** Where the push of a release stands. */
export type PushStatus = 'not-requested' | 'pushed' | 'rejected' | 'failed';

/** One prompt version released: its commit (shared by a batch) and its tag. */
export interface ReleaseRecord {
  id: number;
  /** Null when the prompt was deleted since. */
  promptId: number | null;
  promptSlug: string;
  promptName: string;
  versionNumber: number;
  note: string;
  repositoryPath: string;
  /** The released file, relative to the repository root, with `/` separators. */
  filePath: string;
  commit: string;
  tag: string;
  branch: string;
  remote: string | null;
  push: PushStatus;
  /** What the push said (or why it was refused and what to do); null when not requested. */
  pushMessage: string | null;
  releasedAt: string;
}

/** Approval and releases of one saved version. */
export interface VersionReleaseState {
  versionNumber: number;
  approval: VersionApproval | null;
  releases: ReleaseRecord[];
}

/** A prompt's approval and release state, for the library and the release view. */
export interface PromptReleaseOverview {
  promptId: number;
  slug: string;
  name: string;
  isArchived: boolean;
  /** Approved versions, newest first. */
  approvedVersions: number[];
  /** The newest release of this prompt, if any. */
  latestRelease: Pick<ReleaseRecord, 'versionNumber' | 'tag' | 'commit' | 'releasedAt' | 'push'> | null;
}

/** The release repository as the user configured it. Never a secret. */
export interface ReleaseRepositorySettings {
  /** Absolute path of the Git working tree. */
  path: string;
  /** Folder inside it for released files, relative, with `/` separators (default `prompts`). */
  folder: string;
  /** Remote to push to (`origin`); null: releases stay local. */
  remote: string | null;
  /** Branch releases must be made on; null: the checked-out one. */
  branch: string | null;
}

/** The release repository and what Git says about it now. */
export interface ReleaseRepositoryStatus {
  settings: ReleaseRepositorySettings | null;
  /** Checked-out branch; null when detached or not a repository. */
  currentBranch: string | null;
  /** HEAD's commit; null in a repository without commits. */
  head: string | null;
  remotes: string[];
  /** Why a release cannot be made now (detached HEAD, merge in progress...); null when it can. */
  problem: string | null;
}

/** A prompt version to release. */
export interface ReleaseItem {
  promptId: number;
  versionNumber: number;
}

/** How a release will change one file. */
export type ReleaseFileChange = 'added' | 'modified' | 'unchanged';

/** One file a release writes. */
export interface ReleaseFilePlan {
  promptId: number;
  promptName: string;
  versionNumber: number;
  filePath: string;
  tag: string;
  change: ReleaseFileChange;
  /** What the file carries that will not work as it should elsewhere (a judge whose provider was removed); said in the preview, it does not stop the release. */
  warnings: string[];
  /**
   * Set when the file exists in the repository but was not released from this prompt (its
   * `name:` is another's, or no release of this prompt wrote it there): what Commit would
   * replace, said plainly; the preview asks the user to confirm it before Commit.
   */
  replacesOther?: string;
}

/** What a release would do, before it does it. */
export interface ReleasePreview {
  files: ReleaseFilePlan[];
  /** The commit message. */
  message: string;
  /** The exact diff of the released paths against HEAD (unified, like `git diff`). */
  diff: string;
  branch: string | null;
  head: string | null;
  /** What the preview shows (files, diff, message, branch), hashed: given back to `release:run`, the release is refused if any of it changed. */
  fingerprint: string;
}

/** What a release did. */
export interface ReleaseResult {
  commit: string;
  records: ReleaseRecord[];
  push: PushStatus;
  pushMessage: string | null;
}

/** What happened to one imported file. */
export interface ImportEntry {
  /** The file, relative to the folder imported. */
  file: string;
  promptId: number | null;
  name: string;
  /** The version created; null when none was. */
  versionNumber: number | null;
  reason: string;
}

/** What an import did: every file is in exactly one list. */
export interface ImportReport {
  folder: string;
  created: ImportEntry[];
  updated: ImportEntry[];
  skipped: ImportEntry[];
  /** Files that could not be read or parsed, by file and line; the others imported. */
  problems: FileProblem[];
}
