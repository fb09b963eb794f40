/**
 * How a cell's stream turns into what is stored: status, usage (the provider's when it sent
 * it, else estimates), cost at the run's price, and speed.
 *
 * - Finished with usage: exact counts, `isEstimated: false`.
 * - Finished without usage (a compatible server that ignores `include_usage`), or broken or
 *   cancelled after some output: the request and the received text counted by the tokenizer,
 *   `isEstimated: true`; the provider most likely billed that much.
 * - Failed or cancelled before any output: nothing counted and nothing charged.
 */

import { costOf, tokensPerSecond } from '../../../shared/cost';
import { WorkbenchError } from '../../../shared/errors';
import { NOT_SENT_KIND, type ProviderKind, type ResolvedPrice, type RunUsage } from '../../../shared/types';
import { ProviderError } from '../providers/provider-error';
import { withoutCredentials } from '../providers/url-credentials';
import type { ProviderUsage, StreamEvent } from '../providers/provider';
import { countTextTokens } from '../tokens/token-estimator';
import { isRetryNotice } from '../providers/request-notices';
import type { CachedResponse } from './response-cache';
import type { RunOutcome } from './run-store';
import { STOPPED_ERROR } from './stopped-text';

/** What a cell saw while it streamed. */
export interface StreamResult {
  providerKind: ProviderKind;
  model: string;
  price: ResolvedPrice;
  estimatedInputTokens: number;
  /** The input counts the provider reported at the start of its answer, if it did (Anthropic). */
  countedInput?: ProviderUsage | null;
  output: string;
  /** Thinking received apart from the answer. */
  reasoning: string;
  /** The final event, when the stream got there. */
  done: Extract<StreamEvent, { type: 'done' }> | null;
  /** What ended the stream early, if anything. */
  error: unknown;
  ttftMs: number | null;
  /** From the first attempt going out to the end; null when nothing went out. */
  latencyMs: number | null;
  /** From the first text to the end; null without text. */
  generationMs: number | null;
  /** What the provider changed about the request to have it accepted. */
  notices: readonly string[];
}

/** The provider's usage in our terms: input counts every input token, cache reads and writes included. */
export function exactUsage(kind: ProviderKind, usage: ProviderUsage): RunUsage {
  // Anthropic reports cache reads and writes beside `input_tokens`; the others inside it.
  const inputTokens = kind === 'anthropic' ? usage.inputTokens + usage.cachedInputTokens + usage.cacheWriteTokens : usage.inputTokens;
  return {
    inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    outputTokens: usage.outputTokens,
    reasoningTokens: usage.reasoningTokens,
    isEstimated: false,
  };
}

/** The stored outcome of a streamed cell. */
export function streamOutcome(result: StreamResult): RunOutcome {
  const { price } = result;
  let failure: { kind: string; message: string } | null = null;
  if (result.error !== null && result.error !== undefined) failure = describeFailure(result.error);
  else if (result.done === null) failure = { kind: 'stream', message: 'The stream ended before the response finished' };
  const status = failure === null ? 'ok' : failure.kind === 'cancelled' ? 'cancelled' : 'error';
  const received = result.done !== null || result.output !== '' || result.reasoning !== '';
  let usage: RunUsage;
  if (result.done?.usage) usage = exactUsage(result.providerKind, result.done.usage);
  else {
    // The provider's count of the input, where it gave one at the start of its answer (Anthropic's message_start).
    const counted = result.countedInput ? exactUsage(result.providerKind, result.countedInput) : null;
    usage = {
      inputTokens: received ? (counted?.inputTokens ?? result.estimatedInputTokens) : 0,
      cachedInputTokens: received ? (counted?.cachedInputTokens ?? 0) : 0,
      cacheWriteTokens: received ? (counted?.cacheWriteTokens ?? 0) : 0,
      // Thinking is output too, as providers count it.
      outputTokens: countTextTokens(result.output, result.model) + countTextTokens(result.reasoning, result.model),
      reasoningTokens: countTextTokens(result.reasoning, result.model),
      isEstimated: true,
      ...(received && counted !== null && { isInputEstimated: false }),
    };
  }
  const costUsd = received ? costOf(usage, price.price) : price.price === null ? null : 0;
  const evalMs = result.done?.timings?.evalMs ?? null;
  return {
    status,
    // Stopped is the user's doing, whichever layer noticed the abort first: said in their words, not the provider layer's.
    error: status === 'cancelled' ? STOPPED_ERROR : (failure?.message ?? null),
    errorKind: failure?.kind ?? null,
    finishReason: result.done?.finishReason ?? null,
    output: result.output,
    reasoning: result.reasoning,
    usage,
    costUsd,
    savedUsd: 0,
    price,
    ttftMs: result.ttftMs,
    latencyMs: result.latencyMs,
    // Ollama times its own generation; elsewhere the time from the first text to the last stands in.
    tokensPerSecond: tokensPerSecond(usage.outputTokens, evalMs ?? result.generationMs),
    isCacheHit: false,
    notices: [...result.notices],
  };
}

/** The stored outcome of a cache hit: the original answer, usage, timings and price; nothing charged, the original cost saved. */
export function cacheHitOutcome(hit: CachedResponse): RunOutcome {
  return {
    status: 'ok',
    error: null,
    errorKind: null,
    finishReason: hit.finishReason,
    output: hit.output,
    reasoning: hit.reasoning,
    usage: hit.usage,
    costUsd: 0,
    savedUsd: hit.costUsd,
    price: hit.price,
    ttftMs: hit.ttftMs,
    latencyMs: hit.latencyMs,
    tokensPerSecond: hit.tokensPerSecond,
    isCacheHit: true,
    cachedFromRunId: hit.sourceRunId > 0 ? hit.sourceRunId : null,
    // What was changed about the request holds for its answer; the retries its run went through do not: none went out now.
    notices: hit.notices.filter((notice) => !isRetryNotice(notice)),
  };
}

/** A failure's kind and the message for the user. */
export function describeFailure(error: unknown): { kind: string; message: string } {
  // A message may name the address it failed at; one with a password in it is never stored so.
  // Refused before sending (no key, a format the provider does not have): no provider's error, as nothing reached one.
  if (error instanceof ProviderError) return { kind: error.isNotSent ? NOT_SENT_KIND : error.kind, message: withoutCredentials(error.message) };
  if (error instanceof WorkbenchError) return { kind: error.code, message: withoutCredentials(error.message) };
  return { kind: 'internal', message: withoutCredentials(`Unexpected failure: ${error instanceof Error ? error.message : String(error)}`) };
}
