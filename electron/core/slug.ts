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
 * `text` lower-cased, character by character: a letter of another script (with the marks on it)
 * as written, anything else in its compatibility form without accents (`é` -> `e`, `ﬁ` -> `fi`).
 */
function* foldedCharacters(text: string): Generator<{ folded: string; isOtherScript: boolean }> {
  // A mark or a length mark (プ's ゚, ー) stays with a letter of another script.
  let isAfterOtherScript = false;
  // Lower-cased as a whole first, so a Greek word keeps its final ς.
  for (const original of text.toLowerCase()) {
    const decomposed = original.normalize('NFKD').toLowerCase();
    isAfterOtherScript = isOtherScriptLetter(original) || (isAfterOtherScript && /[\p{M}\p{Lm}]/u.test(original));
    // Accents of Latin letters go without a trace (é -> e).
    yield { folded: isAfterOtherScript ? decomposed : decomposed.replace(/\p{Mn}/gu, ''), isOtherScript: isAfterOtherScript };
  }
}

/**
 * `text` folded as slugs fold it, everything else kept: lower-cased, Latin letters without their
 * accents, compatibility forms spelled out (`Résumé ﬁx ✂️` -> `resume fix ✂`), other scripts as
 * written, in NFC. The library search compares names so, both sides folded: `resume` finds
 * “Résumé” and `résumé` finds “Resume”.
 */
export function foldText(text: string): string {
  let folded = '';
  for (const character of foldedCharacters(text)) folded += character.folded;
  return folded.normalize('NFC');
}

/**
 * Lower-case ASCII letters and digits, and the letters of other scripts, joined by single
 * dashes; `prompt` when nothing is left.
 */
export function slugify(text: string): string {
  let joined = '';
  // Anything but a letter or digit separates words.
  for (const { folded, isOtherScript } of foldedCharacters(text)) joined += isOtherScript ? folded : folded.replace(/[^a-z0-9]/gu, '-');
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
