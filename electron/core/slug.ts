/**
 * Slugs: the stable, file-name-safe handle of a prompt (`Customer support` -> `customer-support`,
 * `摘要` -> `摘要`, `Резюме писем` -> `резюме-писем`). A released prompt's file and tags are named
 * after it (`prompts/<slug>.prompt.yml`, `<slug>/v3`).
 *
 * Latin letters are folded to ASCII as they always were (`Crème brûlée` -> `creme-brulee`), so
 * the slug of a Latin name, and the paths of the releases made under it, never change. Letters and
 * digits of every other script are kept as written (lower-cased where the script has cases): a
 * prompt named in Chinese, Japanese or Russian gets a file and a tag its team can read, where
 * transliteration would guess (Japanese kanji read as Chinese pinyin, pinyin without tones, one
 * of several Cyrillic romanizations). Git takes such names in paths and tags alike
 * (`git check-ref-format`), and a slug is in NFC, the form Git and macOS agree on.
 */

/** The longest slug produced, before any `-2` suffix: in characters as people count them, and in UTF-8 bytes (file names hold 255). */
const MAX_SLUG_LENGTH = 64;
const MAX_SLUG_BYTES = 192;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const utf8 = new TextEncoder();

/** A letter or digit of a script other than Latin (the scripts whose letters a slug keeps as written). */
function isOtherScriptLetter(character: string): boolean {
  return /[\p{L}\p{Nd}]/u.test(character) && !/[\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u.test(character);
}

/**
 * Lower-case ASCII letters and digits, and the letters of other scripts, joined by single
 * dashes; `prompt` when nothing is left.
 */
export function slugify(text: string): string {
  let joined = '';
  // What the last character kept belongs to: a mark or a length mark (プ's ゚, ー) stays with a letter of another script.
  let base: 'latin' | 'other' | 'none' = 'none';
  // Lower-cased as a whole first, so a Greek word keeps its final ς.
  for (const original of text.toLowerCase()) {
    const folded = original.normalize('NFKD').toLowerCase();
    if (isOtherScriptLetter(original)) {
      joined += folded;
      base = 'other';
    } else if (base === 'other' && /[\p{M}\p{Lm}]/u.test(original)) {
      joined += folded;
    } else {
      for (const character of folded) {
        if (/[a-z0-9]/.test(character)) {
          joined += character;
          base = 'latin';
        } else if (!/\p{Mn}/u.test(character)) {
          // Accents of Latin letters go without a trace (é -> e); anything else separates words.
          joined += '-';
          base = 'none';
        }
      }
    }
  }
  const words = joined.replace(/-+/g, '-').replace(/^-+/, '').normalize('NFC');
  let slug = '';
  let count = 0;
  let bytes = 0;
  for (const { segment } of graphemes.segment(words)) {
    const size = utf8.encode(segment).length;
    if (count === MAX_SLUG_LENGTH || bytes + size > MAX_SLUG_BYTES) break;
    slug += segment;
    count += 1;
    bytes += size;
  }
  slug = slug.replace(/-+$/, '');
  return slug === '' ? 'prompt' : slug;
}

/**
 * Names Windows keeps for devices, with any extension (`con.prompt.yml` too): a file so named
 * cannot be checked out there, so a release repository shared with Windows users must not hold one.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/;

/**
 * The slug of `text` for a new prompt, suffixed `-2`, `-3`... until `isTaken` says it is free
 * and it is no name Windows keeps (`con` -> `con-2`). Slugs already given stay as they are.
 */
export function uniqueSlug(text: string, isTaken: (slug: string) => boolean): string {
  const base = slugify(text);
  let candidate = base;
  for (let suffix = 2; isTaken(candidate) || WINDOWS_RESERVED.test(candidate); suffix += 1) candidate = `${base}-${suffix}`;
  return candidate;
}
