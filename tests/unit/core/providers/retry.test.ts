/** The retry policy on its own: reading Retry-After, the jittered backoff, and when to stop. */

import { describe, expect, test } from 'vitest';
import { ProviderError } from '../../../../electron/core/providers/provider-error';
import {
  backoffDelay,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  formatSeconds,
  retryDelayText,
  parseRetryAfter,
} from '../../../../electron/core/providers/retry';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  test.each<[string, Record<string, string>, number | null]>([
    ['no headers', {}, null],
    ['whole seconds', { 'retry-after': '7' }, 7000],
    ['fractional seconds', { 'retry-after': '0.25' }, 250],
    ['an HTTP date ahead', { 'retry-after': new Date(NOW + 4000).toUTCString() }, 4000],
    ['an HTTP date past', { 'retry-after': new Date(NOW - 4000).toUTCString() }, 0],
    ['retry-after-ms over Retry-After', { 'retry-after-ms': '812.5', 'retry-after': '30' }, 813],
    ['a bad retry-after-ms falls back', { 'retry-after-ms': 'soon', 'retry-after': '3' }, 3000],
    ['garbage', { 'retry-after': 'whenever' }, null],
  ])('%s', (_name, headers, expected) => {
    expect(parseRetryAfter(new Headers(headers), NOW)).toBe(expected);
  });

  test('null headers ask for nothing', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });
});

describe('backoffDelay', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };

  test('doubles its ceiling per retry, capped, and takes a random share of it (full jitter)', () => {
    expect([0, 1, 2, 3, 4, 10].map((retry) => backoffDelay(retry, policy, () => 0.999999))).toStrictEqual([99, 199, 399, 799, 999, 999]);
    expect([0, 1, 2].map((retry) => backoffDelay(retry, policy, () => 0))).toStrictEqual([0, 0, 0]);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(200);
  });
});

describe('decideRetry', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 2, baseDelayMs: 100 };
  const half = () => 0.5;

  test('retries retryable kinds with backoff, and never the others', () => {
    const decisions = (['rate-limit', 'server', 'network', 'auth', 'not-found', 'bad-request', 'timeout', 'stream', 'cancelled'] as const).map(
      (kind) => [kind, decideRetry(new ProviderError(kind, kind), 0, policy, NOW, half)],
    );
    expect(Object.fromEntries(decisions)).toStrictEqual({
      'rate-limit': { shouldRetry: true, delayMs: 50 },
      server: { shouldRetry: true, delayMs: 50 },
      network: { shouldRetry: true, delayMs: 50 },
      auth: { shouldRetry: false, reason: null },
      'not-found': { shouldRetry: false, reason: null },
      'bad-request': { shouldRetry: false, reason: null },
      timeout: { shouldRetry: false, reason: null },
      stream: { shouldRetry: false, reason: null },
      cancelled: { shouldRetry: false, reason: null },
    });
  });

  test('stops at the retry budget and says how many attempts were made', () => {
    const error = new ProviderError('server', 'boom');
    expect(decideRetry(error, 2, policy, NOW, half)).toStrictEqual({ shouldRetry: false, reason: 'gave up after 3 attempts' });
    expect(decideRetry(error, 0, { ...policy, maxRetries: 0 }, NOW, half)).toStrictEqual({ shouldRetry: false, reason: null });
  });

  test("waits what the server asked, unless it asks for more than the policy's limit", () => {
    const asking = (seconds: number) => new ProviderError('rate-limit', 'slow down', { headers: new Headers({ 'retry-after': String(seconds) }) });
    expect(decideRetry(asking(3), 0, policy, NOW, half)).toStrictEqual({ shouldRetry: true, delayMs: 3000 });
    expect(decideRetry(asking(61), 0, policy, NOW, half)).toStrictEqual({
      shouldRetry: false,
      reason: 'the server asks to wait 61 s before retrying',
    });
  });
});

describe('formatSeconds', () => {
  test('shows tenths under ten seconds and whole seconds above', () => {
    expect([200, 1500, 9999, 10_000, 125_400].map(formatSeconds)).toStrictEqual(['0.2 s', '1.5 s', '10 s', '10 s', '125 s']);
  });
});

describe('retryDelayText', () => {
  test('next to no wait reads "at once", never "after 0 s"', () => {
    expect([0, 49, 50, 449, 3000].map(retryDelayText)).toStrictEqual(['at once', 'at once', 'after 0.1 s', 'after 0.4 s', 'after 3 s']);
  });
});
