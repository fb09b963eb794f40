/** Concurrency limits: first come first served, leaving by abort, one pool per key, sane defaults. */

import { describe, expect, test } from 'vitest';
import { concurrencyKey, defaultConcurrency, KeyedSemaphore, Semaphore } from '../../../../electron/core/providers/limits';
import { ProviderError } from '../../../../electron/core/providers/provider-error';
import { CLOUD_TIME_LIMITS, LOCAL_TIME_LIMITS } from '../../../../shared/time-limits';
import { PROVIDER_KIND_NAMES } from '../../../../shared/types';

const never = new AbortController().signal;

describe('Semaphore', () => {
  test('serves waiters in arrival order as slots free up', async () => {
    const semaphore = new Semaphore(1);
    const order: string[] = [];
    const releaseFirst = await semaphore.acquire(never);
    const waiting = ['b', 'c', 'd'].map((name) =>
      semaphore.acquire(never).then((release) => {
        order.push(name);
        release();
      }),
    );
    expect([semaphore.active, semaphore.waiting]).toStrictEqual([1, 3]);
    releaseFirst();
    await Promise.all(waiting);
    expect(order).toStrictEqual(['b', 'c', 'd']);
    expect([semaphore.active, semaphore.waiting]).toStrictEqual([0, 0]);
  });

  test('a waiter that aborts leaves the queue with the abort as a ProviderError', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire(never);
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toSatisfy((error) => error instanceof ProviderError && error.kind === 'cancelled');
    expect(semaphore.waiting).toBe(0);
    release();
    expect(semaphore.active).toBe(0);
  });

  test('the abort reason is kept when it is our own timeout', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire(never);
    const timeout = new ProviderError('timeout', 'too slow');
    await expect(semaphore.acquire(AbortSignal.abort(timeout))).rejects.toBe(timeout);
  });

  test('releasing twice frees one slot only', async () => {
    const semaphore = new Semaphore(2);
    const release = await semaphore.acquire(never);
    await semaphore.acquire(never);
    release();
    release();
    expect(semaphore.active).toBe(1);
  });

  test('refuses a limit below one', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
    expect(() => new KeyedSemaphore(1.5)).toThrow(RangeError);
  });
});

describe('KeyedSemaphore', () => {
  test('keys have separate pools, dropped when idle', async () => {
    const pools = new KeyedSemaphore(1);
    const releaseA = await pools.acquire('a', never);
    const releaseB = await pools.acquire('b', never);
    let isSecondA = false;
    const secondA = pools.acquire('a', never).then((release) => {
      isSecondA = true;
      return release;
    });
    await Promise.resolve();
    expect([pools.active('a'), pools.active('b'), isSecondA]).toStrictEqual([1, 1, false]);
    releaseA();
    (await secondA)();
    releaseB();
    expect([pools.active('a'), pools.active('b')]).toStrictEqual([0, 0]);
  });
});

describe('default limits', () => {
  test('Ollama runs one request per model; the others share a pool per provider', () => {
    const concurrency = Object.fromEntries(PROVIDER_KIND_NAMES.map((kind) => [kind, defaultConcurrency(kind)]));
    expect(concurrency).toStrictEqual({
      openai: { maxConcurrent: 8, scope: 'provider' },
      anthropic: { maxConcurrent: 8, scope: 'provider' },
      ollama: { maxConcurrent: 1, scope: 'model' },
      'openai-compatible': { maxConcurrent: 4, scope: 'provider' },
    });
    for (const { firstOutputMs, stallMs, totalMs } of [CLOUD_TIME_LIMITS, LOCAL_TIME_LIMITS]) {
      expect([firstOutputMs < totalMs, stallMs < totalMs]).toStrictEqual([true, true]);
    }
  });
});

describe('concurrencyKey', () => {
  test('one pool per provider, or per model with Ollama tags normalised', () => {
    expect([
      concurrencyKey('openai', 'provider', 'gpt-4o'),
      concurrencyKey('ollama', 'model', 'llama3.2'),
      concurrencyKey('ollama', 'model', 'llama3.2:latest'),
      concurrencyKey('ollama', 'model', 'qwen3:8b'),
      concurrencyKey('openai-compatible', 'model', 'qwen3'),
    ]).toStrictEqual(['', 'llama3.2:latest', 'llama3.2:latest', 'qwen3:8b', 'qwen3']);
  });
});
