/**
 * The bridge as transports see it: untyped envelopes that the typed client wraps.
 *
 * In Electron the preload exposes a `BridgeTransport` as `window.workbench`; in a browser the
 * renderer builds one over the host's WebSocket. Both carry the same envelopes.
 */

import type { WireError } from './errors';

/** The outcome of one call as it travels. */
export type CallResult = { ok: true; value: unknown } | { ok: false; error: WireError };

/** The minimal transport under the typed client. */
export interface BridgeTransport {
  call(channel: string, input: unknown): Promise<CallResult>;
  /** Subscribes to every event; returns the unsubscribe function. */
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

/** A message from the browser to the host over the WebSocket (validated by the host). */
export interface ClientMessage {
  type: 'call';
  id: number;
  channel: string;
  input: unknown;
}

/** A message from the host to the browser over the WebSocket. */
export type HostMessage =
  | ({ type: 'result'; id: number } & CallResult)
  | { type: 'event'; name: string; payload: unknown };

/** The IPC channel name for calls in Electron. */
export const IPC_CALL_CHANNEL = 'workbench:call';
/** The IPC channel name for events in Electron. */
export const IPC_EVENT_CHANNEL = 'workbench:event';
