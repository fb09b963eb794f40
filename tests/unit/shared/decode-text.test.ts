import { describe, expect, test } from 'vitest';
import { decodeText } from '../../../shared/decode-text';

const utf16 = (text: string, isBigEndian: boolean) => {
  const bytes = [isBigEndian ? 0xfe : 0xff, isBigEndian ? 0xff : 0xfe];
  for (const unit of Array.from(text, (char) => char.charCodeAt(0))) bytes.push(...(isBigEndian ? [unit >> 8, unit & 0xff] : [unit & 0xff, unit >> 8]));
  return Uint8Array.from(bytes);
};

describe('decodeText', () => {
  test('reads UTF-8 (its byte-order mark dropped) and UTF-16 with its mark', () => {
    expect([
      decodeText(new TextEncoder().encode('name: Café 摘要\n')),
      decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a: é')])),
      decodeText(utf16('topic,été', false)),
      decodeText(utf16('topic,été', true)),
    ]).toStrictEqual([
      { ok: true, text: 'name: Café 摘要\n' },
      { ok: true, text: 'a: é' },
      { ok: true, text: 'topic,été' },
      { ok: true, text: 'topic,été' },
    ]);
  });

  test('refuses Latin-1 bytes, naming the first line that holds them, rather than reading "caf�"', () => {
    const latin1 = Uint8Array.from([...new TextEncoder().encode('name: Plain\nmessages:\n'), ...Array.from('  - content: caf\xe9\n', (char) => char.charCodeAt(0))]);
    expect(decodeText(latin1)).toStrictEqual({ ok: false, line: 3, message: 'The file is not UTF-8 text (perhaps Latin-1 or Windows-1252): save it as UTF-8 and import it again' });
    // A "�" that is in the file as UTF-8 is text like any other.
    expect(decodeText(new TextEncoder().encode('a\n\ufffd'))).toStrictEqual({ ok: true, text: 'a\n\ufffd' });
  });
});
