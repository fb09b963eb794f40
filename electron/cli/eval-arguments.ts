/**
 * The command line of `workbench eval`, parsed and checked: every mistake is a `UsageError`
 * whose message says what to write instead.
 */

import { parseArgs } from 'node:util';
import { MAX_EVAL_CONCURRENCY } from '../../shared/contract';
import type { VersionRef } from '../../shared/types';
import { distance } from 'fastest-levenshtein';
import { UsageError } from './cli-error';

/** A `--models` entry: a provider (its label or kind) and the provider's model id. */
export interface ModelSpec {
  provider: string;
  model: string;
}

/** What `workbench eval` was asked to do. */
export interface EvalArguments {
  /** A prompt's name, or the path of a `.prompt.yml` file. */
  prompt: string;
  /** Null: the prompt's own model. */
  models: ModelSpec[] | null;
  /** Null: the latest saved version, or the draft when none is saved. */
  versions: VersionRef[] | null;
  concurrency: number;
  /** The pass rate every column must reach (0..1). */
  threshold: number;
  isJson: boolean;
  /** Null: the desktop app's data folder (or WORKBENCH_DATA_DIR). */
  dataDir: string | null;
  baseline: number | null;
  isCacheBypassed: boolean;
  /** The model grading a .prompt.yml's model-graded evaluators (github/coherence, `llm`); null: the one in Settings, if any. */
  judge: ModelSpec | null;
}

/** The pass rate required when `--threshold` is absent: every case, on every column. */
export const DEFAULT_THRESHOLD = 1;
/** Cells in flight unless `--concurrency` says otherwise. */
export const DEFAULT_CONCURRENCY = 4;

/** The help text. */
export const EVAL_USAGE = `Usage: workbench eval <prompt name | path/to/file.prompt.yml> [options]

Runs the prompt’s test cases on versions x models, on the same engine and database as the app,
prints a table per column (or JSON) and exits 0 when every column’s pass rate reaches the threshold.

Options:
  --models <list>      provider:model entries, comma-separated (openai:gpt-4o-mini,ollama:llama3.2,"LM Studio:qwen");
                       the provider is a provider’s label or kind. Default: the prompt’s model (openai/gpt-4o-mini).
  --versions <list>    saved version numbers and/or "draft", comma-separated. Default: the latest saved version.
  --baseline <n>       the version regressions and improvements are measured against. Default: the latest approved version.
  --concurrency <n>    cells in flight at once (1-${MAX_EVAL_CONCURRENCY}). Default: ${DEFAULT_CONCURRENCY}.
  --threshold <rate>   the pass rate each column must reach, 0..1 (or a percentage such as 90%). Default: 1 (every case).
  --judge <model>      provider:model grading the .prompt.yml evaluators GitHub grades with a model (github/coherence,
                       fluency, relevance, groundedness, llm). Default: the judge set in the app’s Settings; without
                       one they are skipped with a warning.
  --no-cache           send every request again instead of reusing cached answers.
  --json               print the eval (grid, summaries, regressions, improvements) as JSON instead of a table.
  --data-dir <dir>     the workbench data folder. Default: WORKBENCH_DATA_DIR, else the desktop app’s.
  -h, --help           show this help.

A .prompt.yml file is imported first: a new prompt, or a new version of the prompt with the same
name when its content differs; its testData and evaluators become the prompt’s test suite.
API keys come from the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_HOST), as in the app.

Providers and the judge are read from the data folder, as the app set them up.

Exit codes: 0 every column reached the threshold, 1 one did not, 2 bad arguments or setup (a
model whose provider has no API key here included: nothing is run), 130 interrupted (Ctrl+C; finished cells are kept; Resume in the app’s Evals → Results runs the rest).`;

/** The options `workbench eval` takes, as typed. */
const EVAL_OPTIONS = ['--models', '--versions', '--baseline', '--concurrency', '--threshold', '--no-cache', '--judge', '--json', '--data-dir', '--help'];

/**
 * An unknown option said plainly, with the option meant when it is a near miss (`--model` ->
 * `--models`), rather than Node's parser text; null for any other parse error.
 */
function unknownOptionText(error: unknown): string | null {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return null;
  const option = /'(-[^']*)'/.exec(error.message)?.[1];
  if (option === undefined) return null;
  const name = option.split('=')[0];
  const nearest = EVAL_OPTIONS.map((known) => ({ known, distance: distance(name, known) })).sort((left, right) => left.distance - right.distance)[0];
  const hint = nearest.distance <= 2 ? `; did you mean ${nearest.known}?` : '';
  return `Unknown option ${name}${hint} (workbench eval --help lists the options)`;
}

/** Parses `workbench eval`'s arguments (after `eval`); null when help was asked for. */
export function parseEvalArguments(argv: readonly string[]): EvalArguments | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        models: { type: 'string', multiple: true },
        versions: { type: 'string' },
        baseline: { type: 'string' },
        concurrency: { type: 'string' },
        threshold: { type: 'string' },
        'no-cache': { type: 'boolean' },
        judge: { type: 'string' },
        json: { type: 'boolean' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(unknownOptionText(error) ?? (error instanceof Error ? error.message : String(error)));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return null;
  if (positionals.length === 0) throw new UsageError('Name the prompt to evaluate: workbench eval <prompt name | file.prompt.yml>');
  if (positionals.length > 1) {
    throw new UsageError(`Give one prompt, not ${positionals.length} (${positionals.map((text) => JSON.stringify(text)).join(', ')}); quote a name with spaces`);
  }
  return {
    prompt: positionals[0],
    models: values.models === undefined ? null : parseModels(values.models.join(',')),
    versions: values.versions === undefined ? null : parseVersions(values.versions),
    concurrency: values.concurrency === undefined ? DEFAULT_CONCURRENCY : parseWhole('--concurrency', values.concurrency, 1, MAX_EVAL_CONCURRENCY),
    threshold: values.threshold === undefined ? DEFAULT_THRESHOLD : parseThreshold(values.threshold),
    isJson: values.json === true,
    dataDir: values['data-dir'] ?? null,
    baseline: values.baseline === undefined ? null : parseWhole('--baseline', values.baseline, 1, Number.MAX_SAFE_INTEGER),
    isCacheBypassed: values['no-cache'] === true,
    judge: values.judge === undefined ? null : parseJudge(values.judge),
  };
}

/** `openai:gpt-4o-mini,ollama:llama3.2:3b`: the provider ends at the first colon (model ids may hold more). */
export function parseModels(text: string, option = '--models'): ModelSpec[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new UsageError(`${option} needs ${option === '--models' ? 'at least one' : 'a'} provider:model entry, such as openai:gpt-4o-mini`);
  return entries.map((entry) => {
    const colon = entry.indexOf(':');
    const provider = colon < 0 ? '' : entry.slice(0, colon).trim();
    const model = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (provider === '' || model === '') {
      throw new UsageError(`${option} entry "${entry}" is not provider:model (for example openai:gpt-4o-mini or ollama:llama3.2)`);
    }
    return { provider, model };
  });
}

/** `--judge openai:gpt-4o-mini`: one provider:model entry. */
function parseJudge(text: string): ModelSpec {
  const specs = parseModels(text, '--judge');
  if (specs.length > 1) throw new UsageError(`--judge takes one provider:model, not ${specs.length}`);
  return specs[0];
}

/** `1,2,draft`. */
export function parseVersions(text: string): VersionRef[] {
  const versions = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry): VersionRef => {
      if (entry.toLowerCase() === 'draft') return 'draft';
      const number = Number(entry.replace(/^v/i, ''));
      if (!Number.isInteger(number) || number < 1) throw new UsageError(`--versions entry "${entry}" is not a version number or "draft"`);
      return number;
    });
  if (versions.length === 0) throw new UsageError('--versions needs at least one version number or "draft"');
  if (new Set(versions).size !== versions.length) throw new UsageError(`--versions lists a version twice: ${text}`);
  return versions;
}

/** `0.9`, `90%` or `1`. */
function parseThreshold(text: string): number {
  const trimmed = text.trim();
  const isPercent = trimmed.endsWith('%');
  const value = Number(isPercent ? trimmed.slice(0, -1) : trimmed) / (isPercent ? 100 : 1);
  if (trimmed === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`--threshold must be a pass rate from 0 to 1 (or 0% to 100%), not "${text}"`);
  }
  return value;
}

function parseWhole(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, not "${text}"`);
  }
  return value;
}
