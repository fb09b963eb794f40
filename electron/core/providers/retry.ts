/**
 * The retry policy: which failures are retried, and how long to wait before the next attempt.
 *
 * Only failures the error marks retryable (429, 5xx, refused or dropped connections, but not an
 * address no attempt can reach, such as a blocked port) are retried, and the
 * resilience layer asks only before the first delta reached the caller: once output has been
 * shown, a retry would duplicate it. The wait is exponential backoff with full jitter
 * (a random delay between 0 and base * 2^attempt, capped), unless the server said how long to
 * wait (`retry-after-ms`, or `Retry-After` in seconds or as an HTTP date), which wins.
 */

import type { ProviderError } from './provider-error';

/** How persistent to be. */
export interface RetryPolicy {
  /** Retries after the first attempt (2 means at most 3 attempts). */
  maxRetries: number;
  /** The backoff ceiling of the first retry; it doubles with each retry. */
  baseDelayMs: number;
  /** The most any computed backoff may wait. */
  maxDelayMs: number;
  /** A server asking for a longer wait than this fails now instead, saying how long it asked. */
  maxRetryAfterMs: number;
}

/** The policy unless a provider's settings say otherwise. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
});

/** Whether to try again, and after how long. */
export type RetryDecision = { shouldRetry: true; delayMs: number } | { shouldRetry: false; reason: string | null };

/**
 * Decides what to do after `error` on attempt `retriesDone + 1`.
 *
 * `reason` says why a retryable failure is not retried after all, for the user's message.
 */
export function decideRetry(
  error: ProviderError,
  retriesDone: number,
  policy: RetryPolicy,
  nowMs: number,
  random: () => number,
): RetryDecision {
  if (!error.isRetryable) return { shouldRetry: false, reason: null };
  if (retriesDone >= policy.maxRetries) {
    const attempts = retriesDone + 1;
    return { shouldRetry: false, reason: retriesDone === 0 ? null : `gave up after ${attempts} attempts` };
  }
  const askedMs = parseRetryAfter(error.headers, nowMs);
  if (askedMs !== null) {
    if (askedMs > policy.maxRetryAfterMs) {
      return { shouldRetry: false, reason: `the server asks to wait ${formatSeconds(askedMs)} before retrying` };
    }
    return { shouldRetry: true, delayMs: askedMs };
  }
  return { shouldRetry: true, delayMs: backoffDelay(retriesDone, policy, random) };
}

/** Full-jitter exponential backoff for retry number `retryIndex` (0 for the first retry). */
export function backoffDelay(retryIndex: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/**
 * The wait a response asked for, in milliseconds, or null when it asked for none we can read.
 *
 * `retry-after-ms` (OpenAI's, fractional milliseconds) is preferred over `Retry-After`, which
 * is either whole seconds or an HTTP date (RFC 9110 section 10.2.3); a date in the past means
 * no wait.
 */
export function parseRetryAfter(headers: Headers | null, nowMs: number): number | null {
  if (!headers) return null;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && /^\s*\d+(\.\d+)?\s*$/.test(milliseconds)) return Math.ceil(Number(milliseconds));
  const value = headers.get('retry-after')?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** "1.5 s", "120 s": how the layer writes durations in messages. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}

/** Below this a wait reads as none: one decimal would say "0 s". */
const AT_ONCE_MS = 50;

/** When a retry went out, for its notice: "at once" after next to no wait (full jitter can draw 0), else "after 1.5 s". */
export function retryDelayText(ms: number): string {
  return ms < AT_ONCE_MS ? 'at once' : `after ${formatSeconds(ms)}`;
}

/** The wait a request ended in, for its notice: "the 1.5 s wait", or "the wait" when it was next to none. */
export function waitText(ms: number): string {
  return ms < AT_ONCE_MS ? 'the wait' : `the ${formatSeconds(ms)} wait`;
}
