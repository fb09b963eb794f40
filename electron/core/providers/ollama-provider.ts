/**
 * Local models through the official `ollama` client and Ollama's native `/api/chat`.
 *
 * The stream is NDJSON; its final line (`done: true`) carries `prompt_eval_count`, `eval_count`,
 * `done_reason` and durations in nanoseconds. `keep_alive` goes with every request so a model
 * stays loaded between the runs of a session. Ollama serialises work per model; the resilience
 * layer's default limit (one request per model) queues ours before they reach it. A thinking
 * model's lines carry its thinking in `message.thinking`, apart from the answer's
 * `message.content`; it streams as `reasoning`.
 *
 * A prompt's reasoning effort becomes `think`: `false` for none; for a level, the level itself
 * on the gpt-oss family (the models that take one) and `true` on the others. A model whose
 * capabilities (`/api/show`, read once per model) do not include thinking gets no `think`,
 * which Ollama would refuse, so one effort can run across a mixed comparison. Either change is
 * said in a notice (a level sent as thinking on, an effort not sent), and before the run too
 * (`reasoningNotice`).
 *
 * The client takes no per-request AbortSignal, so each call gets a client whose `fetch` carries
 * ours; that `fetch` also keeps the response headers (for Retry-After) and checks every NDJSON
 * line, because the client would otherwise skip a broken line with a console warning and
 * return a silently shortened answer.
 */

import type { ChatResponse, ModelResponse } from 'ollama';
import { assertNever } from '../../../shared/assert-never';
import { DEFAULT_KEEP_ALIVE } from '../../../shared/ollama-keep-alive';
import type { ReasoningEffort, ResponseFormat } from '../../../shared/types';
import {
  abortError,
  httpError,
  isConnectionDrop,
  isWebPage,
  malformedChunkError,
  networkError,
  notTheApiError,
  prematureEndError,
  ProviderError,
  readableServerText,
  type ErrorContext,
} from './provider-error';
import { lazyModule } from '../lazy-module';
import { markSent } from './attempt-timing';
import { strictnessNotice } from './format-support';
import { Semaphore } from './limits';
import { ModelFacts } from './model-facts';
import { notice } from './request-notices';
import { guardStream } from './stream-guard';
import { splitCredentials } from './url-credentials';
import type { ChatRequest, ModelInfo, Provider, ProviderTimings, StreamEvent } from './provider';

/** The client, loaded when an Ollama provider is first used. */
const ollamaClient = lazyModule<typeof import('ollama')>('ollama');

/** Where Ollama listens unless OLLAMA_HOST says otherwise. */
export const OLLAMA_DEFAULT_HOST = 'http://127.0.0.1:11434';


/** Settings of the Ollama provider. */
export interface OllamaProviderOptions {
  /** `http://host:port`, perhaps with `user:password@` for a proxy in front; defaults to OLLAMA_DEFAULT_HOST. */
  host?: string;
  /** Ollama's `keep_alive` (see shared/ollama-keep-alive.ts): a duration such as "15m", seconds as a number, 0 to unload, -1 to keep forever; `DEFAULT_KEEP_ALIVE` when absent. */
  keepAlive?: string | number;
}

/** Creates a provider that talks to Ollama through the `ollama` client. */
export function createOllamaProvider(options: OllamaProviderOptions = {}): Provider {
  // An address with a user name and password (Ollama behind a proxy) dials without them and sends them as Basic auth.
  const { url: host, authorization } = splitCredentials(options.host ?? OLLAMA_DEFAULT_HOST);
  const headers = authorization === null ? undefined : { Authorization: authorization };
  /** A client for one call: the call's `fetch` carries its signal. */
  const clientFor = (call: CallState, signal: AbortSignal) => {
    const { Ollama } = ollamaClient();
    return new Ollama({ host, headers, fetch: call.fetch(signal) });
  };
  const keepAlive = options.keepAlive ?? DEFAULT_KEEP_ALIVE;
  const context: ErrorContext = {
    label: 'Ollama',
    endpoint: host,
    keyHint: null,
    unauthorized:
      authorization === null
        ? 'refused the request (401): the server in front of it wants credentials, and those for Ollama go in OLLAMA_HOST, as user:password@host:port (sent as Basic auth), set before starting the app'
        : 'refused the user name and password in its address (401): check them in OLLAMA_HOST',
    notFoundHint: (model) => `pull it with \`ollama pull ${model}\``,
  };

  // Whether a model can think; null when Ollama does not say (versions before capabilities).
  const thinkers = new ModelFacts<boolean | null>(async (model, signal) => {
    const shown = await clientFor(new CallState(), signal).show({ model });
    return Array.isArray(shown.capabilities) ? shown.capabilities.includes('thinking') : null;
  });

  /** A model's context length and whether it thinks, from `/api/show`; nothing when it cannot be read. */
  async function showDetails(model: string, signal: AbortSignal): Promise<Pick<ModelInfo, 'contextLength' | 'canThink'>> {
    try {
      const shown = await clientFor(new CallState(), signal).show({ model });
      // Typed as a Map by the client, but a plain object as it comes off the wire.
      const info: unknown = shown.model_info;
      const read = (key: string): unknown => (info instanceof Map ? info.get(key) : typeof info === 'object' && info !== null ? (info as Record<string, unknown>)[key] : undefined);
      const contextLength = read(`${String(read('general.architecture'))}.context_length`);
      return {
        ...(typeof contextLength === 'number' && { contextLength }),
        ...(Array.isArray(shown.capabilities) && { canThink: shown.capabilities.includes('thinking') }),
      };
    } catch {
      // Only the listing's extras are lost; the model is still listed.
      return {};
    }
  }

  async function* source(request: ChatRequest, signal: AbortSignal, call: CallState): AsyncIterable<StreamEvent> {
    const client = clientFor(call, signal);
    const { temperature, topP, maxTokens, stop, reasoningEffort } = request.parameters;
    let think: ReturnType<typeof thinkValue> | undefined;
    if (reasoningEffort !== undefined) {
      const canThink = await thinkers.get(request.model, signal);
      markSent(request);
      const said = reasoningNoticeOf(request.model, reasoningEffort, canThink);
      if (said !== null) notice(request, said);
      if (canThink !== false) think = thinkValue(reasoningEffort, request.model);
    }
    const strictness = strictnessNotice('ollama', request.responseFormat);
    if (strictness !== null) notice(request, strictness);
    const response = await client.chat({
      model: request.model,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      stream: true,
      keep_alive: keepAlive,
      ...(think !== undefined && { think }),
      ...(request.responseFormat !== undefined && { format: ollamaFormat(request.responseFormat) }),
      options: {
        ...(temperature !== undefined && { temperature }),
        ...(topP !== undefined && { top_p: topP }),
        ...(maxTokens !== undefined && { num_predict: maxTokens }),
        ...(stop !== undefined && stop.length > 0 && { stop }),
      },
    });
    let final: ChatResponse | null = null;
    for await (const part of response) {
      if (part.message?.thinking) yield { type: 'reasoning', text: part.message.thinking };
      if (part.message?.content) yield { type: 'delta', text: part.message.content };
      if (part.done) final = part;
    }
    if (final) {
      yield {
        type: 'done',
        usage: {
          // Ollama leaves `prompt_eval_count` out when the whole prompt came from its cache.
          inputTokens: final.prompt_eval_count ?? 0,
          cachedInputTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: final.eval_count ?? 0,
          reasoningTokens: 0,
        },
        finishReason: final.done_reason || null,
        timings: toTimings(final),
      };
    }
  }

  return {
    kind: 'ollama',
    label: context.label,
    endpoint: host,
    stream(request, signal) {
      const call = new CallState();
      return guardStream((guarded) => source(request, guarded, call), {
        context,
        signal,
        mapError: (error) => mapOllamaError(error, context, request.model, call.headers),
      });
    },
    async reasoningNotice(model, effort, signal) {
      return reasoningNoticeOf(model, effort, await thinkers.get(model, signal));
    },
    async listModels(signal): Promise<ModelInfo[]> {
      const call = new CallState();
      let models: ModelResponse[];
      try {
        models = (await clientFor(call, signal).list()).models;
      } catch (error) {
        if (signal.aborted) throw abortError(signal);
        throw mapOllamaError(error, context, null, call.headers);
      }
      // The list has no context length or capabilities: `/api/show` has both, a few models at a time.
      const slots = new Semaphore(SHOW_CONCURRENCY);
      const details = await Promise.all(
        models.map(async (model) => {
          const release = await slots.acquire(signal);
          try {
            return await showDetails(model.name, signal);
          } finally {
            release();
          }
        }),
      );
      if (signal.aborted) throw abortError(signal);
      return models.map((model, index) => ({
        id: model.name,
        sizeBytes: model.size,
        ...(model.details?.quantization_level && { quantization: model.details.quantization_level }),
        ...details[index],
      }));
    },
  };
}

/** How many `/api/show` requests a listing keeps in flight. */
const SHOW_CONCURRENCY = 4;

/** Ollama's `think` for `effort`: a level only where the model takes one (gpt-oss), else on or off. */
export function thinkValue(effort: ReasoningEffort, model: string): boolean | 'low' | 'medium' | 'high' {
  switch (effort) {
    case 'none':
      return false;
    case 'low':
    case 'medium':
    case 'high':
      return /^gpt-oss\b/i.test(model.replace(/^.*\//, '')) ? effort : true;
    default:
      return assertNever(effort, 'reasoning effort');
  }
}

/**
 * What a run of `model` says of its reasoning effort (`canThink` from `/api/show`, null when
 * Ollama does not say): left out on a model that cannot think; a level sent as plain `think:
 * true` on a thinking model that takes no levels (all but gpt-oss), so Low, Medium and High are
 * the same request there. Null when it goes as asked.
 */
export function reasoningNoticeOf(model: string, effort: ReasoningEffort, canThink: boolean | null): string | null {
  if (canThink === false) return `Reasoning effort not sent: ${model} cannot think`;
  const think = thinkValue(effort, model);
  return think === true ? `Reasoning ${effort} sent as thinking on: ${model} has no levels` : null;
}

/** Ollama's nanosecond durations as milliseconds. */
function toTimings(final: ChatResponse): ProviderTimings | null {
  if (typeof final.total_duration !== 'number') return null;
  const ms = (nanoseconds: number | undefined) => (nanoseconds ?? 0) / 1e6;
  return {
    totalMs: ms(final.total_duration),
    loadMs: ms(final.load_duration),
    promptEvalMs: ms(final.prompt_eval_duration),
    evalMs: ms(final.eval_duration),
  };
}

/**
 * Marks the error line that replaces a malformed one. Passed in-band, the error reaches the
 * caller after every good line before it, which an errored stream would have dropped.
 */
const MALFORMED_MARK = 'malformed NDJSON line from the server: ';

/** Per-call plumbing: the fetch the client uses, and the headers of the last response. */
class CallState {
  headers: Headers | null = null;

  /** A fetch that adds `signal`, remembers the headers and checks NDJSON bodies line by line. */
  fetch(signal: AbortSignal): typeof fetch {
    return async (input, init) => {
      const merged = init?.signal ? AbortSignal.any([init.signal, signal]) : signal;
      const response = await fetch(input, { ...init, signal: merged });
      this.headers = response.headers;
      const type = response.headers.get('content-type') ?? '';
      // A web UI at this address answers 200 with its page: the client would fail on its first line as if the stream broke, and be retried.
      if (response.ok && isWebPage(response)) {
        await response.body?.cancel();
        const address = new URL(input instanceof Request ? input.url : String(input));
        const what = address.pathname === '/api/tags' ? 'a model list' : address.pathname === '/api/chat' ? 'a stream' : 'an answer';
        throw notTheApiError('Ollama', `${address.origin}${address.pathname}`, type, response.status, what, 'check that the address is Ollama’s API (port 11434 unless set otherwise), not a web UI in front of it');
      }
      // An error that is not JSON (a proxy's HTML page) reaches the client as Ollama's own `{"error"}`,
      // in readable words, so it need not log that it is reading text.
      if (!response.ok && !type.includes('json')) {
        const text = readableServerText(await response.text()) ?? response.statusText;
        const headers = new Headers(response.headers);
        headers.set('content-type', 'application/json');
        headers.delete('content-length');
        headers.delete('content-encoding');
        return new Response(JSON.stringify({ error: text }), { status: response.status, statusText: response.statusText, headers });
      }
      if (!response.ok || !response.body || !type.includes('ndjson')) return response;
      return new Response(response.body.pipeThrough(checkNdjsonLines()), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  }
}

/**
 * Passes good lines through; replaces the first line that is not JSON with an `{"error"}` line
 * the client turns into an exception, and ends the stream there.
 */
function checkNdjsonLines(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  let isEnded = false;
  const emit = (line: string, controller: TransformStreamDefaultController<Uint8Array>) => {
    if (isEnded || line.trim() === '') return;
    try {
      JSON.parse(line);
      controller.enqueue(encoder.encode(`${line}\n`));
    } catch {
      const excerpt = line.length > 80 ? `${line.slice(0, 80)}...` : line;
      controller.enqueue(encoder.encode(`${JSON.stringify({ error: `${MALFORMED_MARK}${excerpt}` })}\n`));
      controller.terminate();
      isEnded = true;
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) emit(line, controller);
    },
    flush(controller) {
      emit(pending + decoder.decode(), controller);
    },
  });
}

/** Maps what the `ollama` client throws; `model` is null for calls about no model. */
function mapOllamaError(error: unknown, context: ErrorContext, model: string | null, headers: Headers | null): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof Error && error.message.startsWith(MALFORMED_MARK)) {
    return malformedChunkError(context, new Error(`not JSON: ${error.message.slice(MALFORMED_MARK.length)}`));
  }
  if (error instanceof Error && error.name === 'ResponseError') {
    const { status_code: status, error: message } = error as Error & { status_code?: unknown; error?: unknown };
    if (typeof status === 'number') {
      return httpError(context, status, typeof message === 'string' ? message : null, headers, model, error);
    }
  }
  if (error instanceof Error && error.message === 'Did not receive done or success response in stream.') {
    return prematureEndError(context, undefined);
  }
  if (error instanceof TypeError && error.message === 'fetch failed') return networkError(context, error);
  if (isConnectionDrop(error)) return prematureEndError(context, error);
  if (error instanceof Error && error.name === 'AbortError') {
    return new ProviderError('cancelled', 'The request was cancelled', { cause: error });
  }
  // The client turns an `{"error": ...}` line into a plain Error: the model failed mid-answer.
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError('server', `${context.label} reported an error: ${detail}`, { cause: error });
}

/** Ollama's `format`: `json` for any JSON, or the JSON Schema its output is constrained to. */
function ollamaFormat(format: ResponseFormat): string | Record<string, unknown> {
  switch (format.type) {
    case 'json_object':
      return 'json';
    case 'json_schema':
      return format.schema;
    default:
      return assertNever(format, 'response format');
  }
}
