/**
 * Retries, timeouts and concurrency limits around any provider.
 *
 * The SDKs' own retries are off (`maxRetries: 0`) because they cannot know our rule: retry a
 * 429, 5xx or dropped connection only before the first output (a delta, or thinking) reached
 * the caller, never after, since the caller has already shown that text. Each attempt runs under its own first-output
 * timer, and once output began, under a stall timer (no further output for that long ends it, as
 * an error that keeps the partial answer); the whole request, retries and waits included, under
 * the total timer. A request waits for a concurrency slot before any timer starts, and holds it
 * through its retries.
 */

import { linkAbort } from './abort-link';
import { markQueued, markRetryWait } from './attempt-timing';
import { systemClock, type Clock } from './clock';
import { concurrencyKey, concurrencyQueue, defaultLimits, type ConcurrencyLimit, type ConcurrencyQueue, type TimeoutLimits } from './limits';
import { abortError, ProviderError } from './provider-error';
import { DEFAULT_RETRY_POLICY, decideRetry, formatSeconds, retryDelayText, waitText, type RetryPolicy } from './retry';
import type { ChatRequest, ModelInfo, Provider, StreamEvent } from './provider';
import { notice, notSentAgainNotice, sentAgainNotice } from './request-notices';

/** A retry about to happen, for logs and tests. */
export interface RetryNotice {
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  error: ProviderError;
}

/**
 * An error's message with why no retry follows: "…(is the server running?); gave up after 3
 * attempts", or after a sentence that ends ("…Sorry about that!"), a sentence of its own.
 */
function withReason(message: string, reason: string): string {
  return /[.!?]$/.test(message) ? `${message} ${reason[0].toUpperCase()}${reason.slice(1)}.` : `${message}; ${reason}`;
}

/** Where a retry is: waiting to go out, gone out, or given up because the request ended during the wait. */
type RetryPhase = 'waiting' | 'sent' | 'abandoned';

const NO_TIMER = () => {};

/** Settings of the resilience layer; anything left out takes the provider kind's default. */
export interface ResilienceOptions {
  retry?: Partial<RetryPolicy>;
  concurrency?: Partial<ConcurrencyLimit>;
  /**
   * The queue to count requests against (its limit then stands for `concurrency`); without it, the
   * provider gets a queue of its own. A provider rebuilt from new settings is given its previous
   * one, so requests it still runs keep later ones waiting.
   */
  queue?: ConcurrencyQueue;
  timeouts?: Partial<TimeoutLimits>;
  clock?: Clock;
  /** A number in [0, 1) for jitter. */
  random?: () => number;
  onRetry?: (notice: RetryNotice) => void;
}

/** Wraps `provider` with retries, timeouts and a concurrency limit. */
export function withResilience(provider: Provider, options: ResilienceOptions = {}): Provider {
  const defaults = defaultLimits(provider.kind, provider.endpoint);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const { limit: concurrency, slots } = options.queue ?? concurrencyQueue(provider.kind, options.concurrency);
  const timeouts: TimeoutLimits = { ...defaults.timeouts, ...options.timeouts };
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const { label } = provider;

  /**
   * Yields what `open` yields, under the timeouts, retrying as the policy allows until the first
   * item came through; with a concurrency slot under `slotKey` (taken before any timer starts).
   *
   * One generator for all of it: every event of a stream passes through each generator layer,
   * and each layer costs a few promise turns per event.
   */
  async function* attempts<T>(
    outerSignal: AbortSignal,
    slotKey: string | null,
    open: (signal: AbortSignal) => AsyncIterable<T>,
    onRetry?: (notice: RetryNotice, phase: RetryPhase) => void,
  ): AsyncGenerator<T, void, undefined> {
    const release = slotKey === null ? null : await slots.acquire(slotKey, outerSignal);
    const total = linkAbort(outerSignal);
    // A model list or a count is one answer, not a stream that may start and then not finish.
    const isOneAnswer = onRetry === undefined;
    const cancelTotal = clock.setTimer(timeouts.totalMs, () =>
      total.abort(new ProviderError('timeout', `${label} did not ${isOneAnswer ? 'answer' : 'finish'} within ${formatSeconds(timeouts.totalMs)}`)),
    );
    const requestSignal = total.signal;
    try {
      for (let retriesDone = 0; ; retriesDone += 1) {
        const attempt = linkAbort(requestSignal);
        const cancelFirst = clock.setTimer(timeouts.firstOutputMs, () =>
          attempt.abort(new ProviderError('timeout', `${label} ${isOneAnswer ? 'did not answer' : 'sent no output'} within ${formatSeconds(timeouts.firstOutputMs)}`)),
        );
        let hasOutput = false;
        let cancelStall = NO_TIMER;
        /** When the latest output came; the stall timer, armed at the first, looks at it when it fires rather than being re-armed for every token. */
        let lastOutputAt = 0;
        const watchStall = (ms: number) => {
          cancelStall = clock.setTimer(ms, () => {
            const quietMs = clock.now() - lastOutputAt;
            if (quietMs < timeouts.stallMs) watchStall(timeouts.stallMs - quietMs);
            else attempt.abort(new ProviderError('timeout', `${label} sent nothing for ${formatSeconds(timeouts.stallMs)} after the answer began: the stream stalled; the partial answer is kept`));
          });
        };
        try {
          for await (const item of open(attempt.signal)) {
            if (!hasOutput) {
              hasOutput = true;
              cancelFirst();
              if (!isOneAnswer) watchStall(timeouts.stallMs);
            }
            lastOutputAt = clock.now();
            yield item;
          }
          return;
        } catch (error) {
          if (!(error instanceof ProviderError) || hasOutput) throw error;
          const decision = decideRetry(error, retriesDone, policy, clock.now(), random);
          if (!decision.shouldRetry) {
            if (decision.reason === null) throw error;
            throw new ProviderError(error.kind, withReason(error.message, decision.reason), {
              status: error.status,
              headers: error.headers,
              isRetryable: false,
              isKeyMissing: error.isKeyMissing,
              cause: error,
            });
          }
          const retry: RetryNotice = { attempt: retriesDone + 1, delayMs: decision.delayMs, error };
          options.onRetry?.(retry);
          onRetry?.(retry, 'waiting');
          try {
            await clock.sleep(decision.delayMs, requestSignal);
          } catch (sleepError) {
            onRetry?.(retry, 'abandoned');
            throw sleepError;
          }
          onRetry?.(retry, 'sent');
        } finally {
          cancelFirst();
          cancelStall();
          attempt.unlink();
        }
      }
    } finally {
      cancelTotal();
      total.unlink();
      release?.();
    }
  }

  function stream(request: ChatRequest, signal: AbortSignal): AsyncGenerator<StreamEvent, void, undefined> {
    const key = concurrencyKey(provider.kind, concurrency.scope, request.model);
    // Said before waiting, so the caller shows the request as queued rather than as slow.
    if (slots.active(key) >= concurrency.maxConcurrent) markQueued(request);
    // While a retry waits, the caller counts down to it; once it went out (or the run ended first), it is said beside the
    // answer, for good: it explains a long wait before the first token, and what the server answered first.
    const sayRetry = ({ delayMs, error }: RetryNotice, phase: RetryPhase) => {
      if (phase === 'waiting') markRetryWait(request, delayMs, error.message);
      else if (phase === 'sent') notice(request, sentAgainNotice(retryDelayText(delayMs), error.message), true);
      else notice(request, notSentAgainNotice(waitText(delayMs), error.message), true);
    };
    return attempts(signal, key, (attemptSignal) => provider.stream(request, attemptSignal), sayRetry);
  }

  async function listModels(signal: AbortSignal): Promise<ModelInfo[]> {
    // Listing models takes no concurrency slot.
    for await (const models of attempts(signal, null, async function* (attemptSignal) {
      yield await provider.listModels(attemptSignal);
    })) {
      return models;
    }
    throw abortError(signal);
  }

  const count = provider.countInputTokens?.bind(provider);
  /** Counting, under the same timeouts and retries as listing models, and like it without a concurrency slot. */
  const countInputTokens =
    count &&
    (async (request: ChatRequest, signal: AbortSignal): Promise<number> => {
      for await (const tokens of attempts(signal, null, async function* (attemptSignal) {
        yield await count(request, attemptSignal);
      })) {
        return tokens;
      }
      throw abortError(signal);
    });

  return {
    kind: provider.kind,
    label: provider.label,
    endpoint: provider.endpoint,
    listModels,
    stream,
    ...(countInputTokens && { countInputTokens }),
    // Read once per model and remembered by the provider: no retries of its own.
    ...(provider.reasoningNotice && { reasoningNotice: provider.reasoningNotice.bind(provider) }),
  };
}
