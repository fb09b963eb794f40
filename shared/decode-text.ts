/**
 * A text file's bytes as text: UTF-8 (a byte-order mark dropped), or UTF-16 when it starts with
 * that encoding's byte-order mark (what Windows editors and spreadsheets save as "Unicode").
 * Anything else is refused with the line it goes wrong on, rather than read with its letters
 * turned into "�": a Latin-1 "café" would otherwise be imported as "caf�" without a word.
 */

/** The text, or why the bytes are not text this reads. */
export type DecodedText = { ok: true; text: string } | { ok: false; line: number; message: string };

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: new TextDecoder('utf-16le').decode(bytes) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: new TextDecoder('utf-16be').decode(bytes) };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, line: firstBadLine(bytes), message: 'The file is not UTF-8 text (perhaps Latin-1 or Windows-1252): save it as UTF-8 and import it again' };
  }
}

/** The 1-based line holding the first bytes that are not UTF-8. */
function firstBadLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let index = 0; index <= bytes.length; index += 1) {
    if (index < bytes.length && bytes[index] !== 0x0a) continue;
    try {
      decoder.decode(bytes.subarray(start, index));
    } catch {
      return line;
    }
    line += 1;
    start = index + 1;
  }
  return line;
}
