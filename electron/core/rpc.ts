/**
 * The one place a call from any transport enters the engine: validate, call, wrap the outcome.
 *
 * IPC handlers and the WebSocket host both call `dispatchCall`, so a payload is checked by the
 * same zod schema whichever way it came, and a bad one gets a clear error instead of a crash.
 */

import { z } from 'zod';
import type { CallResult } from '../../shared/bridge';
import { calls, fieldName, isCallName, type CallHandlers, type CallName } from '../../shared/contract';
import { issueSentence, toWireError, type FieldIssue } from '../../shared/errors';

/** The bad fields of a refused input (the first five), by path. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.slice(0, 5).map((issue) => ({ path: issue.path.map(String).join('.'), rule: issue.message }));
}

/** Formats zod issues as sentences a person can read, each naming its field as Settings and the editor do. */
export function describeIssues(error: z.ZodError): string {
  return fieldIssues(error)
    .map((issue) => issueSentence(fieldName(issue.path), issue.rule))
    .join('; ');
}

/** Validates `input` for `channel` and runs its handler; never throws. */
export async function dispatchCall(handlers: CallHandlers, channel: unknown, input: unknown): Promise<CallResult> {
  if (!isCallName(channel)) {
    // Only strings and numbers are printed: String() of some objects throws.
    const shown = typeof channel === 'string' || typeof channel === 'number' ? String(channel).slice(0, 100) : `<${typeof channel}>`;
    return { ok: false, error: { code: 'invalid-input', message: `Unknown call '${shown}'` } };
  }
  // The message is for the user, who never sees channel names; a developer finds the channel on the error the client raises.
  let parsed;
  try {
    parsed = calls[channel].input.safeParse(input ?? {});
  } catch (error) {
    // An in-process caller can pass objects whose getters throw; zod does not catch those.
    return { ok: false, error: { code: 'invalid-input', message: `Invalid input: ${error instanceof Error ? error.message : String(error)}` } };
  }
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-input', message: describeIssues(parsed.error), issues: fieldIssues(parsed.error) } };
  }
  try {
    const handler = handlers[channel] as (value: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value: value ?? null };
  } catch (error) {
    const wire = toWireError(error);
    if (wire.code === 'internal') console.error(`[engine] ${channel as CallName} failed:`, error);
    return { ok: false, error: wire };
  }
}
