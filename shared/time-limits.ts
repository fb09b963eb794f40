/**
 * The time limits of a provider's runs, as Settings › Providers takes them: how long a run waits
 * for its first token, how long an answer that began may then send nothing (a stall), and how
 * long the run may take in all, retries included.
 *
 * The defaults follow where the server is (cloud APIs answer fast; a local model may first have
 * to load, and a slow machine may pause long mid-answer); a provider may set any of the three,
 * written as a duration ("90s", "3m", "1h", "1h 30m") or a number of seconds.
 */

import { isLocalServer } from './local-server';
import type { ProviderKind } from './types';

/** The three time limits, in milliseconds. */
export interface TimeLimits {
  /** From sending an attempt to its first output (a token, thinking, or the final event). */
  firstOutputMs: number;
  /** Once output began, the longest the stream may then send nothing more before it counts as stalled. */
  stallMs: number;
  /** From the start of the request to its end, retries and their waits included. */
  totalMs: number;
}

/** Which limit a field sets. */
export type TimeLimitName = keyof TimeLimits;

/** The defaults of a cloud API: 3m to the first token, 2m of stall, 15m in all. */
export const CLOUD_TIME_LIMITS: Readonly<TimeLimits> = { firstOutputMs: 180_000, stallMs: 120_000, totalMs: 900_000 };

/** The defaults of a server the user runs: 5m to the first token, 5m of stall, 30m in all. */
export const LOCAL_TIME_LIMITS: Readonly<TimeLimits> = { firstOutputMs: 300_000, stallMs: 300_000, totalMs: 1_800_000 };

/**
 * The limits a provider of `kind` at `endpoint` runs under unless it sets its own: a local
 * server's (Ollama, and an OpenAI-compatible endpoint on this machine or the local network,
 * see `isLocalServer`), else a cloud API's (OpenAI, Anthropic, OpenRouter, Groq...).
 *
 * Once streaming, a cloud API sends tokens every few seconds at worst, so two minutes of silence
 * is a stall; a local model may first need minutes to load, and may pause for minutes mid-answer
 * (swapping, or re-reading its context when it overflows), so local servers get five.
 */
export function defaultTimeLimits(kind: ProviderKind, endpoint: string): TimeLimits {
  return { ...(isLocalServer(kind, endpoint) ? LOCAL_TIME_LIMITS : CLOUD_TIME_LIMITS) };
}

/** The shortest limit a provider may set: anything shorter would fail every run. */
export const MIN_TIME_LIMIT_MS = 1000;

/** The longest limit a provider may set (timers cannot wait much past 24 days; a day is more than any run needs). */
export const MAX_TIME_LIMIT_MS = 86_400_000;

/** The longest limit the field takes, in characters. */
export const MAX_TIME_LIMIT_LENGTH = 40;

/** What a time limit field takes, as a rule under it (and in the engine’s refusal). */
export const TIME_LIMIT_RULE = 'Must be a duration such as 90s, 3m or 1h, or a number of seconds';

const MS_PER_UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };
const UNIT_NAMES: Record<string, string> = {
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
};
const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;
const SECONDS = new RegExp(`^${NUMBER}$`);
const DURATION = new RegExp(`^(?:${NUMBER}\\s*[a-z]+\\s*)+$`, 'i');
const DURATION_PART = new RegExp(`(${NUMBER})\\s*([a-z]+)`, 'gi');

/**
 * The milliseconds `text` says ("90s", "3m", "1h", "1h 30m", "1.5 min", "120" for seconds);
 * null when it is not a duration (nonsense, a negative value, a unit other than s, m or h).
 */
export function durationMs(text: string): number | null {
  const value = text.trim();
  if (SECONDS.test(value)) return Math.round(Number(value) * 1000);
  if (!DURATION.test(value)) return null;
  let ms = 0;
  for (const [, amount, unit] of value.matchAll(DURATION_PART)) {
    const name = UNIT_NAMES[unit.toLowerCase()];
    if (name === undefined) return null;
    ms += Number(amount) * MS_PER_UNIT[name];
  }
  return Math.round(ms);
}

/** Why `text` is not a time limit a provider may set, as a rule ("Must be…"); null when it is one. */
export function timeLimitProblem(text: string): string | null {
  const value = text.trim();
  if (value.length > MAX_TIME_LIMIT_LENGTH) return `Must be at most ${MAX_TIME_LIMIT_LENGTH} characters, such as 90s, 3m or 1h`;
  const ms = durationMs(value);
  if (ms === null) return /^\s*-/.test(value) ? 'Must be more than 0, such as 90s, 3m or 1h' : TIME_LIMIT_RULE;
  if (ms === 0) return 'Must be more than 0, such as 90s, 3m or 1h';
  if (ms < MIN_TIME_LIMIT_MS) return 'Must be at least 1s';
  if (ms > MAX_TIME_LIMIT_MS) return 'Must be at most 24h';
  return null;
}

/** A limit as the field shows it, in the largest unit that says it whole: "3m", "90s", "1h", "90m", "1.5s". */
export function durationText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}
