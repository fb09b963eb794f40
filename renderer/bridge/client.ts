/**
 * The typed bridge client: every call and event of shared/contract.ts over any transport.
 *
 * The channel list is the contract's; nothing here names a channel, so a call that the
 * contract does not declare is a type error, and a renamed channel breaks the build.
 */

import type { BridgeTransport } from '../../shared/bridge';
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from '../../shared/contract';
import { EVENT_NAMES, fieldName } from '../../shared/contract';
import { issueSentence, type ErrorCode, type FieldIssue } from '../../shared/errors';

/** A failed call, carrying the wire error's code so callers can act on it. */
export class BridgeCallError extends Error {
  readonly code: ErrorCode;
  readonly channel: string;
  /** The fields the contract refused, when it refused the input. */
  readonly issues: readonly FieldIssue[];

  constructor(code: ErrorCode, message: string, channel: string, issues: readonly FieldIssue[] = []) {
    super(message);
    this.name = 'BridgeCallError';
    this.code = code;
    this.channel = channel;
    this.issues = issues;
  }
}

/**
 * What a form shows for a failed call: the engine's message, with each refused field named by
 * the form's own label where it has one (`{ baseUrl: 'Host' }` on Ollama's card).
 */
export function callErrorText(error: unknown, labels: Readonly<Record<string, string>> = {}): string {
  if (!(error instanceof BridgeCallError) || error.issues.length === 0) return error instanceof Error ? error.message : String(error);
  return error.issues.map((issue) => issueSentence(Object.hasOwn(labels, issue.path) ? labels[issue.path] : fieldName(issue.path), issue.rule)).join('; ');
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
      if (!result.ok) throw new BridgeCallError(result.error.code, result.error.message, channel, result.error.issues);
      return result.value as CallOutput<typeof channel>;
    },
    on(name, listener) {
      return transport.onEvent((eventName, payload) => {
        if (eventName === name && knownEvents.has(eventName)) listener(payload as EventPayload<typeof name>);
      });
    },
  };
}
