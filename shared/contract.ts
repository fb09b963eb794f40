/**
 * The bridge contract: every call and every event between the renderer and the engine, once.
 *
 * The Electron preload, the IPC handlers, the WebSocket host and the renderer client are all
 * derived from these maps. Inputs carry zod schemas because every payload entering the engine
 * is validated; outputs and events carry only their TypeScript type.
 */

import { z } from 'zod';
import { isKeyVariableName, KEY_VARIABLE_RULE } from './key-variable';
import { ollamaHostUrl } from './ollama-host';
import { keepAliveProblem } from './ollama-keep-alive';
import { timeLimitProblem } from './time-limits';
import { MAX_SEARCH_LENGTH } from './search-query';
import { portProblem } from './url-port';
import type {
  AppInfo,
  AppSettings,
  BatchDone,
  BatchStarted,
  BudgetStatus,
  CacheStats,
  PriceChange,
  PriceChanged,
  PriceList,
  PromptDetail,
  PromptDraft,
  PromptSummary,
  PromptVersion,
  PromptVersionSummary,
  ProviderKind,
  ProviderSettings,
  ProviderTestResult,
  ReasoningEffort,
  ResolvedPrice,
  RestoredBatch,
  RunDelta,
  RunEstimate,
  RunExportPage,
  RunPage,
  RunRecord,
  RunSearchHit,
  RunStarted,
} from './types';
import type {
  EvalCellDetail,
  EvalDetail,
  EvalProgress,
  EvalSummary,
  EvalTrendPoint,
  TestCaseExport,
  TestCaseImportResult,
  TestSuite,
} from './eval-types';
import type {
  GateCheck,
  ImportReport,
  PromptReleaseOverview,
  ReleasePreview,
  ReleaseRecord,
  ReleaseRepositoryStatus,
  ReleaseResult,
  VersionApproval,
  VersionReleaseState,
} from './release-types';

/** The largest message body accepted (characters); prompts of a megabyte and more must edit. */
export const MAX_MESSAGE_CHARS = 4_000_000;
/** The most messages one prompt may hold. */
export const MAX_MESSAGES = 200;
/** The longest note a new version or an approval may carry (characters). */
export const MAX_NOTE_CHARS = 2000;
/** The largest payload one WebSocket frame or IPC call may carry, in bytes. */
export const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

const id = z.number().int().positive();
/** A draft revision: how many times the draft had been written (`PromptDraft.revision`). */
const draftRevision = z.number().int().nonnegative();
const name = z.string().trim().min(1, 'Name must not be empty').max(200, 'Name is longer than 200 characters');
/** A window's name for one "Test connection", so it can cancel that test and no other window's. */
const testKey = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Must be 1 to 64 letters, digits, _ or -');

/** Schema of one chat message. */
export const messageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(MAX_MESSAGE_CHARS, `A message is longer than ${MAX_MESSAGE_CHARS} characters`),
});

/** The reasoning efforts a prompt may ask for, least first. */
export const REASONING_EFFORTS = ['none', 'low', 'medium', 'high'] as const satisfies readonly ReasoningEffort[];

/** Schema of sampling parameters. */
export const parametersSchema = z.object({
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().max(10_000_000).optional(),
  topP: z.number().min(0).max(1).optional(),
  stop: z.array(z.string().min(1).max(200)).max(16).optional(),
  reasoningEffort: z.enum(REASONING_EFFORTS, { error: `reasoningEffort is one of ${REASONING_EFFORTS.join(', ')}` }).optional(),
});

/** What OpenAI accepts as a JSON schema's name (and so what every provider is sent). */
export const SCHEMA_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Why a schema name is refused, as a sentence of its own. */
export const SCHEMA_NAME_RULE = 'The schema name must be 1 to 64 ASCII letters, digits, _ or -';
/** Why a schema is refused when it is not a JSON object, as a sentence of its own. */
export const SCHEMA_OBJECT_RULE = 'The schema must be a JSON object ({ … }), such as { "type": "object", "properties": { … } }';

/** Schema of a response format: any JSON object, or JSON following a named schema. */
export const responseFormatSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('json_object') }).strict(),
    z
      .object({
        type: z.literal('json_schema'),
        name: z.string().regex(SCHEMA_NAME_PATTERN, SCHEMA_NAME_RULE),
        schema: z.record(z.string(), z.unknown(), { error: SCHEMA_OBJECT_RULE }),
        isStrict: z.boolean({ error: 'isStrict is true or false' }).optional(),
      })
      .strict(),
  ],
  { error: 'The response format is json_object or json_schema (text is no response format)' },
);

/** Schema of a prompt's editable body. */
export const contentSchema = z.object({
  model: z.string().trim().max(200),
  parameters: parametersSchema,
  messages: z.array(messageSchema).max(MAX_MESSAGES),
  responseFormat: responseFormatSchema.optional(),
});

const variablesSchema = z.record(z.string().max(200), z.string().max(MAX_MESSAGE_CHARS));

/** The most cells one batch may have (models x versions x samples). */
export const MAX_BATCH_CELLS = 64;
/** The most models one batch may run on. */
export const MAX_RUN_TARGETS = 16;
/** The most prompt versions (or the draft) one batch may compare. */
export const MAX_RUN_VERSIONS = 4;
/** The most samples of each request one batch may take. */
export const MAX_RUN_SAMPLES = 10;
/** The most history rows one page may hold. */
export const MAX_PAGE_SIZE = 500;

/** The refusal of a search longer than the box allows (a sentence of its own, never zod's wording). */
const SEARCH_TOO_LONG = `A search can be ${MAX_SEARCH_LENGTH} characters at most: shorten it`;

const modelId = z.string().trim().min(1, 'Model must not be empty').max(200, 'Model is longer than 200 characters');
const versionRef = z.union([id, z.literal('draft')]);
const HTTP_URL = /^https?:\/\/[^\s/]+/i;
const NOT_HTTP_URL = 'Must be an http:// or https:// URL';
/** A base URL as typed; whether it is one depends on the provider's kind (`checkBaseUrl`). */
const baseUrl = z.string().trim().max(2000);

/**
 * Checks a provider's base URL for its kind: an http:// or https:// URL, or for Ollama also
 * `host:port` or a bare host, as OLLAMA_HOST takes them (the engine writes them as URLs). With
 * no kind ("Test connection" of a saved provider), the engine checks against the saved one's.
 */
function checkBaseUrl(input: { kind?: ProviderKind; baseUrl?: string | null }, context: z.RefinementCtx): void {
  if (input.baseUrl === undefined || input.baseUrl === null) return;
  const badPort = portProblem(input.baseUrl);
  if (badPort !== null) {
    context.addIssue({ code: 'custom', path: ['baseUrl'], message: badPort });
    return;
  }
  const isOllama = input.kind === 'ollama' || input.kind === undefined;
  const url = HTTP_URL.test(input.baseUrl) && URL.canParse(input.baseUrl) ? input.baseUrl : isOllama ? ollamaHostUrl(input.baseUrl) : null;
  if (url === null) {
    const message = input.kind === 'ollama' ? `${NOT_HTTP_URL}, or host:port (127.0.0.1:11434)` : NOT_HTTP_URL;
    context.addIssue({ code: 'custom', path: ['baseUrl'], message });
    return;
  }
  // A key in the URL would be stored with the provider and with every run (and exported): keys go in the secret store.
  if (new URL(url).username !== '' || new URL(url).password !== '') {
    // Ollama has no key field: a proxy's password for it is read from OLLAMA_HOST, as Ollama's own client does.
    const message =
      input.kind === 'ollama'
        ? 'Must not carry a user name or password: Settings never stores one; for an Ollama behind a proxy, set OLLAMA_HOST=https://user:password@host before starting the app'
        : 'Must not carry a user name or password: enter the key under API key, where it is kept as a secret';
    context.addIssue({ code: 'custom', path: ['baseUrl'], message });
  }
}
const keyVariable = z.string().trim().max(200).refine(isKeyVariableName, KEY_VARIABLE_RULE);
const money = z.number().finite().min(0).max(1_000_000);
const tokenRate = z.union([
  money,
  z
    .object({
      base: money,
      tiers: z.array(z.object({ start: z.number().int().min(0), price: money }).strict()).min(1).max(16),
    })
    .strict(),
]);

/** Schema of a model price (USD per million tokens). */
export const modelPriceSchema = z
  .object({
    input: tokenRate,
    output: tokenRate,
    cachedInput: tokenRate.nullable(),
    cacheWrite: tokenRate.nullable(),
    reasoning: tokenRate.nullable(),
    perThousandRequests: money.nullable(),
  })
  .strict();

/** Schema of the provider fields that settings edit (shared by save and test). */
const providerFields = {
  kind: z.enum(['openai', 'openai-compatible', 'anthropic', 'ollama']),
  label: name,
  baseUrl: baseUrl.nullable().optional(),
  keySource: z.enum(['none', 'environment', 'secret-store']).optional(),
  keyVariable: keyVariable.nullable().optional(),
  /** A key to keep in the secret store (never in the database); implies `keySource: 'secret-store'`. */
  apiKey: z.string().trim().min(1).max(10_000).optional(),
  /** Forgets the stored key. */
  isKeyCleared: z.boolean().optional(),
  isLocal: z.boolean().optional(),
  /** Ollama's keep-alive, as written ("5m", "3600", "0", "-1"); null or empty for the default. */
  keepAlive: z.string().trim().max(1000).nullable().optional(),
  /** The time limits, as written ("90s", "3m", "1h", seconds); null or empty for the default (`defaultTimeLimits`). */
  firstOutputLimit: z.string().trim().max(1000).nullable().optional(),
  stallLimit: z.string().trim().max(1000).nullable().optional(),
  totalLimit: z.string().trim().max(1000).nullable().optional(),
};

/** Checks a provider's time limits, each on its own (see `timeLimitProblem`); empty means the default. The engine compares them. */
function checkTimeLimits(input: { firstOutputLimit?: string | null; stallLimit?: string | null; totalLimit?: string | null }, context: z.RefinementCtx): void {
  for (const field of ['firstOutputLimit', 'stallLimit', 'totalLimit'] as const) {
    const value = input[field];
    if (value === undefined || value === null || value === '') continue;
    const problem = timeLimitProblem(value);
    if (problem !== null) context.addIssue({ code: 'custom', path: [field], message: problem });
  }
}

/** Checks an Ollama provider's keep-alive (see `keepAliveProblem`); empty means the default. */
function checkKeepAlive(input: { keepAlive?: string | null }, context: z.RefinementCtx): void {
  if (input.keepAlive === undefined || input.keepAlive === null || input.keepAlive === '') return;
  const problem = keepAliveProblem(input.keepAlive);
  if (problem !== null) context.addIssue({ code: 'custom', path: ['keepAlive'], message: problem });
}

/** Schema of the batch a run starts: models x versions x samples cells. */
const batchSchema = z
  .object({
    promptId: id,
    versions: z.array(versionRef).min(1).max(MAX_RUN_VERSIONS),
    targets: z.array(z.object({ providerId: id, model: modelId }).strict()).min(1).max(MAX_RUN_TARGETS),
    /** Values for the prompt's variables; the draft's values when absent. */
    variables: variablesSchema.optional(),
    samples: z.number().int().min(1).max(MAX_RUN_SAMPLES).optional(),
    bypassCache: z.boolean().optional(),
  })
  .strict()
  .refine((batch) => new Set(batch.versions).size === batch.versions.length, { message: 'A version is listed twice', path: ['versions'] })
  .refine((batch) => new Set(batch.targets.map((target) => `${target.providerId}\u0000${target.model}`)).size === batch.targets.length, {
    message: 'A model is listed twice',
    path: ['targets'],
  })
  // Zod runs refinements even when a field failed; an out-of-range `samples` is reported once, by its own check.
  .refine((batch) => (batch.samples ?? 1) > MAX_RUN_SAMPLES || batch.versions.length * batch.targets.length * (batch.samples ?? 1) <= MAX_BATCH_CELLS, {
    message: `A batch may have at most ${MAX_BATCH_CELLS} cells (models x versions x samples)`,
  });

/** Schema of the history filters. */
const runFilters = {
  promptId: id.optional(),
  version: versionRef.optional(),
  providerId: id.optional(),
  /** Runs whose model id contains this, in any case ("claude": every Claude model; "mini"); with `isModelExact`, runs of exactly this model. */
  model: modelId.optional(),
  /** True: `model` is a whole model id (picked from `runs:models`), matched exactly. */
  isModelExact: z.boolean().optional(),
  status: z.enum(['running', 'ok', 'error', 'cancelled']).optional(),
  batchId: id.optional(),
  /** Runs started at or after this instant (ISO 8601). */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Runs started before this instant (ISO 8601). */
  to: z.iso.datetime({ offset: true }).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().regex(/^\d{1,18}$/, 'Not a cursor from a previous page').optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
};

/** The most test cases one prompt may hold. */
export const MAX_TEST_CASES = 10_000;
/** The most assertions one case (or the suite's defaults) may hold. */
export const MAX_ASSERTIONS = 50;
/** The most cells one eval may have (cases x versions x models). */
export const MAX_EVAL_CELLS = 100_000;
/** The most requests an eval keeps in flight. */
export const MAX_EVAL_CONCURRENCY = 32;
/** The largest test-case file accepted for import (characters). */
export const MAX_IMPORT_CHARS = 20_000_000;

const assertionCommon = {
  label: z.string().trim().max(200).optional(),
  weight: z.number().finite().min(0).max(1000).optional(),
  threshold: z.number().min(0).max(1).optional(),
  isNegated: z.boolean().optional(),
};
const checkText = z.string().max(100_000);

/** Schema of one assertion (see `Assertion` in eval-types). */
export const assertionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['equals', 'similarity']), value: checkText.optional(), ...assertionCommon }).strict(),
  z.object({ type: z.enum(['contains', 'icontains', 'starts-with']), value: checkText.min(1, 'Give the text to look for'), ...assertionCommon }).strict(),
  z
    .object({
      type: z.enum(['contains-any', 'contains-all']),
      values: z.array(checkText.min(1)).min(1, 'Give at least one value').max(200),
      isCaseInsensitive: z.boolean().optional(),
      ...assertionCommon,
    })
    .strict(),
  // The pattern is compiled when the eval runs: an invalid one is an error on that assertion, not a refused save.
  z.object({ type: z.literal('regex'), pattern: z.string().min(1, 'Give a pattern').max(10_000), flags: z.string().regex(/^[dgimsuvy]*$/, 'Flags are letters of dgimsuvy').max(8).optional(), ...assertionCommon }).strict(),
  z.object({ type: z.literal('is-json'), ...assertionCommon }).strict(),
  z.object({ type: z.literal('json-schema'), schema: z.string().min(1, 'Give a JSON Schema').max(200_000), ...assertionCommon }).strict(),
  z
    .object({
      type: z.enum(['word-count', 'char-count']),
      min: z.number().int().min(0).optional(),
      max: z.number().int().min(0).optional(),
      ...assertionCommon,
    })
    .strict()
    .refine((value) => value.min !== undefined || value.max !== undefined, { message: 'Give a minimum, a maximum or both' }),
  z.object({ type: z.literal('latency'), maxMs: z.number().finite().positive(), ...assertionCommon }).strict(),
  z.object({ type: z.literal('cost'), maxUsd: z.number().finite().min(0), ...assertionCommon }).strict(),
  z
    .object({
      type: z.literal('llm-judge'),
      rubric: z.string().trim().min(1, 'Write the rubric the judge scores by').max(20_000),
      judge: z.object({ providerId: id, model: modelId }).strict(),
      ...assertionCommon,
    })
    .strict(),
]);

const assertionsSchema = z.array(assertionSchema).max(MAX_ASSERTIONS);

/** Schema of a test case as edited. */
export const testCaseInputSchema = z
  .object({
    id: id.optional(),
    description: z.string().max(2000).optional(),
    variables: variablesSchema,
    expected: z.string().max(MAX_MESSAGE_CHARS).nullable().optional(),
    tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    assertions: assertionsSchema.optional(),
  })
  .strict();

const testCaseFormat = z.enum(['csv', 'jsonl', 'yaml', 'prompt-yml', 'promptfoo']);

/* ------------------------------------------------------------------------------------------
 * Release: approvals, the release repository, Git releases and importing prompt files.
 * ------------------------------------------------------------------------------------------ */

/** The most prompt versions one release may hold. */
export const MAX_RELEASE_ITEMS = 200;

/** Schema of an approval gate: the share of the latest eval's cells that must pass. */
const approvalGateSchema = z.object({ minPassRate: z.number().min(0, 'The pass rate is from 0 to 1').max(1, 'The pass rate is from 0 to 1') }).strict();

/** Schema of the versions a release holds: one per prompt. */
const releaseItemsSchema = z
  .array(z.object({ promptId: id, versionNumber: id }).strict())
  .min(1, 'Pick at least one approved version to release')
  .max(MAX_RELEASE_ITEMS, `A release holds at most ${MAX_RELEASE_ITEMS} prompts`)
  .refine((items) => new Set(items.map((item) => item.promptId)).size === items.length, { message: 'A release holds one version of each prompt' });

const folderPathSchema = z.string().trim().min(1, 'Give the path of a folder').max(4096, 'The path is longer than 4096 characters');

/* ---------------------------------------------------------------------------- end Release */

/** Declares a call: its input schema and, as a type only, its output. */
export interface CallSpec<Input extends z.ZodType, Output> {
  input: Input;
  /** Never set: carries the output type. */
  output?: Output;
}

function call<Output>() {
  return <Input extends z.ZodType>(input: Input): CallSpec<Input, Output> => ({ input });
}

/** Declares an event: its payload, as a type only. */
export interface EventSpec<Payload> {
  /** Never set: carries the payload type. */
  payload?: Payload;
}

function event<Payload>(): EventSpec<Payload> {
  return {};
}

const none = z.object({}).strict();

/** How many days a cached answer is served: a day at least, a century at most. */
const cacheMaxAgeDays = z.number().finite().min(1, 'Answers expire after 1 day at least').max(36_500, 'Answers expire after 36,500 days at most');

/** A response cache size limit in MB: at least 1 MB, at most 1 TB. */
const cacheLimitMb = z.number().finite().min(1, 'The cache limit is at least 1 MB').max(1_048_576, 'The cache limit is at most 1,048,576 MB (1 TB)');

/** The contract's fields as the app's forms label them, for messages about them; others read as their words ("Max tokens" for maxTokens). */
const FIELD_NAMES: Record<string, string> = {
  id: 'ID',
  baseUrl: 'Base URL',
  keyVariable: 'Environment variable',
  keySource: 'Key source',
  apiKey: 'API key',
  label: 'Name',
  topP: 'Top-p',
  stop: 'Stop sequences',
  reasoningEffort: 'Reasoning',
  responseFormat: 'Response format',
  targets: 'Models',
  dailyBudgetUsd: 'Daily budget',
  keepAlive: 'Keep loaded',
  firstOutputLimit: 'First token limit',
  stallLimit: 'Stall limit',
  totalLimit: 'Total limit',
  cacheLimitMb: 'Cache size limit',
  cacheMaxAgeDays: 'Cache age',
};

/**
 * A field's name as people read it, from its path in a call's input: the last named part
 * ("content.parameters.maxTokens" is "Max tokens", "content.messages.0.role" is "Role"); empty
 * for the input as a whole.
 */
export function fieldName(path: string): string {
  const last = path.split('.').findLast((part) => part !== '' && !/^\d+$/.test(part));
  if (last === undefined) return '';
  if (Object.hasOwn(FIELD_NAMES, last)) return FIELD_NAMES[last];
  const words = last
    .replace(/^(?:is|has)(?=[A-Z])/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Every call the renderer can make. */
export const calls = {
  'app:info': call<AppInfo>()(none),
  'settings:get': call<AppSettings>()(none),
  'settings:update': call<AppSettings>()(
    z
      .object({
        theme: z.enum(['system', 'light', 'dark']).optional(),
        dailyBudgetUsd: money.nullable().optional(),
        cacheLimitMb: cacheLimitMb.nullable().optional(),
        cacheMaxAgeDays: cacheMaxAgeDays.nullable().optional(),
        /** The judge of imported model-graded checks; its provider must exist. */
        judge: z.object({ providerId: id, model: modelId }).strict().nullable().optional(),
        runChoices: z
          .object({
            targets: z.array(z.object({ providerId: id, model: modelId }).strict()).max(MAX_RUN_TARGETS),
            samples: z.number().int().min(1).max(MAX_RUN_SAMPLES),
            bypassCache: z.boolean(),
          })
          .strict()
          .nullable()
          .optional(),
      })
      .strict(),
  ),
  'prompts:list': call<PromptSummary[]>()(
    z.object({ query: z.string().max(200).optional(), includeArchived: z.boolean().optional() }).strict(),
  ),
  'prompts:get': call<PromptDetail>()(z.object({ id }).strict()),
  'prompts:create': call<PromptDetail>()(z.object({ name }).strict()),
  'prompts:rename': call<PromptSummary>()(z.object({ id, name }).strict()),
  'prompts:describe': call<PromptSummary>()(z.object({ id, description: z.string().max(2000) }).strict()),
  'prompts:duplicate': call<PromptDetail>()(z.object({ id }).strict()),
  'prompts:archive': call<PromptSummary>()(z.object({ id, isArchived: z.boolean() }).strict()),
  /**
   * Autosaves the draft. `baseVersion` moves the version it is based on (undoing a restore
   * puts back the one it had); without it the draft keeps its base. `basedOnRevision` is the
   * draft revision the caller's text started from: when the draft was written since (another
   * window), the save is refused as a `conflict` and changes nothing. The editor always sends
   * it; without it (the CLI, scripts) the draft is written whatever it holds.
   */
  'drafts:save': call<PromptDraft>()(
    z
      .object({ promptId: id, content: contentSchema, variables: variablesSchema, baseVersion: id.nullable().optional(), basedOnRevision: draftRevision.optional() })
      .strict(),
  ),
  'versions:save': call<PromptVersionSummary>()(
    z
      .object({
        promptId: id,
        content: contentSchema,
        variables: variablesSchema,
        note: z.string().trim().max(MAX_NOTE_CHARS),
        /** As for `drafts:save`: the version (which becomes the draft) is refused when the draft was written since. */
        basedOnRevision: draftRevision.optional(),
      })
      .strict(),
  ),
  'versions:get': call<PromptVersion>()(z.object({ promptId: id, number: id }).strict()),
  /** Puts a version's content into the draft; with `basedOnRevision`, refused when the draft was written since. */
  'versions:restore': call<PromptDraft>()(z.object({ promptId: id, number: id, basedOnRevision: draftRevision.optional() }).strict()),

  /** The configured providers, with where each key comes from (never the key). */
  'providers:list': call<ProviderSettings[]>()(none),
  /** Adds (no `id`) or updates a provider; an `apiKey` goes to the secret store only. */
  'providers:save': call<ProviderSettings>()(z.object({ id: id.optional(), ...providerFields }).strict().superRefine(checkBaseUrl).superRefine(checkKeepAlive).superRefine(checkTimeLimits)),
  /**
   * The test cases' llm-judge checks a provider judges, and the prompts holding them: what a
   * removal would leave without a judge (the remove dialog says so first).
   */
  'providers:judgedChecks': call<{ checkCount: number; promptNames: string[] }>()(z.object({ id }).strict()),
  /** Removes an added provider and forgets its key; the built-in three stay. Returns the rest. */
  'providers:remove': call<ProviderSettings[]>()(z.object({ id }).strict()),
  /**
   * "Test connection": lists the provider's models. With `id` alone, the saved provider; with
   * fields, those fields over the saved ones (or a new provider's), without saving anything.
   */
  'providers:test': call<ProviderTestResult>()(
    z
      .object({ id: id.optional(), ...providerFields, kind: providerFields.kind.optional(), label: name.optional(), testKey: testKey.optional() })
      .strict()
      .superRefine(checkBaseUrl)
      .superRefine(checkTimeLimits)
      .refine((input) => input.id !== undefined || input.kind !== undefined, { message: 'Give the id of a saved provider or a kind' }),
  ),
  /** Cancels the "Test connection" started with `testKey`; it answers at once as cancelled. False when none is running. */
  'providers:cancel-test': call<{ cancelled: boolean }>()(z.object({ testKey }).strict()),

  /** Input tokens, cost per cell and the budget check of a batch, without running it. */
  'runs:estimate': call<RunEstimate>()(batchSchema),
  /** Today's spending against the daily budget, as an estimate's budget check counts it (Settings shows it beside the budget). */
  'runs:budget': call<BudgetStatus>()(none),
  /**
   * Starts a batch and returns its cells at once; they stream as `run:delta` and end with
   * `run:done`, the batch with `batch:done`. Refused when a variable has no value or the
   * batch would go over the daily budget.
   */
  'runs:start': call<BatchStarted>()(batchSchema),
  /** Cancels a whole batch or one run; resolves to how many running cells were told to stop. */
  'runs:cancel': call<{ cancelled: number }>()(
    z.union([z.object({ batchId: id }).strict(), z.object({ runId: id }).strict()]),
  ),
  /** History, newest first, filtered; keyset pages for a virtualized list. */
  'runs:list': call<RunPage>()(z.object(runFilters).strict()),
  /** Every model history has runs of, in order: the model filter's suggestions. */
  'runs:models': call<string[]>()(none),
  /** Full-text search over outputs and rendered prompt text, newest first, with the same filters (see `parseSearchQuery`). */
  'runs:search': call<RunPage<RunSearchHit>>()(
    z.object({ query: z.string().trim().min(1, 'Type something to search for').max(MAX_SEARCH_LENGTH, SEARCH_TOO_LONG), ...runFilters }).strict(),
  ),
  /**
   * How many runs `runs:list` (or, with a query, `runs:search`) finds below `cursor` (all when
   * absent), counted for a few milliseconds at most: a call of its own, so that the first page
   * never waits for it. Ask again with `nextCursor`, adding up, until it is null.
   */
  'runs:count': call<{ count: number; nextCursor: string | null }>()(
    z
      .object({ query: z.string().trim().min(1, 'Type something to search for').max(MAX_SEARCH_LENGTH, SEARCH_TOO_LONG).optional(), ...runFilters })
      .omit({ limit: true })
      .strict(),
  ),
  /**
   * A page of the runs `runs:list` (or, with a query, `runs:search`) finds, as export text;
   * the renderer joins the pages into one file.
   */
  'runs:export': call<RunExportPage>()(
    z
      .object({
        format: z.enum(['csv', 'jsonl']),
        query: z.string().trim().max(MAX_SEARCH_LENGTH, SEARCH_TOO_LONG).optional(),
        ...runFilters,
      })
      .strict(),
  ),
  /** One stored run with everything it ran with. */
  'runs:get': call<RunRecord>()(z.object({ id }).strict()),
  /** The prompt's last comparison from the runs panel, each column with its latest run (a window opening the prompt shows it again); null when it has none. */
  'runs:latestBatch': call<RestoredBatch | null>()(z.object({ promptId: id }).strict()),
  /** Runs a stored run's exact request again (same rendered messages, parameters, provider, model) as a new batch. */
  'runs:rerun': call<BatchStarted>()(
    z
      .object({
        id,
        bypassCache: z.boolean().optional(),
        /** The batch whose column the run is, when it runs again in that column's place (said in `run:started`). */
        inPlaceOf: id.optional(),
      })
      .strict(),
  ),

  /** What the response cache holds and has saved. */
  'cache:stats': call<CacheStats>()(none),
  /** Empties the response cache and restarts its counters. */
  'cache:clear': call<CacheStats>()(none),

  /** The prices of a provider's models (catalog and overrides); `query` filters by model id. */
  'pricing:list': call<PriceList>()(
    z.object({ providerId: id, query: z.string().trim().max(200).optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
  ),
  /** The price a run of `model` on the provider would be charged at now. */
  'pricing:resolve': call<ResolvedPrice>()(z.object({ providerId: id, model: modelId }).strict()),
  /** Sets (or with `price: null`, removes) the user's price for a model; returns the price now in force and the catalog's. */
  'pricing:override': call<PriceChange>()(
    z.object({ providerId: id, model: modelId, price: modelPriceSchema.nullable() }).strict(),
  ),

  /** A prompt's test cases and default assertions. */
  'evals:suite': call<TestSuite>()(z.object({ promptId: id }).strict()),
  /** Replaces a prompt's test cases (rows keep their id when given one) and default assertions, in table order. */
  'evals:saveSuite': call<TestSuite>()(
    z
      .object({
        promptId: id,
        defaultAssertions: assertionsSchema,
        cases: z.array(testCaseInputSchema).max(MAX_TEST_CASES),
      })
      .strict(),
  ),
  /** Imports test cases from a file's text; bad rows are reported by row and field, the good ones import. */
  'evals:import': call<TestCaseImportResult>()(
    z
      .object({
        promptId: id,
        format: testCaseFormat,
        text: z.string().max(MAX_IMPORT_CHARS),
        /** Append to the cases (default) or replace them. */
        mode: z.enum(['append', 'replace']).optional(),
        /**
         * The model that grades checks the file leaves to a model grader (github/coherence, `llm`
         * evaluators, llm-rubric) and LLM judges whose provider, named in the file, is not here.
         */
        judge: z.object({ providerId: id, model: modelId }).strict().optional(),
      })
      .strict(),
  ),
  /** A prompt's test cases written out in a format. */
  'evals:export': call<TestCaseExport>()(z.object({ promptId: id, format: testCaseFormat }).strict()),
  /** Starts an eval: versions x models x cases (every case when `caseIds` is absent). */
  'evals:start': call<EvalSummary>()(
    z
      .object({
        promptId: id,
        versions: z.array(versionRef).min(1).max(MAX_RUN_VERSIONS),
        targets: z.array(z.object({ providerId: id, model: modelId }).strict()).min(1).max(MAX_RUN_TARGETS),
        caseIds: z.array(id).min(1).max(MAX_TEST_CASES).optional(),
        concurrency: z.number().int().min(1).max(MAX_EVAL_CONCURRENCY).optional(),
        /** The version regressions are measured against; the latest approved one when absent; null for none. */
        baselineVersion: id.nullable().optional(),
        bypassCache: z.boolean().optional(),
      })
      .strict()
      .refine((input) => new Set(input.versions).size === input.versions.length, { message: 'A version is listed twice', path: ['versions'] }),
  ),
  /** Runs the cells of an eval that are not done (after a cancel, a crash or errors with `isRetryingErrors`). */
  'evals:resume': call<EvalSummary>()(z.object({ evalId: id, isRetryingErrors: z.boolean().optional() }).strict()),
  /** Cancels a running eval; finished cells stay. */
  'evals:cancel': call<EvalSummary>()(z.object({ evalId: id }).strict()),
  /** A prompt's evals, newest first. */
  'evals:list': call<EvalSummary[]>()(z.object({ promptId: id, limit: z.number().int().min(1).max(500).optional() }).strict()),
  /** One eval with its grid, summaries and regressions. */
  'evals:get': call<EvalDetail>()(z.object({ evalId: id }).strict()),
  /** One cell: output, each assertion's verdict and reason, expected output. */
  'evals:cell': call<EvalCellDetail>()(z.object({ evalId: id, caseId: id, columnKey: z.string().min(1).max(500) }).strict()),
  /** Pass rate, score and cost of the latest finished eval of each version x model of a prompt, for the chart. */
  'evals:trend': call<EvalTrendPoint[]>()(z.object({ promptId: id }).strict()),

  /* -------------------------------------------------------------------------------- Release */
  /** Each saved version of a prompt with its approval (who, when, note, gate) and releases, newest first. */
  'approvals:versions': call<VersionReleaseState[]>()(z.object({ promptId: id }).strict()),
  /** What an approval gate says about a version now (its latest eval against the threshold), approving nothing. */
  'approvals:checkGate': call<GateCheck>()(z.object({ promptId: id, versionNumber: id, gate: approvalGateSchema }).strict()),
  /** Approves a version with a note; with a gate, refused unless the version's latest eval passes it. */
  'approvals:approve': call<VersionApproval>()(
    z.object({ promptId: id, versionNumber: id, note: z.string().trim().max(MAX_NOTE_CHARS), gate: approvalGateSchema.nullable().optional() }).strict(),
  ),
  /** Withdraws an approval; refused once the version has been released. */
  'approvals:withdraw': call<VersionReleaseState>()(z.object({ promptId: id, versionNumber: id }).strict()),
  /** Every prompt with its approved versions and latest release. */
  'release:overview': call<PromptReleaseOverview[]>()(none),
  /** The release repository's settings and what Git says about it now. */
  'release:repository': call<ReleaseRepositoryStatus>()(none),
  /** Connects a Git working tree (or creates one with `isCreating`): folder inside it, optional remote and branch. */
  'release:connect': call<ReleaseRepositoryStatus>()(
    z
      .object({
        path: folderPathSchema,
        folder: z.string().trim().max(500).optional(),
        remote: z.string().trim().max(200).nullable().optional(),
        branch: z.string().trim().max(200).nullable().optional(),
        isCreating: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Forgets the release repository; the history stays. */
  'release:disconnect': call<ReleaseRepositoryStatus>()(none),
  /** The files, commit message and exact diff a release would make, changing nothing. */
  'release:preview': call<ReleasePreview>()(z.object({ items: releaseItemsSchema }).strict()),
  /**
   * Releases approved versions in one commit with an annotated tag each; pushes when `isPushing`.
   * With the preview's `fingerprint`, refused when what it would commit changed since that preview;
   * `replacing`, the files the user confirmed replacing that are not the prompts' own (`replacesOther`).
   */
  'release:run': call<ReleaseResult>()(
    z
      .object({
        items: releaseItemsSchema,
        isPushing: z.boolean().optional(),
        fingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'Not a preview fingerprint').optional(),
        replacing: z.array(z.string().max(4096)).max(1000).optional(),
      })
      .strict(),
  ),
  /** Pushes a release commit's branch and tags again, after a rejected or failed push. */
  'release:retryPush': call<ReleaseResult>()(z.object({ commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'Not a commit id') }).strict()),
  /** Releases newest first: one prompt's, or all. */
  'release:history': call<ReleaseRecord[]>()(z.object({ promptId: id.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict()),
  /** Imports `.prompt.yml` files and promptfoo configs from a folder: new prompts, new versions, suites; a report of each file. */
  'release:import': call<ImportReport>()(z.object({ path: folderPathSchema }).strict()),
  /* ---------------------------------------------------------------------------- end Release */
} as const;

/** Every event the engine can push to the renderer. */
export const events = {
  /** The library changed (created, renamed, archived, a version saved); `promptId` says which. */
  'library:changed': event<{ promptId: number | null }>(),
  /** A prompt's draft was written (autosave, a restore or a version saved, from any window): the draft as it now is. */
  'draft:changed': event<PromptDraft>(),
  /** Settings were saved (from any window): all of them, as they now are. */
  'settings:changed': event<AppSettings>(),
  /** A provider was added, changed or removed (from any window): every provider, as `providers:list` gives them now. */
  'providers:changed': event<ProviderSettings[]>(),
  /** A user's price was set or removed (from any window): every window's estimates and price lists use the price now in force. */
  'pricing:changed': event<PriceChanged>(),
  /**
   * A batch started from the editor or history (not an eval's cells), after the call that
   * started it has answered: other windows show its columns too.
   */
  'run:started': event<RunStarted>(),
  /** New text and live counters of a running cell, at most every ~16 ms per cell. */
  'run:delta': event<RunDelta>(),
  /** A cell ended and is stored: the final run, exact usage where the provider gave it. */
  'run:done': event<RunRecord>(),
  /** Every cell of a batch has ended. */
  'batch:done': event<BatchDone>(),
  /** Cells of an eval finished (a few times a second at most). */
  'eval:progress': event<EvalProgress>(),
  /** An eval ended (done, cancelled), with its final figures. */
  'eval:done': event<EvalSummary>(),
} as const;

/** The map of calls. */
export type Calls = typeof calls;
/** A call's channel name. */
export type CallName = keyof Calls;
/** What a caller passes to a call (before defaults and trimming). */
export type CallInput<C extends CallName> = z.input<Calls[C]['input']>;
/** What a handler receives after validation. */
export type CallParsed<C extends CallName> = z.output<Calls[C]['input']>;
/** What a call resolves to. */
export type CallOutput<C extends CallName> = Calls[C] extends CallSpec<z.ZodType, infer Output> ? Output : never;
/** The engine side: one handler per call. */
export type CallHandlers = {
  [C in CallName]: (input: CallParsed<C>) => CallOutput<C> | Promise<CallOutput<C>>;
};

/** The map of events. */
export type Events = typeof events;
/** An event's name. */
export type EventName = keyof Events;
/** An event's payload. */
export type EventPayload<E extends EventName> = Events[E] extends EventSpec<infer Payload> ? Payload : never;

/** Every call channel, for transports that must allow-list them. */
export const CALL_NAMES = Object.keys(calls) as CallName[];
/** Every event name. */
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** True when `value` names a call. */
export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.hasOwn(calls, value);
}
