/** The resilience layer's waits: every way a server says "later", cancelling while we wait, and failures no wait can cure. */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { createOpenAiProvider } from '../../../../electron/core/providers/openai-provider';
import { withResilience, type ResilienceOptions, type RetryNotice } from '../../../../electron/core/providers/resilient-provider';
import { startOpenAiServer, type OpenAiServer } from '../../../fixtures/openai-server';
import type { Fault } from '../../../fixtures/fault-injection';
import { createOllamaProvider } from '../../../../electron/core/providers/ollama-provider';
import { networkError, ProviderError } from '../../../../electron/core/providers/provider-error';
import type { Provider, StreamEvent } from '../../../../electron/core/providers/provider';
import { afterTest, chat, collect, recordingClock } from './provider-harness';

const KEY = 'test-openai-key';
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

async function start(): Promise<OpenAiServer> {
  const server = await startOpenAiServer({ apiKey: KEY });
  afterTest(server.close);
  return server;
}

function provider(server: OpenAiServer, options: ResilienceOptions) {
  return withResilience(createOpenAiProvider({ kind: 'openai', apiKey: KEY, baseUrl: server.baseUrl }), options);
}

describe('resilient provider waits', () => {
  test.each<[string, Fault, number]>([
    ['Retry-After in seconds', { kind: 'http-error', status: 429, retryAfter: 2 }, 2000],
    ['Retry-After as an HTTP date', { kind: 'http-error', status: 503, retryAfter: new Date(NOW + 3000).toUTCString() }, 3000],
    ['retry-after-ms, preferred to Retry-After', { kind: 'http-error', status: 429, retryAfter: 9, retryAfterMs: 1500 }, 1500],
  ])('honours %s', async (_name, fault, expectedMs) => {
    const server = await start();
    server.script({ fault });
    const clock = recordingClock(NOW);
    const notices: RetryNotice[] = [];
    const outcome = await collect(
      provider(server, { clock, onRetry: (notice) => notices.push(notice) }).stream(chat('gpt-4o-mini'), AbortSignal.timeout(5000)),
    );
    expect([outcome.error, clock.sleeps]).toStrictEqual([null, [expectedMs]]);
    expect(notices.map(({ attempt, delayMs, error }) => [attempt, delayMs, error.kind])).toStrictEqual([
      [1, expectedMs, fault.kind === 'http-error' && fault.status === 429 ? 'rate-limit' : 'server'],
    ]);
  });

  test('a Retry-After longer than the policy allows fails at once, saying how long the server asked', async () => {
    const server = await start();
    server.script({ fault: { kind: 'http-error', status: 429, retryAfter: 120 } });
    const clock = recordingClock(NOW);
    const outcome = await collect(provider(server, { clock }).stream(chat('gpt-4o-mini'), AbortSignal.timeout(5000)));
    expect(outcome.error).toStrictEqual({
      kind: 'rate-limit',
      message: 'OpenAI is rate limiting requests (429): Rate limit reached for requests. Please try again later. The server asks to wait 120 s before retrying.',
    });
    expect([clock.sleeps, server.requestsTo('/v1/chat/completions').length]).toStrictEqual([[], 1]);
  });

  test('cancelling during the backoff wait ends the request promptly, without another attempt', async () => {
    const server = await start();
    server.script({ fault: { kind: 'http-error', status: 429, retryAfter: 30 } });
    const started = Date.now();
    const outcome = await collect(provider(server, {}).stream(chat('gpt-4o-mini'), AbortSignal.timeout(150)));
    expect(outcome.error?.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requestsTo('/v1/chat/completions')).toHaveLength(1);
  });

  test('the total timeout also bounds the waits between attempts', async () => {
    const server = await start();
    server.script({ fault: { kind: 'http-error', status: 503, retryAfter: 30 } });
    const outcome = await collect(provider(server, { timeouts: { totalMs: 200 } }).stream(chat('gpt-4o-mini'), AbortSignal.timeout(5000)));
    expect(outcome.error).toStrictEqual({ kind: 'timeout', message: 'OpenAI did not finish within 0.2 s' });
    expect(server.requestsTo('/v1/chat/completions')).toHaveLength(1);
  });

  test('a model list that never comes "did not answer" in time (a stream, which may start, "did not finish")', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    afterTest(async () => {
      const closed = new Promise<void>((resolve) => silent.close(() => resolve()));
      silent.closeAllConnections();
      await closed;
    });
    const baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
    const list = (timeouts: ResilienceOptions['timeouts']) =>
      withResilience(createOpenAiProvider({ kind: 'openai-compatible', label: 'Groq', apiKey: KEY, baseUrl }), { timeouts })
        .listModels(AbortSignal.timeout(5000))
        .then(() => null, (error: ProviderError) => [error.kind, error.message]);
    expect([await list({ firstOutputMs: 200, totalMs: 200 }), await list({ firstOutputMs: 100, totalMs: 1000 })]).toStrictEqual([
      ['timeout', 'Groq did not answer within 0.2 s'],
      ['timeout', 'Groq did not answer within 0.1 s'],
    ]);
  });

  test('a signal aborted before the call sends nothing', async () => {
    const server = await start();
    const outcome = await collect(provider(server, {}).stream(chat('gpt-4o-mini'), AbortSignal.abort()));
    expect([outcome.error?.kind, server.requests.length]).toStrictEqual(['cancelled', 0]);
  });

  test('the first-output timer stops at the first delta: a slow but steady stream finishes', async () => {
    const server = await start();
    server.script({ reply: { chunkDelayMs: 150 } });
    const outcome = await collect(provider(server, { timeouts: { firstOutputMs: 400 } }).stream(chat('gpt-4o-mini'), AbortSignal.timeout(5000)));
    expect([outcome.error, outcome.deltas]).toStrictEqual([null, 6]);
  });

  test('once output began, a stream that sends nothing more for the stall limit ends as stalled, keeping what came, and is not retried', async () => {
    const server = await start();
    server.script({ fault: { kind: 'stall', afterChunks: 2 } });
    const outcome = await collect(provider(server, { timeouts: { stallMs: 200 } }).stream(chat('gpt-4o-mini'), AbortSignal.timeout(5000)));
    expect([outcome.text, outcome.error, server.requestsTo('/v1/chat/completions').length]).toStrictEqual([
      'Hello,',
      { kind: 'timeout', message: 'OpenAI sent nothing for 0.2 s after the answer began: the stream stalled; the partial answer is kept' },
      1,
    ]);
    await server.waitForClientDisconnects(1);
  });

  test('a slow but steady stream, each token within the stall limit, finishes however long it takes in all', async () => {
    const server = await start();
    // Six tokens 150 ms apart: 750 ms in all, over three times the limit, never 300 ms without one.
    server.script({ reply: { chunkDelayMs: 150 } });
    const outcome = await collect(provider(server, { timeouts: { stallMs: 300 } }).stream(chat('gpt-4o-mini'), AbortSignal.timeout(5000)));
    expect([outcome.error, outcome.deltas]).toStrictEqual([null, 6]);
  });

  test('the first-output timer stops at the first thinking token: a long think before the answer finishes', async () => {
    const server = await start();
    // The first answer token comes 4 × 150 ms after the first thinking token, well past the 300 ms allowed.
    server.script({ reply: { reasoning: ['Hmm', ',', ' let', ' me', ' see'], tokens: ['Hi', '!'], chunkDelayMs: 150 } });
    const outcome = await collect(provider(server, { timeouts: { firstOutputMs: 300 } }).stream(chat('gpt-4o-mini'), AbortSignal.timeout(5000)));
    expect([outcome.error, outcome.reasoning, outcome.text]).toStrictEqual([null, 'Hmm, let me see', 'Hi!']);
  });
});

describe('resilient provider after output', () => {
  /** A provider that yields `first` and then fails with an error it calls retryable. */
  function failingAfterOutput(first: StreamEvent): Provider & { calls: number } {
    const fake = {
      kind: 'openai' as const,
      label: 'Fake',
      endpoint: 'http://fake',
      calls: 0,
      listModels: async () => [],
      async *stream(): AsyncGenerator<StreamEvent> {
        fake.calls += 1;
        yield first;
        throw new ProviderError('server', 'Fake had a server error (500)');
      },
    };
    return fake;
  }

  test('never retries once a delta went out, even when the provider calls the failure retryable', async () => {
    const fake = failingAfterOutput({ type: 'delta', text: 'Hel' });
    const clock = recordingClock(NOW);
    const outcome = await collect(withResilience(fake, { clock }).stream(chat('m'), AbortSignal.timeout(5000)));
    expect([outcome.text, outcome.error?.kind, fake.calls, clock.sleeps]).toStrictEqual(['Hel', 'server', 1, []]);
  });

  test('never retries once thinking went out, even when the provider calls the failure retryable', async () => {
    const fake = failingAfterOutput({ type: 'reasoning', text: 'Hmm' });
    const clock = recordingClock(NOW);
    const outcome = await collect(withResilience(fake, { clock }).stream(chat('m'), AbortSignal.timeout(5000)));
    expect([outcome.reasoning, outcome.text, outcome.error?.kind, fake.calls, clock.sleeps]).toStrictEqual(['Hmm', '', 'server', 1, []]);
  });
});

describe('resilient provider and connections that cannot succeed', () => {
  /** A loopback address where nothing listens (connections are refused). */
  async function closedPort(): Promise<string> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return `http://127.0.0.1:${port}`;
  }

  /** How a stream to `bare` ends under the default policy (up to 3 attempts), and the retries it waited for. */
  async function attempts(bare: Provider) {
    const clock = recordingClock(NOW);
    const retried: number[] = [];
    const outcome = await collect(withResilience(bare, { clock, onRetry: (notice) => retried.push(notice.attempt) }).stream(chat('llama3.2'), AbortSignal.timeout(5000)));
    return { error: outcome.error, retried, waits: clock.sleeps.length };
  }

  test('a port the client refuses to dial is tried once, with no "gave up after" and no retries', async () => {
    expect(await attempts(createOllamaProvider({ host: 'http://127.0.0.1:9' }))).toStrictEqual({
      error: {
        kind: 'network',
        message: 'Could not reach Ollama at http://127.0.0.1:9: port 9 is blocked: Node, as browsers do, refuses to connect to ports kept for other services; run the server on another port, or check the address',
      },
      retried: [],
      waits: 0,
    });
    const openAi = await attempts(createOpenAiProvider({ kind: 'openai-compatible', label: 'LM Studio', apiKey: null, baseUrl: 'http://127.0.0.1:1/v1' }));
    expect([openAi.error?.message.endsWith('check the address'), openAi.retried, openAi.waits]).toStrictEqual([true, [], 0]);
  });

  test('a refused connection is still retried: the server may be starting', async () => {
    const host = await closedPort();
    expect(await attempts(createOllamaProvider({ host }))).toStrictEqual({
      error: { kind: 'network', message: `Could not reach Ollama at ${host}: connection refused (is the server running?); gave up after 3 attempts` },
      retried: [1, 2],
      waits: 2,
    });
  });

  test('an address that is not a URL, a scheme fetch does not speak and a refused certificate are never retried; the rest are', () => {
    const failure = (cause: Error) => networkError({ label: 'Ollama', endpoint: 'http://x', keyHint: null }, new TypeError('fetch failed', { cause })).isRetryable;
    const coded = (message: string, code: string) => Object.assign(new Error(message), { code });
    expect(
      [
        new TypeError('Invalid URL'),
        coded('Invalid URL', 'ERR_INVALID_URL'),
        new Error('unknown scheme'),
        coded('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'),
        coded('connect ECONNREFUSED 127.0.0.1:1234', 'ECONNREFUSED'),
        coded('getaddrinfo EAI_AGAIN ollama.lan', 'EAI_AGAIN'),
        new AggregateError([coded('connect ECONNREFUSED ::1:11434', 'ECONNREFUSED')]),
      ].map(failure),
    ).toStrictEqual([false, false, false, false, true, true, true]);
  });
});
