/**
 * A prompt's test suite in SQLite: its cases in table order and the assertions every case gets.
 *
 * Saving replaces the suite in one transaction: rows that come back with their id keep it (so
 * an eval's cases still name them), new rows get one, rows left out are deleted.
 */

import { WorkbenchError } from '../../../shared/errors';
import type { Assertion, TestCase, TestCaseInput, TestSuite } from '../../../shared/eval-types';
import type { Database } from '../database';
import { statementCache } from '../prepared-statements';

interface CaseRow {
  id: number;
  promptId: number;
  position: number;
  description: string;
  variablesJson: string;
  expected: string | null;
  tagsJson: string;
  assertionsJson: string;
}

const CASE_COLUMNS = `id, prompt_id AS promptId, position, description, variables_json AS variablesJson, expected,
  tags_json AS tagsJson, assertions_json AS assertionsJson`;

/** Test suites over an open database. */
export class TestSuiteStore {
  private readonly database: Database;
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly now: () => Date;

  constructor(database: Database, now: () => Date = () => new Date()) {
    this.database = database;
    this.sql = statementCache(database);
    this.now = now;
  }

  /** A prompt's suite (empty when it has none yet). */
  get(promptId: number): TestSuite {
    return this.database.transaction(() => {
      this.requirePrompt(promptId);
      const suite = this.sql<[number], { defaultAssertionsJson: string; updatedAt: string }>(
        'SELECT default_assertions_json AS defaultAssertionsJson, updated_at AS updatedAt FROM test_suites WHERE prompt_id = ?',
      ).get(promptId);
      const cases = this.sql<[number], CaseRow>(`SELECT ${CASE_COLUMNS} FROM test_cases WHERE prompt_id = ? ORDER BY position, id`)
        .all(promptId)
        .map(toTestCase);
      return {
        promptId,
        defaultAssertions: suite === undefined ? [] : (JSON.parse(suite.defaultAssertionsJson) as Assertion[]),
        cases,
        updatedAt: suite?.updatedAt ?? null,
      };
    })();
  }

  /**
   * The llm-judge checks (defaults and cases') judged by a model of provider `providerId`, and
   * the names of the prompts whose suites hold them, in library order: what loses its judge when
   * that provider is removed.
   */
  judgedBy(providerId: number): { checkCount: number; promptNames: string[] } {
    // Only rows that hold a judged check at all are parsed.
    const rows = this.sql<[], { name: string; json: string }>(
      `SELECT p.name, s.default_assertions_json AS json FROM test_suites s JOIN prompts p ON p.id = s.prompt_id WHERE instr(s.default_assertions_json, 'llm-judge') > 0
       UNION ALL
       SELECT p.name, c.assertions_json AS json FROM test_cases c JOIN prompts p ON p.id = c.prompt_id WHERE instr(c.assertions_json, 'llm-judge') > 0`,
    ).all();
    let checkCount = 0;
    const names = new Set<string>();
    for (const row of rows) {
      const judged = (JSON.parse(row.json) as Assertion[]).filter((assertion) => assertion.type === 'llm-judge' && assertion.judge.providerId === providerId).length;
      if (judged === 0) continue;
      checkCount += judged;
      names.add(row.name);
    }
    return { checkCount, promptNames: [...names].sort((left, right) => left.localeCompare(right)) };
  }

  /** The cases of `caseIds` (all when absent), in table order; an id not in the suite is refused. */
  cases(promptId: number, caseIds?: readonly number[]): TestCase[] {
    const all = this.get(promptId).cases;
    if (caseIds === undefined) return all;
    const wanted = new Set(caseIds);
    const found = all.filter((testCase) => wanted.has(testCase.id));
    if (found.length !== wanted.size) {
      const known = new Set(all.map((testCase) => testCase.id));
      const missing = [...wanted].filter((id) => !known.has(id));
      throw new WorkbenchError('not-found', `Prompt ${promptId} has no test case ${missing.join(', ')}`);
    }
    return found;
  }

  /**
   * Replaces the suite: `cases` in this order, each keeping its id when it gives one of this
   * prompt's rows (any other id is a new row), the others deleted; and the default assertions.
   */
  save(promptId: number, defaultAssertions: readonly Assertion[], cases: readonly TestCaseInput[]): TestSuite {
    this.database.transaction(() => {
      this.requirePrompt(promptId);
      const at = this.timestamp();
      const existing = new Set(this.sql<[number], { id: number }>('SELECT id FROM test_cases WHERE prompt_id = ?').all(promptId).map((row) => row.id));
      const kept = new Set<number>();
      const update = this.sql(
        `UPDATE test_cases SET position = ?, description = ?, variables_json = ?, expected = ?, tags_json = ?, assertions_json = ?, updated_at = ?
         WHERE id = ?`,
      );
      const rows: { index: number; input: TestCaseInput }[] = [];
      cases.forEach((input, index) => {
        if (input.id !== undefined && existing.has(input.id) && !kept.has(input.id)) {
          kept.add(input.id);
          update.run(index, ...caseValues(input), at, input.id);
        } else {
          rows.push({ index, input });
        }
      });
      const remove = this.sql('DELETE FROM test_cases WHERE id = ?');
      for (const id of existing) if (!kept.has(id)) remove.run(id);
      for (const { index, input } of rows) this.insertCase(promptId, index, input, at);
      this.writeSuite(promptId, defaultAssertions, at);
    }).immediate();
    return this.get(promptId);
  }

  /** Adds cases after the last one (ids they carry are ignored); `defaultAssertions` replace the suite's when given. */
  append(promptId: number, cases: readonly TestCaseInput[], defaultAssertions: readonly Assertion[] | null): TestSuite {
    this.database.transaction(() => {
      this.requirePrompt(promptId);
      const at = this.timestamp();
      const last = this.sql<[number], { position: number | null }>('SELECT max(position) AS position FROM test_cases WHERE prompt_id = ?').get(promptId);
      const start = (last?.position ?? -1) + 1;
      cases.forEach((input, index) => this.insertCase(promptId, start + index, input, at));
      if (defaultAssertions !== null) this.writeSuite(promptId, defaultAssertions, at);
      else this.touchSuite(promptId, at);
    }).immediate();
    return this.get(promptId);
  }

  private insertCase(promptId: number, position: number, input: TestCaseInput, at: string): void {
    this.sql(
      `INSERT INTO test_cases (prompt_id, position, description, variables_json, expected, tags_json, assertions_json, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(promptId, position, ...caseValues(input), at, at);
  }

  private writeSuite(promptId: number, defaultAssertions: readonly Assertion[], at: string): void {
    this.sql(
      `INSERT INTO test_suites (prompt_id, default_assertions_json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (prompt_id) DO UPDATE SET default_assertions_json = excluded.default_assertions_json, updated_at = excluded.updated_at`,
    ).run(promptId, JSON.stringify(defaultAssertions), at);
  }

  private touchSuite(promptId: number, at: string): void {
    this.sql(
      `INSERT INTO test_suites (prompt_id, updated_at) VALUES (?, ?)
       ON CONFLICT (prompt_id) DO UPDATE SET updated_at = excluded.updated_at`,
    ).run(promptId, at);
  }

  private requirePrompt(promptId: number): void {
    if (this.sql<[number], { id: number }>('SELECT id FROM prompts WHERE id = ?').get(promptId) === undefined) {
      throw new WorkbenchError('not-found', `Prompt ${promptId} does not exist`);
    }
  }

  private timestamp(): string {
    return this.now().toISOString();
  }
}

/** description, variables, expected, tags and assertions as stored. */
function caseValues(input: TestCaseInput): [string, string, string | null, string, string] {
  return [
    input.description ?? '',
    JSON.stringify(input.variables),
    input.expected ?? null,
    JSON.stringify(input.tags ?? []),
    JSON.stringify(input.assertions ?? []),
  ];
}

function toTestCase(row: CaseRow): TestCase {
  return {
    id: row.id,
    promptId: row.promptId,
    position: row.position,
    description: row.description,
    variables: JSON.parse(row.variablesJson) as Record<string, string>,
    expected: row.expected,
    tags: JSON.parse(row.tagsJson) as string[],
    assertions: JSON.parse(row.assertionsJson) as Assertion[],
  };
}
