/**
 * OpenAI and OpenAI-compatible endpoints (LM Studio, vLLM, llama.cpp server, OpenRouter, Groq)
 * through the official `openai` SDK and its Chat Completions API.
 *
 * Usage arrives only because we set `stream_options.include_usage`: in a last chunk whose
 * `choices` is empty, with cached input tokens under `prompt_tokens_details` and reasoning
 * tokens under `completion_tokens_details`. A compatible server that ignores the option sends
 * none, and the `done` event says so with `usage: null`.
 *
 * A reasoning model's thinking comes apart from the answer on compatible servers, in a delta
 * field the SDK does not type: `reasoning_content` (DeepSeek, vLLM, LM Studio, llama.cpp) or
 * `reasoning` (OpenRouter, Groq, Ollama's OpenAI-compatible API). It streams as `reasoning`.
 *
 * Neither OpenAI nor the compatible servers say which models take which parameters: a model
 * that does not take `reasoning_effort` (gpt-4o, gpt-4.1, a Llama on Groq), or takes only the
 * default temperature or top-p (OpenAI's reasoning models), refuses the whole request with a
 * 400 naming the parameter. Such a refusal is taken as the model's answer: the request goes
 * again at once without that parameter, the model's later requests leave it out (the engine
 * keeps what was refused across restarts: refusal-store.ts), and a notice tells the user each
 * time, as Anthropic and Ollama requests do for models that cannot think. A refused value of an effort (`none` on a model that cannot stop reasoning) is a different
 * 400 and reaches the user as it is.
 */

import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAI,
} from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { assertNever } from '../../../shared/assert-never';
import type { ResponseFormat } from '../../../shared/types';
import {
  abortError,
  httpError,
  isConnectionDrop,
  isWebPage,
  keyToCheck,
  missingKeyAdvice,
  malformedChunkError,
  missingKeyError,
  networkError,
  notTheApiError,
  prematureEndError,
  ProviderError,
  type ErrorContext,
  type KeyOrigin,
} from './provider-error';
import { markSent } from './attempt-timing';
import { requestRefusal } from './format-support';
import { notice } from './request-notices';
import { guardStream } from './stream-guard';
import type { ChatRequest, ModelInfo, Provider, ProviderUsage, StreamEvent } from './provider';

/** OpenAI's own API. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * The SDK's per-request timeout, kept out of the way: our own timeouts (limits.ts) decide.
 * (Node's fetch still drops a response that sends no headers for five minutes.)
 */
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Settings of an OpenAI or OpenAI-compatible provider. */
export interface OpenAiProviderOptions {
  kind: 'openai' | 'openai-compatible';
  /** The key; required for OpenAI, optional for compatible servers that take none. */
  apiKey: string | null;
  /** Defaults to OpenAI's API; a compatible endpoint gives its own, ending in `/v1` as a rule. */
  baseUrl?: string;
  /** The name in messages; defaults to "OpenAI" or "OpenAI-compatible endpoint". */
  label?: string;
  /** Where the key comes from, for messages; OPENAI_API_KEY for OpenAI when not given. */
  keyOrigin?: KeyOrigin;
  /** Where refusals are kept beyond this provider object (the engine's is SQLite); memory only without. */
  refusals?: RefusalMemory;
}

/**
 * What the models of one endpoint refused, kept beyond one provider object, so the next one
 * (after a restart, or a change of settings) does not ask again.
 */
export interface RefusalMemory {
  /** The parameters `model` is known to refuse. */
  recall(model: string): readonly OptionalParam[];
  /** Keeps that `model` refused `param`. */
  remember(model: string, param: OptionalParam): void;
}

/** Creates a provider that talks Chat Completions through the `openai` SDK. */
export function createOpenAiProvider(options: OpenAiProviderOptions): Provider {
  const baseUrl = (options.baseUrl ?? OPENAI_BASE_URL).replace(/\/+$/, '');
  const isOpenAi = options.kind === 'openai';
  const label = options.label ?? (isOpenAi ? 'OpenAI' : 'OpenAI-compatible endpoint');
  const keyOrigin = options.keyOrigin ?? (isOpenAi ? { variable: 'OPENAI_API_KEY' } : null);
  const context: ErrorContext = {
    label,
    endpoint: baseUrl,
    keyHint: keyOrigin === null ? null : keyToCheck(keyOrigin),
    // A 401 to a request sent without a key is no rejected key: the endpoint wants one and none is set.
    ...(!options.apiKey && { unauthorized: `asks for an API key (401), and none is set: ${keyOrigin === null ? 'set one in Settings › Providers (Environment or Enter key)' : missingKeyAdvice(keyOrigin)}` }),
    // A compatible server also answers 404 when the base URL misses its `/v1`.
    ...(!isOpenAi && { notFoundHint: () => 'check the model name, and that the base URL is complete (most end in /v1)' }),
    // LM Studio's own address, without the /v1 its API is under, is the usual slip.
    ...(!isOpenAi && !/\/v1$/i.test(baseUrl) && { listAddressHint: `most OpenAI-compatible servers’ addresses end in /v1 (${baseUrl}/v1)` }),
  };
  const client = new OpenAI({
    // The SDK refuses to start without a key; a keyless compatible server gets no header at all.
    apiKey: options.apiKey ?? 'no-key',
    defaultHeaders: options.apiKey ? undefined : { Authorization: null },
    baseURL: baseUrl,
    // Nothing from the environment: OPENAI_ORG_ID and friends must not leak to a third party.
    organization: null,
    project: null,
    adminAPIKey: null,
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
  });

  /** What a user is told when the address answers with something else than the API's (`what`): usually a web UI's page. */
  const webPageError = (contentType: string, status: number, path: string, what: string) =>
    notTheApiError(label, `${baseUrl}${path}`, contentType, status, what, 'check that the base URL is the server’s API (most end in /v1), not its web page');

  const requireKey = () => {
    if (isOpenAi && !options.apiKey) throw missingKeyError('OpenAI', keyOrigin ?? { variable: 'OPENAI_API_KEY' });
  };

  /** The parameters each model of this endpoint refused, left out of its requests since. */
  const leftOut = new Map<string, Set<OptionalParam>>();

  async function* source(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
    // What OpenAI would refuse fails at once, as its estimate said, without a round trip.
    const refusal = requestRefusal(options.kind, request);
    if (refusal !== null) throw refusal.error;
    requireKey();
    // One set per model, shared by its requests in flight, so what one learns the others keep.
    let refused = leftOut.get(request.model);
    if (refused === undefined) {
      refused = new Set<OptionalParam>(options.refusals?.recall(request.model));
      leftOut.set(request.model, refused);
    }
    let params = chatParams(request, isOpenAi, refused);
    for (const param of refused) if (param in requestedParams(request)) notice(request, leftOutNotice(param, request));
    let stream;
    // Each refusal leaves out one more parameter the request has, so this asks at most once per parameter, plus once.
    for (;;) {
      try {
        const { data, response } = await client.chat.completions.create(params, { signal }).withResponse();
        // A web UI or proxy answers 200 with a page of its own: the SDK would read it as a stream cut short, and retry.
        if (isWebPage(response)) {
          data.controller.abort();
          throw webPageError(response.headers.get('content-type') as string, response.status, '/chat/completions', 'a stream');
        }
        stream = data;
        break;
      } catch (error) {
        const param = refusedParam(error, params);
        if (param === null) throw error;
        refused.add(param);
        options.refusals?.remember(request.model, param);
        notice(request, leftOutNotice(param, request));
        markSent(request);
        params = chatParams(request, isOpenAi, refused);
      }
    }
    let usage: ProviderUsage | null = null;
    let finishReason: string | null = null;
    let isFinished = false;
    for await (const chunk of stream) {
      if (chunk.usage) usage = toUsage(chunk.usage);
      const choice = firstChoice(chunk);
      if (!choice) continue;
      const thinking = reasoningText(choice.delta);
      if (thinking !== null) yield { type: 'reasoning', text: thinking };
      // A refusal is the model's visible answer, so it streams like content.
      const text = choice.delta?.content ?? choice.delta?.refusal;
      if (text) yield { type: 'delta', text };
      if (choice.finish_reason) {
        finishReason = choice.finish_reason;
        isFinished = true;
      }
    }
    if (isFinished) yield { type: 'done', usage, finishReason, timings: null };
  }

  return {
    kind: options.kind,
    label,
    endpoint: baseUrl,
    stream: (request, signal) =>
      guardStream((guarded) => source(request, guarded), {
        context,
        signal,
        mapError: (error) => mapOpenAiError(error, context, request.model),
      }),
    async listModels(signal): Promise<ModelInfo[]> {
      try {
        requireKey();
        const { data: page, response } = await client.models.list({ signal }).withResponse();
        // A web UI or proxy answers 200 with a page of its own: the SDK would read it as an empty list.
        const contentType = response.headers.get('content-type') ?? '';
        if (!/[/+]json$/i.test(contentType.split(';')[0].trim())) throw webPageError(contentType, response.status, '/models', 'a model list');
        const models: ModelInfo[] = [];
        for await (const model of page) models.push({ id: model.id });
        return models.sort((a, b) => a.id.localeCompare(b.id));
      } catch (error) {
        if (signal.aborted) throw abortError(signal);
        throw mapOpenAiError(error, context, null);
      }
    },
  };
}

/**
 * The request body: `max_completion_tokens` for OpenAI, the older `max_tokens` that compatible
 * servers know. A reasoning effort goes as `reasoning_effort` to both: OpenAI's reasoning models
 * take it, and so do the compatible servers that host reasoning models (vLLM, Groq, OpenRouter).
 * The optional parameters the model has refused (`leftOut`) are not sent.
 */
function chatParams(request: ChatRequest, isOpenAi: boolean, leftOut: ReadonlySet<OptionalParam>): ChatCompletionCreateParamsStreaming {
  const { maxTokens, stop } = request.parameters;
  const optional = Object.fromEntries(Object.entries(requestedParams(request)).filter(([param]) => !leftOut.has(param as OptionalParam)));
  return {
    model: request.model,
    messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
    stream: true,
    stream_options: { include_usage: true },
    ...optional,
    ...(stop !== undefined && stop.length > 0 && { stop }),
    ...(maxTokens !== undefined && (isOpenAi ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens })),
    // A best-effort format (the judge's) goes only to OpenAI itself: compatible servers differ on `json_schema` (some refuse the request), and the messages ask in words.
    ...(request.responseFormat !== undefined && (isOpenAi || request.isFormatBestEffort !== true) && { response_format: responseFormatParam(request.responseFormat) }),
  };
}

/** A response format as Chat Completions takes it; a schema is strict unless the prompt says not. */
function responseFormatParam(format: ResponseFormat): NonNullable<ChatCompletionCreateParamsStreaming['response_format']> {
  switch (format.type) {
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema':
      return { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, strict: format.isStrict !== false } };
    default:
      return assertNever(format, 'response format');
  }
}

/** The parameters a model may refuse, and the request leaves out from then on. */
export const OPTIONAL_PARAMS = ['reasoning_effort', 'temperature', 'top_p'] as const;

/** One of `OPTIONAL_PARAMS`, by its wire name. */
export type OptionalParam = (typeof OPTIONAL_PARAMS)[number];

/** The optional parameters `request` asks for, by their wire names. */
function requestedParams(request: ChatRequest): Partial<Record<OptionalParam, number | string>> {
  const { temperature, topP, reasoningEffort } = request.parameters;
  return {
    ...(temperature !== undefined && { temperature }),
    ...(topP !== undefined && { top_p: topP }),
    ...(reasoningEffort !== undefined && { reasoning_effort: reasoningEffort }),
  };
}

/** What the user reads about a parameter left out. */
function leftOutNotice(param: OptionalParam, request: ChatRequest): string {
  const { model, parameters } = request;
  switch (param) {
    case 'reasoning_effort':
      return `Reasoning effort not sent: ${model} does not take it`;
    case 'temperature':
      return `Temperature ${parameters.temperature} not sent: ${model} takes only its default`;
    case 'top_p':
      return `Top-p ${parameters.topP} not sent: ${model} takes only its default`;
    default:
      return assertNever(param, 'parameter');
  }
}

/**
 * The parameter a 400 refuses, when it is one the request can go without; null for any other
 * error. That is:
 * - `reasoning_effort` refused as a parameter the model does not take (OpenAI's
 *   `unsupported_parameter` naming it, or the words compatible servers use: "reasoning_effort
 *   is not supported with this model", "does not support parameters: ['reasoning_effort']"),
 *   never a refused value of it (`none` on a model that cannot stop reasoning);
 * - `temperature` or `top_p` on a model that takes only the default, as OpenAI's reasoning
 *   models answer ("Unsupported value: 'temperature' does not support 0.2 with this model.
 *   Only the default (1) value is supported.").
 */
function refusedParam(error: unknown, sent: ChatCompletionCreateParamsStreaming): OptionalParam | null {
  if (!(error instanceof APIError) || error.status !== 400) return null;
  const message = error.message;
  for (const param of ['temperature', 'top_p'] as const) {
    if (sent[param] === undefined || sent[param] === null) continue;
    const isNamed = error.param === param || message.includes(`'${param}'`);
    if (isNamed && (error.code === 'unsupported_parameter' || /only the default \(1\) value is supported/i.test(message))) return param;
  }
  if (sent.reasoning_effort === undefined) return null;
  if (error.param === 'reasoning_effort' && error.code === 'unsupported_parameter') return 'reasoning_effort';
  if (!message.includes('reasoning_effort') || /unsupported value|does not support '/i.test(message)) return null;
  return /unsupported parameter|unrecognized request argument|does not support parameters|reasoning_effort'? is not supported/i.test(message) ? 'reasoning_effort' : null;
}

/** Our usage from OpenAI's: `prompt_tokens` already includes the cached ones. */
function toUsage(usage: CompletionUsage): ProviderUsage {
  return {
    inputTokens: usage.prompt_tokens ?? 0,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: usage.prompt_tokens_details?.cache_write_tokens ?? 0,
    outputTokens: usage.completion_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

/** Choice 0, the only one we ask for (`n` is never set). */
function firstChoice(chunk: ChatCompletionChunk): ChatCompletionChunk.Choice | undefined {
  return chunk.choices?.find((choice) => choice.index === 0);
}

/** The delta fields compatible servers put thinking in, in the order they are looked for. */
const REASONING_FIELDS = ['reasoning_content', 'reasoning'] as const;

/**
 * The thinking a delta carries apart from the answer, or null. The fields are not in the
 * SDK's types, so each is read as unknown and taken only when it is a non-empty string. A
 * server that fills both with the same text (some mirror one into the other) yields it once.
 */
function reasoningText(delta: ChatCompletionChunk.Choice.Delta | undefined): string | null {
  if (!delta) return null;
  const fields = delta as Record<string, unknown>;
  for (const field of REASONING_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** Maps what the `openai` SDK throws; `model` is null for calls about no model. */
function mapOpenAiError(error: unknown, context: ErrorContext, model: string | null): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof APIUserAbortError) return new ProviderError('cancelled', 'The request was cancelled', { cause: error });
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError('timeout', `${context.label} did not answer in time`, { cause: error });
  }
  if (error instanceof APIConnectionError) return networkError(context, error.cause ?? error);
  if (error instanceof APIError) {
    const body = error.error as { message?: unknown } | undefined;
    const serverMessage = typeof body?.message === 'string' ? body.message : null;
    if (typeof error.status === 'number') return httpError(context, error.status, serverMessage, error.headers ?? null, model, error);
    // An `error` object inside the event stream: the server failed after answering 200.
    return new ProviderError('server', `${context.label} reported an error mid-stream: ${serverMessage ?? error.message}`, {
      headers: error.headers ?? null,
      cause: error,
    });
  }
  if (error instanceof SyntaxError) return malformedChunkError(context, error);
  if (isConnectionDrop(error)) return prematureEndError(context, error);
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError('bad-request', `${context.label} failed unexpectedly: ${detail}`, { cause: error });
}
