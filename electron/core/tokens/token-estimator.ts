/**
 * Token estimates with a local tokenizer (gpt-tokenizer), for counts before a run and live
 * counts while it streams; the provider's exact usage replaces them when it arrives.
 *
 * OpenAI models get their own encoding, so their estimates are close to exact. Other models
 * (Claude, Llama, Qwen...) use tokenizers that are not published for JavaScript; o200k_base
 * stands in for them, which is why every such count is marked as an estimate.
 */

import type { PromptMessage } from '../../../shared/types';
import { lazyModule } from '../lazy-module';

/** gpt-tokenizer's counting function (both encodings export the same shape). */
type CountTokens = (typeof import('gpt-tokenizer'))['countTokens'];

/**
 * The encodings are loaded on first use, not at start-up: their rank tables take ~90 MB and a
 * third of a second to build, and a host that never counts (a CLI eval without a budget)
 * should not pay for them.
 */
const o200k = lazyModule<{ countTokens: CountTokens }>('gpt-tokenizer');
const cl100k = lazyModule<{ countTokens: CountTokens }>('gpt-tokenizer/encoding/cl100k_base');

function countO200k(text: string, options: typeof AS_PLAIN_TEXT): number {
  return o200k().countTokens(text, options);
}

function countCl100k(text: string, options: typeof AS_PLAIN_TEXT): number {
  return cl100k().countTokens(text, options);
}

/** The encodings the estimator knows. */
export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Special-token text (`<|endoftext|>`) in a prompt is plain text to us, never a reason to fail. */
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Chat framing per message in OpenAI's format (start marker, role separator, end marker),
 * and the tokens that prime the reply; OpenAI's own published counting rule.
 */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;

/** The encoding for `model`: cl100k_base for GPT-4 and GPT-3.5, o200k_base for everything newer and everyone else. */
export function encodingFor(model: string): EncodingName {
  const id = model.toLowerCase().replace(/^.*\//, '');
  if (/^gpt-3\.5/.test(id)) return 'cl100k_base';
  if (/^gpt-4(?![o.\d])/.test(id)) return 'cl100k_base';
  return 'o200k_base';
}

/**
 * The longest text counted in one call to the tokenizer. Its byte-pair merge takes time
 * quadratic in the length of a word, and a "word" with no whitespace or punctuation (a run of
 * one letter, a long identifier, Thai prose) can be the whole text: 400 KB of it took over a
 * minute. Longer texts are counted in pieces, cut at whitespace where there is some.
 */
const MAX_PIECE_CHARS = 4096;

/** The tokens of `text` in `model`'s encoding (of pieces of it, past MAX_PIECE_CHARS; off by at most a token per forced cut). */
export function countTextTokens(text: string, model: string): number {
  if (text === '') return 0;
  const count = encodingFor(model) === 'cl100k_base' ? countCl100k : countO200k;
  if (text.length <= MAX_PIECE_CHARS) return count(text, AS_PLAIN_TEXT);
  let total = 0;
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + MAX_PIECE_CHARS);
    if (end < text.length) {
      // Cut before a whitespace, where the tokenizer's pre-split cuts anyway; else anywhere but inside a surrogate pair.
      const space = lastWhitespace(text, start, end);
      end = space > start ? space : withoutSplitPair(text, end);
    }
    total += count(text.slice(start, end), AS_PLAIN_TEXT);
    start = end;
  }
  return total;
}

/** Message texts whose counts are remembered, and the longest text remembered. */
const REMEMBERED_TEXTS = 256;
const REMEMBERED_TEXT_CHARS = 32_768;

/**
 * Counts of message texts lately counted, by encoding and text, least recently used first.
 * Iterating on a prompt sends the same system message (and often the same user message) run
 * after run, sample after sample; encoding them again each time is most of what planning costs.
 */
const rememberedCounts = new Map<string, number>();

/** `countTextTokens` for a message's text, remembered for the texts sent again and again. */
function countMessageTokens(text: string, model: string, encoding: EncodingName): number {
  if (text.length > REMEMBERED_TEXT_CHARS) return countTextTokens(text, model);
  const key = `${encoding}\u0000${text}`;
  let count = rememberedCounts.get(key);
  if (count === undefined) {
    count = countTextTokens(text, model);
    if (rememberedCounts.size >= REMEMBERED_TEXTS) rememberedCounts.delete(rememberedCounts.keys().next().value as string);
  } else {
    // Most recently used goes last.
    rememberedCounts.delete(key);
  }
  rememberedCounts.set(key, count);
  return count;
}

/** The tokens of each role's name, by encoding: the same few words in every request. */
const roleTokens = new Map<string, number>();

/** The input tokens of a chat request: each message's role and content with its framing, and the reply primer. */
export function estimateInputTokens(messages: readonly PromptMessage[], model: string): number {
  const encoding = encodingFor(model);
  let total = TOKENS_PER_REPLY;
  for (const message of messages) {
    const roleKey = `${encoding}:${message.role}`;
    let role = roleTokens.get(roleKey);
    if (role === undefined) {
      role = countTextTokens(message.role, model);
      roleTokens.set(roleKey, role);
    }
    total += TOKENS_PER_MESSAGE + role + countMessageTokens(message.content, model, encoding);
  }
  return total;
}

/** Characters per token in English text, OpenAI's rule of thumb. */
const CHARACTERS_PER_TOKEN = 4;

/**
 * A rough count from length alone (about four characters a token, with the chat framing),
 * where loading a tokenizer would cost more than the figure is worth; the provider's exact
 * usage replaces it when the run ends.
 */
export function roughInputTokens(messages: readonly PromptMessage[]): number {
  let total = TOKENS_PER_REPLY;
  for (const message of messages) total += TOKENS_PER_MESSAGE + 1 + Math.ceil(message.content.length / CHARACTERS_PER_TOKEN);
  return total;
}

/** Past this many characters, the unsettled tail of a stream is settled at its last whitespace. */
const SETTLE_AFTER_CHARS = 256;

/** How much of a tail with no whitespace stays unsettled when it is cut anyway. */
const FORCED_CUT_KEEP_CHARS = 64;

/**
 * Counts the tokens of a growing text without re-encoding it all each time.
 *
 * The text is settled up to a whitespace boundary (where the tokenizer's pre-split cuts
 * anyway), and only the tail after it is re-counted, so a long answer costs the same per
 * update as a short one. Text without whitespace (Chinese or Japanese prose, base64, minified
 * JSON) is cut anyway near its end: re-counting a tail that only grows would make each update
 * slower than the last, until the engine stalls. A forced cut can be off by a token; the
 * provider's own count replaces the estimate at the end.
 */
export class StreamingTokenCounter {
  private readonly model: string;
  private readonly countText: (text: string, model: string) => number;
  private text = '';
  private settledEnd = 0;
  private settledTokens = 0;

  constructor(model: string, countText: (text: string, model: string) => number = countTextTokens) {
    this.model = model;
    this.countText = countText;
  }

  /** Appends `text`. */
  append(text: string): void {
    this.text += text;
  }

  /** The estimated tokens of everything appended. */
  count(): number {
    if (this.text.length - this.settledEnd > SETTLE_AFTER_CHARS) {
      let cut = lastWhitespace(this.text, this.settledEnd);
      if (cut === this.settledEnd) cut = withoutSplitPair(this.text, this.text.length - FORCED_CUT_KEEP_CHARS);
      this.settledTokens += this.countText(this.text.slice(this.settledEnd, cut), this.model);
      this.settledEnd = cut;
    }
    return this.settledTokens + this.countText(this.text.slice(this.settledEnd), this.model);
  }
}

/** `index`, moved back one where it would split a surrogate pair (an emoji, a rare CJK character). */
function withoutSplitPair(text: string, index: number): number {
  const before = text.charCodeAt(index - 1);
  return before >= 0xd800 && before <= 0xdbff ? index - 1 : index;
}

/** The index of the last whitespace character after `from` and before `end`, or `from` when there is none. */
function lastWhitespace(text: string, from: number, end: number = text.length): number {
  for (let index = end - 1; index > from; index -= 1) {
    const code = text.charCodeAt(index);
    if (code === 32 || code === 10 || code === 9 || code === 13) return index;
  }
  return from;
}
