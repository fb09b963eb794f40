/** Small formatting helpers for counts and dates. */

const numberFormat = new Intl.NumberFormat('en-US');

/** A count with thousands separators and a singular or plural noun. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${numberFormat.format(count)} ${count === 1 ? singular : plural}`;
}

/** A number with thousands separators. */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/**
 * A date for a dense list: the time alone for today, the day for earlier this year ("Nov 24"),
 * with the year before that. The whole date belongs in a tooltip beside it.
 */
export function formatShortDate(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (date.toDateString() === now.toDateString()) return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric', ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }) });
}

/** A date whole, year and all, for a tooltip ("Nov 24, 2026, 9:24 AM"), or the raw text if it does not parse. */
export function formatFullDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A moment to the second ("Nov 24, 9:24:07 AM"; the year when it is not this one): when a run started and ended. */
export function formatInstant(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** A date as a short local date and time ("Mar 4, 14:05"), or the raw text if it does not parse. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const now = new Date();
  const sameYear = date.getFullYear() === now.getFullYear();
  return date.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Milliseconds for people: "840 ms" below a second, "1.24 s" below a minute, "2 min 5 s" above. */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) return '–';
  // Each unit takes what rounds up into it: 999.6 ms reads "1.00 s" (not "1000 ms"), 9,999 ms "10.0 s", 59,990 ms "1 min 0 s".
  if (Math.round(milliseconds) < 1000) return `${Math.round(milliseconds)} ms`;
  if (milliseconds < 9995) return `${(milliseconds / 1000).toFixed(2)} s`;
  if (milliseconds < 59_950) return `${(milliseconds / 1000).toFixed(1)} s`;
  const seconds = Math.round(milliseconds / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Bytes for people: "512 B", "3.4 KB", "2.0 GB" (powers of 1024, as disks report model files). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A share as a percentage with at most one decimal ("42.5%"). */
export function formatPercent(share: number): string {
  return `${(Math.round(share * 1000) / 10).toString()}%`;
}
