/**
 * History search: what a person types into the search box, read the way search boxes are
 * read (words that must all appear, `"quoted phrases"`, `-word` to leave runs out, `OR`
 * between two terms), and the text the full-text index sees.
 *
 * Pure, so that the engine builds its FTS5 query from the same reading the renderer uses to
 * explain a search that cannot be answered (only exclusions, nothing searchable).
 */

import { assertNever } from './assert-never';

/** The longest search the bridge accepts, in characters (after trimming). */
export const MAX_SEARCH_LENGTH = 500;

/**
 * What of the text in a search box is searched: trimmed, its first `MAX_SEARCH_LENGTH`
 * characters (never half an emoji). The box keeps all that was typed or pasted, and says when
 * the rest is left out (`isSearchCut`).
 */
export function searchedText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= MAX_SEARCH_LENGTH) return trimmed;
  const isPairCut = /[\uD800-\uDBFF]/.test(trimmed[MAX_SEARCH_LENGTH - 1]);
  return trimmed.slice(0, isPairCut ? MAX_SEARCH_LENGTH - 1 : MAX_SEARCH_LENGTH).trimEnd();
}

/** True when a search box holds more than is searched (see `searchedText`). */
export function isSearchCut(text: string): boolean {
  return text.trim().length > MAX_SEARCH_LENGTH;
}

/** What the search box understands, for its tooltip and the README. */
export const SEARCH_SYNTAX_HINT =
  'Every word must appear (the last one as you type it: “volc” finds “volcano”) · "quoted words" as a phrase · -word or -"a phrase" leaves runs out · OR between two terms finds either · emoji and Chinese, Japanese, Korean, Lao, Khmer or Burmese text match anywhere, Thai by the word';

/** A word or phrase of a search: the words of it, in order. */
export interface SearchPhrase {
  words: string[];
  /** The last word may be the start of a longer one (it is being typed). */
  isPrefix: boolean;
}

/** A search, read. */
export type SearchQuery =
  /** Words to find: every group must match (a group is one phrase, or phrases joined by OR), and no excluded phrase. */
  | { kind: 'terms'; groups: SearchPhrase[][]; excluded: SearchPhrase[] }
  /** Only words to leave out: the index cannot list runs by what they lack. */
  | { kind: 'only-excluded'; excluded: SearchPhrase[] }
  /** Nothing the index holds (punctuation, operators alone). */
  | { kind: 'empty' };

/** A prefix shorter than this would expand to half the index. */
const MIN_PREFIX_LENGTH = 3;

/**
 * Characters the index keeps one by one: Chinese, Japanese and Korean (written without spaces
 * between words, so a word is found anywhere in a run of them) and emoji and other symbols.
 */
const SINGLE_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc\u3005\p{So}]/gu;
const HAS_SINGLE_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc\u3005\p{So}]/u;
/**
 * Thai: written without spaces between words too, but read by whole words, which a dictionary
 * finds (`Intl.Segmenter`), so `กิน` is found in `ฉันชอบกินข้าว`.
 */
const THAI_RUN = /\p{Script=Thai}+/gu;
const HAS_THAI = /\p{Script=Thai}/u;
/**
 * Lao, Khmer and Burmese: written without spaces as well, but ICU's dictionaries for them join
 * words (`ກິນເຂົ້າ`, `ញ៉ាំបាយ`, `ထမင်းစား` come out as one), so they are kept like CJK, one
 * character at a time, a character being a grapheme cluster (a consonant with its vowel signs
 * and virama): a word is found anywhere in a run of them.
 */
const CLUSTERED_RUN = /[\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]+/gu;
const HAS_CLUSTERED_RUN = /[\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
/** Separates characters kept one by one in the indexed text; invisible, and taken out of snippets. */
export const INDEX_SEPARATOR = '\u200b';
const INDEX_SEPARATORS = /\u200b/g;
/** The characters of a word as the index's tokenizer keeps them (letters, digits, marks, symbols such as emoji). */
const WORD = /[\p{L}\p{N}\p{M}\p{Co}\p{So}]+/gu;

// One locale for every text and every query, whatever the user's, so a word is split the same way in both.
let wordSegmenter: Intl.Segmenter | null = null;
let graphemeSegmenter: Intl.Segmenter | null = null;

/** A run with its segments (words, grapheme clusters) apart, and apart from what surrounds it. */
function separateSegments(run: string, segmenter: Intl.Segmenter): string {
  let text = INDEX_SEPARATOR;
  for (const { segment } of segmenter.segment(run)) text += segment + INDEX_SEPARATOR;
  return text;
}

function separateWords(run: string): string {
  wordSegmenter ??= new Intl.Segmenter('und', { granularity: 'word' });
  return separateSegments(run, wordSegmenter);
}

function separateClusters(run: string): string {
  graphemeSegmenter ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
  return separateSegments(run, graphemeSegmenter);
}

/**
 * The text the full-text index sees for `text`: each CJK character and each symbol (emoji)
 * stands apart, as the tokenizer would otherwise glue a whole CJK sentence into one word, and
 * so does each word of Thai and each grapheme cluster of Lao, Khmer and Burmese. A query's
 * words go through it too, so a CJK, Lao, Khmer or Burmese word becomes a phrase of its characters.
 */
export function toIndexedText(text: string): string {
  let indexed = HAS_THAI.test(text) ? text.replace(THAI_RUN, separateWords) : text;
  if (HAS_CLUSTERED_RUN.test(indexed)) indexed = indexed.replace(CLUSTERED_RUN, separateClusters);
  if (!HAS_SINGLE_CHARACTER.test(indexed)) return indexed;
  return indexed.replace(SINGLE_CHARACTER, `${INDEX_SEPARATOR}$&${INDEX_SEPARATOR}`);
}

/** Indexed text (a snippet) as it was written. */
export function fromIndexedText(text: string): string {
  return text.includes(INDEX_SEPARATOR) ? text.replace(INDEX_SEPARATORS, '') : text;
}

interface Chunk {
  text: string;
  isQuoted: boolean;
  isExcluded: boolean;
  isOr: boolean;
  isNot: boolean;
}

/** Reads what a person typed. */
export function parseSearchQuery(text: string): SearchQuery {
  const chunks: Chunk[] = [];
  for (const match of text.matchAll(/(-*)"([^"]*)"?|(\S+)/g)) {
    const isQuoted = match[2] !== undefined;
    const raw = isQuoted ? match[2] : match[3];
    const isExcluded = isQuoted ? match[1] !== '' : raw.startsWith('-');
    chunks.push({
      text: isQuoted || !isExcluded ? raw : raw.replace(/^-+/, ''),
      isQuoted,
      isExcluded,
      isOr: !isQuoted && raw === 'OR',
      isNot: !isQuoted && raw === 'NOT',
    });
  }
  const endsTyping = !/\s$/.test(text);
  const groups: SearchPhrase[][] = [];
  const excluded: SearchPhrase[] = [];
  let isJoining = false;
  let isNegating = false;
  chunks.forEach((chunk, index) => {
    if (chunk.isOr) {
      // OR joins the terms on either side; elsewhere (first, last, twice) it is left out, not searched as a word.
      isJoining = groups.length > 0 && !isNegating;
      return;
    }
    // AND is what words do anyway; NOT is read as the minus sign.
    if (!chunk.isQuoted && chunk.text === 'AND' && !chunk.isExcluded) return;
    if (chunk.isNot) {
      isNegating = true;
      isJoining = false;
      return;
    }
    const words = chunk.text.match(WORD);
    if (words === null) return;
    const isLast = index === chunks.length - 1;
    const lastWord = words[words.length - 1];
    const phrase: SearchPhrase = {
      words,
      isPrefix: isLast && endsTyping && !chunk.isQuoted && !chunk.isExcluded && !isNegating && [...lastWord].length >= MIN_PREFIX_LENGTH,
    };
    if (chunk.isExcluded || isNegating) {
      excluded.push(phrase);
      isNegating = false;
      isJoining = false;
      return;
    }
    if (isJoining) groups[groups.length - 1].push(phrase);
    else groups.push([phrase]);
    isJoining = false;
  });
  if (groups.length > 0) return { kind: 'terms', groups, excluded };
  if (excluded.length > 0) return { kind: 'only-excluded', excluded };
  return { kind: 'empty' };
}

/** A phrase as a person would type it: `keeper`, `"a phrase"`. */
export function phraseText(phrase: SearchPhrase): string {
  return phrase.words.length === 1 ? phrase.words[0] : `"${phrase.words.join(' ')}"`;
}

/** Why a search cannot be answered, in plain words; null when it can. */
export function unanswerableSearch(text: string): string | null {
  const query = parseSearchQuery(text);
  switch (query.kind) {
    case 'terms':
      return null;
    case 'only-excluded': {
      const left = query.excluded.map((phrase) => `-${phraseText(phrase)}`).join(' ');
      return `Add a word to find: ${left} only leaves runs out.`;
    }
    case 'empty':
      return `Nothing to search for in “${text.trim()}”: search finds words, numbers, emoji and symbols, not punctuation or operators alone.`;
    default:
      return assertNever(query, 'search query');
  }
}

/** A letter, digit or mark: what a word is made of, so a match must not go on into one. */
const WORD_CHARACTER = '[\\p{L}\\p{N}\\p{M}]';
/** What may stand between the words of a phrase. */
const BETWEEN_WORDS = '[^\\p{L}\\p{N}\\p{M}\\p{Co}\\p{So}]+';
/** Characters found anywhere in a run of them (see `toIndexedText`), so a match needs no word boundary beside them. */
const FOUND_ANYWHERE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc\u3005\p{So}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const foldedCharacters = new Map<string, string>();

/**
 * `text` as the index compares it, character for character (so positions stay those of
 * `text`): lower case, accents taken off (`É` reads `e`). A character whose folded form would
 * change the length stays as it is.
 */
export function foldForSearch(text: string): string {
  return text.replace(/[A-Z]|[^\0-\x7f]/gu, (character) => {
    let folded = foldedCharacters.get(character);
    if (folded === undefined) {
      const bare = character.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      const lower = character.toLowerCase();
      folded = bare.length === character.length ? bare : lower.length === character.length ? lower : character;
      foldedCharacters.set(character, folded);
    }
    return folded;
  });
}

/**
 * Where the words and phrases `searched` looks for are in `text`, as `[start, end)` ranges in
 * order, for marking them: whole words (the last one, as it is typed, any word it starts), in
 * any case and with or without accents, as the index finds them; excluded words are not
 * looked for. `folded` is `foldForSearch(text)`, when the caller keeps it for many searches.
 */
export function searchMatchRanges(text: string, searched: string, folded = foldForSearch(text)): [number, number][] {
  const query = parseSearchQuery(searched);
  if (query.kind !== 'terms') return [];
  const patterns = query.groups.flat().map((phrase) => {
    const words = phrase.words.map((word) => foldForSearch(word.normalize('NFD').replace(/\p{M}/gu, '')));
    const first = [...words[0]][0];
    const last = [...words[words.length - 1]].at(-1) ?? '';
    const before = FOUND_ANYWHERE.test(first) ? '' : `(?<!${WORD_CHARACTER})`;
    // A prefix is marked with the rest of the word it starts.
    const after = FOUND_ANYWHERE.test(last) ? '' : phrase.isPrefix ? `${WORD_CHARACTER}*` : `(?!${WORD_CHARACTER})`;
    return before + words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(BETWEEN_WORDS) + after;
  });
  // The longest first, so a phrase wins over a word of it where both match.
  patterns.sort((a, b) => b.length - a.length);
  const ranges: [number, number][] = [];
  for (const match of folded.matchAll(new RegExp(patterns.join('|'), 'gu'))) {
    if (match[0] !== '') ranges.push([match.index, match.index + match[0].length]);
  }
  return ranges;
}
