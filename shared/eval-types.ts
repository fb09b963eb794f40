/**
 * Domain types of evaluations: test cases, assertions, eval batches, their cells and summaries.
 *
 * An eval runs versions x models x test cases. Each cell is an ordinary run (stored in `runs`,
 * cached, retried and priced like any other) plus the verdict of every assertion on its output.
 */

import type { RunTarget, RunUsage, VersionRef } from './types';

/** Every kind of assertion. */
export type AssertionType =
  | 'equals'
  | 'contains'
  | 'icontains'
  | 'contains-any'
  | 'contains-all'
  | 'starts-with'
  | 'regex'
  | 'is-json'
  | 'json-schema'
  | 'word-count'
  | 'char-count'
  | 'latency'
  | 'cost'
  | 'similarity'
  | 'llm-judge';

/** Every assertion type, in the order the editor offers them. */
export const ASSERTION_TYPES: readonly AssertionType[] = [
  'contains',
  'icontains',
  'equals',
  'starts-with',
  'contains-any',
  'contains-all',
  'regex',
  'is-json',
  'json-schema',
  'word-count',
  'char-count',
  'similarity',
  'latency',
  'cost',
  'llm-judge',
];

/** What every assertion may carry besides its own fields. */
export interface AssertionCommon {
  /** A short name shown in the grid; the type and value when absent. */
  label?: string;
  /** Its share of the case's score (default 1; 0 reports without counting). */
  weight?: number;
  /** The score (0..1) needed to pass; each type has its own default (1, or 0.8 for similarity, 0.7 for a judge). */
  threshold?: number;
  /** Passes when the check fails, and the other way round. */
  isNegated?: boolean;
}

/** One check of a cell's output. `value` omitted on `equals`/`similarity` means the case's expected output. */
export type Assertion = AssertionCommon &
  (
    | { type: 'equals' | 'similarity'; value?: string }
    | { type: 'contains' | 'icontains' | 'starts-with'; value: string }
    | { type: 'contains-any' | 'contains-all'; values: string[]; isCaseInsensitive?: boolean }
    | { type: 'regex'; pattern: string; flags?: string }
    | { type: 'is-json' }
    /** `schema` is JSON text (a JSON Schema); a schema that does not parse or compile is an error on the assertion. */
    | { type: 'json-schema'; schema: string }
    | { type: 'word-count' | 'char-count'; min?: number; max?: number }
    | { type: 'latency'; maxMs: number }
    | { type: 'cost'; maxUsd: number }
    | { type: 'llm-judge'; rubric: string; judge: RunTarget }
  );

/** A test case of a prompt: variable values, what is expected, and the checks of its output. */
export interface TestCase {
  id: number;
  promptId: number;
  /** Its row in the table, from 0. */
  position: number;
  description: string;
  variables: Record<string, string>;
  /** The expected output, for `equals`, `similarity` and the output-vs-expected diff; null when none. */
  expected: string | null;
  tags: string[];
  assertions: Assertion[];
}

/** A test case as edited or imported (no id yet, or the id of the row it replaces). */
export interface TestCaseInput {
  id?: number;
  description?: string;
  variables: Record<string, string>;
  expected?: string | null;
  tags?: string[];
  assertions?: Assertion[];
}

/** A prompt's test cases and the assertions every case gets (GitHub Models `evaluators`, promptfoo `defaultTest`). */
export interface TestSuite {
  promptId: number;
  defaultAssertions: Assertion[];
  cases: TestCase[];
  updatedAt: string | null;
}

/** Every format test cases import from and export to. */
export type TestCaseFormat = 'csv' | 'jsonl' | 'yaml' | 'prompt-yml' | 'promptfoo';

/** A row that did not import, and why. */
export interface ImportProblem {
  /**
   * 1-based row (CSV: line of the record; JSONL: line; YAML: item number; a prompt file: the
   * testData item, evaluator or default check); null when the problem is in none (a prompt
   * file's extension case that names no testData item), its field and line then say where.
   */
  row: number | null;
  /** The column or field at fault, when one is. */
  field: string | null;
  message: string;
  /** True for a note on something imported all the same (a variable the prompt does not use), not a problem that left it out. */
  isImported?: true;
}

/** What an import did. */
export interface TestCaseImportResult {
  suite: TestSuite;
  imported: number;
  /**
   * The file's default checks that now apply to every case: those it added to the suite's
   * (append: the ones the suite did not have), or all of its own that replaced them (replace).
   */
  defaultChecks: number;
  problems: ImportProblem[];
}

/** Test cases written out in a format. */
export interface TestCaseExport {
  fileName: string;
  text: string;
}

/** The verdict of one assertion on one output. */
export interface AssertionResult {
  /** Index in the case's effective assertions (defaults first, then the case's own). */
  index: number;
  assertion: Assertion;
  isPassed: boolean;
  /** 0..1, after negation. */
  score: number;
  /** Why, in a sentence a user can act on. */
  reason: string;
  /** Set when the check could not be made (invalid regex, unparseable judge verdict: its raw text). */
  error: string | null;
  /** The judge's own run, tokens and cost (never added to the cell's run). */
  judge: JudgeCost | null;
}

/** What a judge call cost, kept apart from the judged run. */
export interface JudgeCost {
  runId: number | null;
  model: string;
  usage: RunUsage;
  costUsd: number | null;
}

/** The state of one eval cell. */
export type EvalCellStatus = 'pending' | 'running' | 'passed' | 'failed' | 'error' | 'cancelled';

/** The state of an eval batch. */
export type EvalStatus = 'running' | 'done' | 'cancelled' | 'interrupted';

/** One column of the grid: a version on a model. */
export interface EvalColumn {
  /** Stable key `v<version or draft>@<providerId>/<model>`. */
  key: string;
  /** A saved version, or the draft as it was when the eval started (its content is kept for resume). */
  version: VersionRef;
  target: RunTarget;
  providerLabel: string;
}

/** One cell of the grid as listed. */
export interface EvalCell {
  caseId: number;
  columnKey: string;
  status: EvalCellStatus;
  score: number | null;
  runId: number | null;
  isCached: boolean;
  costUsd: number | null;
  judgeCostUsd: number | null;
  latencyMs: number | null;
  /** The first failing assertion's reason, or the error, for the grid's tooltip. */
  summary: string | null;
}

/** One cell opened: its output, every assertion's verdict and the expected output. */
export interface EvalCellDetail extends EvalCell {
  output: string;
  expected: string | null;
  variables: Record<string, string>;
  error: string | null;
  /** What the provider left out of the cell's request to have it accepted (see `RunRecord.notices`). */
  notices: string[];
  results: AssertionResult[];
}

/** Figures of one column. */
export interface EvalColumnSummary {
  columnKey: string;
  total: number;
  passed: number;
  failed: number;
  errors: number;
  /** passed / finished cells; null before any finished. */
  passRate: number | null;
  meanScore: number | null;
  /** What the column's runs cost over every try (Resume, Retry errors): the columns add up to the eval's `costUsd`. */
  costUsd: number;
  /** What the column's judges cost over every try: the columns add up to the eval's `judgeCostUsd`. */
  judgeCostUsd: number;
  /** `costUsd` over the finished cells; null before any finished. */
  costPerCaseUsd: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  inputTokens: number;
  outputTokens: number;
  /** Finished cells whose run has no price: their cost is not in `costUsd`. */
  unpricedRunCells: number;
  /** Finished cells judged by a model without a price: their judging is not in `judgeCostUsd`. */
  unpricedJudgeCells: number;
}

/** A case whose verdict differs between the baseline version and another version on the same model. */
export interface EvalVerdictChange {
  caseId: number;
  baselineColumnKey: string;
  columnKey: string;
}

/** A case that passed on the baseline and fails on another version (same model). */
export type EvalRegression = EvalVerdictChange;

/** A case that failed on the baseline and passes on another version (same model). */
export type EvalImprovement = EvalVerdictChange;

/** An eval batch as listed. */
export interface EvalSummary {
  id: number;
  promptId: number;
  status: EvalStatus;
  versions: VersionRef[];
  targets: RunTarget[];
  caseCount: number;
  cellCount: number;
  doneCount: number;
  passedCount: number;
  failedCount: number;
  errorCount: number;
  costUsd: number;
  judgeCostUsd: number;
  /** The version regressions are measured against (approved by default); null without one. */
  baselineVersion: number | null;
  concurrency: number;
  createdAt: string;
  finishedAt: string | null;
}

/** An eval with its grid. */
export interface EvalDetail extends EvalSummary {
  columns: EvalColumn[];
  /** The cases as they were when the eval ran (descriptions, tags, expected). */
  cases: Pick<TestCase, 'id' | 'position' | 'description' | 'tags' | 'expected'>[];
  cells: EvalCell[];
  summaries: EvalColumnSummary[];
  /** Regressions first in the grid. */
  regressions: EvalRegression[];
  /** Improvements next in the grid, after the regressions. */
  improvements: EvalImprovement[];
}

/** One point of the trend chart: the latest finished eval of a version on a model. */
export interface EvalTrendPoint {
  version: number;
  target: RunTarget;
  evalId: number;
  passRate: number | null;
  meanScore: number | null;
  costUsd: number;
}

/** Progress of a running eval (at most a few per second). */
export interface EvalProgress {
  evalId: number;
  doneCount: number;
  cellCount: number;
  passedCount: number;
  failedCount: number;
  errorCount: number;
  costUsd: number;
  /** What the judges have cost so far, apart from the runs' cost. */
  judgeCostUsd: number;
  /** Cells that finished since the last progress event. */
  cells: EvalCell[];
}
