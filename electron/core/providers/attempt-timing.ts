/**
 * Tells a caller when its request really goes out: after any wait for a concurrency slot, at
 * each attempt the resilience layer makes. Time to first token measured from there is the
 * provider's, not the time the request spent queued behind others for the same Ollama model.
 *
 * The resilience layer passes the caller's request object unchanged to the provider it wraps,
 * so a hook registered for that object finds it there.
 */

import type { ChatRequest, Provider } from './provider';

/** What a caller hears of the waits of its request before it goes out. */
export interface WaitHooks {
  /** It has to wait for a concurrency slot (an Ollama model already answering another); it goes out at its first attempt. */
  onQueued(): void;
  /** An attempt failed before any output and it goes out again in `delayMs`, for `reason` (the error); its next attempt ends the wait. */
  onRetryWait(delayMs: number, reason: string): void;
}

const hooks = new WeakMap<ChatRequest, () => void>();
const waitHooks = new WeakMap<ChatRequest, WaitHooks>();

/** Tells `waits` when `request` waits before going out: in a queue, or before a retry. */
export function watchWaits(request: ChatRequest, waits: WaitHooks): void {
  waitHooks.set(request, waits);
}

/** For the resilience layer: `request` waits for a slot; it goes out at its first attempt. */
export function markQueued(request: ChatRequest): void {
  waitHooks.get(request)?.onQueued();
}

/** For the resilience layer: `request` goes out again in `delayMs`, after failing with `reason`. */
export function markRetryWait(request: ChatRequest, delayMs: number, reason: string): void {
  waitHooks.get(request)?.onRetryWait(delayMs, reason);
}

/**
 * Calls `onAttempt` each time `request` is sent (once, plus once per retry), and again when the
 * provider sends it later than that (see `markSent`): time to first token counts from the last call.
 */
export function watchAttempts(request: ChatRequest, onAttempt: () => void): void {
  hooks.set(request, onAttempt);
}

/**
 * For a provider: the model's request goes out now, after work of the provider's own that the
 * model does not answer for (reading the model's capabilities, the first time; sending again
 * without a parameter the model refused). Its time to first token starts here, not before.
 */
export function markSent(request: ChatRequest): void {
  hooks.get(request)?.();
}

/** Wraps a bare provider so requests registered with `watchAttempts` report each attempt. */
export function withAttemptTiming(provider: Provider): Provider {
  return {
    kind: provider.kind,
    label: provider.label,
    endpoint: provider.endpoint,
    listModels: (signal) => provider.listModels(signal),
    stream(request, signal) {
      hooks.get(request)?.();
      return provider.stream(request, signal);
    },
    ...(provider.countInputTokens && { countInputTokens: provider.countInputTokens.bind(provider) }),
    ...(provider.reasoningNotice && { reasoningNotice: provider.reasoningNotice.bind(provider) }),
  };
}
