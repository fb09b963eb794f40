/**
 * The typed bridge client: every call and event of shared/contract.ts over any transport.
 *
 * The channel list is the contract's; nothing here names a channel, so a call that the
 * contract does not declare is a type error, and a renamed channel breaks the build.
 */

import type { BridgeTransport } from '../../shared/bridge';
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from '../../shared/contract';
import { EVENT_NAMES } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';

/** A failed call, carrying the wire error's code so callers can act on it. */
export class BridgeCallError extends Error {
  readonly code: ErrorCode;
  readonly channel: string;

  constructor(code: ErrorCode, message: string, channel: string) {
    super(message);
    this.name = 'BridgeCallError';
    this.code = code;
    this.channel = channel;
  }
}

/** True when `error` is a bridge failure with the given code. */
export function hasErrorCode(error: unknown, code: ErrorCode): boolean {
  return error instanceof BridgeCallError && error.code === code;
}

/** The renderer's view of the engine. */
export interface BridgeClient {
  /** Calls `channel`; rejects with a `BridgeCallError` carrying the wire code. */
  call<C extends CallName>(channel: C, input: CallInput<C>): Promise<CallOutput<C>>;
  /** Listens to one event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

const knownEvents = new Set<string>(EVENT_NAMES);

/** Wraps a transport in the typed client. */
export function createBridgeClient(transport: BridgeTransport): BridgeClient {
  return {
    async call(channel, input) {
      let result;
      try {
        result = await transport.call(channel, input);
      } catch (error) {
        if (error instanceof BridgeCallError) throw error;
        throw new BridgeCallError('unavailable', error instanceof Error ? error.message : String(error), channel);
      }
      if (!result.ok) throw new BridgeCallError(result.error.code, result.error.message, channel);
      return result.value as CallOutput<typeof channel>;
    },
    on(name, listener) {
      return transport.onEvent((eventName, payload) => {
        if (eventName === name && knownEvents.has(eventName)) listener(payload as EventPayload<typeof name>);
      });
    },
  };
}
