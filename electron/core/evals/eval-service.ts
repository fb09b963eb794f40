/**
 * Evals as the bridge sees them: a prompt's test suite (edit, import, export) and eval
 * batches (start, resume, cancel, read). The handlers in engine.ts call these and nothing else.
 */

import { canonicalJson } from '../canonical-json';
import { MAX_EVAL_CELLS, MAX_TEST_CASES, type CallParsed } from '../../../shared/contract';
import { formatBudgetUsd, formatUsd } from '../../../shared/cost';
import { WorkbenchError } from '../../../shared/errors';
import type {
  Assertion,
  EvalCellDetail,
  EvalDetail,
  EvalSummary,
  EvalTrendPoint,
  TestCaseExport,
  TestCaseImportResult,
  TestSuite,
} from '../../../shared/eval-types';
import { collectVariables } from '../../../shared/template';
import type { PromptContent, RunTarget } from '../../../shared/types';
import type { PromptStore } from '../prompt-store';
import type { ProviderSettingsStore } from '../providers/provider-settings-store';
import type { RunPlanner } from '../runs/run-planner';
import type { EvalRunner } from './eval-runner';
import { columnKey, type EvalCaseSnapshot, type EvalStore, type NewEvalColumn, type VersionEvalResult } from './eval-store';
import { checksWithoutJudgeProvider, suiteCheckGroups } from './file-judge';
import { capitalized, listed } from '../../../shared/sentence';
import { exportTestCases, parseTestCases } from './test-case-io';
import type { TestSuiteStore } from './test-suite-store';

/** Cells an eval keeps in flight unless it says otherwise. */
export const DEFAULT_EVAL_CONCURRENCY = 4;

/** What the service works with. */
export interface EvalServiceDependencies {
  suites: TestSuiteStore;
  evals: EvalStore;
  runner: EvalRunner;
  planner: RunPlanner;
  prompts: PromptStore;
  providers: ProviderSettingsStore;
  /** The judge set in Settings (null: none), for what an import's notes call its judge. */
  judgeSetting: () => RunTarget | null;
  /** Whether a process still runs, to tell an eval of the other host from one a dead process left. */
  isProcessAlive: (pid: number) => boolean;
  now: () => Date;
}

/** Test suites and evals. */
export class EvalService {
  private readonly deps: EvalServiceDependencies;

  constructor(deps: EvalServiceDependencies) {
    this.deps = deps;
  }

  /** A prompt's test cases and default assertions. */
  suite(promptId: number): TestSuite {
    return this.deps.suites.get(promptId);
  }

  /** Replaces a prompt's suite. */
  saveSuite(input: CallParsed<'evals:saveSuite'>): TestSuite {
    return this.deps.suites.save(input.promptId, input.defaultAssertions, input.cases);
  }

  /**
   * Imports test cases from a file's text: the rows that parse are added (or replace the
   * cases), the others come back as problems by row and field. Default assertions in the file
   * (GitHub Models `evaluators`, promptfoo `defaultTest`) join the suite's, or replace them
   * when the cases are replaced. Checks the file leaves to a model grader (github/coherence,
   * `llm` evaluators, llm-rubric) become llm-judge assertions graded by `judge`, when given; an
   * llm-judge's own judge is found here by its provider's name (else `judge` grades it, with a
   * note; see file-judge.ts).
   */
  import(input: CallParsed<'evals:import'>): TestCaseImportResult {
    const { promptId, format, text } = input;
    const isReplacing = input.mode === 'replace';
    const current = this.deps.suites.get(promptId);
    const variableNames = collectVariables(this.deps.prompts.getDraftSource(promptId).content.messages);
    // The judge of model-graded checks must be a provider of this machine (throws `not-found` otherwise).
    if (input.judge !== undefined) this.deps.providers.endpoint(input.judge.providerId);
    const judge = input.judge ?? null;
    const setting = this.deps.judgeSetting();
    const isSettingsJudge = judge !== null && setting !== null && judge.providerId === setting.providerId && judge.model === setting.model;
    const parsed = parseTestCases(format, text, {
      variableNames,
      judges: { providers: this.deps.providers.identities(), judge, judgeOrigin: isSettingsJudge ? 'the judge in Settings' : 'the judge chosen in Import' },
    });
    const total = (isReplacing ? 0 : current.cases.length) + parsed.cases.length;
    if (total > MAX_TEST_CASES) {
      throw new WorkbenchError('invalid-input', `A prompt holds at most ${MAX_TEST_CASES} test cases; this import would make ${total}`);
    }
    let suite: TestSuite;
    let defaultChecks: number;
    if (isReplacing) {
      const defaults = parsed.defaultAssertions.length > 0 ? parsed.defaultAssertions : current.defaultAssertions;
      suite = this.deps.suites.save(promptId, defaults, parsed.cases);
      defaultChecks = parsed.defaultAssertions.length;
    } else {
      const known = new Set(current.defaultAssertions.map((assertion) => canonicalJson(assertion)));
      const added = parsed.defaultAssertions.filter((assertion) => !known.has(canonicalJson(assertion)));
      suite = this.deps.suites.append(promptId, parsed.cases, added.length > 0 ? [...current.defaultAssertions, ...added] : null);
      defaultChecks = added.length;
    }
    return { suite, imported: parsed.cases.length, defaultChecks, problems: parsed.problems };
  }

  /** A prompt's test cases written out in a format, LLM judges named by their providers' names. */
  export(input: CallParsed<'evals:export'>): TestCaseExport {
    const suite = this.deps.suites.get(input.promptId);
    return exportTestCases(input.format, suite, this.deps.prompts.getSummary(input.promptId).slug, this.deps.providers.identities());
  }

  /**
   * Stores an eval (its columns, a snapshot of its cases, every cell pending) and starts it;
   * returns at once. Refused when the prompt has no cases, a version or provider does not
   * exist, or the estimate would go over today's budget.
   */
  start(input: CallParsed<'evals:start'>): EvalSummary {
    const { evals, suites, prompts, providers } = this.deps;
    const { promptId, versions, targets } = input;
    const evalId = evals.transaction(() => {
      const suite = suites.get(promptId);
      const cases = input.caseIds === undefined ? suite.cases : suites.cases(promptId, input.caseIds);
      if (cases.length === 0) {
        throw new WorkbenchError('invalid-input', 'This prompt has no test cases yet: add or import some before running an eval');
      }
      // Refused before anything is spent: every cell would pay for its model's answer, then fail to grade it.
      const judgeless = this.checksWithoutJudge(suiteCheckGroups(suite.defaultAssertions, cases));
      if (judgeless !== null) {
        const prompt = prompts.getSummary(promptId).name;
        throw new WorkbenchError('conflict', `${capitalized(judgeless.text)} of “${prompt}” ${judgeless.verb} no judge: ${judgeless.its} provider was removed in Settings › Providers. Choose another judge for ${judgeless.it} in Evals › Test cases, then run the eval`);
      }
      const cellCount = cases.length * versions.length * targets.length;
      if (cellCount > MAX_EVAL_CELLS) {
        throw new WorkbenchError('invalid-input', `An eval runs at most ${MAX_EVAL_CELLS} cells; ${cases.length} cases x ${versions.length} versions x ${targets.length} models make ${cellCount}`);
      }
      const targetKeys = new Set(targets.map((target) => `${target.providerId}/${target.model}`));
      if (targetKeys.size !== targets.length) throw new WorkbenchError('invalid-input', 'A model is listed twice');
      const contents = versions.map((version): PromptContent | null => {
        if (version === 'draft') return prompts.getDraftSource(promptId).content;
        // Saved versions are immutable, so only the draft's content is kept; this refuses a version that does not exist.
        prompts.getVersion(promptId, version);
        return null;
      });
      const endpoints = targets.map((target) => providers.endpointOfTarget(target));
      let baselineVersion: number | null;
      if (input.baselineVersion === null) {
        baselineVersion = null;
      } else if (input.baselineVersion !== undefined) {
        if (!versions.includes(input.baselineVersion)) {
          throw new WorkbenchError('invalid-input', `The baseline v${input.baselineVersion} is not one of the versions this eval runs`);
        }
        baselineVersion = input.baselineVersion;
      } else {
        const approved = evals.latestApprovedVersion(promptId);
        baselineVersion = approved !== null && versions.includes(approved) ? approved : null;
      }
      const columns: NewEvalColumn[] = versions.flatMap((version, versionIndex) =>
        targets.map((target, targetIndex) => ({
          key: columnKey(version, target.providerId, target.model),
          version,
          draftContent: contents[versionIndex],
          providerId: target.providerId,
          providerLabel: endpoints[targetIndex].label,
          model: target.model,
        })),
      );
      const snapshots: EvalCaseSnapshot[] = cases.map((testCase) => ({
        caseId: testCase.id,
        position: testCase.position,
        description: testCase.description,
        variables: testCase.variables,
        expected: testCase.expected,
        tags: testCase.tags,
        // Cases without assertions of their own share the defaults' array (written and parsed once).
        assertions: effectiveAssertions(suite.defaultAssertions, testCase.assertions),
      }));
      const id = evals.create({
        promptId,
        versions,
        targets,
        concurrency: input.concurrency ?? DEFAULT_EVAL_CONCURRENCY,
        baselineVersion,
        isCacheBypassed: input.bypassCache === true,
        columns,
        cases: snapshots,
        defaultAssertions: suite.defaultAssertions,
        createdAt: this.deps.now().toISOString(),
      });
      // Refusing here rolls the eval back with the rest of the transaction.
      this.checkBudget(id);
      return id;
    });
    this.deps.runner.launch(evalId);
    return evals.summary(evalId);
  }

  /** Runs the cells of an ended eval that are not done (errors too with `isRetryingErrors`). */
  resume(input: CallParsed<'evals:resume'>): EvalSummary {
    const { evals, runner } = this.deps;
    const { evalId } = input;
    evals.transaction(() => {
      const state = evals.state(evalId);
      if (runner.isRunning(evalId)) throw new WorkbenchError('conflict', `Eval ${evalId} is already running`);
      if (state.status === 'running' && state.ownerPid !== process.pid && this.deps.isProcessAlive(state.ownerPid)) {
        throw new WorkbenchError('conflict', `Eval ${evalId} is running in another window of the workbench (process ${state.ownerPid})`);
      }
      // Cells of a column whose provider is gone could only fail on that: what they recorded stays.
      const orphaned = evals.rerunColumnsWithoutProvider(evalId, input.isRetryingErrors === true);
      if (orphaned.length > 0) {
        throw new WorkbenchError(
          'conflict',
          `Cannot ${input.isRetryingErrors === true ? 'retry the errors of' : 'resume'} eval ${evalId}: its provider has been removed for ${orphaned.join(', ')}. Its results stay as they were; run a new eval on a configured model`,
        );
      }
      const rerun = evals.rerunCaseIds(evalId, input.isRetryingErrors === true);
      const source = evals.planSource(evalId);
      const judgeless = this.checksWithoutJudge(
        evalCheckGroups(
          source.defaultAssertions,
          [...source.cases.values()].filter((testCase) => rerun.has(testCase.caseId)),
        ),
      );
      if (judgeless !== null) {
        throw new WorkbenchError(
          'conflict',
          `Cannot ${input.isRetryingErrors === true ? 'retry the errors of' : 'resume'} eval ${evalId}: ${judgeless.text} ${judgeless.verb} no judge, as ${judgeless.its} provider was removed in Settings › Providers. Its results stay as they were; choose another judge for ${judgeless.it} in Evals › Test cases and run a new eval`,
        );
      }
      evals.reopen(evalId, input.isRetryingErrors === true);
      this.checkBudget(evalId);
    });
    runner.launch(evalId);
    return evals.summary(evalId);
  }

  /** Cancels a running eval (finished cells stay); `eval:done` follows once its cells in flight have stopped. */
  cancel(evalId: number): EvalSummary {
    if (!this.deps.runner.cancel(evalId)) {
      const state = this.deps.evals.state(evalId);
      if (state.status === 'running' && state.ownerPid !== process.pid && this.deps.isProcessAlive(state.ownerPid)) {
        throw new WorkbenchError('conflict', `Eval ${evalId} is running in another window of the workbench (process ${state.ownerPid}): cancel it there`);
      }
    }
    return this.deps.evals.summary(evalId);
  }

  /** A prompt's evals, newest first. */
  list(input: CallParsed<'evals:list'>): EvalSummary[] {
    this.deps.prompts.getSummary(input.promptId);
    return this.deps.evals.list(input.promptId, input.limit);
  }

  /** One eval with its grid, summaries and regressions. */
  get(evalId: number): EvalDetail {
    return this.deps.evals.detail(evalId);
  }

  /** One cell opened. */
  cell(input: CallParsed<'evals:cell'>): EvalCellDetail {
    return this.deps.evals.cell(input.evalId, input.caseId, input.columnKey);
  }

  /** The latest finished eval of each version x model, for the chart. */
  trend(promptId: number): EvalTrendPoint[] {
    this.deps.prompts.getSummary(promptId);
    return this.deps.evals.trend(promptId);
  }

  /** The latest finished eval of a saved version (the approval gate's question). */
  latestVersionEval(promptId: number, versionNumber: number): VersionEvalResult | null {
    return this.deps.evals.latestVersionEval(promptId, versionNumber);
  }

  /**
   * The LLM-judge checks among `groups` whose judge's provider was removed, at most three named,
   * with the words a sentence about them needs; null when every judge is here.
   */
  private checksWithoutJudge(groups: readonly { where: string; assertions: readonly Assertion[] }[]): { text: string; verb: string; its: string; it: string } | null {
    const found = checksWithoutJudgeProvider(groups, this.deps.providers.identities());
    if (found.length === 0) return null;
    const shown = found.length > 3 ? [...found.slice(0, 3), `${found.length - 3} more`] : found;
    const isOne = found.length === 1;
    return { text: listed(shown), verb: isOne ? 'has' : 'have', its: isOne ? 'its' : 'their', it: isOne ? 'it' : 'them' };
  }

  /** Refuses an eval whose pending cells would take today's spending over the daily budget. */
  private checkBudget(evalId: number): void {
    const dailyBudgetUsd = this.deps.planner.dailyBudget();
    if (dailyBudgetUsd === null) return;
    const estimateUsd = this.deps.runner.estimate(evalId);
    const budget = this.deps.planner.budgetFor(estimateUsd, dailyBudgetUsd);
    if (budget.exceedsByUsd === null) return;
    throw new WorkbenchError(
      'conflict',
      `This eval would go over today’s budget of ${formatBudgetUsd(dailyBudgetUsd)} by ${formatUsd(budget.exceedsByUsd)}: ` +
        `${formatUsd(budget.spentTodayUsd)} spent so far today, and its cells are estimated at ${formatUsd(estimateUsd)}`,
    );
  }
}

/**
 * The checks of an eval's cases in the groups `checksWithoutJudgeProvider` takes, as the suite
 * had them: the default checks once (when the eval kept them), then each case's own. An eval
 * stored before it kept its defaults has only its cases' merged checks to show.
 */
function evalCheckGroups(defaults: readonly Assertion[] | null, cases: readonly EvalCaseSnapshot[]): { where: string; assertions: readonly Assertion[] }[] {
  const ordered = [...cases].sort((left, right) => left.position - right.position);
  if (defaults === null) return ordered.map((testCase) => ({ where: `case ${testCase.position + 1}`, assertions: testCase.assertions }));
  return suiteCheckGroups(
    cases.length === 0 ? [] : defaults,
    // Every case's checks start with the defaults (effectiveAssertions): what follows is its own.
    ordered.map((testCase) => ({ position: testCase.position, assertions: testCase.assertions.slice(defaults.length) })),
  );
}

/** The suite's defaults, then the case's own. */
function effectiveAssertions(defaults: Assertion[], own: Assertion[]): Assertion[] {
  if (own.length === 0) return defaults;
  if (defaults.length === 0) return own;
  return [...defaults, ...own];
}
