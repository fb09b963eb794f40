/** Building providers from settings and from the environment. */

import { describe, expect, test } from 'vitest';
import {
  configsFromEnvironment,
  createProvider,
  normalizeOllamaHost,
  type ProviderConfig,
} from '../../../../electron/core/providers/create-provider';
import { startOllamaServer } from '../../../fixtures/ollama-server';
import { afterTest, collect } from './provider-harness';

describe('createProvider', () => {
  test('builds each kind with its label and endpoint', () => {
    const configs: ProviderConfig[] = [
      { kind: 'openai', apiKey: 'k' },
      { kind: 'openai-compatible', name: 'Groq', baseUrl: 'https://api.groq.com/openai/v1/', apiKey: 'k' },
      { kind: 'anthropic', apiKey: 'k' },
      { kind: 'ollama' },
    ];
    expect(configs.map((config) => createProvider(config)).map(({ kind, label, endpoint }) => ({ kind, label, endpoint }))).toStrictEqual([
      { kind: 'openai', label: 'OpenAI', endpoint: 'https://api.openai.com/v1' },
      { kind: 'openai-compatible', label: 'Groq', endpoint: 'https://api.groq.com/openai/v1' },
      { kind: 'anthropic', label: 'Anthropic', endpoint: 'https://api.anthropic.com' },
      { kind: 'ollama', label: 'Ollama', endpoint: 'http://127.0.0.1:11434' },
    ]);
  });

  test('the built provider streams through the resilience layer', async () => {
    const server = await startOllamaServer();
    afterTest(server.close);
    server.script({ fault: { kind: 'http-error', status: 503 } });
    const provider = createProvider({ kind: 'ollama', host: server.url }, { retry: { baseDelayMs: 1 } });
    const outcome = await collect(provider.stream({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }], parameters: {} }, AbortSignal.timeout(5000)));
    expect([outcome.error, server.requestsTo('/api/chat').length]).toStrictEqual([null, 2]);
  });
});

describe('configsFromEnvironment', () => {
  test('takes keys and the Ollama host from the environment, null where unset', () => {
    expect(configsFromEnvironment({ OPENAI_API_KEY: ' from-env ', OLLAMA_HOST: '0.0.0.0' })).toStrictEqual([
      { kind: 'openai', apiKey: 'from-env' },
      { kind: 'anthropic', apiKey: null },
      { kind: 'ollama', host: 'http://127.0.0.1:11434' },
    ]);
  });
});

describe('normalizeOllamaHost', () => {
  test.each<[string | undefined, string]>([
    [undefined, 'http://127.0.0.1:11434'],
    ['', 'http://127.0.0.1:11434'],
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['0.0.0.0:8080', 'http://127.0.0.1:8080'],
    [':9000', 'http://127.0.0.1:9000'],
    ['gpu-box', 'http://gpu-box:11434'],
    ['gpu-box:11500', 'http://gpu-box:11500'],
    ['https://ollama.example.com', 'https://ollama.example.com'],
    ['http://10.0.0.5:11434/', 'http://10.0.0.5:11434'],
  ])('%s -> %s', (value, expected) => {
    expect(normalizeOllamaHost(value)).toBe(expected);
  });
});
