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
