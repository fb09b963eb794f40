/**
 * Abort signals chained through the provider layers: each layer (the whole request, an attempt,
 * the stream guard) needs a signal of its own that also aborts when the one above it does.
 *
 * `AbortSignal.any` would do, but a signal it makes re-checks every source each time its
 * `aborted` is read, and fetch and the SDKs read it many times per request; three layers of it
 * made that a noticeable share of a fast local request. A plain controller that one listener
 * on the parent aborts answers at once, and the listener is removed when the layer is done.
 */

/** A controller that aborts, with the parent's reason, when the parent signal does. */
export interface LinkedAbort {
  readonly signal: AbortSignal;
  /** Aborts this layer (and the layers below it), never the parent. */
  abort(reason: unknown): void;
  /** Stops following the parent; call it when the layer is done. */
  unlink(): void;
}

/** A child of `parent`, already aborted if `parent` is. */
export function linkAbort(parent: AbortSignal): LinkedAbort {
  const controller = new AbortController();
  const follow = () => controller.abort(parent.reason);
  if (parent.aborted) follow();
  else parent.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    unlink: () => parent.removeEventListener('abort', follow),
  };
}
