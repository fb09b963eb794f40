/**
 * The limit fields of Settings read decimal numbers as the app writes them (thousands
 * separators, a unit, spaces around) and refuse anything else JavaScript would take for a number.
 */

import { describe, expect, test } from 'vitest';
import { parseBudget, parseCacheLimit, parseMaxAge } from '../../../renderer/features/settings/limit-text';

describe('limit fields', () => {
  test('the cache limit takes decimals with separators and its unit, and nothing else', () => {
    const typed = ['', '  ', '16', ' 1,000 ', '1 024', '1,048,576 MB', '2.5mb', '1.024', '.5', '0x10', '1e3', '1,00', '10,000.5', 'Infinity', '+5', '-3', '5 5', '1_000', '0b11', '12 GB'];
    expect(typed.map((text) => [text, parseCacheLimit(text)])).toStrictEqual([
      ['', { value: null }],
      ['  ', { value: null }],
      ['16', { value: 16 }],
      [' 1,000 ', { value: 1000 }],
      // Thousands grouped with spaces, as some locales write them.
      ['1 024', { value: 1024 }],
      ['1,048,576 MB', { value: 1_048_576 }],
      // Whole MB only: "1.024" is more likely another locale's 1,024 than a megabyte and a bit.
      ['2.5mb', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
      ['1.024', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
      ['.5', { error: 'The cache limit is at least 1 MB' }],
      ['0x10', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
      ['1e3', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
      ['1,00', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
      ['10,000.5', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
      ['Infinity', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
      ['+5', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
      // Below the least, said so rather than "not a number".
      ['-3', { error: 'The cache limit is at least 1 MB' }],
      ['5 5', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
      ['1_000', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
      ['0b11', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
      ['12 GB', { error: 'The cache limit is a whole number of MB, such as 500 or 1,024' }],
    ]);
  });

  test('the budget and the age read the same way', () => {
    expect(['$5', '$ 1,250.50', '5 USD', '$5 usd', '2.50 dollars', '-5', '-$5', '0x10', '2,000,000', '0'].map(parseBudget)).toStrictEqual([
      { value: 5 },
      { value: 1250.5 },
      { value: 5 },
      { value: 5 },
      { value: 2.5 },
      { error: 'The budget is a number of dollars, 0 or more' },
      { error: 'The budget is a number of dollars, such as 5 or 2.50' },
      { error: 'The budget is a number of dollars, such as 5 or 2.50' },
      { error: 'The budget is at most $1,000,000 a day' },
      { value: 0 },
    ]);
    expect(['30 days', '1 day', '1,000', '0x1E', '0'].map(parseMaxAge)).toStrictEqual([
      { value: 30 },
      { value: 1 },
      { value: 1000 },
      { error: 'The age is a whole number of days, such as 30' },
      { error: 'Answers expire after 1 day at least' },
    ]);
  });
});
