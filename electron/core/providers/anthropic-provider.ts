/**
 * Anthropic through the official `@anthropic-ai/sdk` and its Messages API.
 *
 * System messages go to the top-level `system` parameter (the Messages API takes no system
 * turns in `messages`). `max_tokens` is required there, so a prompt without one gets a default.
 * Input tokens are counted with `count_tokens`, on the same system text and turns.
 * Usage: `message_start` brings the input and cache counts and a first output count; every
 * `message_delta` carries CUMULATIVE counts, so each figure it holds overwrites ours, never adds.
 * Extended thinking arrives as a `thinking` block whose `thinking_delta`s stream as `reasoning`;
 * its `signature_delta` and any `redacted_thinking` block (opaque, no text) are skipped.
 *
 * A prompt's reasoning effort becomes what the model accepts, read from its capabilities
 * (`GET /v1/models/{id}`, once per model): adaptive thinking with `output_config.effort` where
 * the model has it, else extended thinking with a token budget per level, added on top of the
 * answer's `max_tokens` (thinking counts against it); `none` is `thinking: disabled`. A model
 * that cannot think gets no thinking fields, so one effort can run across a mixed comparison.
 *
 * A JSON schema response format goes as `output_config.format` (structured outputs). Claude has
 * no JSON object mode: a request for one is refused before it is sent, saying what to choose.
 */

import type { ModelInfo as AnthropicModelInfo } from '@anthropic-ai/sdk/resources/models';
import type {
  MessageCreateParamsStreaming,
  MessageDeltaUsage,
  MessageParam,
  RawContentBlockDelta,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';
import { assertNever, ignoreUnknown } from '../../../shared/assert-never';
import type { ReasoningEffort } from '../../../shared/types';
import {
  abortError,
  httpError,
  isConnectionDrop,
  isWebPage,
  keyToCheck,
  malformedChunkError,
  missingKeyError,
  networkError,
  notTheApiError,
  prematureEndError,
  ProviderError,
  type ErrorContext,
  type KeyOrigin,
  type ProviderErrorKind,
} from './provider-error';
import { lazyModule } from '../lazy-module';
import { markSent } from './attempt-timing';
import { requestRefusal, strictnessNotice } from './format-support';
import { reportInputCount } from './input-count';
import { ModelFacts } from './model-facts';
import { notice } from './request-notices';
import { guardStream } from './stream-guard';
import { ZERO_USAGE, type ChatRequest, type ModelInfo, type Provider, type ProviderUsage, type StreamEvent } from './provider';

/** The SDK (1.2 MB of code), loaded when an Anthropic provider is first created. */
const anthropicSdk = lazyModule<typeof import('@anthropic-ai/sdk')>('@anthropic-ai/sdk');

/** Anthropic's API. */
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

/**
 * `max_tokens` for a prompt that sets none: enough for a long answer from any current model,
 * well under every model's ceiling.
 */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 8192;

/**
 * Thinking budgets per effort, for models that take `budget_tokens` rather than an effort:
 * the API's floor (1,024) is below "low", and "high" leaves room for a long answer on top.
 */
export const THINKING_BUDGET_TOKENS: Record<Exclude<ReasoningEffort, 'none'>, number> = { low: 2048, medium: 8192, high: 24_576 };

/** What a model accepts for thinking, from its capabilities; null when they could not be read. */
export type ThinkingSupport = AnthropicModelInfo['capabilities'];

/** The SDK's own timeout, kept out of the way of ours (limits.ts). */
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Settings of the Anthropic provider. */
export interface AnthropicProviderOptions {
  apiKey: string | null;
  baseUrl?: string;
  /** `max_tokens` when the prompt sets none. */
  defaultMaxTokens?: number;
  /** Where the key comes from, for messages; ANTHROPIC_API_KEY when not given. */
  keyOrigin?: KeyOrigin;
}

/** Creates a provider that talks Messages through `@anthropic-ai/sdk`. */
export function createAnthropicProvider(options: AnthropicProviderOptions): Provider {
  const baseUrl = (options.baseUrl ?? ANTHROPIC_BASE_URL).replace(/\/+$/, '');
  const keyOrigin = options.keyOrigin ?? { variable: 'ANTHROPIC_API_KEY' };
  const context: ErrorContext = {
    label: 'Anthropic',
    endpoint: baseUrl,
    keyHint: keyToCheck(keyOrigin),
    // The SDK puts /v1/messages after the base URL; one that ends in /v1 asks for /v1/v1/messages, which nothing answers.
    ...(/\/v1$/i.test(baseUrl) && { addressHint: 'drop /v1 from the end of the base URL (the Anthropic SDK adds it)' }),
  };
  const defaultMaxTokens = options.defaultMaxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS;
  // Always an explicit key: without one the SDK would go looking for profiles on disk.
  const { Anthropic } = anthropicSdk();
  const client = new Anthropic({
    apiKey: options.apiKey ?? 'no-key',
    baseURL: baseUrl,
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
    openTelemetry: false,
  });

  /** What a user is told when the address answers with something else than the API's (`what`): usually a web page. */
  const webPageError = (response: Response, path: string, what: string) =>
    notTheApiError(context.label, `${baseUrl}${path}`, response.headers.get('content-type') ?? '', response.status, what, 'check that the base URL is the Anthropic API’s or your gateway’s API, not a web page');

  const requireKey = () => {
    if (!options.apiKey) throw missingKeyError('Anthropic', keyOrigin);
  };

  const capabilities = new ModelFacts<ThinkingSupport>(async (model, signal) => (await client.models.retrieve(model, {}, { signal })).capabilities ?? null);

  async function* source(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
    const refusal = requestRefusal('anthropic', request);
    if (refusal !== null) throw refusal.error;
    requireKey();
    const { reasoningEffort } = request.parameters;
    let support: ThinkingSupport | null = null;
    if (reasoningEffort !== undefined) {
      support = await capabilities.get(request.model, signal);
      markSent(request);
    }
    const { data: stream, response } = await client.messages
      .create(messageParams(request, defaultMaxTokens, support, (text) => notice(request, text)), { signal })
      .withResponse();
    // A sign-in page or web UI answers 200 with a page of its own: the SDK would read it as a stream cut short, and retry.
    if (isWebPage(response)) {
      stream.controller.abort();
      throw webPageError(response, '/v1/messages', 'a stream');
    }
    let usage: ProviderUsage | null = null;
    let stopReason: string | null = null;
    let isStopped = false;
    for await (const event of stream) {
      switch (event.type) {
        case 'message_start':
          usage = startUsage(event.message.usage);
          stopReason = event.message.stop_reason ?? stopReason;
          // The input is counted before any text: a run stopped from here on keeps the provider's count of it.
          reportInputCount(request, usage);
          break;
        case 'content_block_delta': {
          const streamed = blockDeltaEvent(event.delta);
          if (streamed) yield streamed;
          break;
        }
        case 'message_delta':
          usage = overwriteUsage(usage, event.usage);
          stopReason = event.delta.stop_reason ?? stopReason;
          break;
        case 'message_stop':
          isStopped = true;
          break;
        case 'content_block_start':
        case 'content_block_stop':
          break;
        default:
          ignoreUnknown(event);
      }
    }
    if (isStopped) yield { type: 'done', usage, finishReason: stopReason, timings: null };
  }

  return {
    kind: 'anthropic',
    label: context.label,
    endpoint: baseUrl,
    stream: (request, signal) =>
      guardStream((guarded) => source(request, guarded), {
        context,
        signal,
        mapError: (error) => mapAnthropicError(error, context, request.model),
      }),
    async countInputTokens(request, signal): Promise<number> {
      try {
        requireKey();
        const { data: counted, response } = await client.messages.countTokens({ model: request.model, ...turns(request) }, { signal }).withResponse();
        // The SDK hands back a page that is not JSON as its text, whose input_tokens is undefined: not a count.
        if (isWebPage(response) || typeof (counted as { input_tokens?: unknown } | null)?.input_tokens !== 'number') throw webPageError(response, '/v1/messages/count_tokens', 'a token count');
        return counted.input_tokens;
      } catch (error) {
        if (signal.aborted) throw abortError(signal);
        throw mapAnthropicError(error, context, request.model);
      }
    },
    async listModels(signal): Promise<ModelInfo[]> {
      try {
        requireKey();
        const { data: page, response } = await client.models.list({ limit: 100 }, { signal }).withResponse();
        if (isWebPage(response)) throw webPageError(response, '/v1/models', 'a model list');
        const models: ModelInfo[] = [];
        for await (const model of page) {
          models.push({
            id: model.id,
            label: model.display_name,
            ...(typeof model.max_input_tokens === 'number' && { contextLength: model.max_input_tokens }),
            ...(model.capabilities && { canThink: model.capabilities.thinking.supported }),
          });
        }
        return models;
      } catch (error) {
        if (signal.aborted) throw abortError(signal);
        throw mapAnthropicError(error, context, null);
      }
    },
  };
}

/** The system text apart (left out when empty) and the turns in order, as the Messages API takes them. */
function turns(request: ChatRequest): { messages: MessageParam[]; system?: string } {
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n\n');
  const messages: MessageParam[] = request.messages.flatMap((message) =>
    message.role === 'system' ? [] : [{ role: message.role, content: message.content }],
  );
  return { messages, ...(system !== '' && { system }) };
}

/** The lowest top-p Claude takes while thinking. */
const THINKING_MIN_TOP_P = 0.95;

/**
 * The request body: system text apart, the turns in order, Anthropic's parameter names.
 *
 * What the model would refuse is left out, and `say` tells the user so: an effort for a model
 * that cannot think (or has no effort levels), and, while thinking, a temperature other than 1
 * or a top-p under 0.95, which Claude does not take then.
 */
function messageParams(request: ChatRequest, defaultMaxTokens: number, support: ThinkingSupport, say: (text: string) => void): MessageCreateParamsStreaming {
  const { model } = request;
  const { temperature, topP, maxTokens, stop, reasoningEffort } = request.parameters;
  const { messages, system } = turns(request);
  const thinking = reasoningEffort === undefined ? {} : thinkingParams(reasoningEffort, support);
  if (reasoningEffort !== undefined && thinking.thinking === undefined) say(`Reasoning effort not sent: ${model} cannot think`);
  const isThinking = thinking.thinking !== undefined && thinking.thinking.type !== 'disabled';
  if (thinking.thinking?.type === 'adaptive' && thinking.output_config === undefined) say(`Effort level not sent: ${model} thinks adaptively, without effort levels`);
  const sendsTemperature = temperature !== undefined && (!isThinking || temperature === 1);
  if (temperature !== undefined && !sendsTemperature) say(`Temperature ${temperature} not sent: Claude takes only 1 while thinking`);
  const sendsTopP = topP !== undefined && (!isThinking || topP >= THINKING_MIN_TOP_P);
  if (topP !== undefined && !sendsTopP) say(`Top-p ${topP} not sent: Claude takes ${THINKING_MIN_TOP_P} to 1 while thinking`);
  // A thinking budget is spent out of max_tokens, so it comes on top of the answer's allowance.
  const budget = thinking.thinking?.type === 'enabled' ? thinking.thinking.budget_tokens : 0;
  const { responseFormat } = request;
  // A best-effort format (the judge's) is left to the words of the messages: not every Claude model has structured outputs.
  const format = responseFormat?.type === 'json_schema' && request.isFormatBestEffort !== true ? { type: 'json_schema' as const, schema: responseFormat.schema } : undefined;
  const outputConfig = format === undefined ? thinking.output_config : { ...thinking.output_config, format };
  const strictness = strictnessNotice('anthropic', responseFormat, request.isFormatBestEffort);
  if (strictness !== null) say(strictness);
  return {
    model,
    max_tokens: (maxTokens ?? defaultMaxTokens) + budget,
    messages,
    stream: true,
    ...(system !== undefined && { system }),
    ...(sendsTemperature && { temperature }),
    ...(sendsTopP && { top_p: topP }),
    ...(stop !== undefined && stop.length > 0 && { stop_sequences: stop }),
    ...thinking,
    ...(outputConfig !== undefined && { output_config: outputConfig }),
  };
}

/**
 * The thinking fields for `effort` on a model with `support` (null: unknown, so the current
 * generation's adaptive thinking is assumed and the API judges).
 */
function thinkingParams(effort: ReasoningEffort, support: ThinkingSupport): Pick<MessageCreateParamsStreaming, 'thinking' | 'output_config'> {
  if (support !== null && !support.thinking.supported) return {};
  const types = support?.thinking.types;
  switch (effort) {
    case 'none':
      return { thinking: { type: 'disabled' } };
    case 'low':
    case 'medium':
    case 'high':
      if (types === undefined || types.adaptive.supported || !types.enabled.supported) {
        const hasEffort = support === null || (support.effort.supported && support.effort[effort].supported);
        return { thinking: { type: 'adaptive' }, ...(hasEffort && { output_config: { effort } }) };
      }
      return { thinking: { type: 'enabled', budget_tokens: THINKING_BUDGET_TOKENS[effort] } };
    default:
      return assertNever(effort, 'reasoning effort');
  }
}

/** What a content block's delta streams as: answer text, thinking, or nothing (tool input, citations, signatures). */
function blockDeltaEvent(delta: RawContentBlockDelta): StreamEvent | null {
  switch (delta.type) {
    case 'text_delta':
      return delta.text ? { type: 'delta', text: delta.text } : null;
    case 'thinking_delta':
      return delta.thinking ? { type: 'reasoning', text: delta.thinking } : null;
    case 'signature_delta':
    case 'input_json_delta':
    case 'citations_delta':
      return null;
    default:
      ignoreUnknown(delta);
      return null;
  }
}

/** Usage as `message_start` reports it; cache reads and writes are apart from `input_tokens`. */
function startUsage(usage: Usage): ProviderUsage {
  return {
    inputTokens: usage.input_tokens ?? 0,
    cachedInputTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    reasoningTokens: usage.output_tokens_details?.thinking_tokens ?? 0,
  };
}

/** Applies a `message_delta`'s cumulative figures: each one present replaces ours. */
function overwriteUsage(current: ProviderUsage | null, delta: MessageDeltaUsage): ProviderUsage {
  const usage = { ...(current ?? ZERO_USAGE) };
  if (typeof delta.input_tokens === 'number') usage.inputTokens = delta.input_tokens;
  if (typeof delta.cache_read_input_tokens === 'number') usage.cachedInputTokens = delta.cache_read_input_tokens;
  if (typeof delta.cache_creation_input_tokens === 'number') usage.cacheWriteTokens = delta.cache_creation_input_tokens;
  if (typeof delta.output_tokens === 'number') usage.outputTokens = delta.output_tokens;
  if (typeof delta.output_tokens_details?.thinking_tokens === 'number') {
    usage.reasoningTokens = delta.output_tokens_details.thinking_tokens;
  }
  return usage;
}

/** The kind of an in-stream `error` event, by Anthropic's error type. */
function streamErrorKind(type: string | null): ProviderErrorKind {
  if (type === 'overloaded_error' || type === 'api_error') return 'server';
  if (type === 'rate_limit_error') return 'rate-limit';
  if (type === 'authentication_error' || type === 'permission_error') return 'auth';
  if (type === 'not_found_error') return 'not-found';
  return 'bad-request';
}

/** Maps what `@anthropic-ai/sdk` throws; `model` is null for calls about no model. */
function mapAnthropicError(error: unknown, context: ErrorContext, model: string | null): ProviderError {
  if (error instanceof ProviderError) return error;
  // Only a created client throws the SDK's errors, so the SDK is loaded by now.
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = anthropicSdk();
  if (error instanceof APIUserAbortError) return new ProviderError('cancelled', 'The request was cancelled', { cause: error });
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError('timeout', `${context.label} did not answer in time`, { cause: error });
  }
  if (error instanceof APIConnectionError) return networkError(context, error.cause ?? error);
  if (error instanceof APIError) {
    const serverMessage = error.apiMessage ?? null;
    if (typeof error.status === 'number') return httpError(context, error.status, serverMessage, error.headers ?? null, model, error);
    // `event: error` inside the stream, such as `overloaded_error` after a 200.
    const type = error.type ?? null;
    return new ProviderError(
      streamErrorKind(type),
      `${context.label} reported an error mid-stream (${type ?? 'unknown'}): ${serverMessage ?? error.message}`,
      { headers: error.headers ?? null, cause: error },
    );
  }
  if (error instanceof SyntaxError) return malformedChunkError(context, error);
  if (isConnectionDrop(error)) return prematureEndError(context, error);
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError('bad-request', `${context.label} failed unexpectedly: ${detail}`, { cause: error });
}
