/**
 * Limits around provider calls: how many may run at once, and how long one may take.
 *
 * Concurrency is a small semaphore per provider, or per model where the provider serialises
 * work per model anyway (Ollama runs one request at a time per loaded model by default, so a
 * second concurrent request would only queue inside Ollama, with its timeout already running).
 * Timeouts are three: until the first output (a server that never starts), between two pieces of
 * output once it started (a stream that stalls with its connection open), and overall.
 */

import { assertNever } from '../../../shared/assert-never';
import { defaultTimeLimits, type TimeLimits } from '../../../shared/time-limits';
import { abortError } from './provider-error';
import type { ProviderKind } from '../../../shared/types';

/** How many requests may be in flight, and what they count against. */
export interface ConcurrencyLimit {
  maxConcurrent: number;
  /** `provider`: one pool for the whole provider; `model`: one pool per model. */
  scope: 'provider' | 'model';
}

/** How long one request may take (shared/time-limits.ts: the defaults, and what a provider may set). */
export type TimeoutLimits = TimeLimits;

/** Every limit of a provider. */
export interface ProviderLimits {
  concurrency: ConcurrencyLimit;
  timeouts: TimeoutLimits;
}

/**
 * The limits a provider of `kind` at `endpoint` gets unless its settings say otherwise: its
 * kind's concurrency, and time limits that follow where the server is (`defaultTimeLimits`).
 */
export function defaultLimits(kind: ProviderKind, endpoint: string): ProviderLimits {
  return { concurrency: defaultConcurrency(kind), timeouts: defaultTimeLimits(kind, endpoint) };
}

/**
 * How many requests a provider of `kind` may have in flight.
 *
 * Cloud APIs take many parallel requests (their rate limits answer 429 when not); local
 * OpenAI-compatible servers usually run one or two; Ollama works one request per model at a
 * time (a second would only wait inside Ollama, with its first-token timer already running).
 */
export function defaultConcurrency(kind: ProviderKind): ConcurrencyLimit {
  switch (kind) {
    case 'openai':
    case 'anthropic':
      return { maxConcurrent: 8, scope: 'provider' };
    case 'openai-compatible':
      return { maxConcurrent: 4, scope: 'provider' };
    case 'ollama':
      return { maxConcurrent: 1, scope: 'model' };
    default:
      return assertNever(kind, 'provider kind');
  }
}

/**
 * The pool a request counts against: one per provider, or one per model. Ollama names a model
 * without a tag as `:latest`, so `llama3.2` and `llama3.2:latest` share a pool.
 */
export function concurrencyKey(kind: ProviderKind, scope: ConcurrencyLimit['scope'], model: string): string {
  if (scope === 'provider') return '';
  return kind === 'ollama' && !model.includes(':') ? `${model}:latest` : model;
}

/** Gives back a slot; calling it twice is harmless. */
export type Release = () => void;

/** A counting semaphore whose waiters are served first come, first served, and may leave by abort. */
export class Semaphore {
  readonly max: number;
  #active = 0;
  readonly #waiters: (() => void)[] = [];

  constructor(max: number) {
    this.max = checkSlots(max);
  }

  /** Slots in use. */
  get active(): number {
    return this.#active;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Waits for a slot; rejects with a `ProviderError` (cancelled or timeout) if `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<Release> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    if (this.#active < this.max) {
      this.#active += 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.#active += 1;
        resolve(this.#releaser());
      };
      const onAbort = () => {
        const index = this.#waiters.indexOf(grant);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(grant);
    });
  }

  #releaser(): Release {
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      this.#active -= 1;
      this.#waiters.shift()?.();
    };
  }
}

/** One semaphore per key, created on demand and dropped when idle. */
export class KeyedSemaphore {
  readonly max: number;
  readonly #pools = new Map<string, Semaphore>();

  constructor(max: number) {
    this.max = checkSlots(max);
  }

  /** Slots in use under `key`. */
  active(key: string): number {
    return this.#pools.get(key)?.active ?? 0;
  }

  /** Waits for a slot under `key`. */
  async acquire(key: string, signal: AbortSignal): Promise<Release> {
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new Semaphore(this.max);
      this.#pools.set(key, pool);
    }
    const owner = pool;
    try {
      const release = await owner.acquire(signal);
      return () => {
        release();
        this.#dropIfIdle(key, owner);
      };
    } catch (error) {
      this.#dropIfIdle(key, owner);
      throw error;
    }
  }

  #dropIfIdle(key: string, pool: Semaphore): void {
    if (pool.active === 0 && pool.waiting === 0 && this.#pools.get(key) === pool) this.#pools.delete(key);
  }
}

/**
 * A provider's queue: its concurrency limit and the slots counted against it.
 *
 * Kept apart from the provider object so that a provider built afresh (a new key, new time
 * limits, a new keep-alive) queues behind the requests its previous object still runs.
 */
export interface ConcurrencyQueue {
  limit: ConcurrencyLimit;
  slots: KeyedSemaphore;
}

/** A fresh queue for a provider of `kind`, with its kind's concurrency limit unless `limit` says otherwise. */
export function concurrencyQueue(kind: ProviderKind, limit: Partial<ConcurrencyLimit> = {}): ConcurrencyQueue {
  const merged: ConcurrencyLimit = { ...defaultConcurrency(kind), ...limit };
  return { limit: merged, slots: new KeyedSemaphore(merged.maxConcurrent) };
}

function checkSlots(max: number): number {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`A concurrency limit needs at least 1 slot, got ${max}`);
  return max;
}
