/** The OpenAI provider's own rules: the request it sends, the usage it reads, keys and models. */

import { describe, expect, test } from 'vitest';
import { createOpenAiProvider } from '../../../../electron/core/providers/openai-provider';
import { startOpenAiServer, type OpenAiReasoningField } from '../../../fixtures/openai-server';
import { withResilience } from '../../../../electron/core/providers/resilient-provider';
import { afterTest, collect, events, recordingClock } from './provider-harness';

const KEY = 'test-openai-key';
const REQUEST = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system' as const, content: 'You are terse.' },
    { role: 'user' as const, content: 'Hi' },
    { role: 'assistant' as const, content: 'Hello.' },
    { role: 'user' as const, content: 'Again?' },
  ],
  parameters: { temperature: 0.2, topP: 0.9, maxTokens: 256, stop: ['END'] },
};

async function start(options: Parameters<typeof startOpenAiServer>[0] = {}) {
  const server = await startOpenAiServer({ apiKey: KEY, ...options });
  afterTest(server.close);
  return server;
}

describe('OpenAI provider', () => {
  test('sends the messages and parameters as Chat Completions expects, asking for usage', async () => {
    const server = await start();
    await collect(createOpenAiProvider({ kind: 'openai', apiKey: KEY, baseUrl: server.baseUrl }).stream(REQUEST, AbortSignal.timeout(5000)));
    const [request] = server.requestsTo('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body).toStrictEqual({
      model: 'gpt-4o-mini',
      messages: REQUEST.messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      max_completion_tokens: 256,
    });
  });

  test('an OpenAI-compatible endpoint gets max_tokens, and no Authorization header without a key', async () => {
    const server = await start({ apiKey: null, models: ['local-model'] });
    const provider = createOpenAiProvider({ kind: 'openai-compatible', apiKey: null, baseUrl: `${server.baseUrl}/`, label: 'llama.cpp' });
    const outcome = await collect(provider.stream({ ...REQUEST, model: 'local-model', parameters: { maxTokens: 64 } }, AbortSignal.timeout(5000)));
    const [request] = server.requestsTo('/v1/chat/completions');
    expect(outcome.error).toBeNull();
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toMatchObject({ max_tokens: 64 });
    expect(request.body).not.toHaveProperty('max_completion_tokens');
    expect([provider.kind, provider.label, provider.endpoint]).toStrictEqual(['openai-compatible', 'llama.cpp', server.baseUrl]);
  });

  test('reads cached, cache-write and reasoning tokens from the final usage chunk', async () => {
    const server = await start({
      reply: {
        tokens: ['Thought', ' hard'],
        finishReason: 'length',
        usage: {
          prompt_tokens: 3000,
          completion_tokens: 900,
          total_tokens: 3900,
          prompt_tokens_details: { cached_tokens: 2048, cache_write_tokens: 512, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 640, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
        },
      },
    });
    const outcome = await collect(createOpenAiProvider({ kind: 'openai', apiKey: KEY, baseUrl: server.baseUrl }).stream(REQUEST, AbortSignal.timeout(5000)));
    expect(outcome).toStrictEqual({
      text: 'Thought hard',
      deltas: 2,
      reasoning: '',
      done: {
        type: 'done',
        usage: { inputTokens: 3000, cachedInputTokens: 2048, cacheWriteTokens: 512, outputTokens: 900, reasoningTokens: 640 },
        finishReason: 'length',
        timings: null,
      },
      error: null,
    });
  });

  test('a compatible server that ignores stream_options finishes with usage null, for the caller to estimate', async () => {
    const server = await start({ apiKey: null, models: ['local-model'], ignoresStreamOptions: true });
    const provider = createOpenAiProvider({ kind: 'openai-compatible', apiKey: null, baseUrl: server.baseUrl });
    const outcome = await collect(provider.stream({ ...REQUEST, model: 'local-model' }, AbortSignal.timeout(5000)));
    expect(outcome.done).toStrictEqual({ type: 'done', usage: null, finishReason: 'stop', timings: null });
  });

  test.each<[string, OpenAiReasoningField]>([
    ['reasoning_content (DeepSeek, vLLM, LM Studio, llama.cpp)', 'reasoning_content'],
    ['reasoning (OpenRouter, Groq, Ollama)', 'reasoning'],
    ['both fields with the same text, taken once', 'both'],
  ])('streams thinking sent in %s as reasoning events before the answer', async (_name, reasoningField) => {
    const server = await start({ apiKey: null, models: ['local-model'], reply: { reasoning: ['Short', ' answer', ' wanted.'], reasoningField } });
    const provider = createOpenAiProvider({ kind: 'openai-compatible', apiKey: null, baseUrl: server.baseUrl });
    const seen = await events(provider.stream({ ...REQUEST, model: 'local-model' }, AbortSignal.timeout(5000)));
    expect(seen.filter((event) => event.type !== 'done')).toStrictEqual([
      { type: 'reasoning', text: 'Short' },
      { type: 'reasoning', text: ' answer' },
      { type: 'reasoning', text: ' wanted.' },
      ...['Hello', ',', ' side', ' by', ' side', '!'].map((text) => ({ type: 'delta', text })),
    ]);
    expect(seen.at(-1)?.type).toBe('done');
  });

  test('without a key, OpenAI fails before sending anything, naming the variable', async () => {
    const server = await start();
    const provider = createOpenAiProvider({ kind: 'openai', apiKey: null, baseUrl: server.baseUrl });
    const outcome = await collect(provider.stream(REQUEST, AbortSignal.timeout(5000)));
    expect(outcome.error).toStrictEqual({ kind: 'auth', message: 'No API key for OpenAI: set OPENAI_API_KEY, or enter a key in Settings › Providers' });
    await expect(provider.listModels(AbortSignal.timeout(5000))).rejects.toMatchObject({ kind: 'auth' });
    expect(server.requests).toHaveLength(0);
  });

  test('a web page answered to a chat request is said to be one, with where the API usually is, and is not retried', async () => {
    const server = await start({ apiKey: null, webPage: { contentType: 'text/html; charset=utf-8', text: '<!doctype html><html><head><title>LM Studio</title></head><body><div id="root"></div></body></html>' } });
    const provider = createOpenAiProvider({ kind: 'openai-compatible', label: 'LM Studio', apiKey: null, baseUrl: server.baseUrl.replace(/\/v1$/, '') });
    const clock = recordingClock();
    const outcome = await collect(withResilience(provider, { clock, random: () => 0 }).stream(REQUEST, AbortSignal.timeout(5000)));
    expect([clock.sleeps, server.requests.filter((request) => request.method === 'POST').length]).toStrictEqual([[], 1]);
    expect(outcome.error).toStrictEqual({
      kind: 'not-found',
      message: `LM Studio answered at ${server.baseUrl.replace(/\/v1$/, '')}/chat/completions with a web page (text/html), not a stream: check that the base URL is the server’s API (most end in /v1), not its web page`,
    });
    expect(outcome.text).toBe('');
  });

  test('lists the models the server has, sorted', async () => {
    const server = await start({ models: ['gpt-4o-mini', 'gpt-4.1', 'o4-mini'] });
    const models = await createOpenAiProvider({ kind: 'openai', apiKey: KEY, baseUrl: server.baseUrl }).listModels(AbortSignal.timeout(5000));
    expect(models).toStrictEqual([{ id: 'gpt-4.1' }, { id: 'gpt-4o-mini' }, { id: 'o4-mini' }]);
  });
});
