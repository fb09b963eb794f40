/** The Anthropic provider's own rules: system apart, max_tokens always, cumulative usage overwritten. */

import { describe, expect, test } from 'vitest';
import { createAnthropicProvider, DEFAULT_ANTHROPIC_MAX_TOKENS } from '../../../../electron/core/providers/anthropic-provider';
import { startAnthropicServer, type AnthropicServerOptions } from '../../../fixtures/anthropic-server';
import { afterTest, collect, recordingClock } from './provider-harness';
import { withResilience } from '../../../../electron/core/providers/resilient-provider';

const KEY = 'test-anthropic-key';
const MODEL = 'claude-haiku-4-5';

async function start(options: AnthropicServerOptions = {}) {
  const server = await startAnthropicServer({ apiKey: KEY, ...options });
  afterTest(server.close);
  return { server, provider: createAnthropicProvider({ apiKey: KEY, baseUrl: server.baseUrl }) };
}

describe('Anthropic provider', () => {
  test('sends system messages as the top-level system text and the turns in order', async () => {
    const { server, provider } = await start();
    const request = {
      model: MODEL,
      messages: [
        { role: 'system' as const, content: 'You are terse.' },
        { role: 'user' as const, content: 'Hi' },
        { role: 'assistant' as const, content: 'Hello.' },
        { role: 'system' as const, content: 'Answer in French.' },
        { role: 'user' as const, content: 'Again?' },
      ],
      parameters: { temperature: 0.5, topP: 0.8, maxTokens: 300, stop: ['###'] },
    };
    await collect(provider.stream(request, AbortSignal.timeout(5000)));
    const [sent] = server.requestsTo('/v1/messages');
    expect(typeof sent.headers['anthropic-version']).toBe('string');
    expect(sent.body).toStrictEqual({
      model: MODEL,
      max_tokens: 300,
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Again?' },
      ],
      stream: true,
      system: 'You are terse.\n\nAnswer in French.',
      temperature: 0.5,
      top_p: 0.8,
      stop_sequences: ['###'],
    });
  });

  test('a prompt without maxTokens still sends the max_tokens Anthropic requires', async () => {
    const { server, provider } = await start();
    const outcome = await collect(provider.stream({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], parameters: {} }, AbortSignal.timeout(5000)));
    expect(outcome.error).toBeNull();
    expect(server.requestsTo('/v1/messages')[0].body).toMatchObject({ max_tokens: DEFAULT_ANTHROPIC_MAX_TOKENS });
    expect(server.requestsTo('/v1/messages')[0].body).not.toHaveProperty('system');
  });

  test('overwrites usage with each cumulative message_delta instead of adding', async () => {
    const { provider } = await start({
      reply: {
        tokens: ['Let', ' me', ' think'],
        stopReason: 'max_tokens',
        startOutputTokens: 4,
        messageDeltas: 3,
        usage: {
          input_tokens: 41,
          output_tokens: 120,
          cache_read_input_tokens: 9000,
          cache_creation_input_tokens: 300,
          output_tokens_details: { thinking_tokens: 95 },
        },
      },
    });
    const outcome = await collect(provider.stream({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], parameters: {} }, AbortSignal.timeout(5000)));
    expect(outcome).toStrictEqual({
      text: 'Let me think',
      deltas: 3,
      reasoning: '',
      done: {
        type: 'done',
        usage: { inputTokens: 41, cachedInputTokens: 9000, cacheWriteTokens: 300, outputTokens: 120, reasoningTokens: 95 },
        finishReason: 'max_tokens',
        timings: null,
      },
      error: null,
    });
  });

  test('an overloaded 529 is retried like a 5xx', async () => {
    const { server, provider } = await start();
    server.script({ fault: { kind: 'http-error', status: 529 } });
    const clock = recordingClock();
    const outcome = await collect(
      withResilience(provider, { clock, random: () => 0 }).stream({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], parameters: {} }, AbortSignal.timeout(5000)),
    );
    expect([outcome.error, clock.sleeps, server.requestsTo('/v1/messages').length]).toStrictEqual([null, [0], 2]);
  });

  test('a sign-in page answered in place of the API is said to be one, for a run and for the model list, and is not retried', async () => {
    const { server, provider } = await start({ webPage: { contentType: 'text/html; charset=UTF-8', text: '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in to continue</body></html>' } });
    const clock = recordingClock();
    const outcome = await collect(
      withResilience(provider, { clock, random: () => 0 }).stream({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], parameters: {} }, AbortSignal.timeout(5000)),
    );
    const fix = 'check that the base URL is the Anthropic API’s or your gateway’s API, not a web page';
    expect([outcome.error, clock.sleeps, server.requestsTo('/v1/messages').length]).toStrictEqual([
      { kind: 'not-found', message: `Anthropic answered at ${server.baseUrl}/v1/messages with a web page (text/html), not a stream: ${fix}` },
      [],
      1,
    ]);
    await expect(provider.listModels(AbortSignal.timeout(5000))).rejects.toMatchObject({
      kind: 'not-found',
      message: `Anthropic answered at ${server.baseUrl}/v1/models with a web page (text/html), not a model list: ${fix}`,
    });
  });

  test('a sign-in page answered in place of count_tokens is said to be one, and is not retried', async () => {
    const { server, provider } = await start({ webPage: { contentType: 'text/html; charset=UTF-8', text: '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in to continue</body></html>' } });
    const clock = recordingClock();
    const counting = withResilience(provider, { clock, random: () => 0 }).countInputTokens?.({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], parameters: {} }, AbortSignal.timeout(5000));
    const failure: unknown = await counting?.then(
      (tokens) => `counted ${String(tokens)}`,
      (error: unknown) => error,
    );
    expect([failure, clock.sleeps, server.requestsTo('/v1/messages/count_tokens').length]).toStrictEqual([
      expect.objectContaining({
        kind: 'not-found',
        message: `Anthropic answered at ${server.baseUrl}/v1/messages/count_tokens with a web page (text/html), not a token count: check that the base URL is the Anthropic API’s or your gateway’s API, not a web page`,
      }),
      [],
      1,
    ]);
  });

  test('x-should-retry: false keeps a 500 from being retried', async () => {
    const { server, provider } = await start();
    server.script({ fault: { kind: 'http-error', status: 500, shouldRetry: false } });
    const clock = recordingClock();
    const outcome = await collect(
      withResilience(provider, { clock }).stream({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], parameters: {} }, AbortSignal.timeout(5000)),
    );
    expect(outcome.error).toStrictEqual({ kind: 'server', message: 'Anthropic had a server error (500): Internal server error' });
    expect([clock.sleeps, server.requestsTo('/v1/messages').length]).toStrictEqual([[], 1]);
  });

  test('lists models with their display names, context windows and whether they think', async () => {
    const { provider } = await start({
      models: [
        { id: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5', maxInputTokens: 200_000, thinking: 'budget' },
        { id: 'claude-3-haiku', displayName: 'Claude Haiku 3', maxInputTokens: 200_000, thinking: 'none' },
      ],
    });
    expect(await provider.listModels(AbortSignal.timeout(5000))).toStrictEqual([
      { id: 'claude-haiku-4-5', label: 'Claude Haiku 4.5', contextLength: 200_000, canThink: true },
      { id: 'claude-3-haiku', label: 'Claude Haiku 3', contextLength: 200_000, canThink: false },
    ]);
  });

  test('a base URL ending in /v1 (which the SDK adds again) answers 404 with the fix, for the model list and for a chat', async () => {
    const server = await startAnthropicServer({ apiKey: KEY });
    afterTest(server.close);
    const provider = createAnthropicProvider({ apiKey: KEY, baseUrl: `${server.baseUrl}/v1/` });
    const listed = await provider.listModels(AbortSignal.timeout(5000)).then(
      () => null,
      (error: Error) => error.message,
    );
    const chat = await collect(provider.stream({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], parameters: {} }, AbortSignal.timeout(5000)));
    const expected = `Anthropic has nothing at ${server.baseUrl}/v1 (404): drop /v1 from the end of the base URL (the Anthropic SDK adds it)`;
    expect([listed, chat.error, server.requests.map((request) => request.path)]).toStrictEqual([
      expected,
      { kind: 'not-found', message: expected },
      ['/v1/v1/models', '/v1/v1/messages'],
    ]);
  });

  test('without a key it fails before sending anything, naming the variable', async () => {
    const server = await startAnthropicServer({ apiKey: KEY });
    afterTest(server.close);
    const provider = createAnthropicProvider({ apiKey: null, baseUrl: server.baseUrl });
    const outcome = await collect(provider.stream({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], parameters: {} }, AbortSignal.timeout(5000)));
    expect(outcome.error).toStrictEqual({ kind: 'auth', message: 'No API key for Anthropic: set ANTHROPIC_API_KEY, or enter a key in Settings › Providers' });
    expect(server.requests).toHaveLength(0);
  });

  test('counts input with count_tokens: the same system text and turns, no max_tokens, through the resilience layer', async () => {
    const { server, provider } = await start({ countTokens: { inputTokens: 4242 } });
    const request = {
      model: MODEL,
      messages: [
        { role: 'system' as const, content: 'You are terse.' },
        { role: 'user' as const, content: 'Hi' },
      ],
      parameters: { temperature: 0.5, maxTokens: 300 },
    };
    const counts = [
      await provider.countInputTokens?.(request, AbortSignal.timeout(5000)),
      await withResilience(provider).countInputTokens?.(request, AbortSignal.timeout(5000)),
    ];
    expect([counts, server.requestsTo('/v1/messages/count_tokens').map((sent) => sent.body)]).toStrictEqual([
      [4242, 4242],
      [
        { model: MODEL, system: 'You are terse.', messages: [{ role: 'user', content: 'Hi' }] },
        { model: MODEL, system: 'You are terse.', messages: [{ role: 'user', content: 'Hi' }] },
      ],
    ]);
  });

  test('a failed count is a ProviderError like any other call', async () => {
    const { provider } = await start({ countTokens: { status: 401 } });
    const request = { model: MODEL, messages: [{ role: 'user' as const, content: 'Hi' }], parameters: {} };
    await expect(provider.countInputTokens?.(request, AbortSignal.timeout(5000))).rejects.toMatchObject({ name: 'ProviderError', kind: 'auth' });
  });
});
