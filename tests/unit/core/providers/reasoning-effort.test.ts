/**
 * A prompt's reasoning effort, as each provider sends it: through the real SDKs to fixtures that
 * refuse what the real APIs refuse (Anthropic's thinking types, budgets and temperature per
 * model; Ollama's `think` on a model that cannot think).
 */

import { describe, expect, test } from 'vitest';
import {
  createAnthropicProvider,
  DEFAULT_ANTHROPIC_MAX_TOKENS,
  THINKING_BUDGET_TOKENS,
} from '../../../../electron/core/providers/anthropic-provider';
import { watchAttempts } from '../../../../electron/core/providers/attempt-timing';
import { createOllamaProvider } from '../../../../electron/core/providers/ollama-provider';
import type { Provider } from '../../../../electron/core/providers/provider';
import { watchNotices } from '../../../../electron/core/providers/request-notices';
import { createOpenAiProvider } from '../../../../electron/core/providers/openai-provider';
import type { ModelParameters, ReasoningEffort } from '../../../../shared/types';
import { startAnthropicServer } from '../../../fixtures/anthropic-server';
import { startOllamaServer } from '../../../fixtures/ollama-server';
import { startOpenAiServer } from '../../../fixtures/openai-server';
import { afterTest, collect } from './provider-harness';

const messages = [{ role: 'user' as const, content: 'Why is the sky blue?' }];
const EFFORTS: (ReasoningEffort | undefined)[] = [undefined, 'none', 'low', 'medium', 'high'];

/** The body field(s) a request carried besides the usual ones. */
function pick(body: unknown, keys: string[]): Record<string, unknown> {
  const record = body as Record<string, unknown>;
  return Object.fromEntries(keys.filter((key) => key in record).map((key) => [key, record[key]]));
}

/** Streams `model` with `parameters` through `provider`: what came, and the notices it gave. */
async function streamNoting(provider: Provider, model: string, parameters: ModelParameters) {
  const request = { model, messages, parameters };
  const notices: string[] = [];
  watchNotices(request, (text) => notices.push(text));
  return { ...(await collect(provider.stream(request, AbortSignal.timeout(5000)))), notices };
}

describe('reasoning effort', () => {
  test('OpenAI and compatible servers get reasoning_effort as chosen, and nothing when it is the default', async () => {
    const server = await startOpenAiServer({ apiKey: 'key', models: ['o4-mini'] });
    afterTest(server.close);
    const provider = createOpenAiProvider({ kind: 'openai', apiKey: 'key', baseUrl: server.baseUrl });
    for (const reasoningEffort of EFFORTS) {
      const outcome = await collect(provider.stream({ model: 'o4-mini', messages, parameters: { reasoningEffort } }, AbortSignal.timeout(5000)));
      expect(outcome.error).toBeNull();
    }
    expect(server.requestsTo('/v1/chat/completions').map((request) => pick(request.body, ['reasoning_effort']))).toStrictEqual([
      {},
      { reasoning_effort: 'none' },
      { reasoning_effort: 'low' },
      { reasoning_effort: 'medium' },
      { reasoning_effort: 'high' },
    ]);
  });

  test('an OpenAI model that is not a reasoning model answers without reasoning_effort after refusing it once', async () => {
    const server = await startOpenAiServer({ apiKey: 'key', models: ['gpt-4o-mini', 'o4-mini'], withoutReasoning: ['gpt-4o-mini'] });
    afterTest(server.close);
    const provider = createOpenAiProvider({ kind: 'openai', apiKey: 'key', baseUrl: server.baseUrl });
    const run = (model: string, reasoningEffort: ReasoningEffort) =>
      collect(provider.stream({ model, messages, parameters: { reasoningEffort } }, AbortSignal.timeout(5000)));
    const outcomes = [await run('gpt-4o-mini', 'high'), await run('gpt-4o-mini', 'none'), await run('o4-mini', 'low')];
    expect(outcomes.map((outcome) => [outcome.error, outcome.text])).toStrictEqual([
      [null, 'Hello, side by side!'],
      [null, 'Hello, side by side!'],
      [null, 'Hello, side by side!'],
    ]);
    // Refused once, sent again without it; the model's next request leaves it out at once; other models keep it.
    expect(server.requestsTo('/v1/chat/completions').map((request) => [pick(request.body, ['model']).model, pick(request.body, ['reasoning_effort'])])).toStrictEqual([
      ['gpt-4o-mini', { reasoning_effort: 'high' }],
      ['gpt-4o-mini', {}],
      ['gpt-4o-mini', {}],
      ['o4-mini', { reasoning_effort: 'low' }],
    ]);
  });

  test('a compatible server that refuses reasoning_effort in words only is understood too', async () => {
    const server = await startOpenAiServer({ apiKey: null, models: ['llama-4-scout'], withoutReasoning: ['llama-4-scout'], reasoningRefusal: 'words' });
    afterTest(server.close);
    const provider = createOpenAiProvider({ kind: 'openai-compatible', apiKey: null, baseUrl: server.baseUrl });
    const outcome = await collect(provider.stream({ model: 'llama-4-scout', messages, parameters: { reasoningEffort: 'low' } }, AbortSignal.timeout(5000)));
    expect([outcome.error, outcome.text]).toStrictEqual([null, 'Hello, side by side!']);
    expect(server.requestsTo('/v1/chat/completions').map((request) => pick(request.body, ['reasoning_effort']))).toStrictEqual([{ reasoning_effort: 'low' }, {}]);
  });

  test('an OpenAI reasoning model that takes only the default temperature and top-p answers without them, and says so', async () => {
    const server = await startOpenAiServer({ apiKey: 'key', models: ['o4-mini', 'gpt-4o-mini'], defaultSamplingOnly: ['o4-mini'] });
    afterTest(server.close);
    const provider = createOpenAiProvider({ kind: 'openai', apiKey: 'key', baseUrl: server.baseUrl });
    const run = async (model: string, parameters: ModelParameters) => {
      const outcome = await streamNoting(provider, model, parameters);
      return [outcome.error, outcome.text, outcome.notices];
    };
    const sampling = { temperature: 0.2, topP: 0.5, reasoningEffort: 'low' } as const;
    const left = ['Temperature 0.2 not sent: o4-mini takes only its default', 'Top-p 0.5 not sent: o4-mini takes only its default'];
    expect(await run('o4-mini', sampling)).toStrictEqual([null, 'Hello, side by side!', left]);
    expect(await run('o4-mini', sampling)).toStrictEqual([null, 'Hello, side by side!', left]);
    expect(await run('gpt-4o-mini', { temperature: 0.2, topP: 0.5 })).toStrictEqual([null, 'Hello, side by side!', []]);
    // Refused for temperature, then for top-p, then sent without both; later, without both at once.
    expect(server.requestsTo('/v1/chat/completions').map((request) => pick(request.body, ['model', 'temperature', 'top_p', 'reasoning_effort']))).toStrictEqual([
      { model: 'o4-mini', temperature: 0.2, top_p: 0.5, reasoning_effort: 'low' },
      { model: 'o4-mini', top_p: 0.5, reasoning_effort: 'low' },
      { model: 'o4-mini', reasoning_effort: 'low' },
      { model: 'o4-mini', reasoning_effort: 'low' },
      { model: 'gpt-4o-mini', temperature: 0.2, top_p: 0.5 },
    ]);
  });

  test('any other 400 about the request reaches the user, sent once', async () => {
    const server = await startOpenAiServer({ apiKey: 'key', models: ['o4-mini'] });
    afterTest(server.close);
    server.script({ fault: { kind: 'http-error', status: 400 } });
    const provider = createOpenAiProvider({ kind: 'openai', apiKey: 'key', baseUrl: server.baseUrl });
    const outcome = await collect(provider.stream({ model: 'o4-mini', messages, parameters: { reasoningEffort: 'none' } }, AbortSignal.timeout(5000)));
    expect(outcome.error?.kind).toBe('bad-request');
    expect(server.requestsTo('/v1/chat/completions')).toHaveLength(1);
  });

  test('Anthropic: adaptive thinking with an effort, a token budget on top of max_tokens, or nothing, by what the model can do', async () => {
    const server = await startAnthropicServer({
      apiKey: 'key',
      models: [
        { id: 'claude-opus-4-8', displayName: 'Claude Opus 4.8', maxInputTokens: 200_000, thinking: 'adaptive' },
        { id: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5', maxInputTokens: 200_000, thinking: 'budget' },
        { id: 'claude-3-haiku', displayName: 'Claude Haiku 3', maxInputTokens: 200_000, thinking: 'none' },
      ],
    });
    afterTest(server.close);
    const provider = createAnthropicProvider({ apiKey: 'key', baseUrl: server.baseUrl });
    const sent: unknown[] = [];
    for (const model of ['claude-opus-4-8', 'claude-haiku-4-5', 'claude-3-haiku']) {
      for (const reasoningEffort of EFFORTS) {
        const parameters: ModelParameters = { maxTokens: 1000, reasoningEffort };
        const outcome = await collect(provider.stream({ model, messages, parameters }, AbortSignal.timeout(5000)));
        expect(outcome.error, `${model} ${reasoningEffort}`).toBeNull();
        sent.push(pick(server.requestsTo('/v1/messages').at(-1)?.body, ['max_tokens', 'thinking', 'output_config']));
      }
    }
    const adaptive = (effort: string) => ({ max_tokens: 1000, thinking: { type: 'adaptive' }, output_config: { effort } });
    const budget = (tokens: number) => ({ max_tokens: 1000 + tokens, thinking: { type: 'enabled', budget_tokens: tokens } });
    expect(sent).toStrictEqual([
      // claude-opus-4-8: adaptive, with effort levels
      { max_tokens: 1000 },
      { max_tokens: 1000, thinking: { type: 'disabled' } },
      adaptive('low'),
      adaptive('medium'),
      adaptive('high'),
      // claude-haiku-4-5: budgets
      { max_tokens: 1000 },
      { max_tokens: 1000, thinking: { type: 'disabled' } },
      budget(THINKING_BUDGET_TOKENS.low),
      budget(THINKING_BUDGET_TOKENS.medium),
      budget(THINKING_BUDGET_TOKENS.high),
      // claude-3-haiku: cannot think, so nothing is asked of it
      { max_tokens: 1000 },
      { max_tokens: 1000 },
      { max_tokens: 1000 },
      { max_tokens: 1000 },
      { max_tokens: 1000 },
    ]);
    // Each model's capabilities were read once, and only once an effort was set.
    expect(server.requests.filter((request) => request.path.startsWith('/v1/models/')).map((request) => request.path)).toStrictEqual([
      '/v1/models/claude-opus-4-8',
      '/v1/models/claude-haiku-4-5',
      '/v1/models/claude-3-haiku',
    ]);
  });

  test('Anthropic: the budget comes on top of the default max_tokens, and the API’s own refusal reaches the user', async () => {
    // The capabilities cannot be read, so adaptive thinking is asked for; this budget-only model refuses it.
    const server = await startAnthropicServer({ apiKey: 'key', modelLookupStatus: 503 });
    afterTest(server.close);
    const provider = createAnthropicProvider({ apiKey: 'key', baseUrl: server.baseUrl });
    const ok = await collect(provider.stream({ model: 'claude-haiku-4-5', messages, parameters: { reasoningEffort: 'none' } }, AbortSignal.timeout(5000)));
    expect(ok.error).toBeNull();
    const refused = await collect(provider.stream({ model: 'claude-haiku-4-5', messages, parameters: { reasoningEffort: 'high' } }, AbortSignal.timeout(5000)));
    expect(refused.error?.kind).toBe('bad-request');
    expect(refused.error?.message).toBe('Anthropic rejected the request (400): output_config.effort: This model does not support the effort parameter.');

    const known = await startAnthropicServer({ apiKey: 'key' });
    afterTest(known.close);
    const knowing = createAnthropicProvider({ apiKey: 'key', baseUrl: known.baseUrl });
    expect((await collect(knowing.stream({ model: 'claude-haiku-4-5', messages, parameters: { reasoningEffort: 'low' } }, AbortSignal.timeout(5000)))).error).toBeNull();
    expect(pick(known.requestsTo('/v1/messages')[0].body, ['max_tokens'])).toStrictEqual({ max_tokens: DEFAULT_ANTHROPIC_MAX_TOKENS + THINKING_BUDGET_TOKENS.low });
  });

  test('each provider leaves out what the model would refuse, and says so', async () => {
    const anthropic = await startAnthropicServer({
      apiKey: 'key',
      models: [
        { id: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5', maxInputTokens: 200_000, thinking: 'budget' },
        { id: 'claude-3-haiku', displayName: 'Claude Haiku 3', maxInputTokens: 200_000, thinking: 'none' },
        { id: 'claude-adaptive-1', displayName: 'Claude Adaptive', maxInputTokens: 200_000, thinking: 'adaptive-only' },
      ],
    });
    afterTest(anthropic.close);
    const ollama = await startOllamaServer({ models: [{ name: 'llama3.2:latest', size: 1, parameterSize: '3B', quantization: 'Q4_K_M', family: 'llama' }] });
    afterTest(ollama.close);
    const openai = await startOpenAiServer({ apiKey: 'key', models: ['gpt-4o-mini'], withoutReasoning: ['gpt-4o-mini'] });
    afterTest(openai.close);
    const providers = {
      anthropic: createAnthropicProvider({ apiKey: 'key', baseUrl: anthropic.baseUrl }),
      ollama: createOllamaProvider({ host: ollama.url }),
      openai: createOpenAiProvider({ kind: 'openai', apiKey: 'key', baseUrl: openai.baseUrl }),
    };
    const run = async (provider: keyof typeof providers, model: string, parameters: ModelParameters) => {
      const outcome = await streamNoting(providers[provider], model, parameters);
      expect(outcome.error, `${provider} ${model}`).toBeNull();
      return outcome.notices;
    };
    const thinkingSampling = { reasoningEffort: 'high', temperature: 0.2, topP: 0.5 } as const;
    expect(await run('anthropic', 'claude-haiku-4-5', thinkingSampling)).toStrictEqual([
      'Temperature 0.2 not sent: Claude takes only 1 while thinking',
      'Top-p 0.5 not sent: Claude takes 0.95 to 1 while thinking',
    ]);
    expect(await run('anthropic', 'claude-haiku-4-5', { reasoningEffort: 'high', temperature: 1, topP: 0.96 })).toStrictEqual([]);
    expect(await run('anthropic', 'claude-haiku-4-5', { ...thinkingSampling, reasoningEffort: 'none' })).toStrictEqual([]);
    expect(await run('anthropic', 'claude-3-haiku', thinkingSampling)).toStrictEqual(['Reasoning effort not sent: claude-3-haiku cannot think']);
    expect(await run('anthropic', 'claude-adaptive-1', { reasoningEffort: 'medium' })).toStrictEqual(['Effort level not sent: claude-adaptive-1 thinks adaptively, without effort levels']);
    expect(anthropic.requestsTo('/v1/messages').map((request) => pick(request.body, ['temperature', 'top_p', 'thinking', 'output_config']))).toStrictEqual([
      { thinking: { type: 'enabled', budget_tokens: THINKING_BUDGET_TOKENS.high } },
      { temperature: 1, top_p: 0.96, thinking: { type: 'enabled', budget_tokens: THINKING_BUDGET_TOKENS.high } },
      { temperature: 0.2, top_p: 0.5, thinking: { type: 'disabled' } },
      { temperature: 0.2, top_p: 0.5 },
      { thinking: { type: 'adaptive' } },
    ]);
    expect(await run('ollama', 'llama3.2:latest', { reasoningEffort: 'low' })).toStrictEqual(['Reasoning effort not sent: llama3.2:latest cannot think']);
    // Refused, then known: both runs say what was left out.
    expect(await run('openai', 'gpt-4o-mini', { reasoningEffort: 'low' })).toStrictEqual(['Reasoning effort not sent: gpt-4o-mini does not take it']);
    expect(await run('openai', 'gpt-4o-mini', { reasoningEffort: 'low' })).toStrictEqual(['Reasoning effort not sent: gpt-4o-mini does not take it']);
    expect(await run('openai', 'gpt-4o-mini', {})).toStrictEqual([]);
  });

  test('Anthropic: when the capabilities cannot be read, adaptive thinking is asked for and the lookup is tried again next time', async () => {
    const server = await startAnthropicServer({
      apiKey: 'key',
      models: [{ id: 'claude-sonnet-5', displayName: 'Claude Sonnet 5', maxInputTokens: 200_000, thinking: 'adaptive' }],
      modelLookupStatus: 503,
    });
    afterTest(server.close);
    const provider = createAnthropicProvider({ apiKey: 'key', baseUrl: server.baseUrl });
    for (let run = 0; run < 2; run += 1) {
      const outcome = await collect(provider.stream({ model: 'claude-sonnet-5', messages, parameters: { reasoningEffort: 'medium' } }, AbortSignal.timeout(5000)));
      expect(outcome.error).toBeNull();
    }
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toStrictEqual([
      'GET /v1/models/claude-sonnet-5',
      'POST /v1/messages',
      'GET /v1/models/claude-sonnet-5',
      'POST /v1/messages',
    ]);
    expect(server.requestsTo('/v1/messages').map((request) => pick(request.body, ['thinking', 'output_config']))).toStrictEqual([
      { thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } },
      { thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } },
    ]);
  });

  test('Ollama: think is false for none, the level on gpt-oss, true on other thinking models, and absent on models that cannot think', async () => {
    const server = await startOllamaServer({
      models: [
        { name: 'qwen3:8b', size: 1, parameterSize: '8B', quantization: 'Q4_K_M', family: 'qwen3', capabilities: ['completion', 'thinking'] },
        { name: 'gpt-oss:20b', size: 1, parameterSize: '20B', quantization: 'MXFP4', family: 'gptoss', capabilities: ['completion', 'thinking'] },
        { name: 'llama3.2:latest', size: 1, parameterSize: '3B', quantization: 'Q4_K_M', family: 'llama' },
      ],
    });
    afterTest(server.close);
    const provider = createOllamaProvider({ host: server.url });
    const sent: Record<string, unknown>[] = [];
    const said: string[][] = [];
    for (const model of ['qwen3:8b', 'gpt-oss:20b', 'llama3.2']) {
      for (const reasoningEffort of EFFORTS) {
        const outcome = await streamNoting(provider, model, { reasoningEffort });
        expect(outcome.error, `${model} ${reasoningEffort}`).toBeNull();
        sent.push(pick(server.requestsTo('/api/chat').at(-1)?.body, ['think']));
        said.push(outcome.notices);
      }
    }
    // Each change is said: a level qwen3 cannot take, an effort llama3.2 cannot.
    expect(said).toStrictEqual([
      [],
      [],
      ['Reasoning low sent as thinking on: qwen3:8b has no levels'],
      ['Reasoning medium sent as thinking on: qwen3:8b has no levels'],
      ['Reasoning high sent as thinking on: qwen3:8b has no levels'],
      [],
      [],
      [],
      [],
      [],
      [],
      ['Reasoning effort not sent: llama3.2 cannot think'],
      ['Reasoning effort not sent: llama3.2 cannot think'],
      ['Reasoning effort not sent: llama3.2 cannot think'],
      ['Reasoning effort not sent: llama3.2 cannot think'],
    ]);
    expect(sent).toStrictEqual([
      {},
      { think: false },
      { think: true },
      { think: true },
      { think: true },
      {},
      { think: false },
      { think: 'low' },
      { think: 'medium' },
      { think: 'high' },
      // llama3.2 cannot think: Ollama would refuse `think`, so it is left out.
      {},
      {},
      {},
      {},
      {},
    ]);
    expect(server.requestsTo('/api/show').map((request) => (request.body as { model: string }).model)).toStrictEqual(['qwen3:8b', 'gpt-oss:20b', 'llama3.2']);
    // What the fixture (like Ollama) does with `think` on a model that cannot think: the reason the provider leaves it out.
    const refused = await fetch(`${server.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'llama3.2', messages, think: true }) });
    expect(refused.status).toBe(400);
  });

  test('time to first token starts when the model is asked, after the provider’s own lookup or refused request', async () => {
    const anthropic = await startAnthropicServer({
      apiKey: 'key',
      models: [{ id: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5', maxInputTokens: 200_000, thinking: 'budget' }],
    });
    afterTest(anthropic.close);
    const ollama = await startOllamaServer({
      models: [{ name: 'qwen3:8b', size: 1, parameterSize: '8B', quantization: 'Q4_K_M', family: 'qwen3', capabilities: ['completion', 'thinking'] }],
    });
    afterTest(ollama.close);
    const openai = await startOpenAiServer({ apiKey: 'key', models: ['gpt-4o-mini'], withoutReasoning: ['gpt-4o-mini'] });
    afterTest(openai.close);
    const cases = [
      { server: anthropic, provider: createAnthropicProvider({ apiKey: 'key', baseUrl: anthropic.baseUrl }), model: 'claude-haiku-4-5' },
      { server: ollama, provider: createOllamaProvider({ host: ollama.url }), model: 'qwen3:8b' },
      { server: openai, provider: createOpenAiProvider({ kind: 'openai', apiKey: 'key', baseUrl: openai.baseUrl }), model: 'gpt-4o-mini' },
    ];
    const seen: string[][] = [];
    for (const { server, provider, model } of cases) {
      const request = { model, messages, parameters: { maxTokens: 1000, reasoningEffort: 'low' as const } };
      // What the server had received each time the provider said "sent now".
      let atMark: string[] = [];
      watchAttempts(request, () => {
        atMark = server.requests.map((received) => `${received.method} ${received.path}`);
      });
      expect((await collect(provider.stream(request, AbortSignal.timeout(5000)))).error).toBeNull();
      seen.push(atMark);
    }
    expect(seen).toStrictEqual([
      ['GET /v1/models/claude-haiku-4-5'],
      ['POST /api/show'],
      ['POST /v1/chat/completions'],
    ]);
  });
});
