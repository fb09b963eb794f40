/**
 * The one provider interface of the engine: list models, and stream a chat request under an
 * AbortSignal, yielding text deltas and, at the end, the provider's own usage and finish reason.
 *
 * Implementations wrap the official SDKs (openai-provider.ts, anthropic-provider.ts,
 * ollama-provider.ts); resilient-provider.ts adds retries, timeouts and concurrency limits
 * around any of them; create-provider.ts builds the right one from a config. Every failure is a
 * `ProviderError` (provider-error.ts) with a kind a program can act on and a message a user can.
 */

import type { ModelParameters, PromptMessage, ProviderKind, ReasoningEffort, ResponseFormat } from '../../../shared/types';

/** One chat request, with its messages already rendered (no `{{variables}}` left). */
export interface ChatRequest {
  /** The provider's own model id (`gpt-4o-mini`, `claude-sonnet-4-5`, `llama3.2`), no `provider/` prefix. */
  model: string;
  messages: PromptMessage[];
  parameters: ModelParameters;
  /**
   * Asks for an answer that is JSON, any object or one matching a schema (a prompt's response
   * format, an eval's judge verdict): OpenAI and compatible servers get `response_format`,
   * Anthropic `output_config.format` (it has no JSON object mode, and refuses that request
   * before sending it), Ollama `format`. Absent: text.
   */
  responseFormat?: ResponseFormat;
  /**
   * True when the messages ask for the same JSON in words (an eval's judge): the format is then
   * sent only where every server takes it (OpenAI itself, Ollama), never failing a request.
   */
  isFormatBestEffort?: boolean;
}

/**
 * Token counts exactly as the provider reported them for one request.
 *
 * `inputTokens` is the provider's input figure as billed: for OpenAI it includes the cached
 * tokens; for Anthropic it excludes them (cache reads and writes are reported beside it).
 * `outputTokens` includes `reasoningTokens` where the provider reports both.
 */
export interface ProviderUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

/** Server-side timings some providers report (Ollama), converted from nanoseconds to milliseconds. */
export interface ProviderTimings {
  totalMs: number;
  loadMs: number;
  promptEvalMs: number;
  evalMs: number;
}

/**
 * What a stream yields: text as it arrives, then exactly one `done`. A reasoning model's
 * thinking, where the provider sends it apart from the answer (OpenAI-compatible
 * `reasoning_content` / `reasoning`, Anthropic `thinking_delta`, Ollama `message.thinking`),
 * comes as `reasoning` events, usually before the answer's `delta`s.
 */
export type StreamEvent =
  | { type: 'delta'; text: string }
  | { type: 'reasoning'; text: string }
  | {
      type: 'done';
      /** The provider's exact usage; null when it sent none (some OpenAI-compatible servers), so the caller estimates. */
      usage: ProviderUsage | null;
      /** The provider's own word (`stop`, `length`, `end_turn`, `max_tokens`...), null when it gave none. */
      finishReason: string | null;
      timings: ProviderTimings | null;
    };

/** A model a provider offers. */
export interface ModelInfo {
  id: string;
  /** A display name when the provider has one (Anthropic's `display_name`). */
  label?: string;
  /** Size on disk in bytes (local models). */
  sizeBytes?: number;
  /** Quantization level such as `Q4_K_M` (local models). */
  quantization?: string;
  /** Context window in tokens, when the provider says. */
  contextLength?: number;
  /** Whether the model thinks before answering (a reasoning effort applies to it), when the provider says. */
  canThink?: boolean;
}

/**
 * A model provider.
 *
 * `stream` returns a lazy iterable: nothing is sent until iteration starts. Aborting `signal`
 * closes the HTTP stream and makes the iteration throw a `ProviderError` of kind `cancelled`
 * (or `timeout`, when a timeout aborted it). Breaking out of the loop also closes the stream.
 */
export interface Provider {
  readonly kind: ProviderKind;
  /** A name for messages: "OpenAI", "Anthropic", "Ollama", or the user's name for an endpoint. */
  readonly label: string;
  /** Where requests go (base URL or host), for messages and settings. */
  readonly endpoint: string;
  listModels(signal: AbortSignal): Promise<ModelInfo[]>;
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
  /**
   * The input tokens `request` would be billed, counted by the provider without running it;
   * only providers that offer counting have it (Anthropic's `count_tokens`). Fails with a
   * `ProviderError` like `stream`.
   */
  countInputTokens?(request: ChatRequest, signal: AbortSignal): Promise<number>;
  /**
   * What a run of `model` at reasoning `effort` would say of the effort in its notice, known
   * before anything is sent (Ollama: a level sent as thinking on, on a model without levels);
   * null when it goes as asked. For a run's estimate; only providers that read it have it.
   */
  reasoningNotice?(model: string, effort: ReasoningEffort, signal: AbortSignal): Promise<string | null>;
}

/** A usage with every count at zero, for providers that leave a figure out. */
export const ZERO_USAGE: Readonly<ProviderUsage> = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});
