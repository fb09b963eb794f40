/**
 * The release repository settings and the release history in SQLite.
 */

import type { PromptReleaseOverview, PushStatus, ReleaseRecord, ReleaseRepositorySettings } from '../../../shared/release-types';
import type { Database } from '../database';
import { statementCache } from '../prepared-statements';

/** A release about to be recorded (the commit and tag exist). */
export type NewRelease = Omit<ReleaseRecord, 'id'>;

interface ReleaseRow {
  id: number;
  promptId: number | null;
  promptSlug: string;
  promptName: string;
  versionNumber: number;
  note: string;
  repositoryPath: string;
  filePath: string;
  commit: string;
  tag: string;
  branch: string;
  remote: string | null;
  push: PushStatus;
  pushMessage: string | null;
  releasedAt: string;
}

const RELEASE_COLUMNS = `id, prompt_id AS promptId, prompt_slug AS promptSlug, prompt_name AS promptName, version_number AS versionNumber,
  note, repository_path AS repositoryPath, file_path AS filePath, commit_sha AS "commit", tag, branch, remote,
  push_status AS push, push_message AS pushMessage, released_at AS releasedAt`;

/** Repository settings and releases over an open database. */
export class ReleaseStore {
  private readonly database: Database;
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly now: () => Date;

  constructor(database: Database, now: () => Date = () => new Date()) {
    this.database = database;
    this.sql = statementCache(database);
    this.now = now;
  }

  /** The configured repository, or null. */
  repository(): ReleaseRepositorySettings | null {
    const row = this.sql<[], ReleaseRepositorySettings>('SELECT path, folder, remote, branch FROM release_repository WHERE id = 1').get();
    return row === undefined ? null : { ...row };
  }

  /** Replaces the repository settings. */
  saveRepository(settings: ReleaseRepositorySettings): ReleaseRepositorySettings {
    this.sql(
      `INSERT INTO release_repository (id, path, folder, remote, branch, updated_at) VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET path = excluded.path, folder = excluded.folder, remote = excluded.remote,
         branch = excluded.branch, updated_at = excluded.updated_at`,
    ).run(settings.path, settings.folder, settings.remote, settings.branch, this.now().toISOString());
    return this.repository() as ReleaseRepositorySettings;
  }

  /** Forgets the repository (releases already made stay in the history). */
  forgetRepository(): void {
    this.sql('DELETE FROM release_repository WHERE id = 1').run();
  }

  /** Records releases of one commit together. */
  record(releases: readonly NewRelease[]): ReleaseRecord[] {
    const insert = this.sql(
      `INSERT INTO releases (prompt_id, prompt_slug, prompt_name, version_number, note, repository_path, file_path, commit_sha, tag,
         branch, remote, push_status, push_message, released_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const ids = this.database.transaction(() =>
      releases.map((release) =>
        Number(
          insert.run(
            release.promptId,
            release.promptSlug,
            release.promptName,
            release.versionNumber,
            release.note,
            release.repositoryPath,
            release.filePath,
            release.commit,
            release.tag,
            release.branch,
            release.remote,
            release.push,
            release.pushMessage,
            release.releasedAt,
          ).lastInsertRowid,
        ),
      ),
    ).immediate();
    return ids.map((id) => this.get(id) as ReleaseRecord);
  }

  /** Sets what the push of a commit did, on every release of that commit. */
  setPush(commit: string, push: PushStatus, message: string | null): ReleaseRecord[] {
    this.sql('UPDATE releases SET push_status = ?, push_message = ? WHERE commit_sha = ?').run(push, message, commit);
    return this.ofCommit(commit);
  }

  /** One release, or null. */
  get(id: number): ReleaseRecord | null {
    const row = this.sql<[number], ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases WHERE id = ?`).get(id);
    return row === undefined ? null : { ...row };
  }

  /** The releases made by one commit. */
  ofCommit(commit: string): ReleaseRecord[] {
    return this.sql<[string], ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases WHERE commit_sha = ? ORDER BY id`)
      .all(commit)
      .map((row) => ({ ...row }));
  }

  /** Release history newest first: one prompt's, or every prompt's. */
  history(promptId: number | null, limit = 200): ReleaseRecord[] {
    const rows =
      promptId === null
        ? this.sql<[number], ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases ORDER BY id DESC LIMIT ?`).all(limit)
        : this.sql<[number, number], ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases WHERE prompt_id = ? ORDER BY id DESC LIMIT ?`).all(
            promptId,
            limit,
          );
    return rows.map((row) => ({ ...row }));
  }

  /** The releases of one version, oldest first. */
  ofVersion(promptId: number, versionNumber: number): ReleaseRecord[] {
    return this.sql<[number, number], ReleaseRow>(
      `SELECT ${RELEASE_COLUMNS} FROM releases WHERE prompt_id = ? AND version_number = ? ORDER BY id`,
    )
      .all(promptId, versionNumber)
      .map((row) => ({ ...row }));
  }

  /** Whether the prompt `promptId` was ever released to `filePath` in the repository at `repositoryPath` (its root). */
  hasReleasedTo(promptId: number, repositoryPath: string, filePath: string): boolean {
    return (
      this.sql<[number, string, string], { found: number }>('SELECT 1 AS found FROM releases WHERE prompt_id = ? AND repository_path = ? AND file_path = ? LIMIT 1').get(
        promptId,
        repositoryPath,
        filePath,
      ) !== undefined
    );
  }

  /** The newest release of every prompt that has one in the repository at `repositoryPath` (its root; null: in any). */
  latestByPrompt(repositoryPath: string | null): Map<number, PromptReleaseOverview['latestRelease']> {
    const rows = this.sql<[string | null, string | null], ReleaseRow>(
      `SELECT ${RELEASE_COLUMNS} FROM releases WHERE id IN (
         SELECT max(id) FROM releases WHERE prompt_id IS NOT NULL AND (? IS NULL OR repository_path = ?) GROUP BY prompt_id)`,
    ).all(repositoryPath, repositoryPath);
    return new Map(
      rows.map((row) => [
        row.promptId as number,
        { versionNumber: row.versionNumber, tag: row.tag, commit: row.commit, releasedAt: row.releasedAt, push: row.push },
      ]),
    );
  }
}
