/**
 * The prompt library in SQLite: prompts, their immutable versions and their working drafts.
 *
 * Every write that touches more than one row runs in one transaction. Versions are only ever
 * inserted; the database refuses any update of their content (see the schema trigger).
 *
 * No two prompts share a name (compared as `nameKey` does: trimmed, case and runs of spaces
 * ignored), archived ones included: the CLI, History and release files name prompts by it. A
 * database from before names were checked may hold two of one name; they keep it until renamed.
 */

import { WorkbenchError } from '../../shared/errors';
import { firstFreeName, nameKey } from '../../shared/unique-name';
import type {
  PromptContent,
  PromptDetail,
  PromptDraft,
  PromptSummary,
  PromptVersion,
  PromptVersionSummary,
  VersionStatus,
} from '../../shared/types';
import type { Database } from './database';
import { statementCache } from './prepared-statements';
import { emptyContent, hashContent, normalizeContent } from './prompt-content';
import { foldText, uniqueSlug } from './slug';

/** Which prompts `list` returns. */
export interface ListOptions {
  /** Part of the name, case and the accents of Latin letters aside (see `foldText`). */
  query?: string;
  /** Include archived prompts (hidden by default). */
  includeArchived?: boolean;
}

/** What a new prompt starts with. */
export interface CreateOptions {
  name: string;
  /** The text the slug is derived from; the name when absent. */
  slug?: string;
  description?: string;
}

/** A version to save: the draft as it stands and a note. */
export interface SaveVersionInput {
  promptId: number;
  content: PromptContent;
  variables: Record<string, string>;
  note: string;
  /** The draft revision the text started from: refused (`conflict`) when the draft was written since. */
  basedOnRevision?: number;
}

/** How a draft is written. */
export interface DraftWriteOptions {
  /** The version the draft is based on from now on; unchanged when absent. */
  baseVersion?: number | null;
  /** The draft revision the text started from: refused (`conflict`) when the draft was written since. */
  basedOnRevision?: number;
}

/** Options of the store. */
export interface PromptStoreOptions {
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
}

/** The longest name the store keeps, as the bridge contract allows. */
const MAX_NAME_LENGTH = 200;
/** What a copy's name ends with: " (copy)", then " (copy 2)", " (copy 3)"... */
const COPY_SUFFIX = / \(copy(?: \d+)?\)$/;

interface SummaryRow {
  id: number;
  slug: string;
  name: string;
  description: string;
  archivedAt: string | null;
  updatedAt: string;
  versionCount: number;
  latestVersion: number | null;
}

interface VersionRow {
  id: number;
  promptId: number;
  number: number;
  note: string;
  status: VersionStatus;
  contentHash: string;
  createdAt: string;
}

interface DraftRow {
  promptId: number;
  contentJson: string;
  variablesJson: string;
  baseVersion: number | null;
  updatedAt: string;
  revision: number;
}

const SUMMARY_SELECT = `
  SELECT p.id, p.slug, p.name, p.description, p.archived_at AS archivedAt, p.updated_at AS updatedAt,
         count(v.id) AS versionCount, max(v.number) AS latestVersion
  FROM prompts p LEFT JOIN prompt_versions v ON v.prompt_id = p.id`;

const VERSION_COLUMNS = `id, prompt_id AS promptId, number, note, status, content_hash AS contentHash, created_at AS createdAt`;

const nameCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Library order: by name, numbers as numbers, and a first copy "(copy)" before "(copy 2)" (as "(copy 1)"). */
function compareNames(left: string, right: string): number {
  const sortForm = (name: string) => name.replace(/ \(copy\)$/, ' (copy 1)');
  return nameCollator.compare(sortForm(left), sortForm(right));
}

/** What a run is rendered from: a draft's content and variable values, nothing more. */
export interface DraftSource {
  content: PromptContent;
  variables: Record<string, string>;
}

/** The prompt library over an open database. */
export class PromptStore {
  private readonly database: Database;
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly now: () => Date;

  constructor(database: Database, options: PromptStoreOptions = {}) {
    this.database = database;
    this.sql = statementCache(database);
    this.now = options.now ?? (() => new Date());
  }

  /** The prompts matching `options`, ordered by name. */
  list(options: ListOptions = {}): PromptSummary[] {
    const rows = this.sql<[number], SummaryRow>(`${SUMMARY_SELECT} WHERE ? OR p.archived_at IS NULL GROUP BY p.id`).all(
      options.includeArchived === true ? 1 : 0,
    );
    // Filtering and ordering here rather than in SQL: SQLite's LIKE and NOCASE fold ASCII only.
    const query = foldText(options.query?.trim() ?? '');
    return rows
      .filter((row) => query === '' || foldText(row.name).includes(query))
      .sort((left, right) => compareNames(left.name, right.name) || left.id - right.id)
      .map(toSummary);
  }

  /** One prompt's library row. */
  getSummary(id: number): PromptSummary {
    const row = this.sql<[number], SummaryRow>(`${SUMMARY_SELECT} WHERE p.id = ? GROUP BY p.id`).get(id);
    if (row === undefined) throw promptNotFound(id);
    return toSummary(row);
  }

  /** Everything the editor needs for one prompt; versions newest first. */
  getDetail(id: number): PromptDetail {
    return this.database.transaction(() => ({
      prompt: this.getSummary(id),
      draft: this.getDraft(id),
      versions: this.sql<[number], VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM prompt_versions WHERE prompt_id = ? ORDER BY number DESC`,
      ).all(id),
    }))();
  }

  /**
   * Creates a prompt with a unique slug and an empty draft (a system and a user message). A name
   * another prompt has is refused (`conflict`, naming the `name` field); see `freeName`.
   */
  create(options: CreateOptions): PromptDetail {
    const name = checkName(options.name);
    const id = this.database.transaction(() => {
      this.checkNameIsFree(name, null);
      const timestamp = this.timestamp();
      const slug = uniqueSlug(options.slug ?? name, (candidate) => this.isSlugTaken(candidate));
      const { lastInsertRowid } = this.sql(
        'INSERT INTO prompts (slug, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      ).run(slug, name, options.description ?? '', timestamp, timestamp);
      const promptId = Number(lastInsertRowid);
      this.sql(
        'INSERT INTO prompt_drafts (prompt_id, content_json, variables_json, base_version, updated_at) VALUES (?, ?, ?, NULL, ?)',
      ).run(promptId, JSON.stringify(emptyContent()), '{}', timestamp);
      return promptId;
    }).immediate();
    return this.getDetail(id);
  }

  /**
   * Renames a prompt; its slug stays, so released files keep their path. A name another prompt
   * has is refused; a change of case or spacing alone is not a change of name, so a prompt that
   * shares its name with another already (an older database) may still make it.
   */
  rename(id: number, name: string): PromptSummary {
    const checked = checkName(name);
    this.database.transaction(() => {
      const current = this.getSummary(id);
      if (nameKey(current.name) !== nameKey(checked)) this.checkNameIsFree(checked, id);
      this.updatePrompt(id, 'name = ?', checked);
    }).immediate();
    return this.getSummary(id);
  }

  /**
   * `name` (trimmed) when no prompt has it, else the first of "name 2", "name 3"... that none
   * has, for what names a prompt itself (an import, the sample library) rather than refusing.
   */
  freeName(name: string): string {
    const wished = checkName(name);
    return firstFreeName(this.names(), (number) => (number === 1 ? wished : withSuffix(wished, ` ${number}`)));
  }

  /** Sets a prompt's description. */
  describe(id: number, description: string): PromptSummary {
    this.updatePrompt(id, 'description = ?', description);
    return this.getSummary(id);
  }

  /** Archives (hides from the default list) or unarchives a prompt. */
  setArchived(id: number, isArchived: boolean): PromptSummary {
    if (isArchived) this.updatePrompt(id, 'archived_at = coalesce(archived_at, ?)', this.timestamp());
    else this.updatePrompt(id, 'archived_at = NULL');
    return this.getSummary(id);
  }

  /**
   * Copies a prompt as "<name> (copy)", or "(copy 2)", "(copy 3)"... when that is taken (a copy
   * of a copy too): its description, its draft and every version with its number and note
   * (unapproved).
   */
  duplicate(id: number): PromptDetail {
    const copyId = this.database.transaction(() => {
      const source = this.getSummary(id);
      const original = source.name.replace(COPY_SUFFIX, '');
      const name = firstFreeName(this.names(), (number) => withSuffix(original, number === 1 ? ' (copy)' : ` (copy ${number})`));
      const copy = this.create({ name, description: source.description });
      const copyPromptId = copy.prompt.id;
      this.sql(
        // A copy starts unapproved: approvals (who, when, the gate) belong to the original's versions.
        `INSERT INTO prompt_versions (prompt_id, number, content_json, content_hash, note, status, created_at)
         SELECT ?, number, content_json, content_hash, note, 'draft', created_at FROM prompt_versions WHERE prompt_id = ? ORDER BY number`,
      ).run(copyPromptId, id);
      this.sql(
        `UPDATE prompt_drafts SET (content_json, variables_json, base_version) =
           (SELECT content_json, variables_json, base_version FROM prompt_drafts WHERE prompt_id = ?)
         WHERE prompt_id = ?`,
      ).run(id, copyPromptId);
      return copyPromptId;
    }).immediate();
    return this.getDetail(copyId);
  }

  /** A prompt's working draft, with `isDirty` against its latest version. */
  getDraft(promptId: number): PromptDraft {
    const row = this.sql<[number], DraftRow>(
      `SELECT prompt_id AS promptId, content_json AS contentJson, variables_json AS variablesJson,
              base_version AS baseVersion, updated_at AS updatedAt, revision
       FROM prompt_drafts WHERE prompt_id = ?`,
    ).get(promptId);
    if (row === undefined) throw promptNotFound(promptId);
    const content = JSON.parse(row.contentJson) as PromptContent;
    const latestHash = this.latestVersion(promptId)?.contentHash ?? null;
    return {
      promptId: row.promptId,
      content,
      variables: JSON.parse(row.variablesJson) as Record<string, string>,
      baseVersion: row.baseVersion,
      isDirty: latestHash === null || latestHash !== hashContent(content),
      updatedAt: row.updatedAt,
      revision: row.revision,
    };
  }

  /**
   * What a run renders from the draft: its content and variable values, without `isDirty`
   * (which hashes the content against the latest version, a cost a run has no use for).
   */
  getDraftSource(promptId: number): DraftSource {
    const row = this.sql<[number], { contentJson: string; variablesJson: string }>(
      'SELECT content_json AS contentJson, variables_json AS variablesJson FROM prompt_drafts WHERE prompt_id = ?',
    ).get(promptId);
    if (row === undefined) throw promptNotFound(promptId);
    return { content: JSON.parse(row.contentJson) as PromptContent, variables: JSON.parse(row.variablesJson) as Record<string, string> };
  }

  /**
   * Autosaves the draft; it keeps the version it started from unless `baseVersion` is given.
   *
   * `baseVersion` (a saved version of the prompt, or null) is how undoing a restore puts back
   * the version the draft was based on before it. With `basedOnRevision` (the draft revision the
   * caller's text started from), a draft written since (another window) is not overwritten: the
   * save is refused as a `conflict` and changes nothing.
   */
  saveDraft(promptId: number, content: PromptContent, variables: Record<string, string>, options: DraftWriteOptions = {}): PromptDraft {
    const contentJson = JSON.stringify(normalizeContent(content));
    const variablesJson = JSON.stringify(variables);
    const { baseVersion, basedOnRevision } = options;
    return this.database.transaction(() => {
      this.checkDraftRevision(promptId, basedOnRevision);
      // A base that is not one of the prompt's versions is refused (not-found), never stored.
      if (baseVersion !== undefined && baseVersion !== null) this.getVersion(promptId, baseVersion);
      const { changes } =
        baseVersion === undefined
          ? this.sql('UPDATE prompt_drafts SET content_json = ?, variables_json = ?, updated_at = ?, revision = revision + 1 WHERE prompt_id = ?').run(
              contentJson,
              variablesJson,
              this.timestamp(),
              promptId,
            )
          : this.sql(
              'UPDATE prompt_drafts SET content_json = ?, variables_json = ?, base_version = ?, updated_at = ?, revision = revision + 1 WHERE prompt_id = ?',
            ).run(contentJson, variablesJson, baseVersion, this.timestamp(), promptId);
      if (changes === 0) throw promptNotFound(promptId);
      return this.getDraft(promptId);
    }).immediate();
  }

  /**
   * Freezes `content` as the next version (latest + 1) and makes it the draft's base, atomically.
   *
   * Refuses with a `conflict` when the content equals the latest version's.
   */
  saveVersion(input: SaveVersionInput): PromptVersionSummary {
    const versionId = this.database.transaction(() => {
      this.getSummary(input.promptId);
      this.checkDraftRevision(input.promptId, input.basedOnRevision);
      const content = normalizeContent(input.content);
      const contentHash = hashContent(content);
      const latest = this.latestVersion(input.promptId);
      if (latest !== null && latest.contentHash === contentHash) {
        throw new WorkbenchError('conflict', `No changes since v${latest.number}`);
      }
      const number = (latest?.number ?? 0) + 1;
      const timestamp = this.timestamp();
      const contentJson = JSON.stringify(content);
      const { lastInsertRowid } = this.sql(
        `INSERT INTO prompt_versions (prompt_id, number, content_json, content_hash, note, status, created_at)
         VALUES (?, ?, ?, ?, ?, 'draft', ?)`,
      ).run(input.promptId, number, contentJson, contentHash, input.note.trim(), timestamp);
      this.sql(
        'UPDATE prompt_drafts SET content_json = ?, variables_json = ?, base_version = ?, updated_at = ?, revision = revision + 1 WHERE prompt_id = ?',
      ).run(contentJson, JSON.stringify(input.variables), number, timestamp, input.promptId);
      this.sql('UPDATE prompts SET updated_at = ? WHERE id = ?').run(timestamp, input.promptId);
      return Number(lastInsertRowid);
    }).immediate();
    return this.sql<[number], VersionRow>(`SELECT ${VERSION_COLUMNS} FROM prompt_versions WHERE id = ?`).get(versionId) as VersionRow;
  }

  /** One saved version with its content. */
  getVersion(promptId: number, number: number): PromptVersion {
    const row = this.sql<[number, number], VersionRow & { contentJson: string }>(
      `SELECT ${VERSION_COLUMNS}, content_json AS contentJson FROM prompt_versions WHERE prompt_id = ? AND number = ?`,
    ).get(promptId, number);
    if (row === undefined) {
      // Named as the user knows it (the CLI and History say this), not by its id.
      const { name } = this.getSummary(promptId);
      throw new WorkbenchError('not-found', `The prompt “${name}” has no version ${number}`);
    }
    const { contentJson, ...summary } = row;
    return { ...summary, content: JSON.parse(contentJson) as PromptContent };
  }

  /**
   * Replaces the draft's content with a saved version's; the variable values stay. With
   * `basedOnRevision`, a draft written since (another window) is refused as a `conflict`.
   */
  restoreVersion(promptId: number, number: number, basedOnRevision?: number): PromptDraft {
    return this.database.transaction(() => {
      const version = this.getVersion(promptId, number);
      this.checkDraftRevision(promptId, basedOnRevision);
      this.sql('UPDATE prompt_drafts SET content_json = ?, base_version = ?, updated_at = ?, revision = revision + 1 WHERE prompt_id = ?').run(
        JSON.stringify(version.content),
        number,
        this.timestamp(),
        promptId,
      );
      return this.getDraft(promptId);
    }).immediate();
  }

  /** Throws `conflict` when the draft was written after `basedOnRevision` (absent: any draft will do). */
  private checkDraftRevision(promptId: number, basedOnRevision: number | undefined): void {
    if (basedOnRevision === undefined) return;
    const row = this.sql<[number], { revision: number }>('SELECT revision FROM prompt_drafts WHERE prompt_id = ?').get(promptId);
    if (row === undefined) throw promptNotFound(promptId);
    if (row.revision !== basedOnRevision) {
      throw new WorkbenchError('conflict', 'This draft was changed in another window since this one last had it: nothing was saved. Choose which draft to keep.');
    }
  }

  private latestVersion(promptId: number): { number: number; contentHash: string } | null {
    const row = this.sql<[number], { number: number; contentHash: string }>(
      'SELECT number, content_hash AS contentHash FROM prompt_versions WHERE prompt_id = ? ORDER BY number DESC LIMIT 1',
    ).get(promptId);
    return row ?? null;
  }

  private updatePrompt(id: number, assignment: string, ...values: unknown[]): void {
    // `assignment` is one of a few fixed strings, so the statement cache stays small.
    const { changes } = this.sql(`UPDATE prompts SET ${assignment}, updated_at = ? WHERE id = ?`).run(...values, this.timestamp(), id);
    if (changes === 0) throw promptNotFound(id);
  }

  /** Throws `conflict` when a prompt other than `ownId` has `name` (see `nameKey`). */
  private checkNameIsFree(name: string, ownId: number | null): void {
    const rows = this.sql<[], { id: number; name: string; archivedAt: string | null }>('SELECT id, name, archived_at AS archivedAt FROM prompts ORDER BY id').all();
    const taken = rows.find((row) => row.id !== ownId && nameKey(row.name) === nameKey(name));
    if (taken === undefined) return;
    const message =
      taken.archivedAt === null
        ? `A prompt named “${taken.name}” already exists: give this one another name`
        : `An archived prompt is named “${taken.name}” (Show archived lists it): give this one another name`;
    throw new WorkbenchError('conflict', message, [{ path: 'name', rule: message }]);
  }

  /** Every prompt's name, archived ones included. */
  private names(): string[] {
    return this.sql<[], { name: string }>('SELECT name FROM prompts').all().map((row) => row.name);
  }

  private isSlugTaken(slug: string): boolean {
    return this.sql<[string], { id: number }>('SELECT id FROM prompts WHERE slug = ?').get(slug) !== undefined;
  }

  private timestamp(): string {
    return this.now().toISOString();
  }
}

function toSummary(row: SummaryRow): PromptSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    isArchived: row.archivedAt !== null,
    versionCount: row.versionCount,
    latestVersion: row.latestVersion,
    updatedAt: row.updatedAt,
  };
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new WorkbenchError('invalid-input', 'Name must not be empty');
  if (trimmed.length > MAX_NAME_LENGTH) {
    throw new WorkbenchError('invalid-input', `Name is longer than ${MAX_NAME_LENGTH} characters`);
  }
  return trimmed;
}

/** `name` ending in `suffix`, shortened first when both would pass the longest name kept. */
function withSuffix(name: string, suffix: string): string {
  return `${name.slice(0, MAX_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
}

function promptNotFound(id: number): WorkbenchError {
  return new WorkbenchError('not-found', `Prompt ${id} does not exist`);
}
