/**
 * Approvals in SQLite: approving a version (who, when, note, the gate it passed) and
 * withdrawing an approval while the version is unreleased. `prompt_versions.status` follows in
 * the same transaction, so everything that reads the status (version lists, the eval baseline)
 * agrees with the approvals.
 */

import { WorkbenchError } from '../../../shared/errors';
import type { GateCheck, VersionApproval } from '../../../shared/release-types';
import type { Database } from '../database';
import { statementCache } from '../prepared-statements';

interface ApprovalRow {
  promptId: number;
  versionNumber: number;
  note: string;
  approvedBy: string;
  approvedAt: string;
  gateJson: string | null;
}

const APPROVAL_COLUMNS = `prompt_id AS promptId, version_number AS versionNumber, note, approved_by AS approvedBy,
  approved_at AS approvedAt, gate_json AS gateJson`;

/** What approving records. */
export interface ApproveInput {
  promptId: number;
  versionNumber: number;
  note: string;
  approvedBy: string;
  gate: GateCheck | null;
}

/** The approvals of saved versions. */
export class ApprovalStore {
  private readonly database: Database;
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly now: () => Date;

  constructor(database: Database, now: () => Date = () => new Date()) {
    this.database = database;
    this.sql = statementCache(database);
    this.now = now;
  }

  /** Approves a version; refuses one already approved or a gate that did not pass. */
  approve(input: ApproveInput): VersionApproval {
    if (input.gate !== null && !input.gate.isPassed) {
      throw new WorkbenchError('conflict', `v${input.versionNumber} was not approved: ${input.gate.reason}`);
    }
    return this.database.transaction(() => {
      const versionId = this.versionId(input.promptId, input.versionNumber);
      const existing = this.get(input.promptId, input.versionNumber);
      if (existing !== null) {
        throw new WorkbenchError('conflict', `v${input.versionNumber} is already approved (by ${existing.approvedBy}, ${existing.approvedAt})`);
      }
      this.sql(
        `INSERT INTO version_approvals (version_id, prompt_id, version_number, note, approved_by, approved_at, gate_json)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        versionId,
        input.promptId,
        input.versionNumber,
        input.note.trim(),
        input.approvedBy,
        this.now().toISOString(),
        input.gate === null ? null : JSON.stringify(input.gate),
      );
      this.sql("UPDATE prompt_versions SET status = 'approved' WHERE id = ?").run(versionId);
      return this.get(input.promptId, input.versionNumber) as VersionApproval;
    }).immediate();
  }

  /** Withdraws an approval; refuses once the version has been released (its tag says it was approved). */
  withdraw(promptId: number, versionNumber: number): void {
    this.database.transaction(() => {
      const versionId = this.versionId(promptId, versionNumber);
      if (this.get(promptId, versionNumber) === null) throw new WorkbenchError('conflict', `v${versionNumber} is not approved`);
      const release = this.sql<[number, number], { tag: string }>(
        'SELECT tag FROM releases WHERE prompt_id = ? AND version_number = ? ORDER BY id LIMIT 1',
      ).get(promptId, versionNumber);
      if (release !== undefined) {
        throw new WorkbenchError('conflict', `v${versionNumber} was released as ${release.tag}; a released version stays approved`);
      }
      this.sql('DELETE FROM version_approvals WHERE version_id = ?').run(versionId);
      this.sql("UPDATE prompt_versions SET status = 'draft' WHERE id = ?").run(versionId);
    }).immediate();
  }

  /** The approval of one version, or null. */
  get(promptId: number, versionNumber: number): VersionApproval | null {
    const row = this.sql<[number, number], ApprovalRow>(
      `SELECT ${APPROVAL_COLUMNS} FROM version_approvals WHERE prompt_id = ? AND version_number = ?`,
    ).get(promptId, versionNumber);
    return row === undefined ? null : toApproval(row);
  }

  /** Every approval of a prompt, newest version first. */
  listForPrompt(promptId: number): VersionApproval[] {
    return this.sql<[number], ApprovalRow>(
      `SELECT ${APPROVAL_COLUMNS} FROM version_approvals WHERE prompt_id = ? ORDER BY version_number DESC`,
    )
      .all(promptId)
      .map(toApproval);
  }

  /** Approved version numbers of every prompt, newest first. */
  approvedVersionsByPrompt(): Map<number, number[]> {
    const result = new Map<number, number[]>();
    for (const row of this.sql<[], { promptId: number; versionNumber: number }>(
      'SELECT prompt_id AS promptId, version_number AS versionNumber FROM version_approvals ORDER BY prompt_id, version_number DESC',
    ).all()) {
      const list = result.get(row.promptId) ?? [];
      list.push(row.versionNumber);
      result.set(row.promptId, list);
    }
    return result;
  }

  private versionId(promptId: number, versionNumber: number): number {
    const row = this.sql<[number, number], { id: number }>('SELECT id FROM prompt_versions WHERE prompt_id = ? AND number = ?').get(
      promptId,
      versionNumber,
    );
    if (row !== undefined) return row.id;
    const prompt = this.sql<[number], { name: string }>('SELECT name FROM prompts WHERE id = ?').get(promptId);
    if (prompt === undefined) throw new WorkbenchError('not-found', `Prompt ${promptId} does not exist`);
    throw new WorkbenchError('not-found', `The prompt “${prompt.name}” has no version ${versionNumber}`);
  }
}

function toApproval(row: ApprovalRow): VersionApproval {
  return {
    promptId: row.promptId,
    versionNumber: row.versionNumber,
    note: row.note,
    approvedBy: row.approvedBy,
    approvedAt: row.approvedAt,
    gate: row.gateJson === null ? null : (JSON.parse(row.gateJson) as GateCheck),
  };
}
