/**
 * `workbench eval`: finds (or imports) the prompt, resolves versions and models, runs the eval
 * on the engine every host uses, and reports it. Every call goes through `dispatchCall`, so
 * the CLI's input is validated by the same schemas as the app's.
 */

import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../core/canonical-json';
import { createEngine, type Engine } from '../core/engine';
import type { JudgeContext } from '../core/evals/file-judge';
import { parseTestCases } from '../core/evals/test-case-io';
import { decodeText } from '../../shared/decode-text';
import { describeProblemPlace } from '../../shared/import-problem-place';
import { defaultDataDir } from '../core/paths';
import { hashContent } from '../core/prompt-content';
import { parsePromptFile } from '../core/prompt-file';
import { isKeyRequired } from '../core/providers/provider-settings-store';
import { assertNever } from '../../shared/assert-never';
import { WorkbenchError } from '../../shared/errors';
import { dispatchCall } from '../core/rpc';
import { draftVariables } from '../core/seed';
import type { CallInput, CallName, CallOutput } from '../../shared/contract';
import { formatUsd } from '../../shared/cost';
import type { EvalProgress, EvalSummary, TestCaseInput } from '../../shared/eval-types';
import { collectVariables } from '../../shared/template';
import { nameKey } from '../../shared/unique-name';
import type { PromptContent, ProviderSettings, RunTarget, VersionRef } from '../../shared/types';
import { EXIT, UsageError } from './cli-error';
import type { EvalArguments, ModelSpec } from './eval-arguments';
import { formatReport, isPassing } from './eval-report';

/** Where the command reads and writes, and what it may know of its process. */
export interface CliContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** True to draw a progress line on stderr (a terminal). */
  isProgressShown: boolean;
  environment: NodeJS.ProcessEnv;
  appVersion: string;
  /** Registers what Ctrl+C does while the eval runs. */
  onInterrupt(handler: () => void): void;
}

/** A prompt ready to evaluate. */
interface PromptChoice {
  promptId: number;
  name: string;
  /** The version a prompt file was imported as; null for a prompt found by name. */
  fileVersion: number | null;
}

type Call = <C extends CallName>(name: C, input: CallInput<C>) => Promise<CallOutput<C>>;

/** Runs `workbench eval`; resolves to the exit code. */
export async function runEvalCommand(args: EvalArguments, context: CliContext): Promise<number> {
  const dataDir = args.dataDir === null ? defaultDataDir(context.environment) : path.resolve(args.dataDir);
  let engine: Engine;
  try {
    // Advice to use another folder names the way this one was given.
    const dataDirChoice = args.dataDir === null ? 'environment' : 'option';
    engine = createEngine({ dataDir, dataDirChoice, promptsDir: null, host: 'cli', appVersion: context.appVersion, environment: context.environment });
  } catch (error) {
    // The engine's own words name the file or folder and say what to do.
    if (error instanceof WorkbenchError) throw new UsageError(error.message);
    throw new UsageError(`Cannot open the workbench data in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const call: Call = async (name, input) => {
      const result = await dispatchCall(engine.handlers, name, input);
      if (!result.ok) throw new UsageError(result.error.message);
      return result.value as CallOutput<typeof name>;
    };
    const judge = args.judge === null ? (await call('settings:get', {})).judge : (await resolveTargets(call, [args.judge], '--judge'))[0];
    const configured = await call('providers:list', {});
    const providers = configured.map(({ id, label, kind, isBuiltIn }) => ({ id, label, kind, isBuiltIn }));
    const judges: JudgeContext = { providers, judge, judgeOrigin: args.judge === null ? 'the judge in Settings' : 'the --judge model' };
    const prompt = await choosePrompt(call, args.prompt, dataDir, context, judges);
    const versions = args.versions ?? [await defaultVersion(call, prompt)];
    const targets = args.models === null ? [await promptModel(call, prompt, versions[0])] : await resolveTargets(call, args.models);
    // A key not set is setup (exit 2, nothing stored), not a prompt that got worse (exit 1).
    refuseMissingKeys(configured, targets);

    const done = new Map<number, EvalSummary>();
    const doneWaiters = new Map<number, (summary: EvalSummary) => void>();
    engine.subscribe((name, payload) => {
      if (name === 'eval:progress' && context.isProgressShown) context.stderr.write(progressLine(payload as EvalProgress));
      if (name !== 'eval:done') return;
      const summary = payload as EvalSummary;
      const waiter = doneWaiters.get(summary.id);
      if (waiter === undefined) done.set(summary.id, summary);
      else waiter(summary);
    });
    const startedAt = performance.now();
    const cpuBeforeEval = process.cpuUsage();
    const started = await call('evals:start', {
      promptId: prompt.promptId,
      versions,
      targets,
      concurrency: args.concurrency,
      ...(args.baseline !== null && { baselineVersion: args.baseline }),
      ...(args.isCacheBypassed && { bypassCache: true }),
    });
    let isInterrupted = false;
    context.onInterrupt(() => {
      isInterrupted = true;
      context.stderr.write(`\nCancelling eval ${started.id}: cells under way are stopped, finished ones kept (Ctrl+C again to quit at once)\n`);
      void call('evals:cancel', { evalId: started.id }).catch(() => {});
    });
    const finished = done.get(started.id) ?? (await new Promise<EvalSummary>((resolve) => doneWaiters.set(started.id, resolve)));
    const elapsedMs = performance.now() - startedAt;
    if (context.isProgressShown) context.stderr.write('\r\x1b[K');
    const detail = await call('evals:get', { evalId: finished.id });
    const isPassed = isPassing(detail, args.threshold);
    await write(
      context.stdout,
      args.isJson
        ? `${JSON.stringify({ ...detail, promptName: prompt.name, threshold: args.threshold, isPassing: isPassed }, null, 2)}\n`
        : formatReport(detail, { promptName: prompt.name, threshold: args.threshold, elapsedMs }),
    );
    if (context.environment.WORKBENCH_CLI_STATS === '1') {
      const usage = process.resourceUsage();
      context.stderr.write(
        `workbench-stats ${JSON.stringify({
          evalMs: elapsedMs,
          cells: detail.cellCount,
          maxRssKb: usage.maxRSS,
          cpuUserMs: usage.userCPUTime / 1000,
          cpuSystemMs: usage.systemCPUTime / 1000,
          cpuBeforeEvalMs: (cpuBeforeEval.user + cpuBeforeEval.system) / 1000,
          uptimeMs: performance.now(),
        })}\n`,
      );
    }
    if (isInterrupted || finished.status === 'cancelled') return EXIT.interrupted;
    return isPassed ? EXIT.passed : EXIT.belowThreshold;
  } finally {
    engine.close();
  }
}

/** The prompt named `reference`, or the prompt file at that path imported. */
async function choosePrompt(call: Call, reference: string, dataDir: string, context: CliContext, judges: JudgeContext): Promise<PromptChoice> {
  const isFile = /\.prompt\.ya?ml$/i.test(reference) || (fs.existsSync(reference) && fs.statSync(reference).isFile());
  if (isFile) return importPromptFile(call, reference, context, judges);
  const prompt = await findPrompt(call, reference);
  if (prompt === null) {
    const names = (await call('prompts:list', {})).map((summary) => summary.name);
    const known = names.length === 0 ? 'it has no prompts yet' : `its prompts: ${names.slice(0, 12).map((name) => JSON.stringify(name)).join(', ')}${names.length > 12 ? ', ...' : ''}`;
    throw new UsageError(`No prompt named "${reference}" in ${dataDir} (${known}); give a name, or the path of a .prompt.yml file`);
  }
  return { promptId: prompt.id, name: prompt.name, fileVersion: null };
}

/** The prompt whose name (or slug) is `name`: exactly, else as names are told apart (case and spacing aside); null when none. */
async function findPrompt(call: Call, name: string): Promise<{ id: number; name: string } | null> {
  const candidates = await call('prompts:list', { includeArchived: true });
  const exact = candidates.filter((prompt) => prompt.name === name.trim() || prompt.slug === name.trim());
  const matches = exact.length > 0 ? exact : candidates.filter((prompt) => nameKey(prompt.name) === nameKey(name));
  if (matches.length > 1) {
    throw new UsageError(`Several prompts are named "${name}" (ids ${matches.map((prompt) => prompt.id).join(', ')}); rename one in the app`);
  }
  return matches[0] ?? null;
}

/**
 * Imports a `.prompt.yml`: a new prompt, or a new version of the prompt of that name when the
 * file's content differs from its latest version (an unsaved draft there is kept as it was).
 * The file's testData and evaluators become the test suite when it has any and they differ;
 * `judges.judge` (from --judge, else Settings) grades the evaluators GitHub grades with a model,
 * and the file's LLM judges whose provider (named in the file) is not configured here.
 */
async function importPromptFile(call: Call, file: string, context: CliContext, judges: JudgeContext): Promise<PromptChoice> {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) throw new UsageError(`Cannot read ${file}: line ${decoded.line}: ${decoded.message}`);
  const { text } = decoded;
  const parsed = parsePromptFile(text, file);
  if (!parsed.ok) {
    throw new UsageError(`${file} is not a valid prompt file:\n${parsed.problems.map((problem) => `  ${problem.file}:${problem.line}:${problem.column}: ${problem.message}`).join('\n')}`);
  }
  const { promptFile } = parsed;
  const note = `Imported from ${path.basename(file)} by workbench eval`;
  const variables = draftVariables(promptFile);
  const existing = await findPrompt(call, promptFile.name);
  let promptId: number;
  let fileVersion: number;
  if (existing === null) {
    promptId = (await call('prompts:create', { name: promptFile.name })).prompt.id;
    if (promptFile.description !== '') await call('prompts:describe', { id: promptId, description: promptFile.description });
    fileVersion = (await call('versions:save', { promptId, content: promptFile.content, variables, note })).number;
  } else {
    promptId = existing.id;
    const detail = await call('prompts:get', { id: promptId });
    const latest = detail.versions[0];
    if (latest !== undefined && latest.contentHash === hashContent(promptFile.content)) {
      fileVersion = latest.number;
    } else {
      fileVersion = (await call('versions:save', { promptId, content: promptFile.content, variables, note })).number;
      // Saving a version makes it the draft; edits the user had not saved yet come back.
      if (detail.draft.isDirty) await call('drafts:save', { promptId, content: detail.draft.content, variables: detail.draft.variables });
    }
  }
  const cases = parseTestCases('prompt-yml', text, { variableNames: collectVariables(promptFile.content.messages), judges });
  for (const problem of cases.problems) {
    // A note on something imported all the same says so itself ("…; the values were imported anyway").
    const outcome = problem.isImported === true ? '' : '; skipped';
    context.stderr.write(`warning: ${file}: ${describeProblemPlace(problem)}: ${problem.message}${outcome}\n`);
  }
  if (cases.cases.length > 0 || cases.defaultAssertions.length > 0) {
    const current = await call('evals:suite', { promptId });
    const comparable = (defaults: unknown, rows: readonly TestCaseInput[]) =>
      canonicalJson({
        defaults,
        rows: rows.map((row) => ({ description: row.description ?? '', variables: row.variables, expected: row.expected ?? null, tags: row.tags ?? [], assertions: row.assertions ?? [] })),
      });
    // Unchanged cases keep their ids, so evals of successive runs of the same file line up.
    if (comparable(current.defaultAssertions, current.cases) !== comparable(cases.defaultAssertions, cases.cases)) {
      await call('evals:saveSuite', { promptId, defaultAssertions: cases.defaultAssertions, cases: cases.cases });
    }
  }
  return { promptId, name: promptFile.name, fileVersion };
}

/** The version evaluated when `--versions` is absent: the file's, else the latest saved, else the draft. */
async function defaultVersion(call: Call, prompt: PromptChoice): Promise<VersionRef> {
  if (prompt.fileVersion !== null) return prompt.fileVersion;
  const detail = await call('prompts:get', { id: prompt.promptId });
  return detail.prompt.latestVersion ?? 'draft';
}

/** The model a version names (`openai/gpt-4o-mini`), on the provider of that label or kind. */
async function promptModel(call: Call, prompt: PromptChoice, version: VersionRef): Promise<RunTarget> {
  const content: PromptContent =
    version === 'draft'
      ? (await call('prompts:get', { id: prompt.promptId })).draft.content
      : (await call('versions:get', { promptId: prompt.promptId, number: version })).content;
  const slash = content.model.indexOf('/');
  if (slash <= 0 || slash === content.model.length - 1) {
    throw new UsageError(`The prompt’s model "${content.model}" does not name a provider (provider/model); pass --models provider:model`);
  }
  const [target] = await resolveTargets(call, [{ provider: content.model.slice(0, slash), model: content.model.slice(slash + 1) }], `the prompt’s model "${content.model}"`);
  return target;
}

/** Each `provider:model` as a configured provider's id and the model. */
async function resolveTargets(call: Call, specs: readonly ModelSpec[], origin = '--models'): Promise<RunTarget[]> {
  const providers = await call('providers:list', {});
  const targets = specs.map((spec) => ({ providerId: resolveProvider(providers, spec.provider, origin).id, model: spec.model }));
  const keys = new Set(targets.map((target) => `${target.providerId}/${target.model}`));
  if (keys.size !== targets.length) throw new UsageError(`${origin} lists the same model twice`);
  return targets;
}

/**
 * Refuses an eval whose models' providers need an API key this process has not got: every cell
 * would fail on it, and a CI job must tell a missing secret from a regression.
 */
function refuseMissingKeys(providers: readonly ProviderSettings[], targets: readonly RunTarget[]): void {
  const missing = providers.filter((provider) => targets.some((target) => target.providerId === provider.id) && isKeyRequired(provider) && !provider.hasKey);
  if (missing.length === 0) return;
  const reasons = missing.map((provider) => {
    switch (provider.keySource) {
      case 'environment':
        return `${provider.label} needs an API key, and ${provider.keyVariable ?? 'its variable'} is not set: set it in this command’s environment`;
      case 'secret-store':
        return `${provider.label} uses a key entered in the app, which the command line cannot read: in the app’s Settings › Providers, have it read an environment variable, and set that variable here`;
      case 'none':
        return `${provider.label} needs an API key and is set to send none: in the app’s Settings › Providers, have it read one from an environment variable`;
      default:
        return assertNever(provider.keySource, 'key source');
    }
  });
  throw new UsageError(`Cannot run the eval: ${reasons.join('; ')}. Nothing was run.`);
}

/** The provider whose label is `name` (ignoring case), else the one of that kind (the built-in one when several). */
function resolveProvider(providers: readonly ProviderSettings[], name: string, origin: string): ProviderSettings {
  const wanted = name.trim().toLowerCase();
  const byLabel = providers.filter((provider) => provider.label.toLowerCase() === wanted);
  if (byLabel.length === 1) return byLabel[0];
  const byKind = byLabel.length > 1 ? byLabel : providers.filter((provider) => provider.kind === wanted);
  if (byKind.length === 1) return byKind[0];
  const builtIn = byKind.filter((provider) => provider.isBuiltIn);
  if (builtIn.length === 1) return builtIn[0];
  const listed = providers.map((provider) => `"${provider.label}" (${provider.kind})`).join(', ');
  if (byKind.length > 1) {
    throw new UsageError(`${origin}: "${name}" matches several providers (${byKind.map((provider) => `"${provider.label}"`).join(', ')}); use a provider’s label`);
  }
  throw new UsageError(`${origin}: no provider "${name}"; the configured providers are ${listed}. Add one in the app’s settings, or use one of these labels or kinds`);
}

function progressLine(progress: EvalProgress): string {
  return (
    `\r\x1b[K[eval ${progress.evalId}] ${progress.doneCount}/${progress.cellCount} cells  ${progress.passedCount} passed  ` +
    `${progress.failedCount} failed  ${progress.errorCount} errors  ${formatUsd(progress.costUsd)}`
  );
}

/** Writes `text` and resolves once it is flushed (a pipe may take a while for a large JSON). */
function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
