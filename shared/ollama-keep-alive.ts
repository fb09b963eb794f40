/**
 * How long Ollama keeps a model loaded after a request (its `keep_alive`), as the Keep loaded
 * field of Settings › Providers takes it and as Ollama reads it.
 *
 * Ollama takes a duration in Go’s notation ("5m", "1h30m", "90s"; units ns, us, ms, s, m, h),
 * a number of seconds, 0 to unload the model as soon as it answers, and any negative value to
 * keep it loaded until Ollama stops. A bare number must go as a JSON number: Ollama refuses
 * "300" as a duration without a unit.
 */

/** What a provider saved without a keep-alive of its own sends: longer than Ollama’s own 5 minutes, for iterating on a prompt. */
export const DEFAULT_KEEP_ALIVE = '15m';

/** The longest keep-alive the field takes, in characters. */
export const MAX_KEEP_ALIVE_LENGTH = 40;

/** What the field takes, as a rule under it (and in the engine’s refusal). */
export const KEEP_ALIVE_RULE = 'Must be a duration such as 5m, 1h or 90s, a number of seconds, 0 to unload the model after each run, or -1 to keep it loaded';

const SECONDS = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const SECONDS_PER_UNIT: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
/** Go keeps a duration in int64 nanoseconds: about 292 years, past which Ollama refuses it. */
const MAX_SECONDS = 9.2e9;

/**
 * The `keep_alive` to send for what the field says: seconds as a number, a duration as written;
 * null when Ollama would refuse it (see `keepAliveProblem`).
 */
export function keepAliveValue(text: string): string | number | null {
  const value = text.trim();
  if (SECONDS.test(value)) {
    const seconds = Number(value);
    return Math.abs(seconds) < MAX_SECONDS ? seconds : null;
  }
  if (!DURATION.test(value)) return null;
  let seconds = 0;
  for (const [, amount, unit] of value.matchAll(DURATION_PART)) seconds += Number(amount) * SECONDS_PER_UNIT[unit];
  return seconds < MAX_SECONDS ? value : null;
}

/** Why Ollama would refuse `text` as a keep-alive, as a rule (see `KEEP_ALIVE_RULE`); null when it takes it. */
export function keepAliveProblem(text: string): string | null {
  const value = text.trim();
  if (value.length > MAX_KEEP_ALIVE_LENGTH) return `Must be at most ${MAX_KEEP_ALIVE_LENGTH} characters, such as 5m or 1h`;
  if (keepAliveValue(value) !== null) return null;
  if (SECONDS.test(value) || DURATION.test(value)) return 'Must be under about 290 years, Ollama’s limit: write -1 to keep the model loaded';
  return KEEP_ALIVE_RULE;
}
