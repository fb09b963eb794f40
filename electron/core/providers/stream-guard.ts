/**
 * The rules every SDK-backed stream obeys, in one place, so the three providers cannot drift.
 *
 * - An abort always surfaces as a `ProviderError` (cancelled, or our timeout), even where the
 *   SDK ends the iteration quietly on abort, as `openai` and `@anthropic-ai/sdk` do.
 * - Leaving early (break, or an error) aborts the request, so the HTTP stream closes; the
 *   `ollama` client would otherwise keep reading.
 * - A stream must end with its `done` event; one that stops short is a failure, never a
 *   silently truncated answer.
 * - A failure after output began is a `stream` error naming how far it got; before that, the
 *   error keeps its own kind so the retry layer can judge it. Thinking (`reasoning` events) is
 *   output as much as the answer's `delta`s: the model is producing tokens either way, and the
 *   caller may have shown them, so both count as chunks of output.
 */

import { assertNever } from '../../../shared/assert-never';
import { linkAbort } from './abort-link';
import {
  abortError,
  prematureEndError,
  ProviderError,
  streamBrokenError,
  type ErrorContext,
} from './provider-error';
import type { StreamEvent } from './provider';

/**
 * The reason the guard gives when it releases a source it is done with (the stream ended, the
 * caller left, or it failed). It is never shown to anyone: it only closes the HTTP stream where
 * one is still open. Made once, because `abort()` without a reason builds a fresh DOMException,
 * stack trace and all, for every request.
 */
const RELEASED = new ProviderError('cancelled', 'The stream was released by its reader');

/** What `guardStream` needs besides the source. */
export interface GuardOptions {
  context: ErrorContext;
  signal: AbortSignal;
  /** Turns an SDK error into a `ProviderError`. */
  mapError: (error: unknown) => ProviderError;
}

/**
 * Runs `source` under the rules above.
 *
 * `source` receives a signal that aborts when the caller's does or when iteration stops early;
 * it must pass that signal to its SDK and yield `done` last, after the SDK's stream ended.
 */
export async function* guardStream(
  source: (signal: AbortSignal) => AsyncIterable<StreamEvent>,
  options: GuardOptions,
): AsyncGenerator<StreamEvent, void, undefined> {
  const { context, signal } = options;
  if (signal.aborted) throw abortError(signal);
  const local = linkAbort(signal);
  let chunks = 0;
  let isDone = false;
  /** True once the source ran to its end by itself. */
  let isExhausted = false;
  try {
    for await (const event of source(local.signal)) {
      if (signal.aborted) break;
      switch (event.type) {
        case 'delta':
        case 'reasoning':
          if (event.text === '') continue;
          chunks += 1;
          break;
        case 'done':
          isDone = true;
          break;
        default:
          assertNever(event, 'stream event');
      }
      yield event;
    }
    isExhausted = !signal.aborted;
  } catch (error) {
    if (signal.aborted) throw abortError(signal);
    const failure = error instanceof ProviderError ? error : options.mapError(error);
    throw chunks > 0 && failure.kind !== 'cancelled' && failure.kind !== 'timeout'
      ? streamBrokenError(context, chunks, failure)
      : failure;
  } finally {
    local.unlink();
    // After `done` (which comes after the SDK's stream ended) or the source's own end, nothing is
    // open: aborting would only cost fetch a DOMException of its own, stack trace and all, and
    // a cancel of a closed stream. Only leaving early releases the request.
    if (!isDone && !isExhausted) local.abort(RELEASED);
  }
  if (signal.aborted) throw abortError(signal);
  if (!isDone) {
    const failure = prematureEndError(context);
    throw chunks > 0 ? streamBrokenError(context, chunks, failure) : failure;
  }
}
