/**
 * Dates in a dense list: the time alone for today, the day for earlier this year, the year for
 * older ones (the whole date goes in a tooltip).
 */

import { describe, expect, test } from 'vitest';
import { formatDuration, formatFullDate, formatInstant, formatShortDate } from '../../../renderer/lib/format';

describe('short dates', () => {
  const now = new Date(2026, 10, 24, 15, 30);

  test('today is a time, this year a day, earlier years a day and year', () => {
    expect(formatShortDate(new Date(2026, 10, 24, 7, 14).toISOString(), now)).toBe(new Date(2026, 10, 24, 7, 14).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }));
    const earlier = formatShortDate(new Date(2026, 2, 4, 9, 0).toISOString(), now);
    expect([earlier.includes('4'), earlier.includes('2026'), /\d:\d/.test(earlier)]).toStrictEqual([true, false, false]);
    expect(formatShortDate(new Date(2024, 2, 4, 9, 0).toISOString(), now)).toContain('2024');
  });

  test('text that is no date is shown as it is', () => {
    expect(formatShortDate('yesterday', now)).toBe('yesterday');
    expect(formatFullDate('yesterday')).toBe('yesterday');
  });

  test('a tooltip’s date is whole, this year’s too', () => {
    expect(formatFullDate(new Date(2026, 10, 24, 9, 24).toISOString())).toContain('2026');
  });

  test('when a run started and ended reads to the second, with the year only when it is not this one', () => {
    const thisYear = formatInstant(new Date(2026, 10, 24, 9, 24, 7).toISOString(), new Date(2026, 11, 1));
    const lastYear = formatInstant(new Date(2025, 10, 24, 9, 24, 7).toISOString(), new Date(2026, 11, 1));
    expect([thisYear.includes('2026'), /\d:24:07/.test(thisYear), lastYear.includes('2025'), /\d:24:07/.test(lastYear)]).toStrictEqual([false, true, true, true]);
    expect(formatInstant('yesterday')).toBe('yesterday');
  });

  test('a duration reads in the unit it rounds into, never "1000 ms" or "60.0 s"', () => {
    expect([0.4, 999.4, 999.6, 1234, 9994, 9996, 12_345, 59_940, 59_990, 61_000, 125_400].map(formatDuration)).toStrictEqual([
      '0 ms',
      '999 ms',
      '1.00 s',
      '1.23 s',
      '9.99 s',
      '10.0 s',
      '12.3 s',
      '59.9 s',
      '1 min 0 s',
      '1 min 1 s',
      '2 min 5 s',
    ]);
  });
});
