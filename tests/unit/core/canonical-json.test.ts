/** Canonical JSON: the same text as the replacer-based form it replaced, so stored hashes and cache keys still match. */

import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../../../electron/core/canonical-json';
import { hashContent } from '../../../electron/core/prompt-content';
import { cacheKey, type CacheableRequest } from '../../../electron/core/runs/response-cache';
import type { JsonSchemaFormat, ModelParameters, PromptContent, PromptMessage } from '../../../shared/types';
import { seededRandom } from '../../bench/bench-support';

/** The form content hashes and cache keys were first made with: `JSON.stringify` and a sorting replacer. */
function replacerForm(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) => {
    if (member === null || typeof member !== 'object' || Array.isArray(member)) return member;
    const record = member as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, record[key]]),
    );
  });
}

/** A random JSON-like value, with the awkward cases: undefined, integer-like keys, escapes, non-finite numbers. */
function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 6 : 9));
  const text = () => ['', 'a', 'Zeta', 'role', '10', '9', '0', '01', 'é', '"quoted"\n', '\u2028', '☃', 'a b'][Math.floor(random() * 13)];
  switch (pick) {
    case 0:
      return text();
    case 1:
      return [0, -0, 1.5, -3, 1e21, 5e-7, Number.NaN, Number.POSITIVE_INFINITY][Math.floor(random() * 8)];
    case 2:
      return random() < 0.5;
    case 3:
      return null;
    case 4:
      return undefined;
    case 5:
      return new Date(Math.floor(random() * 2e12));
    case 6:
    case 7: {
      const record: Record<string, unknown> = {};
      for (let index = Math.floor(random() * 6); index > 0; index -= 1) record[text()] = randomValue(random, depth + 1);
      return record;
    }
    default:
      return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(random, depth + 1));
  }
}

describe('canonical JSON', () => {
  test('writes exactly what the replacer-based form wrote, for every kind of value', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 2000 }, () => randomValue(random, 0));
    expect(values.map(canonicalJson)).toStrictEqual(values.map(replacerForm));
  });

  test('keeps the content hashes and cache keys already stored', () => {
    const content = {
      model: 'openai/gpt-4o-mini',
      parameters: { temperature: 0.7, stop: ['END'] },
      messages: [
        { role: 'system' as const, content: 'You are terse.' },
        { role: 'user' as const, content: 'Summarise {{text}}.' },
      ],
    };
    const request = {
      providerKind: 'openai' as const,
      endpoint: 'https://api.openai.com/v1/',
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system' as const, content: 'Be brief.' },
        { role: 'user' as const, content: 'Hi — "quoted" \u2028 ☃' },
      ],
      parameters: { temperature: 0.2, maxTokens: 10, stop: [] },
      sampleIndex: 2,
    };
    expect([hashContent(content), cacheKey(request)]).toStrictEqual([
      '35b720901c9c199b48082bdedcd0ae12e41ce1c9d298bf2d12d3885d3cb6ba43',
      '8570fafa2f943be4b1c1adaf24ebd3b2624149d943460e219426eed520e7eef8',
    ]);
  });

  test('keeps the hash of content without a response format, and tells the response formats apart', () => {
    const content: PromptContent = {
      model: 'openai/gpt-4o-mini',
      parameters: { temperature: 0.7, stop: ['END'] },
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Summarise {{text}}.' },
      ],
    };
    const schema = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'], additionalProperties: false };
    const hashes = [
      hashContent(content),
      hashContent({ ...content, responseFormat: undefined }),
      hashContent({ ...content, responseFormat: { type: 'json_object' } }),
      hashContent({ ...content, responseFormat: { type: 'json_schema', name: 'summary', schema } }),
      hashContent({ ...content, responseFormat: { type: 'json_schema', name: 'brief', schema } }),
      hashContent({ ...content, responseFormat: { type: 'json_schema', name: 'summary', schema: { ...schema, required: [] } } }),
    ];
    expect({ unchanged: hashes.slice(0, 2), distinct: new Set(hashes.slice(1)).size }).toStrictEqual({
      unchanged: ['35b720901c9c199b48082bdedcd0ae12e41ce1c9d298bf2d12d3885d3cb6ba43', '35b720901c9c199b48082bdedcd0ae12e41ce1c9d298bf2d12d3885d3cb6ba43'],
      distinct: 5,
    });
  });
  test('keeps the hash of a JSON schema format written before Strict (strict, as it was), and tells one that is not strict apart', () => {
    const content: PromptContent = {
      model: 'openai/gpt-4o-mini',
      parameters: {},
      messages: [{ role: 'user', content: 'Summarise {{text}}.' }],
      responseFormat: { type: 'json_schema', name: 'summary', schema: { type: 'object', properties: { summary: { type: 'string' } } } },
    };
    const format = content.responseFormat as JsonSchemaFormat;
    const hashes = [hashContent(content), hashContent({ ...content, responseFormat: { ...format, isStrict: true } }), hashContent({ ...content, responseFormat: { ...format, isStrict: false } })];
    expect({ unchanged: hashes.slice(0, 2), isLooseApart: hashes[2] !== hashes[0] }).toStrictEqual({
      unchanged: ['12dcf989d3dc68b096607ca68622c9a5a45edcc8de52b9067835e627320f281e', '12dcf989d3dc68b096607ca68622c9a5a45edcc8de52b9067835e627320f281e'],
      isLooseApart: true,
    });
  });
});

describe('cache keys', () => {
  test('are the SHA-256 of the canonical JSON of the request, however it is written', () => {
    const random = seededRandom(11);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const texts = ['', 'Hi', 'Say "hello"\n\tthen stop', 'é ☃ \u2028 😀', '{{topic}}', '\\'];
    const requests = Array.from({ length: 300 }, (): CacheableRequest => {
      const parameters: ModelParameters = {};
      if (random() < 0.5) parameters.temperature = pick([0, 0.2, 1, 1.5]);
      if (random() < 0.5) parameters.maxTokens = pick([1, 256, 4096]);
      if (random() < 0.3) parameters.topP = pick([0.1, 0.95]);
      if (random() < 0.4) parameters.stop = pick([[], ['END'], ['a', 'b"']]);
      const messages: PromptMessage[] = Array.from({ length: Math.floor(random() * 4) }, () => ({ role: pick(['system', 'user', 'assistant'] as const), content: pick(texts) }));
      return {
        providerKind: pick(['openai', 'openai-compatible', 'anthropic', 'ollama'] as const),
        endpoint: pick(['https://api.openai.com/v1', 'https://api.openai.com/v1/', 'http://127.0.0.1:11434//']),
        model: pick(['gpt-4o-mini', 'claude-haiku-4-5', 'llama3.2:latest']),
        messages,
        parameters,
        sampleIndex: Math.floor(random() * 10),
      };
    });
    const reference = (request: CacheableRequest) =>
      createHash('sha256')
        .update(
          replacerForm({
            version: 1,
            provider: request.providerKind,
            endpoint: request.endpoint.replace(/\/+$/, ''),
            model: request.model,
            messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
            parameters: { ...request.parameters, stop: request.parameters.stop?.length ? request.parameters.stop : undefined },
            sample: request.sampleIndex,
          }),
        )
        .digest('hex');
    expect(requests.map(cacheKey)).toStrictEqual(requests.map(reference));
  });

  test('key a strict JSON schema as before Strict was a choice, and one that is not strict apart', () => {
    const request: CacheableRequest = { providerKind: 'openai', endpoint: 'https://api.openai.com/v1', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], parameters: {}, sampleIndex: 0 };
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    const keyed = (isStrict: boolean | undefined) => cacheKey({ ...request, responseFormat: { type: 'json_schema', name: 'reply', schema, ...(isStrict !== undefined && { isStrict }) } });
    const before = createHash('sha256')
      .update(replacerForm({ version: 1, provider: 'openai', endpoint: request.endpoint, model: request.model, messages: request.messages, parameters: {}, responseSchema: { name: 'reply', schema }, sample: 0 }))
      .digest('hex');
    const keys = [keyed(undefined), keyed(true), keyed(false)];
    expect({ strict: keys.slice(0, 2), isLooseApart: !keys.slice(0, 2).includes(keys[2]) }).toStrictEqual({ strict: [before, before], isLooseApart: true });
  });
});
