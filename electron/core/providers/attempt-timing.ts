/**
 * Tells a caller when its request really goes out: after any wait for a concurrency slot, at
 * each attempt the resilience layer makes. Time to first token measured from there is the
 * provider's, not the time the request spent queued behind others for the same Ollama model.
 *
 * The resilience layer passes the caller's request object unchanged to the provider it wraps,
 * so a hook registered for that object finds it there.
 */

import type { ChatRequest, Provider } from './provider';

const hooks = new WeakMap<ChatRequest, () => void>();
const queueHooks = new WeakMap<ChatRequest, () => void>();

/** Calls `onQueued` when `request` has to wait for a concurrency slot before it can go out (an Ollama model already answering another). */
export function watchQueue(request: ChatRequest, onQueued: () => void): void {
  queueHooks.set(request, onQueued);
}

/** For the resilience layer: `request` waits for a slot; it goes out at its first attempt. */
export function markQueued(request: ChatRequest): void {
  queueHooks.get(request)?.();
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
  };
}
