/**
 * Time, passed in: the retry and timeout code asks a `Clock` instead of calling `Date.now` and
 * `setTimeout` itself, so tests can record the delays it asks for and skip the waiting.
 */

import { abortError } from './provider-error';

/** The time source and timers the resilience layer uses. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the abort's `ProviderError` (cancelled or timeout) if `signal` aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Calls `callback` after `ms` unless the returned function is called first. */
  setTimer(ms: number, callback: () => void): () => void;
}

/** Node fires a timer longer than this at once (with a warning), so longer waits are capped. */
const MAX_TIMER_MS = 2_147_483_647;

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    if (signal.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, Math.min(ms, MAX_TIMER_MS));
      signal.addEventListener('abort', onAbort, { once: true });
    });
  },
  setTimer(ms, callback) {
    const timer = setTimeout(callback, Math.min(ms, MAX_TIMER_MS));
    return () => clearTimeout(timer);
  },
};
