/** Domain types shared by the engine, the transports and the renderer. */

/** The role of one chat message. */
export type MessageRole = 'system' | 'user' | 'assistant';

/** Every message role, in the order the editor offers them. */
export const MESSAGE_ROLES: readonly MessageRole[] = ['system', 'user', 'assistant'];

/** One chat message; `content` may hold `{{variable}}` placeholders. */
export interface PromptMessage {
  role: MessageRole;
  content: string;
}

/**
 * How hard a reasoning model thinks before it answers: `none` turns thinking off, the others ask
 * for more or less of it. Each provider has its own control (OpenAI `reasoning_effort`,
 * Anthropic `thinking` and `output_config.effort`, Ollama `think`); see the providers.
 */
export type ReasoningEffort = 'none' | 'low' | 'medium' | 'high';

/** Sampling parameters a prompt carries as its defaults. Absent means "provider default". */
export interface ModelParameters {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
  /** Absent: the model's own default (thinking models think, others do not). */
  reasoningEffort?: ReasoningEffort;
}

/**
 * What shape an answer must take, beyond text: any JSON object, or JSON following a schema
 * (held to it strictly). Each provider has its own control (OpenAI `response_format`,
 * Anthropic `output_config.format`, Ollama `format`); see the providers.
 */
export type ResponseFormat = { type: 'json_object' } | JsonSchemaFormat;

/** A JSON Schema an answer must follow, named as OpenAI's `json_schema` format wants. */
export interface JsonSchemaFormat {
  type: 'json_schema';
  /** 1 to 64 ASCII letters, digits, `_` and `-`. */
  name: string;
  /** A JSON Schema object. */
  schema: Record<string, unknown>;
  /**
   * False: the schema guides the answer but is not enforced (OpenAI's `strict: false`). Absent
   * (or true): strict, as every schema before this choice, whose content hash stays as it was.
   */
  isStrict?: boolean;
}

/** The kinds of response format, as the editor offers them; `text` is the absence of one. */
export type ResponseFormatKind = 'text' | ResponseFormat['type'];

/**
 * The editable body of a prompt: what a version freezes and a draft holds.
 *
 * `model` is a `provider/model` id as in GitHub Models files (`openai/gpt-4o-mini`).
 */
export interface PromptContent {
  model: string;
  parameters: ModelParameters;
  messages: PromptMessage[];
  /** Absent: plain text, as every prompt before response formats (and its content hash stays as it was). */
  responseFormat?: ResponseFormat;
}

/** A row of the prompt library. */
export interface PromptSummary {
  id: number;
  slug: string;
  name: string;
  description: string;
  isArchived: boolean;
  versionCount: number;
  latestVersion: number | null;
  updatedAt: string;
}

/** The status of a saved version. */
export type VersionStatus = 'draft' | 'approved';

/** A saved, immutable version as listed (without its content). */
export interface PromptVersionSummary {
  id: number;
  promptId: number;
  number: number;
  note: string;
  status: VersionStatus;
  contentHash: string;
  createdAt: string;
}

/** A saved version with its frozen content. */
export interface PromptVersion extends PromptVersionSummary {
  content: PromptContent;
}

/** The autosaved working draft of a prompt, with the variable values typed for it. */
export interface PromptDraft {
  promptId: number;
  content: PromptContent;
  variables: Record<string, string>;
  /** The version the draft started from (null for a prompt never saved). */
  baseVersion: number | null;
  /** True when the draft's content differs from the latest saved version. */
  isDirty: boolean;
  updatedAt: string;
  /**
   * How many times the draft has been written. A window saves "based on" the revision it last
   * had; the engine refuses the save when the draft was written since (another window).
   */
  revision: number;
}

/** Everything the editor needs to open a prompt. */
export interface PromptDetail {
  prompt: PromptSummary;
  draft: PromptDraft;
  versions: PromptVersionSummary[];
}

/** A problem found in a prompt file, located by file and line. */
export interface FileProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  /**
   * What the problem kept out: the whole file (when absent), only a test case or evaluator of a
   * file that loaded, or nothing (a note on a file that loaded whole, such as a prompt given
   * another name because its own was taken).
   */
  leftOut?: 'file' | 'item' | 'nothing';
  /** A note that the file's prompt was given another name than the file gives, as its own was taken. */
  isRenamed?: true;
}

/** The user's theme choice; `system` follows the operating system. */
export type ThemePreference = 'system' | 'light' | 'dark';

/** Settings kept in the database (never secrets). */
export interface AppSettings {
  theme: ThemePreference;
  /** The most runs may cost per local day, in USD; a batch that would go over is refused. Null: no budget. */
  dailyBudgetUsd: number | null;
  /** The most the response cache may hold, in MB (1,048,576 bytes); past it the answers used longest ago go. Null: no limit. */
  cacheLimitMb: number | null;
  /** Cached answers older than this many days are not served (and are dropped); null: they never expire. */
  cacheMaxAgeDays: number | null;
  /**
   * The model that grades checks a file leaves to a model grader (GitHub Models' github/coherence
   * and `llm` evaluators, promptfoo's llm-rubric), and LLM judges whose provider (named in the
   * file) is not configured here, when the file is read without one chosen: the library's folder
   * import, `workbench eval` without --judge; Import starts with it. Null: such checks are
   * reported and left out.
   */
  judge: RunTarget | null;
  /**
   * The runs panel's last choices (models, samples, bypass cache), for a window that has none of
   * its own: a browser host started again on another port is another origin, whose storage is empty.
   * Null until first chosen.
   */
  runChoices: RunChoices | null;
}

/** What the runs panel runs on next. */
export interface RunChoices {
  targets: RunTarget[];
  samples: number;
  bypassCache: boolean;
}

/** What the host tells the renderer when it connects. */
export interface AppInfo {
  version: string;
  /** `cli`: the headless `workbench` command (no renderer connects to it). */
  host: 'electron' | 'web' | 'cli';
  dataDir: string;
  /** Problems met while seeding or loading prompt files, shown to the user. */
  problems: FileProblem[];
}

/* ------------------------------------------------------------------------------------------
 * Providers, runs, prices and the response cache.
 * ------------------------------------------------------------------------------------------ */

/** Which wire protocol and SDK a provider speaks; the engine's provider layer uses this one too. */
export type ProviderKind = 'openai' | 'openai-compatible' | 'anthropic' | 'ollama';

/** Every provider kind, in the order settings offer them. */
export const PROVIDER_KIND_NAMES: readonly ProviderKind[] = ['openai', 'anthropic', 'ollama', 'openai-compatible'];

/**
 * Where a provider's API key comes from. The key itself never leaves the engine's secret
 * store or the environment: settings only say which.
 *
 * `environment`: the variable named by `keyVariable` (OPENAI_API_KEY, ANTHROPIC_API_KEY...);
 * `secret-store`: a key entered once (kept for the session in the browser host, by the OS
 * keychain through Electron's safeStorage in the desktop app); `none`: no key is sent.
 */
export type KeySource = 'none' | 'environment' | 'secret-store';

/** The time limits a provider sets (see shared/time-limits.ts), in milliseconds; null where it takes the default (`defaultTimeLimits`). */
export interface ProviderTimeLimits {
  /** How long a run waits for its first token. */
  firstOutputMs: number | null;
  /** How long an answer that began may then send nothing before it counts as stalled. */
  stallMs: number | null;
  /** How long a run may take in all, retries included. */
  totalMs: number | null;
}

/** A configured provider as settings show it (never with its key). */
export interface ProviderSettings {
  id: number;
  kind: ProviderKind;
  label: string;
  /** The base URL or host the user set; null for the kind's default. */
  baseUrl: string | null;
  /** Where requests go: `baseUrl`, or the default (OLLAMA_HOST for Ollama). */
  endpoint: string;
  keySource: KeySource;
  /** The environment variable read when `keySource` is `environment`. */
  keyVariable: string | null;
  /** True when a key is available right now from its source. */
  hasKey: boolean;
  /** Local models cost nothing: runs are priced at $0 unless a price override says otherwise. */
  isLocal: boolean;
  /** One of the three providers every install starts with (they can be edited, not removed). */
  isBuiltIn: boolean;
  /**
   * How long Ollama keeps a model loaded after a run (`keep_alive`), as the user wrote it: "5m",
   * "3600", "0", "-1"; null for the default (`DEFAULT_KEEP_ALIVE`), and always for other kinds.
   */
  keepAlive: string | null;
  /**
   * The time limits the provider's runs run under, each null for the default of where its server is
   * (`defaultTimeLimits` in shared/time-limits.ts).
   */
  timeLimits: ProviderTimeLimits;
  updatedAt: string;
}

/** A model a provider offers, as "Test connection" lists it. */
export interface ProviderModel {
  id: string;
  label?: string;
  /** Size on disk in bytes (local models). */
  sizeBytes?: number;
  /** Quantization level such as `Q4_K_M` (local models). */
  quantization?: string;
  contextLength?: number;
  /** Whether the model thinks before answering (the Reasoning parameter applies), when the provider says. */
  canThink?: boolean;
}

/** The outcome of "Test connection": the models, or why it failed. */
export type ProviderTestResult =
  | { isOk: true; models: ProviderModel[]; latencyMs: number }
  | { isOk: false; errorKind: string; message: string; latencyMs: number };

/**
 * A rate in USD per million tokens that steps up with the request's size: the whole count is
 * charged at the rate of the highest tier whose `start` the request's input tokens exceed.
 */
export interface TieredRate {
  base: number;
  tiers: { start: number; price: number }[];
}

/** A rate in USD per million tokens, flat or tiered. */
export type TokenRate = number | TieredRate;

/**
 * What a model costs, in USD per million tokens.
 *
 * A null rate falls back to its parent: cache reads and writes are charged as input, reasoning
 * as output, as the price source does.
 */
export interface ModelPrice {
  input: TokenRate;
  output: TokenRate;
  cachedInput: TokenRate | null;
  cacheWrite: TokenRate | null;
  reasoning: TokenRate | null;
  /** A fee per thousand requests, for the few providers that charge one. */
  perThousandRequests: number | null;
}

/** Where a price came from: the maintained catalog, the user's override, a local model ($0), or nowhere. */
export type PriceSource = 'catalog' | 'override' | 'local' | 'none';

/** The price a run is (or would be) charged at; `price` is null exactly when `source` is `none`. */
export interface ResolvedPrice {
  price: ModelPrice | null;
  source: PriceSource;
  /** The catalog's id of the model matched (`claude-haiku-4-5` for `claude-haiku-4-5-20251001`). */
  catalogModel: string | null;
}

/** What setting or removing the user's price of a model leaves: the price now in force, and the catalog's. */
export interface PriceChange {
  resolved: ResolvedPrice;
  /** The catalog's price of the model, to say which rates of the user's are the catalog's; null when the catalog has none. */
  catalogPrice: ModelPrice | null;
}

/** A user's price of a model set or removed (from any window): which model, and what it leaves. */
export interface PriceChanged extends PriceChange {
  providerId: number;
  model: string;
}

/** A row of the price list. */
export interface PriceEntry {
  providerId: number;
  model: string;
  /** The catalog's name for the model, when it has one. */
  name: string | null;
  /** The price runs are charged at. */
  price: ModelPrice;
  source: Exclude<PriceSource, 'none'>;
  /** The catalog's price, also when an override replaces it; null when the catalog has none. */
  catalogPrice: ModelPrice | null;
}

/** The price list of one provider, and where the catalog comes from. */
export interface PriceList {
  entries: PriceEntry[];
  /** The catalog and its version, as "@pydantic/genai-prices 0.1.8". */
  catalog: string;
  /** True when the list was cut at the requested limit. */
  isTruncated: boolean;
}

/**
 * Token counts of a run.
 *
 * `inputTokens` counts every input token, cache reads and writes included, for every provider
 * (for Anthropic that is its `input_tokens` plus both cache figures), so cells compare.
 * `outputTokens` includes `reasoningTokens`. `isEstimated` marks counts from the local
 * tokenizer rather than the provider's own usage.
 */
export interface RunUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  isEstimated: boolean;
  /**
   * False when the provider counted the input although the rest is an estimate (a run stopped
   * after Anthropic's `message_start` reported it); absent: as `isEstimated`.
   */
  isInputEstimated?: boolean;
}

/** Where a run stands. */
export type RunStatus = 'running' | 'ok' | 'error' | 'cancelled';

/** Every run status. */
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'ok', 'error', 'cancelled'];

/** A saved version by number, or the working draft. */
export type VersionRef = number | 'draft';

/** A model to run on: a configured provider and the provider's own model id. */
export interface RunTarget {
  providerId: number;
  model: string;
}

/** One cell of a batch as `runs:start` announces it, before it has run. */
export interface RunCell {
  runId: number;
  cellIndex: number;
  version: VersionRef;
  /** Null for a stored cell whose provider has since been removed. */
  providerId: number | null;
  providerLabel: string;
  model: string;
  sampleIndex: number;
  /** Input tokens before the provider's usage comes: its own count (`isInputCounted`) or the local estimate. */
  estimatedInputTokens: number;
  /** True when the provider counted the input before the run (Anthropic's `count_tokens`), so it shows as exact. */
  isInputCounted: boolean;
  price: ResolvedPrice;
  /** How long the provider may take to send its first token before the run fails, so the column can say what it waits against. */
  firstOutputLimitMs: number;
}

/** What `runs:start` and `runs:rerun` return at once; the cells stream as events. */
export interface BatchStarted {
  batchId: number;
  cells: RunCell[];
}

/** A prompt's last comparison from the runs panel, as a window opening the prompt shows it again (`runs:latestBatch`). */
export interface RestoredBatch extends BatchStarted {
  promptId: number;
  isCacheBypassed: boolean;
  /** When the batch started. */
  startedAt: string;
  /** Each cell's run as stored, in cell order (`running` while it still is). */
  records: RunRecord[];
  /** What the runs since run again in their column's place cost: part of what the comparison cost. */
  replaced: ReplacedCost;
  /**
   * The columns still streaming in this engine, each as a delta with no text: its counters and
   * any wait (queued, or counting down to a retry), so a window opened meanwhile shows them
   * before the next delta.
   */
  live: RunDelta[];
}

/** What the runs of a comparison that were run again in their column's place cost (a stopped run's partial answer is paid for). */
export interface ReplacedCost {
  costUsd: number;
  /** How many of those runs cost anything (one that failed before the model answered cost nothing): the header says what its total includes. */
  count: number;
  /** Whether any of it is an estimate (a stopped run's usage was counted locally). */
  isEstimated: boolean;
}

/** A batch that started, as every window hears of it (`run:started`). */
export interface RunStarted extends BatchStarted {
  /** The prompt whose runs panel shows the batch; null for a run sent again from history. */
  promptId: number | null;
  isCacheBypassed: boolean;
  /** For a column run again in its place: the batch and the run it replaces there. */
  retryOf?: { batchId: number; runId: number };
}

/**
 * Why a provider that needs an API key has none: `lost-at-restart`, one was to be entered in
 * Settings, and the host (which keeps entered keys until it stops) has restarted since; `not-set`,
 * its variable is not set, or no key was entered.
 */
export type MissingKey = 'not-set' | 'lost-at-restart';

/** The estimate for one cell before running. */
export interface CellEstimate {
  version: VersionRef;
  providerId: number;
  providerLabel: string;
  model: string;
  sampleIndex: number;
  /** From the local tokenizer (gpt-tokenizer), messages' framing included; or the provider's count (`isInputExact`). */
  inputTokens: number;
  /** The average output of this prompt on this model in history; null without history. */
  expectedOutputTokens: number | null;
  price: ResolvedPrice;
  /** Input at the price, plus the expected output; null when the model has no price; $0 for a cell the provider refuses before sending (`refusal`). */
  costUsd: number | null;
  /** True when `inputTokens` was counted by the provider (Anthropic's `count_tokens`), not the local tokenizer. */
  isInputExact: boolean;
  /**
   * Why a provider that counts input exactly did not count this cell's: `no-key`, it has no API
   * key (a key entered in the browser host lasts for its session only). Absent otherwise.
   */
  inputNotCounted?: 'no-key';
  /**
   * Why the provider, which needs an API key, has none at hand (so the run would fail): see
   * `MissingKey`. Absent when it has its key or needs none (Ollama, a keyless local server).
   */
  missingKey?: MissingKey;
  /**
   * Why the provider would refuse the cell (Claude has no JSON object mode; OpenAI takes at most
   * 4 stop sequences, a strict schema only if every object is closed and lists all its properties
   * as required, and a JSON object format only if the messages say JSON), in the words its run
   * would fail with at once: what to do instead. Absent when it would not. Never sent, such a
   * cell costs nothing: it counts neither in the total nor against the budget.
   */
  refusal?: string;
  /** The refusal in a few words, for the model's chip ("no JSON object mode"); present with `refusal`. */
  refusalTag?: string;
  /**
   * What the provider tells of the cell's response format that does not stop it (Strict off has
   * no effect on Anthropic and Ollama), in the words of its run's notice. Absent when nothing.
   */
  formatNotice?: string;
  /**
   * What the provider will do otherwise with the reasoning effort ("Reasoning high sent as
   * thinking on: qwen3:8b has no levels"), in the words of its run's notice. Absent when nothing,
   * or when the cache answers.
   */
  reasoningNotice?: string;
  /** True when the response cache holds the answer (and the batch does not bypass it): it will cost $0. */
  isCached: boolean;
}

/** Today's spending against the daily budget. */
export interface BudgetStatus {
  /** The budget setting; null when none is set. */
  dailyBudgetUsd: number | null;
  /** Costs of runs started since local midnight (running ones at their estimate). */
  spentTodayUsd: number;
  /** How much the estimated batch would go over the budget; null when it fits or there is no budget. */
  exceedsByUsd: number | null;
}

/** What a batch would cost and whether it may run. */
export interface RunEstimate {
  cells: CellEstimate[];
  /** The sum of the priced cells. */
  totalCostUsd: number;
  /** Models in the batch that have no price (their cost is unknown, not zero). */
  unpricedModels: string[];
  /** Variables the prompt uses that have no value; a batch with any is refused. */
  missingVariables: string[];
  /** Variables the batch uses whose value is only whitespace: sent as blanks, said but not refused. */
  blankVariables: string[];
  budget: BudgetStatus;
  /**
   * Saved versions in the batch whose placeholders are sent as written (malformed, or inside
   * extra braces), as `findLiteralPlaceholders` finds them; the draft's the renderer scans as it
   * is typed.
   */
  literalPlaceholders: { version: number; malformed: string[]; braced: string[] }[];
}

/** The stored `errorKind` of a run refused before anything was sent (see `RunSummary.isNotSent`). */
export const NOT_SENT_KIND = 'not-sent';

/** A stored run as history lists it. */
export interface RunSummary {
  id: number;
  batchId: number;
  cellIndex: number;
  promptId: number | null;
  promptName: string | null;
  version: VersionRef;
  providerId: number | null;
  providerKind: ProviderKind;
  providerLabel: string;
  model: string;
  sampleIndex: number;
  /**
   * How many samples of its request its comparison ran: 1 for a run on its own. A retry or a
   * re-run keeps the count of the run it sent again.
   */
  sampleCount: number;
  status: RunStatus;
  /** A failed run the app stopped under (a crash or a killed process): shown as "Interrupted", not "Failed". */
  isInterrupted: boolean;
  /**
   * A failed run refused before anything was sent (no API key, a response format the provider
   * does not have): shown as "Not sent", with no usage; its `errorKind` is `NOT_SENT_KIND`.
   */
  isNotSent: boolean;
  error: string | null;
  finishReason: string | null;
  usage: RunUsage;
  /** What the run cost (estimated while running or when usage is estimated); null when the model has no price. */
  costUsd: number | null;
  /** For a cache hit, what the original run cost (null when its model had no price: unknown, never $0); else 0. */
  savedUsd: number | null;
  isCacheHit: boolean;
  ttftMs: number | null;
  latencyMs: number | null;
  tokensPerSecond: number | null;
  /** The first 200 characters of the output. */
  outputPreview: string;
  /**
   * What the provider changed about the request to have it accepted ("Reasoning effort not
   * sent: llama3.2 cannot think"); empty when it went as asked.
   */
  notices: string[];
  startedAt: string;
  finishedAt: string | null;
}

/** A stored run with everything it was run with. */
export interface RunRecord extends RunSummary {
  endpoint: string;
  messages: PromptMessage[];
  parameters: ModelParameters;
  /** The response format it was sent with; absent for text. */
  responseFormat?: ResponseFormat;
  variables: Record<string, string>;
  output: string;
  /** A reasoning model's thinking, where the provider sent it apart from the answer; '' when none. */
  reasoning: string;
  errorKind: string | null;
  /** The price the run was charged at. */
  price: ResolvedPrice;
  isCacheBypassed: boolean;
  /** For a cache hit: the run its answer came from, whose usage and timing it shows; null otherwise, or when that run is gone. */
  cachedFromRunId: number | null;
  /**
   * Only on the `run:done` of a run the database would not store (damaged, full, read-only):
   * why, in the database’s words; History does not have the run. Absent for a stored run.
   */
  notStored?: string;
}

/** Marks the start of a matched word in a search snippet (a control character, never in normal text). */
export const SNIPPET_MATCH_START = '\u0002';
/** Marks the end of a matched word in a search snippet. */
export const SNIPPET_MATCH_END = '\u0003';

/** A history search hit: the run and where the words matched. */
export interface RunSearchHit extends RunSummary {
  /** An excerpt around the match (output or prompt text), matches between SNIPPET_MATCH_START and SNIPPET_MATCH_END. */
  snippet: string;
}

/** The formats history exports to: CSV, one row per run, or JSON Lines, one whole run per line. */
export type RunExportFormat = 'csv' | 'jsonl';

/** A page of a history export: text to append to the file (the CSV header with the first page). */
export interface RunExportPage {
  text: string;
  /** How many runs this page holds. */
  count: number;
  /** Pass back for the next page; null at the end. */
  nextCursor: string | null;
  /** What to call the file. */
  fileName: string;
}

/** A page of history; pass `nextCursor` back for the next one (null at the end). */
export interface RunPage<Item = RunSummary> {
  items: Item[];
  nextCursor: string | null;
}

/** The live figures of a running cell. */
export interface RunCounters {
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  /** True while the counts come from the local tokenizer. */
  isEstimated: boolean;
  /** False once the provider counted the input (before running, or at the start of its answer). */
  isInputEstimated: boolean;
  /** From the request reaching the provider (after any queue) to the first token, thinking or answer. */
  ttftMs: number | null;
  tokensPerSecond: number | null;
  /** Since the request went out (a queued request's wait is not counted, as in the stored latency). */
  elapsedMs: number;
}

/** Text and counters of one cell since its previous delta (at most one every ~16 ms per cell). */
export interface RunDelta {
  batchId: number;
  runId: number;
  /** Text to append. */
  text: string;
  /** Thinking to append (a reasoning model's, where the provider sends it apart); absent when none came. */
  reasoning?: string;
  /** Every notice of the cell so far (see `RunRecord.notices`), when one came since the previous delta. */
  notices?: string[];
  /** Whether the request waits for a concurrency slot (another request holds the model), when a wait changed since the previous delta. */
  isQueued?: boolean;
  /**
   * When a wait changed since the previous delta: the retry the request waits for after an attempt failed before any
   * output (in how long it goes out, and the error), or null when it waits for none.
   */
  retry?: { inMs: number; reason: string } | null;
  counters: RunCounters;
}

/** A batch that has finished, every cell stored. */
export interface BatchDone {
  batchId: number;
  counts: Record<RunStatus, number>;
  /** What the batch cost (priced cells only). */
  totalCostUsd: number;
  totalSavedUsd: number;
}

/** What the response cache holds and has saved since it was last cleared. */
export interface CacheStats {
  entries: number;
  sizeBytes: number;
  /** The size limit in bytes (from the cacheLimitMb setting); null when there is none. */
  limitBytes: number | null;
  lookups: number;
  hits: number;
  /** hits / lookups; null before the first lookup. */
  hitRate: number | null;
  /** What the hits would have cost, for the hits on priced models. */
  savedUsd: number;
  /** Hits on models without a price: what they saved is unknown, so `savedUsd` leaves them out. */
  unpricedHits: number;
  /** When the cache was last cleared; null if never. */
  clearedAt: string | null;
}
