/**
 * The behaviour every provider promises, proven through its real SDK against a local server
 * speaking its real wire protocol: exact usage, retries only where allowed, cancellation that
 * closes the HTTP stream, partial output then an error when a stream breaks, clear errors.
 */

import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  chat,
  closedPortUrl,
  collect,
  events,
  HARNESSES,
  recordingClock,
  success,
} from './provider-harness';

/** A reasoning model's thinking, as the fixtures' `reasoning` tokens. */
const THINKING = ['The user', ' wants', ' a greeting;', ' keep it short.'];

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(HARNESSES)('$name provider', (harness) => {
  test('streams the text and reports exactly the usage and finish reason the server sent', async () => {
    const { server, bare, expected, chatPath } = await harness.start();
    const outcome = await collect(bare().stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect(outcome).toStrictEqual(success(expected));
    expect(server.requestsTo(chatPath)).toHaveLength(1);
  });

  test('streams thinking as reasoning events, all before the answer, and the answer unchanged', async () => {
    const { server, bare, expected } = await harness.start();
    server.script({ reply: { reasoning: THINKING } });
    const seen = await events(bare().stream(chat(harness.model), AbortSignal.timeout(5000)));
    const textOf = (type: string) => seen.flatMap((event) => (event.type === type && 'text' in event ? [event.text] : []));
    expect({
      order: seen.map((event) => event.type),
      reasoning: textOf('reasoning'),
      answer: textOf('delta'),
      done: seen.at(-1),
    }).toStrictEqual({
      order: [...THINKING.map(() => 'reasoning'), ...expected.tokens.map(() => 'delta'), 'done'],
      reasoning: THINKING,
      answer: expected.tokens,
      done: success(expected).done,
    });
  });

  test('retries a connection cut before the first thinking token, and keeps the thinking of the retry', async () => {
    const { server, resilient, expected, chatPath } = await harness.start();
    server.script({ fault: { kind: 'cut', afterChunks: 0 }, reply: { reasoning: THINKING } }, { reply: { reasoning: THINKING } });
    const clock = recordingClock();
    const outcome = await collect(resilient({ clock, random: () => 0.5 }).stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect({ outcome, sleeps: clock.sleeps.length, requests: server.requestsTo(chatPath).length }).toStrictEqual({
      outcome: { ...success(expected), reasoning: THINKING.join('') },
      sleeps: 1,
      requests: 2,
    });
  });

  test.each([1, THINKING.length])(
    'never retries once thinking was yielded: cut after %i thinking tokens, the partial thinking, then a stream error',
    async (afterChunks) => {
      const { server, resilient, chatPath } = await harness.start();
      server.script({ fault: { kind: 'cut', afterChunks }, reply: { reasoning: THINKING } });
      const clock = recordingClock();
      const outcome = await collect(resilient({ clock }).stream(chat(harness.model), AbortSignal.timeout(5000)));
      expect(outcome).toMatchObject({ text: '', deltas: 0, reasoning: THINKING.slice(0, afterChunks).join(''), done: null });
      expect(outcome.error?.kind).toBe('stream');
      const chunks = afterChunks === 1 ? '1 chunk' : `${afterChunks} chunks`;
      expect(outcome.error?.message).toMatch(new RegExp(`stream broke after ${chunks} of output: .*closed the connection before the response finished`));
      expect([clock.sleeps, server.requestsTo(chatPath).length]).toStrictEqual([[], 1]);
    },
  );

  test('a cut counts thinking and answer tokens together', async () => {
    const { server, resilient, expected } = await harness.start();
    server.script({ fault: { kind: 'cut', afterChunks: THINKING.length + 2 }, reply: { reasoning: THINKING } });
    const outcome = await collect(resilient({ clock: recordingClock() }).stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect([outcome.reasoning, outcome.text, outcome.error?.kind]).toStrictEqual([
      THINKING.join(''),
      expected.tokens.slice(0, 2).join(''),
      'stream',
    ]);
    expect(outcome.error?.message).toMatch(new RegExp(`stream broke after ${THINKING.length + 2} chunks of output`));
  });

  test('sends nothing until the stream is iterated', async () => {
    const { server, bare, chatPath } = await harness.start();
    bare().stream(chat(harness.model), AbortSignal.timeout(5000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requestsTo(chatPath)).toHaveLength(0);
  });

  test('retries a 429 after exactly the Retry-After the server asked for', async () => {
    const { server, resilient, expected, chatPath } = await harness.start();
    server.script({ fault: { kind: 'http-error', status: 429, retryAfter: 1 } });
    const clock = recordingClock();
    const outcome = await collect(resilient({ clock }).stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect({ outcome, sleeps: clock.sleeps, requests: server.requestsTo(chatPath).length }).toStrictEqual({
      outcome: success(expected),
      sleeps: [1000],
      requests: 2,
    });
  });

  test('retries 500s with full-jitter exponential backoff', async () => {
    const { server, resilient, expected, chatPath } = await harness.start();
    server.script({ fault: { kind: 'http-error', status: 500 } }, { fault: { kind: 'http-error', status: 500 } });
    const clock = recordingClock();
    const provider = resilient({ clock, random: () => 0.5, retry: { baseDelayMs: 200, maxRetries: 3 } });
    const outcome = await collect(provider.stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect({ outcome, sleeps: clock.sleeps, requests: server.requestsTo(chatPath).length }).toStrictEqual({
      outcome: success(expected),
      sleeps: [100, 200],
      requests: 3,
    });
  });

  test('gives up on 500s after the retry budget, saying so', async () => {
    const { server, resilient, chatPath } = await harness.start();
    server.script(...Array.from({ length: 3 }, () => ({ fault: { kind: 'http-error' as const, status: 500 } })));
    const clock = recordingClock();
    const outcome = await collect(resilient({ clock, random: () => 0 }).stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect(outcome.error?.kind).toBe('server');
    // Why no retry follows: after "; ", or as a sentence of its own when the server's message ends one (OpenAI's "…Sorry about that!").
    expect(outcome.error?.message).toMatch(/had a server error \(500\)(.*[^.!?]; gave up after 3 attempts|.*[.!?] Gave up after 3 attempts\.)$/);
    expect([outcome.text, clock.sleeps.length, server.requestsTo(chatPath).length]).toStrictEqual(['', 2, 3]);
  });

  test('never retries once a delta was yielded: a cut stream gives the partial text, then a stream error', async () => {
    const { server, resilient, expected, chatPath } = await harness.start();
    server.script({ fault: { kind: 'cut', afterChunks: 3 } });
    const clock = recordingClock();
    const outcome = await collect(resilient({ clock }).stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect(outcome.text).toBe(expected.tokens.slice(0, 3).join(''));
    expect(outcome.done).toBeNull();
    expect(outcome.error?.kind).toBe('stream');
    expect(outcome.error?.message).toMatch(/stream broke after 3 chunks of output: .*closed the connection before the response finished/);
    expect([clock.sleeps, server.requestsTo(chatPath).length]).toStrictEqual([[], 1]);
  });

  test('retries a connection cut before the first delta', async () => {
    const { server, resilient, expected, chatPath } = await harness.start();
    server.script({ fault: { kind: 'cut', afterChunks: 0 } });
    const clock = recordingClock();
    const outcome = await collect(resilient({ clock, random: () => 0.5 }).stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect({ outcome, sleeps: clock.sleeps.length, requests: server.requestsTo(chatPath).length }).toStrictEqual({
      outcome: success(expected),
      sleeps: 1,
      requests: 2,
    });
  });

  test("retries the protocol's in-stream error before the first delta, not after", async () => {
    const { server, resilient, expected, chatPath } = await harness.start();
    server.script({ fault: { kind: 'stream-error', afterChunks: 0 } });
    const clock = recordingClock();
    const provider = resilient({ clock });
    const first = await collect(provider.stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect(first).toStrictEqual(success(expected));
    server.script({ fault: { kind: 'stream-error', afterChunks: 2 } });
    const second = await collect(provider.stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect([second.text, second.error?.kind]).toStrictEqual([expected.tokens.slice(0, 2).join(''), 'stream']);
    expect([clock.sleeps.length, server.requestsTo(chatPath).length]).toStrictEqual([1, 3]);
  });

  test('a malformed chunk ends the stream with a stream error after the partial text', async () => {
    const { server, resilient, expected, chatPath } = await harness.start();
    // The SDKs log the unparsable chunk to the console before throwing.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    server.script({ fault: { kind: 'malformed-chunk', afterChunks: 2 } });
    const outcome = await collect(resilient({ clock: recordingClock() }).stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect(outcome.text).toBe(expected.tokens.slice(0, 2).join(''));
    expect(outcome.error?.kind).toBe('stream');
    expect(outcome.error?.message).toMatch(/stream broke after 2 chunks of output: .* sent a malformed chunk/);
    expect(server.requestsTo(chatPath)).toHaveLength(1);
  });

  test('aborting the signal mid-stream stops the stream and closes the HTTP connection', async () => {
    const { server, resilient, expected } = await harness.start();
    server.script({ fault: { kind: 'stall', afterChunks: 2 } });
    const controller = new AbortController();
    const outcome = await collect(resilient({}).stream(chat(harness.model), controller.signal), (deltas) => {
      if (deltas === 2) controller.abort();
    });
    await server.waitForClientDisconnects(1);
    expect(outcome).toStrictEqual({
      text: expected.tokens.slice(0, 2).join(''),
      deltas: 2,
      reasoning: '',
      done: null,
      error: { kind: 'cancelled', message: 'The request was cancelled' },
    });
  });

  test('aborting while waiting for the first byte cancels without a retry', async () => {
    const { server, resilient, chatPath } = await harness.start();
    server.script({ fault: { kind: 'slow-first-byte', delayMs: 10_000 } });
    const clock = recordingClock();
    const outcome = await collect(resilient({ clock }).stream(chat(harness.model), AbortSignal.timeout(100)));
    await server.waitForClientDisconnects(1);
    expect([outcome.error?.kind, clock.sleeps, server.requestsTo(chatPath).length]).toStrictEqual(['cancelled', [], 1]);
  });

  test('leaving the loop early closes the HTTP connection', async () => {
    const { server, bare } = await harness.start();
    server.script({ fault: { kind: 'stall', afterChunks: 2 } });
    let deltas = 0;
    for await (const event of bare().stream(chat(harness.model), AbortSignal.timeout(5000))) {
      if (event.type === 'delta') deltas += 1;
      if (deltas === 2) break;
    }
    await server.waitForClientDisconnects(1);
    expect(server.clientDisconnects()).toBe(1);
  });

  test('times out a slow first byte, closes the connection, and does not retry', async () => {
    const { server, resilient, chatPath } = await harness.start();
    server.script({ fault: { kind: 'slow-first-byte', delayMs: 10_000 } });
    const clock = recordingClock();
    const provider = resilient({ clock, timeouts: { firstOutputMs: 200 } });
    const outcome = await collect(provider.stream(chat(harness.model), AbortSignal.timeout(5000)));
    await server.waitForClientDisconnects(1);
    expect(outcome.error).toStrictEqual({ kind: 'timeout', message: `${provider.label} sent no output within 0.2 s` });
    expect([clock.sleeps, server.requestsTo(chatPath).length]).toStrictEqual([[], 1]);
  });

  test('the total timeout ends a stream that runs too long, keeping the partial text', async () => {
    const { server, resilient, expected } = await harness.start();
    server.script({ fault: { kind: 'stall', afterChunks: 2 } });
    const provider = resilient({ timeouts: { totalMs: 500 } });
    const outcome = await collect(provider.stream(chat(harness.model), AbortSignal.timeout(5000)));
    await server.waitForClientDisconnects(1);
    expect(outcome).toStrictEqual({
      text: expected.tokens.slice(0, 2).join(''),
      deltas: 2,
      reasoning: '',
      done: null,
      error: { kind: 'timeout', message: `${provider.label} did not finish within 0.5 s` },
    });
  });

  test('an unknown model is a not-found error naming the model and the endpoint, not retried', async () => {
    const { server, resilient, chatPath } = await harness.start();
    const clock = recordingClock();
    const provider = resilient({ clock });
    const outcome = await collect(provider.stream(chat('no-such-model'), AbortSignal.timeout(5000)));
    const hint = {
      ollama: '; pull it with `ollama pull no-such-model`',
      'openai-compatible': '; check the model name, and that the base URL is complete (most end in /v1)',
    }[harness.name] ?? '';
    expect(outcome.error).toStrictEqual({ kind: 'not-found', message: `Model 'no-such-model' not found at ${provider.endpoint}${hint}` });
    expect([clock.sleeps, server.requestsTo(chatPath).length]).toStrictEqual([[], 1]);
  });

  test('an unreachable server is a network error after the bounded retries', async () => {
    const url = await closedPortUrl();
    const clock = recordingClock();
    const provider = harness.unreachable(url, { clock, random: () => 0.5, retry: { maxRetries: 2, baseDelayMs: 100 } });
    const outcome = await collect(provider.stream(chat(harness.model), AbortSignal.timeout(5000)));
    expect(outcome.error).toStrictEqual({
      kind: 'network',
      message: `Could not reach ${provider.label} at ${provider.endpoint}: connection refused (is the server running?); gave up after 3 attempts`,
    });
    expect(clock.sleeps).toStrictEqual([50, 100]);
  });
});

describe.each(HARNESSES.filter((harness) => harness.hasKeys))('$name provider keys', (harness) => {
  test('a wrong key (401) is an auth error with a clear message, never retried', async () => {
    const { server, resilient, chatPath } = await harness.start();
    const clock = recordingClock();
    const provider = resilient({ clock }, { apiKey: 'wrong-key' });
    const outcome = await collect(provider.stream(chat(harness.model), AbortSignal.timeout(5000)));
    const where = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' }[harness.name] ?? 'the API key set for LM Studio';
    expect(outcome.error).toStrictEqual({ kind: 'auth', message: `${provider.label} rejected the API key (401): check ${where}` });
    expect([clock.sleeps, server.requestsTo(chatPath).length]).toStrictEqual([[], 1]);
  });

  test('listing models with a wrong key is the same auth error', async () => {
    const { bare } = await harness.start();
    const provider = bare({ apiKey: 'wrong-key' });
    await expect(provider.listModels(AbortSignal.timeout(5000))).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });
});
