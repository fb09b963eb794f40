/**
 * Turns "these versions on these models" into the cells of a batch: each version rendered with
 * the variables, each model's price resolved, input tokens counted, output expected from
 * history, and the cache key of each request. `runs:estimate` shows a plan; `runs:start` stores
 * and runs one. Planning never calls a provider (input-counter.ts asks the ones that count).
 */

import { budgetOverage, estimateCost, sumKnownCosts } from '../../../shared/cost';
import { WorkbenchError } from '../../../shared/errors';
import { collectVariables, findBlankVariables, findLiteralPlaceholders, messagesToSend, renderMessages } from '../../../shared/template';
import type { BudgetStatus, CellEstimate, MissingKey, ModelParameters, PromptMessage, ResolvedPrice, ResponseFormat, RunEstimate, RunRecord, RunTarget, VersionRef } from '../../../shared/types';
import type { PriceBook } from '../pricing/price-book';
import type { PromptStore } from '../prompt-store';
import { requestRefusal, strictnessNotice, type RequestRefusal } from '../providers/format-support';
import type { ProviderEndpoint, ProviderSettingsStore } from '../providers/provider-settings-store';
import { withoutCredentials } from '../providers/url-credentials';
import { encodingFor, estimateInputTokens, roughInputTokens, type EncodingName } from '../tokens/token-estimator';
import { cacheKey } from './response-cache';
import type { NewRun, RunStore } from './run-store';

/**
 * What a cell's estimate says of its request before the run: `refusal`, the run would fail on it
 * at once (its response format, its stop sequences); `formatNotice`, it runs, and its notice will
 * say the same (Strict off).
 */
function formatSupportOf(cell: PlannedCell): Pick<CellEstimate, 'refusal' | 'refusalTag' | 'formatNotice'> {
  if (cell.refusal !== undefined) return { refusal: cell.refusal.error.message, refusalTag: cell.refusal.tag };
  const notice = strictnessNotice(cell.provider.kind, cell.responseFormat, cell.isFormatBestEffort);
  return notice === null ? {} : { formatNotice: notice };
}

/** What a batch asks for. */
export interface BatchRequest {
  promptId: number;
  versions: VersionRef[];
  targets: RunTarget[];
  /** The draft's values when absent. */
  variables?: Record<string, string>;
  samples?: number;
  bypassCache?: boolean;
}

/** One planned cell: what will be stored and sent, and its estimate. */
export interface PlannedCell extends NewRun {
  expectedOutputTokens: number | null;
  /** True when `usage.inputTokens` is the provider's own count (Anthropic's `count_tokens`), not the local estimate. */
  isInputCounted: boolean;
  /** True when the response cache holds the answer: it costs $0 (see `withCacheHits`). */
  isCached: boolean;
  /** The provider's settings as planning read them, so running the cell need not read them again. */
  provider: ProviderEndpoint;
  /** True when the messages ask for the response format in words too (an eval's judge): see `ChatRequest`. */
  isFormatBestEffort?: boolean;
  /**
   * Why the provider will refuse the cell before sending it (`requestRefusal`): it costs
   * nothing, so its `costUsd` is 0 and neither the estimate's total nor the budget counts it.
   */
  refusal?: RequestRefusal;
  /**
   * Whether a successful answer is worth giving again (a judge's must read as a verdict);
   * an answer it refuses is not kept in the response cache, so the next ask goes to the model.
   */
  isAnswerCacheable?: (output: string) => boolean;
}

/** What one cell is planned from (`RunPlanner.planCell`). */
export interface CellSource {
  cellIndex: number;
  promptId: number | null;
  version: VersionRef;
  provider: ProviderEndpoint;
  model: string;
  sampleIndex: number;
  /** How many samples of this request the comparison runs (see `NewRun`). */
  sampleCount: number;
  /** Rendered: no `{{variables}}` left. */
  messages: PromptMessage[];
  parameters: ModelParameters;
  variables: Record<string, string>;
  isCacheBypassed: boolean;
  /** The prompt's response format (or the judge's verdict schema); absent for text. */
  responseFormat?: ResponseFormat;
  isFormatBestEffort?: boolean;
}

/** A batch ready to store and run. */
export interface BatchPlan {
  promptId: number | null;
  cells: PlannedCell[];
  /** Variables used without a value, across every version. */
  missingVariables: string[];
  /** Variables used whose value is only whitespace, across every version. */
  blankVariables: string[];
  isCacheBypassed: boolean;
}

/** What the planner reads from. */
export interface PlannerSources {
  prompts: PromptStore;
  providers: ProviderSettingsStore;
  prices: PriceBook;
  runs: RunStore;
  /** The daily budget setting. */
  dailyBudgetUsd: () => number | null;
  now: () => Date;
}

interface Source {
  version: VersionRef;
  messages: PromptMessage[];
  parameters: ModelParameters;
  responseFormat: ResponseFormat | undefined;
  /** The values of the variables its messages use. */
  variables: Record<string, string>;
}

/**
 * What the cells of one plan share, worked out once: a batch of eight samples, or of two
 * versions on three models, asks for the same price, token count and history many times.
 */
export interface PlanContext {
  at: Date;
  isOutputExpected: boolean;
  /** False: input is estimated from its length, without loading the tokenizer (nothing shows or budgets by it). */
  isInputCounted: boolean;
  prices: Map<string, ResolvedPrice>;
  /** Input tokens by rendered messages (the same array for every cell of a version) and encoding. */
  inputTokens: Map<PromptMessage[], Map<EncodingName, number>>;
  expectedOutputTokens: Map<string, number | null>;
}

/** Plans batches. */
export class RunPlanner {
  private readonly sources: PlannerSources;

  constructor(sources: PlannerSources) {
    this.sources = sources;
  }

  /** The daily budget setting. */
  dailyBudget(): number | null {
    return this.sources.dailyBudgetUsd();
  }

  /**
   * The cells of `request`: targets x versions x samples, in that order.
   *
   * `isOutputExpected: false` skips looking up the output history expects (a batch about to
   * run needs it only for a budget check).
   */
  plan(request: BatchRequest, { isOutputExpected } = { isOutputExpected: true }): BatchPlan {
    const { prompts } = this.sources;
    const draft = prompts.getDraftSource(request.promptId);
    const variables = request.variables ?? draft.variables;
    const missing = new Set<string>();
    const blank = new Set<string>();
    const sources: Source[] = request.versions.map((version) => {
      const content = version === 'draft' ? draft.content : prompts.getVersion(request.promptId, version).content;
      const rendered = renderMessages(content.messages, variables);
      for (const name of rendered.missing) missing.add(name);
      for (const name of findBlankVariables(content.messages, variables)) blank.add(name);
      const messages = messagesToSend(rendered.messages);
      if (messages.length === 0) throw new WorkbenchError('invalid-input', `${version === 'draft' ? 'The draft' : `v${version}`} has no message text to send`);
      // A run keeps the variables its version uses: another version's, or a value left over from a deleted placeholder, is none of its inputs.
      const used = collectVariables(content.messages).filter((name) => Object.hasOwn(variables, name));
      return {
        version,
        messages,
        parameters: content.parameters,
        responseFormat: content.responseFormat,
        variables: Object.fromEntries(used.map((name) => [name, variables[name]])),
      };
    });
    const providers = request.targets.map((target) => this.sources.providers.endpointOfTarget(target));
    const isCacheBypassed = request.bypassCache === true;
    const context = this.context(isOutputExpected);
    const cells: PlannedCell[] = [];
    // A model's columns side by side: its versions, then its samples, so what differs between two columns is one thing.
    request.targets.forEach((target, targetIndex) => {
      for (const source of sources) {
        for (let sampleIndex = 0; sampleIndex < (request.samples ?? 1); sampleIndex += 1) {
          cells.push(
            this.planCell(context, {
              cellIndex: cells.length,
              promptId: request.promptId,
              version: source.version,
              provider: providers[targetIndex],
              model: target.model,
              sampleIndex,
              sampleCount: request.samples ?? 1,
              messages: source.messages,
              parameters: source.parameters,
              variables: source.variables,
              isCacheBypassed,
              ...(source.responseFormat !== undefined && { responseFormat: source.responseFormat }),
            }),
          );
        }
      }
    });
    return { promptId: request.promptId, cells, missingVariables: [...missing], blankVariables: [...blank], isCacheBypassed };
  }

  /** The saved versions of `request` that send placeholders as written, and which. */
  literalPlaceholders(request: BatchRequest): RunEstimate['literalPlaceholders'] {
    return request.versions.flatMap((version) => {
      if (version === 'draft') return [];
      const found = findLiteralPlaceholders(this.sources.prompts.getVersion(request.promptId, version).content.messages);
      return found.malformed.length + found.braced.length === 0 ? [] : [{ version, ...found }];
    });
  }

  /** A one-cell batch sending a stored run's exact request again. */
  planRerun(run: RunRecord, bypassCache: boolean, { isOutputExpected } = { isOutputExpected: true }): BatchPlan {
    if (run.providerId === null) {
      throw new WorkbenchError('not-found', `The provider run ${run.id} used (${run.providerLabel}) has been removed`);
    }
    const cell = this.planCell(this.context(isOutputExpected), {
      cellIndex: 0,
      promptId: run.promptId,
      version: run.version,
      provider: this.sources.providers.endpoint(run.providerId),
      model: run.model,
      sampleIndex: run.sampleIndex,
      // Sent again, it is still one of the samples its comparison ran.
      sampleCount: run.sampleCount,
      messages: run.messages,
      parameters: run.parameters,
      variables: run.variables,
      isCacheBypassed: bypassCache,
      ...(run.responseFormat !== undefined && { responseFormat: run.responseFormat }),
    });
    return { promptId: run.promptId, cells: [cell], missingVariables: [], blankVariables: [], isCacheBypassed: bypassCache };
  }

  /**
   * Today's budget against the plan. Without a budget there is nothing to check, so today's
   * spending is only summed when `isSpendingWanted` (an estimate shows it).
   */
  budget(plan: BatchPlan, budget: number | null, isSpendingWanted = false): BudgetStatus {
    return this.budgetFor(totalCost(plan), budget, isSpendingWanted);
  }

  /** Today's budget against an estimated total (an eval's cells, planned one by one). */
  budgetFor(estimateUsd: number, budget: number | null, isSpendingWanted = false): BudgetStatus {
    if (budget === null && !isSpendingWanted) return { dailyBudgetUsd: null, spentTodayUsd: 0, exceedsByUsd: null };
    const spentTodayUsd = this.sources.runs.spentSince(startOfLocalDay(this.sources.now()).toISOString());
    return { dailyBudgetUsd: budget, spentTodayUsd, exceedsByUsd: budgetOverage(budget, spentTodayUsd, estimateUsd) };
  }

  /**
   * The plan's cost per cell, the total, and today's budget against it.
   *
   * `counted` holds the input tokens providers counted, by cell index: those cells take that
   * count, and the cost of it, in place of the local estimate. `keyless` holds the cells a
   * provider would have counted but for its missing API key, which the estimate says, as it
   * says of each cell whose provider needs a key and has none (`missingKeys`, by provider id).
   */
  estimate(
    plan: BatchPlan,
    counted: ReadonlyMap<number, number> = new Map(),
    keyless: ReadonlySet<number> = new Set(),
    missingKeys: ReadonlyMap<number, MissingKey> = new Map(),
  ): Omit<RunEstimate, 'literalPlaceholders'> {
    const countedPlan = withCounts(plan, counted);
    const { cells } = countedPlan;
    return {
      cells: cells.map((cell) => ({
        version: cell.version,
        providerId: cell.providerId,
        providerLabel: cell.providerLabel,
        model: cell.model,
        sampleIndex: cell.sampleIndex,
        inputTokens: cell.usage.inputTokens,
        expectedOutputTokens: cell.expectedOutputTokens,
        price: cell.price,
        costUsd: cell.costUsd,
        isInputExact: cell.isInputCounted,
        ...(keyless.has(cell.cellIndex) && { inputNotCounted: 'no-key' as const }),
        ...(missingKeys.has(cell.providerId) && { missingKey: missingKeys.get(cell.providerId) }),
        ...formatSupportOf(cell),
        isCached: cell.isCached,
      })),
      totalCostUsd: totalCost(countedPlan),
      // A cached answer, or a refused cell, costs $0 whatever the price: only cells that will ask make the total unknown.
      unpricedModels: [...new Set(cells.filter((cell) => cell.price.price === null && !cell.isCached && cell.refusal === undefined).map((cell) => cell.model))],
      missingVariables: plan.missingVariables,
      blankVariables: plan.blankVariables,
      budget: this.budget(countedPlan, this.sources.dailyBudgetUsd(), true),
    };
  }

  /**
   * A context for `planCell`: an eval plans its cells one by one as they start, sharing prices
   * and history across them.
   */
  context(isOutputExpected: boolean, isInputCounted = true): PlanContext {
    return { at: this.sources.now(), isOutputExpected, isInputCounted, prices: new Map(), inputTokens: new Map(), expectedOutputTokens: new Map() };
  }

  /** One cell from messages already rendered: its price, input estimate, expected output and cache key. */
  planCell(context: PlanContext, input: CellSource): PlannedCell {
    const { provider, model, messages, parameters } = input;
    const target = `${provider.id}\u0000${model}`;
    let price = context.prices.get(target);
    if (price === undefined) {
      price = this.sources.prices.resolve(provider, model, context.at);
      context.prices.set(target, price);
    }
    let counts = context.inputTokens.get(messages);
    if (counts === undefined) {
      counts = new Map();
      context.inputTokens.set(messages, counts);
    }
    const encoding = encodingFor(model);
    let inputTokens = counts.get(encoding);
    if (inputTokens === undefined) {
      inputTokens = context.isInputCounted ? estimateInputTokens(messages, model) : roughInputTokens(messages);
      counts.set(encoding, inputTokens);
    }
    let expectedOutputTokens: number | null = null;
    if (context.isOutputExpected) {
      const history = context.expectedOutputTokens.get(target);
      expectedOutputTokens = history === undefined ? this.sources.runs.expectedOutputTokens(input.promptId, provider.id, model) : history;
      context.expectedOutputTokens.set(target, expectedOutputTokens);
    }
    // What the run stores and the cache keys on; the provider itself still dials the address it was given.
    const endpoint = withoutCredentials(provider.endpoint);
    const refusal = requestRefusal(provider.kind, { messages, parameters, responseFormat: input.responseFormat, isFormatBestEffort: input.isFormatBestEffort });
    return {
      cellIndex: input.cellIndex,
      promptId: input.promptId,
      version: input.version,
      providerId: provider.id,
      providerKind: provider.kind,
      providerLabel: provider.label,
      endpoint,
      model,
      sampleIndex: input.sampleIndex,
      sampleCount: input.sampleCount,
      messages,
      parameters,
      variables: input.variables,
      price,
      usage: {
        inputTokens,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
        isEstimated: true,
      },
      // Counted against today's budget while the run is under way, replaced by the real cost at its end; a refused cell is never sent.
      costUsd: refusal === null ? estimateCost(inputTokens, expectedOutputTokens ?? 0, price.price) : 0,
      cacheKey: cacheKey({
        providerKind: provider.kind,
        endpoint,
        model,
        messages,
        parameters,
        sampleIndex: input.sampleIndex,
        responseFormat: input.responseFormat,
      }),
      isCacheBypassed: input.isCacheBypassed,
      expectedOutputTokens,
      isInputCounted: false,
      isCached: false,
      provider,
      ...(input.responseFormat !== undefined && { responseFormat: input.responseFormat }),
      ...(input.isFormatBestEffort === true && { isFormatBestEffort: true }),
      ...(refusal !== null && { refusal }),
    };
  }
}

/**
 * `plan` with the input tokens providers counted (by cell index) in place of the local
 * estimate, and the cost of them: what the estimate shows, the budget is checked against and a
 * started cell counts from.
 */
export function withCounts(plan: BatchPlan, counted: ReadonlyMap<number, number>): BatchPlan {
  if (counted.size === 0) return plan;
  const cells = plan.cells.map((cell) => {
    const inputTokens = counted.get(cell.cellIndex);
    if (inputTokens === undefined) return cell;
    // A cell the cache will answer, or the provider refuse before sending, stays at $0.
    const costUsd = cell.isCached || cell.refusal !== undefined ? 0 : estimateCost(inputTokens, cell.expectedOutputTokens ?? 0, cell.price.price);
    return { ...cell, usage: { ...cell.usage, inputTokens }, costUsd, isInputCounted: true };
  });
  return { ...plan, cells };
}

/**
 * `plan` with the cells the response cache will answer (`isCached(key)`) at $0: what the
 * estimate shows and the budget is checked against. A batch that bypasses the cache has none.
 */
export function withCacheHits(plan: BatchPlan, isCached: (key: string) => boolean): BatchPlan {
  if (plan.isCacheBypassed) return plan;
  const cells = plan.cells.map((cell) => (isCached(cell.cacheKey) ? { ...cell, costUsd: 0, isCached: true } : cell));
  return { ...plan, cells };
}

/** The estimated cost of the plan's priced cells. */
export function totalCost(plan: BatchPlan): number {
  return sumKnownCosts(plan.cells.map((cell) => cell.costUsd));
}

/** Local midnight of `now`'s day: a daily budget follows the user's calendar, not UTC's. */
export function startOfLocalDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}
