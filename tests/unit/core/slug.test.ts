import { describe, expect, it } from 'vitest';
import { slugify, uniqueSlug } from '../../../electron/core/slug';

/** The slug function as it was before slugs kept other scripts: Latin names must still get exactly these slugs. */
function latinOnlySlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug === '' ? 'prompt' : slug;
}

describe('slugs', () => {
  it('keep the letters of scripts other than Latin, so a name in Chinese, Japanese, Korean, Russian, Greek, Hindi or Arabic reads in its file and tag', () => {
    const names = ['摘要', '要約 v2 (JSON)', 'プロンプト作成', 'ｶﾀｶﾅのスーパー', '요약', 'Резюме писем', 'Ёлка и йогурт', 'ΣΟΦΙΑΣ', 'सारांश', 'ملخص النص', 'Support — 客服 (中文)'];
    expect(names.map(slugify)).toStrictEqual([
      '摘要',
      '要約-v2-json',
      'プロンプト作成',
      'カタカナのスーパー',
      '요약',
      'резюме-писем',
      'ёлка-и-йогурт',
      'σοφιας',
      'सारांश',
      'ملخص-النص',
      'support-客服-中文',
    ]);
  });

  it('give Latin names the slugs they always had (accents dropped, other signs as dashes), so releases keep their paths', () => {
    const names = ['Customer support', 'Crème brûlée v2', 'Straße für Ärzte', 'µs timer', 'Ｆｕｌｌ ｗｉｄｔｈ ①', 'İstanbul ǅemal', '🚀 Launch!', '???', `${'long name '.repeat(10)}`];
    expect(names.map(slugify)).toStrictEqual(names.map(latinOnlySlug));
    expect(names.map(slugify)).toStrictEqual([
      'customer-support',
      'creme-brulee-v2',
      'stra-e-fur-arzte',
      's-timer',
      'full-width-1',
      'istanbul-dzemal',
      'launch',
      'prompt',
      'long-name-long-name-long-name-long-name-long-name-long-name-long',
    ]);
    // Every mix of Latin-script letters, accents, letter-like signs, full-width forms and punctuation.
    const pool = [
      ...[0x20, 0x250, 0x1e00, 0x1f00, 0x300, 0x370, 0x2100, 0x2190, 0xff01, 0xff5f, 0x2460, 0x24ff]
        .reduce<number[][]>((ranges, value, index, all) => (index % 2 === 0 ? [...ranges, [value, all[index + 1]]] : ranges), [])
        .flatMap(([start, end]) => Array.from({ length: end - start }, (_, offset) => String.fromCodePoint(start + offset)))
        .filter((character) => !/\p{Script=Greek}/u.test(character)),
      '🚀',
      '—',
      '\n',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const differing: string[] = [];
    for (let sample = 0; sample < 20_000; sample += 1) {
      const text = Array.from({ length: 1 + Math.floor(next() * 90) }, () => pool[Math.floor(next() * pool.length)]).join('');
      if (slugify(text) !== latinOnlySlug(text)) differing.push(text);
    }
    expect(differing).toStrictEqual([]);
  });

  it('stay short enough for a file name in any script (64 characters, 192 bytes), never cutting a character in half', () => {
    const slugs = ['日本語'.repeat(40), 'क्षत्रिय'.repeat(30), `${'a'.repeat(63)}-b`, '𠀀'.repeat(70)].map(slugify);
    expect(slugs.map((slug) => [[...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(slug)].length, Buffer.byteLength(slug), slug === slug.normalize('NFC')])).toStrictEqual([
      [64, 192, true],
      [24, 192, true],
      [63, 63, true],
      [48, 192, true],
    ]);
    expect(slugs[2]).toBe('a'.repeat(63));
  });

  it('are made unique with a number', () => {
    const taken = new Set(['摘要', '摘要-2']);
    expect(uniqueSlug('摘要', (slug) => taken.has(slug))).toBe('摘要-3');
  });

  it('a new prompt never gets a name Windows keeps for a device, which its release file could not be checked out under', () => {
    const none = () => false;
    expect(['Con', 'NUL', 'aux', 'Com1', 'lpt9', 'prn', 'Console', 'com10', 'con tips'].map((name) => uniqueSlug(name, none))).toStrictEqual([
      'con-2',
      'nul-2',
      'aux-2',
      'com1-2',
      'lpt9-2',
      'prn-2',
      'console',
      'com10',
      'con-tips',
    ]);
    expect(uniqueSlug('con', (slug) => slug === 'con-2')).toBe('con-3');
  });
});
