/** The Ollama provider's own rules: keep_alive and options, nanosecond timings, models, one at a time per model. */

import http from 'node:http';
import { describe, expect, test, vi } from 'vitest';
import { readableServerText } from '../../../../electron/core/providers/provider-error';
import { createOllamaProvider } from '../../../../electron/core/providers/ollama-provider';
import { DEFAULT_KEEP_ALIVE } from '../../../../shared/ollama-keep-alive';
import { withResilience } from '../../../../electron/core/providers/resilient-provider';
import { ALL_MODELS, startOllamaServer, type OllamaServerOptions } from '../../../fixtures/ollama-server';
import { afterTest, collect, recordingClock } from './provider-harness';

async function start(options: OllamaServerOptions = {}) {
  const server = await startOllamaServer(options);
  afterTest(server.close);
  return server;
}

const hello = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'Hi' }], parameters: {} });

describe('Ollama provider', () => {
  test('sends keep_alive and maps the parameters to Ollama options', async () => {
    const server = await start();
    const request = {
      model: 'llama3.2',
      messages: [
        { role: 'system' as const, content: 'You are terse.' },
        { role: 'user' as const, content: 'Hi' },
      ],
      parameters: { temperature: 0.7, topP: 0.95, maxTokens: 128, stop: ['</s>'] },
    };
    await collect(createOllamaProvider({ host: server.url }).stream(request, AbortSignal.timeout(5000)));
    await collect(createOllamaProvider({ host: server.url, keepAlive: -1 }).stream(hello('llama3.2'), AbortSignal.timeout(5000)));
    const [first, second] = server.requestsTo('/api/chat');
    expect(first.body).toStrictEqual({
      model: 'llama3.2',
      messages: request.messages,
      stream: true,
      keep_alive: DEFAULT_KEEP_ALIVE,
      options: { temperature: 0.7, top_p: 0.95, num_predict: 128, stop: ['</s>'] },
    });
    expect(second.body).toMatchObject({ keep_alive: -1, options: {} });
  });

  test("reads the final line's counts and converts its nanosecond durations", async () => {
    const server = await start({
      reply: {
        tokens: ['Bonjour'],
        doneReason: 'length',
        promptEvalCount: 1234,
        evalCount: 56,
        durations: { total_duration: 2_500_000_000, load_duration: 750_000_000, prompt_eval_duration: 125_000_000, eval_duration: 1_500_000_000 },
      },
    });
    const outcome = await collect(createOllamaProvider({ host: server.url }).stream(hello('qwen3:8b'), AbortSignal.timeout(5000)));
    expect(outcome).toStrictEqual({
      text: 'Bonjour',
      deltas: 1,
      reasoning: '',
      done: {
        type: 'done',
        usage: { inputTokens: 1234, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 56, reasoningTokens: 0 },
        finishReason: 'length',
        timings: { totalMs: 2500, loadMs: 750, promptEvalMs: 125, evalMs: 1500 },
      },
      error: null,
    });
  });

  test('lists local models with their size and quantization, and from /api/show their context length and whether they think', async () => {
    const server = await start();
    expect(await createOllamaProvider({ host: server.url }).listModels(AbortSignal.timeout(5000))).toStrictEqual([
      { id: 'llama3.2:latest', sizeBytes: 2_019_393_189, quantization: 'Q4_K_M', contextLength: 131_072, canThink: false },
      { id: 'qwen3:8b', sizeBytes: 5_225_388_164, quantization: 'Q4_K_M', contextLength: 40_960, canThink: true },
    ]);
    expect(server.requestsTo('/api/show').map((request) => request.body)).toStrictEqual([{ model: 'llama3.2:latest' }, { model: 'qwen3:8b' }]);
  });

  test('still lists the models when /api/show fails, without what only it knows', async () => {
    const server = await start({ showStatus: 500 });
    expect(await createOllamaProvider({ host: server.url }).listModels(AbortSignal.timeout(5000))).toStrictEqual([
      { id: 'llama3.2:latest', sizeBytes: 2_019_393_189, quantization: 'Q4_K_M' },
      { id: 'qwen3:8b', sizeBytes: 5_225_388_164, quantization: 'Q4_K_M' },
    ]);
  });

  test('keeps one request in flight per model by default, while different models run side by side', async () => {
    const server = await start({ reply: { chunkDelayMs: 20 } });
    const provider = withResilience(createOllamaProvider({ host: server.url }));
    const runs = ['llama3.2', 'llama3.2', 'llama3.2', 'qwen3:8b', 'qwen3:8b'].map((model) =>
      collect(provider.stream(hello(model), AbortSignal.timeout(5000))),
    );
    const outcomes = await Promise.all(runs);
    expect(outcomes.map((outcome) => outcome.error)).toStrictEqual([null, null, null, null, null]);
    expect({
      llama: server.maxConcurrent('llama3.2'),
      qwen: server.maxConcurrent('qwen3:8b'),
      all: server.maxConcurrent(ALL_MODELS),
    }).toStrictEqual({ llama: 1, qwen: 1, all: 2 });
  });

  test('a raised limit lets requests to one model overlap', async () => {
    const server = await start({ reply: { chunkDelayMs: 20 } });
    const provider = withResilience(createOllamaProvider({ host: server.url }), { concurrency: { maxConcurrent: 3 } });
    await Promise.all([1, 2, 3].map(() => collect(provider.stream(hello('llama3.2'), AbortSignal.timeout(5000)))));
    expect(server.maxConcurrent('llama3.2')).toBe(3);
  });

  test('a request cancelled while queued for its model never reaches Ollama', async () => {
    const server = await start({ reply: { chunkDelayMs: 30 } });
    const provider = withResilience(createOllamaProvider({ host: server.url }));
    const controller = new AbortController();
    const first = collect(provider.stream(hello('llama3.2'), AbortSignal.timeout(5000)), (deltas) => {
      if (deltas === 1) controller.abort();
    });
    const queued = collect(provider.stream(hello('llama3.2'), controller.signal));
    const [done, cancelled] = await Promise.all([first, queued]);
    expect([done.error, cancelled, server.requestsTo('/api/chat').length]).toStrictEqual([
      null,
      { text: '', deltas: 0, reasoning: '', done: null, error: { kind: 'cancelled', message: 'The request was cancelled' } },
      1,
    ]);
  });

  test('leaving a stream early gives its model slot back', async () => {
    const server = await start();
    server.script({ fault: { kind: 'stall', afterChunks: 1 } });
    const provider = withResilience(createOllamaProvider({ host: server.url }));
    for await (const event of provider.stream(hello('llama3.2'), AbortSignal.timeout(5000))) {
      if (event.type === 'delta') break;
    }
    const next = await collect(provider.stream(hello('llama3.2'), AbortSignal.timeout(5000)));
    expect([next.error, server.requestsTo('/api/chat').length]).toStrictEqual([null, 2]);
  });

  test('a web UI answering at the address is said to be one, for a run and for the model list, and is not retried', async () => {
    const server = await start({ webPage: { contentType: 'text/html', text: '<!doctype html><html><head><title>Open WebUI</title></head><body></body></html>' } });
    const provider = createOllamaProvider({ host: server.url });
    const clock = recordingClock();
    const outcome = await collect(withResilience(provider, { clock, random: () => 0 }).stream(hello('llama3.2'), AbortSignal.timeout(5000)));
    const fix = 'check that the address is Ollama’s API (port 11434 unless set otherwise), not a web UI in front of it';
    expect([outcome.error, clock.sleeps, server.requestsTo('/api/chat').length]).toStrictEqual([
      { kind: 'not-found', message: `Ollama answered at ${server.url}/api/chat with a web page (text/html), not a stream: ${fix}` },
      [],
      1,
    ]);
    await expect(provider.listModels(AbortSignal.timeout(5000))).rejects.toMatchObject({
      kind: 'not-found',
      message: `Ollama answered at ${server.url}/api/tags with a web page (text/html), not a model list: ${fix}`,
    });
  });

  test("a proxy's HTML error page is told by its title, and the client logs nothing", async () => {
    const page = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n';
    const proxy = http.createServer((request, response) => {
      request.resume();
      response.writeHead(502, { 'content-type': 'text/html', 'retry-after': '7' });
      response.end(page);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    afterTest(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const port = (proxy.address() as { port: number }).port;
    const log = vi.spyOn(console, 'log');
    try {
      const outcome = await collect(createOllamaProvider({ host: `http://127.0.0.1:${port}` }).stream(hello('llama3.2'), AbortSignal.timeout(5000)));
      expect(outcome.error).toStrictEqual({ kind: 'server', message: 'Ollama had a server error (502): 502 Bad Gateway' });
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  test('server text in messages: a page by its title or heading, whitespace folded, long text cut', () => {
    expect(readableServerText('<html><body><h1>Forbidden</h1><p>You do not have access.</p></body></html>')).toBe('Forbidden');
    expect(readableServerText('<html><body><p>Upstream   timed\n out</p></body></html>')).toBe('Upstream timed out');
    expect(readableServerText('  model "x" not found  ')).toBe('model "x" not found');
    expect(readableServerText('<html><title> </title></html>')).toBeNull();
    expect(readableServerText('a'.repeat(400))).toBe(`${'a'.repeat(297)}...`);
  });
});
