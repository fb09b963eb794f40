/**
 * Users' regular expressions, run so that none can hang the engine.
 *
 * A pattern such as `(a+)+$` backtracks for minutes on a long output, and the engine runs on
 * one thread: every window would freeze. Where V8's linear-time engine accepts the pattern (no
 * backreferences, lookarounds or case-insensitive flag, among others), the pattern runs there,
 * at full speed and in time proportional to the output. Any other pattern runs in a `vm`
 * context with a time limit, which stops V8 mid-match; that costs a few hundred microseconds a
 * call, so it is kept for the patterns that need it.
 */

import v8 from 'node:v8';
import vm from 'node:vm';

/** How long a pattern may run on one output before it is stopped. */
export const REGEX_TIME_LIMIT_MS = 1_000;

// Makes the `l` (linear) flag available; harmless where it is already on.
v8.setFlagsFromString('--enable-experimental-regexp-engine');

/** A pattern ready to run: on the linear engine, or with a time limit. */
export interface BoundedRegex {
  regex: RegExp;
  isLinear: boolean;
}

/** `regex` as a bounded one: its linear-engine twin when V8 can run it in linear time. */
export function boundRegex(regex: RegExp): BoundedRegex {
  try {
    return { regex: new RegExp(regex.source, `${regex.flags}l`), isLinear: true };
  } catch {
    // "Cannot be executed in linear time" (or no linear engine in this V8): run it under the time limit.
    return { regex, isLinear: false };
  }
}

/** The context the time-limited path runs in, made on first use (a context costs a megabyte or two). */
let timed: { script: vm.Script; sandbox: { regex: RegExp | null; input: string } } | null = null;

function timedContext(): NonNullable<typeof timed> {
  const sandbox: { regex: RegExp | null; input: string } = { regex: null, input: '' };
  vm.createContext(sandbox);
  return { script: new vm.Script('regex.exec(input)'), sandbox };
}

/** The first match of `bounded` in `input` (from index 0), or 'timeout' when it ran past `timeLimitMs`. */
export function execBounded(bounded: BoundedRegex, input: string, timeLimitMs: number = REGEX_TIME_LIMIT_MS): RegExpExecArray | null | 'timeout' {
  const { regex } = bounded;
  // One RegExp serves every call: `g` and `y` make it remember where it stopped.
  regex.lastIndex = 0;
  try {
    if (bounded.isLinear) return regex.exec(input);
    const { script, sandbox } = (timed ??= timedContext());
    sandbox.regex = regex;
    sandbox.input = input;
    return script.runInContext(sandbox, { timeout: timeLimitMs }) as RegExpExecArray | null;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
    throw error;
  } finally {
    regex.lastIndex = 0;
    if (timed !== null) {
      timed.sandbox.regex = null;
      timed.sandbox.input = '';
    }
  }
}
