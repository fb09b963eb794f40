/**
 * The input a provider counted before its answer: Anthropic's `message_start` carries the
 * request's input, cache read and cache write counts before any text. A run stopped after that
 * keeps the provider's count of its input (its output the local tokenizer counts), and the
 * column shows the input as exact from then on.
 *
 * Like notices and attempt timing, the count travels by the request object, which every layer
 * passes to the provider unchanged; a retry's count replaces the one before it.
 */

import type { ChatRequest, ProviderUsage } from './provider';

const watchers = new WeakMap<ChatRequest, (usage: ProviderUsage) => void>();

/** Calls `onInput` with the input counts a provider reports for `request` before its answer. */
export function watchInputCount(request: ChatRequest, onInput: (usage: ProviderUsage) => void): void {
  watchers.set(request, onInput);
}

/** For a provider: the input counts of `request`, as it reported them before answering (its output counts are not final). */
export function reportInputCount(request: ChatRequest, usage: ProviderUsage): void {
  watchers.get(request)?.(usage);
}
