/**
 * Facts about a model that a provider reads once from its server (what kinds of thinking it
 * accepts) and every later request of that model reuses.
 *
 * The lookup is shared by the runs that wait for it, so it has its own time limit instead of
 * any one run's signal: cancelling the run that started it must not fail the others. A run
 * still stops waiting the moment its own signal aborts. A lookup that fails is forgotten, so
 * the next request asks again; meanwhile the caller goes on without the facts.
 */

import { abortError } from './provider-error';

/** How long a lookup may take before the request goes on without it. */
export const MODEL_FACTS_TIMEOUT_MS = 10_000;

export class ModelFacts<T> {
  private readonly known = new Map<string, Promise<T | null>>();
  private readonly lookup: (model: string, signal: AbortSignal) => Promise<T>;
  private readonly timeoutMs: number;

  constructor(lookup: (model: string, signal: AbortSignal) => Promise<T>, timeoutMs: number = MODEL_FACTS_TIMEOUT_MS) {
    this.lookup = lookup;
    this.timeoutMs = timeoutMs;
  }

  /** The facts of `model`, or null when they could not be read; rejects when `signal` aborts first. */
  get(model: string, signal: AbortSignal): Promise<T | null> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    let facts = this.known.get(model);
    if (facts === undefined) {
      facts = this.lookup(model, AbortSignal.timeout(this.timeoutMs)).catch(() => {
        this.known.delete(model);
        return null;
      });
      this.known.set(model, facts);
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      void facts.then((value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      });
    });
  }
}
