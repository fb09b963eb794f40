/** Token estimates: the right encoding per model, OpenAI's chat framing, and a streaming count that matches a full count. */

import { countTokens, encodeChat } from 'gpt-tokenizer';
import { encodeChat as encodeChatGpt4 } from 'gpt-tokenizer/model/gpt-4';
import { describe, expect, test } from 'vitest';
import { countTextTokens, encodingFor, estimateInputTokens, StreamingTokenCounter } from '../../../../electron/core/tokens/token-estimator';
import type { PromptMessage } from '../../../../shared/types';

describe('token estimator', () => {
  test('uses cl100k_base for GPT-4 and GPT-3.5, o200k_base for everything newer and everyone else', () => {
    expect(['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo', 'gpt-4o-mini', 'gpt-4.1', 'o3', 'openai/gpt-4-0613', 'claude-haiku-4-5', 'llama3.2'].map(encodingFor)).toStrictEqual([
      'cl100k_base',
      'cl100k_base',
      'cl100k_base',
      'o200k_base',
      'o200k_base',
      'o200k_base',
      'cl100k_base',
      'o200k_base',
      'o200k_base',
    ]);
  });

  test('counts a chat exactly as gpt-tokenizer frames it for OpenAI models', () => {
    const chats: PromptMessage[][] = [
      [{ role: 'user', content: 'Hi' }],
      [
        { role: 'system', content: 'You answer briefly.' },
        { role: 'user', content: 'Say hello, in French and in Japanese: こんにちは.' },
        { role: 'assistant', content: 'Bonjour ! こんにちは！' },
        { role: 'user', content: 'Again, with {{braces}} and\n\nnew paragraphs.' },
      ],
    ];
    expect(chats.map((chat) => estimateInputTokens(chat, 'gpt-4o'))).toStrictEqual(
      chats.map((chat) => encodeChat(chat, 'gpt-4o').length),
    );
  });

  test('a text counted again (the same prompt run after run) keeps its own count per encoding, also past the remembered few', () => {
    const chat: PromptMessage[] = [{ role: 'user', content: 'Résumé: 今日はいい天気ですね。Les marées montent deux fois par jour.' }];
    const others = Array.from({ length: 300 }, (_, index) => [{ role: 'user' as const, content: `Question number ${index}: why?` }]);
    const counted = [
      estimateInputTokens(chat, 'gpt-4o'),
      estimateInputTokens(chat, 'gpt-4'),
      estimateInputTokens(chat, 'gpt-4o'),
      ...others.map((other) => estimateInputTokens(other, 'gpt-4o')),
      estimateInputTokens(chat, 'gpt-4'),
    ];
    const exact = [
      encodeChat(chat, 'gpt-4o').length,
      encodeChatGpt4(chat).length,
      encodeChat(chat, 'gpt-4o').length,
      ...others.map((other) => encodeChat(other, 'gpt-4o').length),
      encodeChatGpt4(chat).length,
    ];
    expect(counted).toStrictEqual(exact);
    expect(exact[0]).not.toBe(exact[1]);
  });

  test('treats special-token text as plain text instead of failing', () => {
    expect(countTextTokens('a <|endoftext|> b', 'gpt-4o')).toBeGreaterThan(3);
  });

  test('counting a stream in pieces gives the count of the whole text', () => {
    const words = ['tide', 'moon', 'gravity', 'ocean', 'bulge', 'Earth', 'rotation', 'coast,', 'twice', 'daily.'];
    let text = '';
    for (let index = 0; text.length < 5_000; index += 1) text += `${words[(index * 7) % words.length]} `;
    const counter = new StreamingTokenCounter('gpt-4o');
    const counts: number[] = [];
    for (let start = 0; start < text.length; start += 7) {
      counter.append(text.slice(start, start + 7));
      if (start % 700 === 0) counts.push(counter.count() - countTextTokens(text.slice(0, start + 7), 'gpt-4o'));
    }
    expect([counter.count(), counts.every((difference) => Math.abs(difference) <= 1)]).toStrictEqual([countTextTokens(text, 'gpt-4o'), true]);
  });

  test('a stream with no whitespace (CJK prose, base64) is cut anyway: each update re-counts a short tail, and the estimate stays close', () => {
    const pieces = [
      '潮汐是由月球和太阳的引力引起的海平面周期性变化。'.repeat(200),
      Buffer.from(Array.from({ length: 30_000 }, (_, index) => (index * 7919) % 256)).toString('base64'),
      '🌊'.repeat(3000),
    ];
    const results = pieces.map((text) => {
      let counted = 0;
      const counter = new StreamingTokenCounter('gpt-4o', (part, model) => {
        counted += part.length;
        return countTextTokens(part, model);
      });
      for (let start = 0; start < text.length; start += 50) {
        counter.append(text.slice(start, start + 50));
        counter.count();
      }
      const whole = countTextTokens(text, 'gpt-4o');
      // Re-counting the whole tail each time would tokenize about length² / 100 characters.
      return { isLinear: counted < text.length * 8, isClose: Math.abs(counter.count() - whole) <= whole * 0.02 };
    });
    expect(results).toStrictEqual(pieces.map(() => ({ isLinear: true, isClose: true })));
  });

  test('a long text is counted in pieces: the same count where it has whitespace, within a token per cut where it has none', () => {
    const prose = 'The moon pulls the oceans into two bulges, so most coasts see two high tides a day.\n'.repeat(200);
    const run = 'x'.repeat(20_000);
    expect({
      prose: countTextTokens(prose, 'gpt-4o') - countTokens(prose),
      runIsClose: Math.abs(countTextTokens(run, 'gpt-4o') - countTokens(run)) <= Math.ceil(run.length / 4096),
    }).toStrictEqual({ prose: 0, runIsClose: true });
  });
});
