/**
 * Test support for the provider suites: each provider paired with its protocol fixture, a
 * clock that records the waits the retry layer asks for, and a collector that turns a stream
 * into one value a test can compare whole.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { createAnthropicProvider } from '../../../../electron/core/providers/anthropic-provider';
import { systemClock, type Clock } from '../../../../electron/core/providers/clock';
import { createOllamaProvider } from '../../../../electron/core/providers/ollama-provider';
import { createOpenAiProvider } from '../../../../electron/core/providers/openai-provider';
import { abortError, ProviderError } from '../../../../electron/core/providers/provider-error';
import { withResilience, type ResilienceOptions } from '../../../../electron/core/providers/resilient-provider';
import type {
  Provider,
  ProviderTimings,
  ProviderUsage,
  StreamEvent,
} from '../../../../electron/core/providers/provider';
import { startAnthropicServer, DEFAULT_ANTHROPIC_REPLY } from '../../../fixtures/anthropic-server';
import type { FixtureServer } from '../../../fixtures/fault-injection';
import { startOllamaServer, DEFAULT_OLLAMA_REPLY } from '../../../fixtures/ollama-server';
import { startOpenAiServer, DEFAULT_OPENAI_REPLY } from '../../../fixtures/openai-server';

/** Servers and providers made during a test, closed after it. */
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Closes `close` after the current test. */
export function afterTest(close: () => Promise<void>): void {
  cleanups.push(close);
}

/** What a well-behaved run of the default fixture reply produces. */
export interface ExpectedReply {
  text: string;
  tokens: string[];
  usage: ProviderUsage;
  finishReason: string;
  timings: ProviderTimings | null;
}

/** A started fixture and how to reach it. */
export interface HarnessServer {
  server: FixtureServer<unknown>;
  /** The path chat requests go to. */
  chatPath: string;
  /** A provider without the resilience layer. */
  bare(options?: { apiKey?: string | null }): Provider;
  /** A provider with the resilience layer. */
  resilient(options: ResilienceOptions, providerOptions?: { apiKey?: string | null }): Provider;
  expected: ExpectedReply;
}

/** A provider kind under test. */
export interface ProviderHarness {
  name: string;
  model: string;
  hasKeys: boolean;
  start(): Promise<HarnessServer>;
  /** A provider pointed at `url`, where nothing listens. */
  unreachable(url: string, options: ResilienceOptions): Provider;
}

const OPENAI_KEY = 'test-openai-key';
const ANTHROPIC_KEY = 'test-anthropic-key';

const openAiExpected: ExpectedReply = {
  text: DEFAULT_OPENAI_REPLY.tokens.join(''),
  tokens: DEFAULT_OPENAI_REPLY.tokens,
  usage: { inputTokens: 1187, cachedInputTokens: 1024, cacheWriteTokens: 0, outputTokens: 6, reasoningTokens: 0 },
  finishReason: 'stop',
  timings: null,
};

/** Every provider, each against its own protocol's fixture. */
export const HARNESSES: ProviderHarness[] = [
  {
    name: 'openai',
    model: 'gpt-4o-mini',
    hasKeys: true,
    async start() {
      const server = await startOpenAiServer({ apiKey: OPENAI_KEY });
      afterTest(server.close);
      const bare = (options: { apiKey?: string | null } = {}) =>
        createOpenAiProvider({ kind: 'openai', apiKey: options.apiKey === undefined ? OPENAI_KEY : options.apiKey, baseUrl: server.baseUrl });
      return {
        server,
        chatPath: '/v1/chat/completions',
        bare,
        resilient: (options, providerOptions) => withResilience(bare(providerOptions), options),
        expected: openAiExpected,
      };
    },
    unreachable: (url, options) => withResilience(createOpenAiProvider({ kind: 'openai', apiKey: OPENAI_KEY, baseUrl: `${url}/v1` }), options),
  },
  {
    name: 'openai-compatible',
    model: 'qwen2.5-7b-instruct',
    hasKeys: true,
    async start() {
      const server = await startOpenAiServer({ apiKey: 'lm-key', models: ['qwen2.5-7b-instruct'] });
      afterTest(server.close);
      const bare = (options: { apiKey?: string | null } = {}) =>
        createOpenAiProvider({
          kind: 'openai-compatible',
          label: 'LM Studio',
          apiKey: options.apiKey === undefined ? 'lm-key' : options.apiKey,
          baseUrl: server.baseUrl,
        });
      return {
        server,
        chatPath: '/v1/chat/completions',
        bare,
        resilient: (options, providerOptions) => withResilience(bare(providerOptions), options),
        expected: openAiExpected,
      };
    },
    unreachable: (url, options) =>
      withResilience(createOpenAiProvider({ kind: 'openai-compatible', label: 'LM Studio', apiKey: null, baseUrl: `${url}/v1` }), options),
  },
  {
    name: 'anthropic',
    model: 'claude-haiku-4-5',
    hasKeys: true,
    async start() {
      const server = await startAnthropicServer({ apiKey: ANTHROPIC_KEY });
      afterTest(server.close);
      const bare = (options: { apiKey?: string | null } = {}) =>
        createAnthropicProvider({ apiKey: options.apiKey === undefined ? ANTHROPIC_KEY : options.apiKey, baseUrl: server.baseUrl });
      return {
        server,
        chatPath: '/v1/messages',
        bare,
        resilient: (options, providerOptions) => withResilience(bare(providerOptions), options),
        expected: {
          text: DEFAULT_ANTHROPIC_REPLY.tokens.join(''),
          tokens: DEFAULT_ANTHROPIC_REPLY.tokens,
          usage: { inputTokens: 23, cachedInputTokens: 2048, cacheWriteTokens: 1536, outputTokens: 9, reasoningTokens: 0 },
          finishReason: 'end_turn',
          timings: null,
        },
      };
    },
    unreachable: (url, options) => withResilience(createAnthropicProvider({ apiKey: ANTHROPIC_KEY, baseUrl: url }), options),
  },
  {
    name: 'ollama',
    model: 'llama3.2',
    hasKeys: false,
    async start() {
      const server = await startOllamaServer();
      afterTest(server.close);
      const bare = () => createOllamaProvider({ host: server.url });
      return {
        server,
        chatPath: '/api/chat',
        bare,
        resilient: (options) => withResilience(bare(), options),
        expected: {
          text: DEFAULT_OLLAMA_REPLY.tokens.join(''),
          tokens: DEFAULT_OLLAMA_REPLY.tokens,
          usage: { inputTokens: 26, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 6, reasoningTokens: 0 },
          finishReason: 'stop',
          timings: { totalMs: 4883.583458, loadMs: 1.334875, promptEvalMs: 342.546, evalMs: 4535.599 },
        },
      };
    },
    unreachable: (url, options) => withResilience(createOllamaProvider({ host: url }), options),
  },
];

/** A clock whose sleeps return at once and are recorded; timers stay real. */
export interface RecordingClock extends Clock {
  sleeps: number[];
}

/** A recording clock standing at `nowMs`. */
export function recordingClock(nowMs = Date.UTC(2025, 0, 1)): RecordingClock {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => nowMs,
    async sleep(ms, signal) {
      sleeps.push(ms);
      if (signal.aborted) throw abortError(signal);
    },
    setTimer: systemClock.setTimer,
  };
}

/** A stream's whole outcome: the text, the thinking, the final event, and the error it ended with. */
export interface Outcome {
  text: string;
  deltas: number;
  /** The `reasoning` events' text, joined; '' when none came. */
  reasoning: string;
  done: Extract<StreamEvent, { type: 'done' }> | null;
  error: { kind: string; message: string } | null;
}

/** Runs `stream` to its end; `onDelta` may act mid-stream (abort, say) after each delta. */
export async function collect(
  stream: AsyncIterable<StreamEvent>,
  onDelta: (deltas: number) => void = () => {},
): Promise<Outcome> {
  const outcome: Outcome = { text: '', deltas: 0, reasoning: '', done: null, error: null };
  try {
    for await (const event of stream) {
      if (event.type === 'delta') {
        outcome.text += event.text;
        outcome.deltas += 1;
        onDelta(outcome.deltas);
      } else if (event.type === 'reasoning') {
        outcome.reasoning += event.text;
      } else {
        outcome.done = event;
      }
    }
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    outcome.error = { kind: error.kind, message: error.message };
  }
  return outcome;
}

/** The successful outcome of the expected reply. */
export function success(expected: ExpectedReply): Outcome {
  return {
    text: expected.text,
    deltas: expected.tokens.length,
    reasoning: '',
    done: { type: 'done', usage: expected.usage, finishReason: expected.finishReason, timings: expected.timings },
    error: null,
  };
}

/** Every event of `stream`, in order; a stream that fails throws (use `collect` to keep the failure). */
export async function events(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const seen: StreamEvent[] = [];
  for await (const event of stream) seen.push(event);
  return seen;
}

/** A loopback URL where nothing listens: a port just bound and released. */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A plain chat request for `model`. */
export function chat(model: string) {
  return {
    model,
    messages: [
      { role: 'system' as const, content: 'You answer briefly.' },
      { role: 'user' as const, content: 'Say hello.' },
    ],
    parameters: {},
  };
}
