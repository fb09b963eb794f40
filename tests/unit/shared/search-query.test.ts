/**
 * What of a search box's text is searched: all of it up to 500 characters, trimmed; past that,
 * its first 500 (never half an emoji), and the box is told it was cut.
 */

import { describe, expect, test } from 'vitest';
import { isSearchCut, MAX_SEARCH_LENGTH, searchedText, searchMatchRanges, toIndexedText } from '../../../shared/search-query';

describe('searchedText', () => {
  test('keeps a search up to the limit whole, cuts a longer one to its first 500 characters, and says which were cut', () => {
    const full = 'a'.repeat(MAX_SEARCH_LENGTH);
    const cases = [
      '  tides  ',
      `  ${full}  `,
      `${full}b`,
      `${'a'.repeat(MAX_SEARCH_LENGTH - 1)} more words`,
      `${'a'.repeat(MAX_SEARCH_LENGTH - 1)}🦄`,
    ];
    expect(cases.map((text) => [searchedText(text), isSearchCut(text)])).toStrictEqual([
      ['tides', false],
      [full, false],
      [full, true],
      // Cut after a space: the space goes too, as any search is trimmed.
      ['a'.repeat(MAX_SEARCH_LENGTH - 1), true],
      // The unicorn's second half would be past the limit: it is left out whole.
      ['a'.repeat(MAX_SEARCH_LENGTH - 1), true],
    ]);
  });
});

describe('toIndexedText', () => {
  test('keeps Thai by the word, and Lao (whose words ICU joins, as Khmer’s and Burmese’s) one grapheme cluster at a time, as CJK', () => {
    const apart = (text: string) => toIndexedText(text).split('\u200b').filter((piece) => piece !== '');
    expect(['ฉันชอบกินข้าว', 'ຂ້ອຍມັກກິນເຂົ້າໜຽວ', 'Rice: ເຂົ້າ 東京'].map(apart)).toStrictEqual([
      ['ฉัน', 'ชอบ', 'กิน', 'ข้าว'],
      ['ຂ້', 'ອ', 'ຍ', 'ມັ', 'ກ', 'ກິ', 'ນ', 'ເ', 'ຂົ້', 'າ', 'ໜ', 'ຽ', 'ວ'],
      ['Rice: ', 'ເ', 'ຂົ້', 'າ', ' ', '東', '京'],
    ]);
  });
});

describe('searchMatchRanges', () => {
  /** The marked parts of `text`, as a person would see them. */
  const marked = (text: string, searched: string) => searchMatchRanges(text, searched).map(([start, end]) => text.slice(start, end));

  test('finds whole words in any case and with or without accents, the last one typed as a prefix, phrases whole, CJK anywhere, and no excluded word', () => {
    expect([
      marked('The Keeper keeps the keeper’s lamp; keepers sleep.', 'keeper '),
      marked('The Keeper keeps the keeper’s lamp; keepers sleep.', 'keep'),
      marked('Un café, deux CAFÉS et un cafe.', 'cafe '),
      marked('Élan, élan vital.', 'ÉLAN '),
      marked('the lamp room, the lamp, the room; the lamp-room', '"lamp room" lamp'),
      marked('東京タワーは東京にある', '東京'),
      marked('tides and beams, beams and tides', 'tides -beams'),
      marked('İstanbul and istanbul', 'istanbul '),
      marked('anything at all', '-anything'),
    ]).toStrictEqual([
      ['Keeper', 'keeper'],
      ['Keeper', 'keeps', 'keeper', 'keepers'],
      ['café', 'cafe'],
      ['Élan', 'élan'],
      ['lamp room', 'lamp', 'lamp-room'],
      ['東京', '東京'],
      ['tides', 'tides'],
      ['İstanbul', 'istanbul'],
      [],
    ]);
  });
});
