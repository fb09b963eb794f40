/**
 * Prices: the catalog (@pydantic/genai-prices, bundled) turned into ours without changing a
 * cent, overrides over it, $0 for local models, and "no price" rather than a guess.
 */

import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, test } from 'vitest';
import { findCatalogPrice, listCatalogPrices } from '../../../../electron/core/pricing/price-catalog';
import { costOf, FREE_PRICE } from '../../../../shared/cost';
import type { ModelPrice } from '../../../../shared/types';
import { SONNET_PRICE } from '../../catalog-prices';
import { CallFailure, startWorkbench } from '../runs/run-harness';

const AT = new Date('2026-01-15T12:00:00Z');

describe('price catalog', () => {
  test.each([
    ['openai', 'gpt-4o-mini', { input_tokens: 1187, cache_read_tokens: 1024, output_tokens: 6 }],
    ['openai', 'gpt-5', { input_tokens: 50_000, cache_read_tokens: 20_000, output_tokens: 3_000, output_reasoning_tokens: 2_000 }],
    ['anthropic', 'claude-haiku-4-5-20251001', { input_tokens: 3607, cache_read_tokens: 2048, cache_write_tokens: 1536, output_tokens: 9 }],
    ['anthropic', 'claude-sonnet-4-5', { input_tokens: 250_000, cache_read_tokens: 100_000, cache_write_tokens: 10_000, output_tokens: 4_000 }],
    ['anthropic', 'claude-sonnet-4-5', { input_tokens: 150_000, cache_read_tokens: 100_000, cache_write_tokens: 10_000, output_tokens: 4_000 }],
  ] as const)('%s %s costs what the catalog itself computes for %j', (provider, model, wire) => {
    const match = findCatalogPrice(provider, '', model, AT);
    const expected = calcPrice({ ...wire }, model, { providerId: provider, timestamp: AT });
    const ours = costOf(
      {
        inputTokens: wire.input_tokens,
        cachedInputTokens: wire.cache_read_tokens,
        cacheWriteTokens: 'cache_write_tokens' in wire ? wire.cache_write_tokens : 0,
        outputTokens: wire.output_tokens,
        reasoningTokens: 'output_reasoning_tokens' in wire ? wire.output_reasoning_tokens : 0,
      },
      match?.price ?? null,
    );
    expect(expected?.total_price).toBeGreaterThan(0);
    expect(ours).toBeCloseTo(expected?.total_price as number, 12);
  });

  test('matches dated model ids to their catalog entry, tiers included', () => {
    expect(findCatalogPrice('anthropic', '', 'claude-sonnet-4-5-20250929', AT)).toStrictEqual({
      catalogModel: 'claude-sonnet-4-5',
      name: expect.any(String),
      price: SONNET_PRICE,
    });
  });

  test('finds OpenAI-compatible hosts by URL, and prices nothing it does not know', () => {
    expect({
      groq: findCatalogPrice('openai-compatible', 'https://api.groq.com/openai/v1', 'llama-3.3-70b-versatile', AT)?.catalogModel,
      unknownHost: findCatalogPrice('openai-compatible', 'https://llm.example.com/v1', 'gpt-4o-mini', AT),
      unknownModel: findCatalogPrice('openai', '', 'gpt-nonexistent-9', AT),
      ollama: findCatalogPrice('ollama', 'http://127.0.0.1:11434', 'llama3.2', AT),
      ollamaList: listCatalogPrices('ollama', 'http://127.0.0.1:11434', AT),
    }).toStrictEqual({ groq: 'llama-3.3-70b-versatile', unknownHost: null, unknownModel: null, ollama: null, ollamaList: [] });
  });

  test('applies a price in force at the time asked (o3 was cut on 2025-06-10)', () => {
    const before = findCatalogPrice('openai', '', 'o3', new Date('2025-05-01T00:00:00Z'))?.price.input;
    const after = findCatalogPrice('openai', '', 'o3', new Date('2025-07-01T00:00:00Z'))?.price.input;
    expect([before, after]).toStrictEqual([10, 2]);
  });
});

describe('price book through the bridge', () => {
  const override: ModelPrice = { input: 1, output: 2, cachedInput: null, cacheWrite: null, reasoning: null, perThousandRequests: null };

  test('resolves catalog, local and missing prices; an override wins and can be removed', async () => {
    const workbench = startWorkbench();
    const catalog = await workbench.call('pricing:resolve', { providerId: 1, model: 'gpt-4o-mini' });
    const local = await workbench.call('pricing:resolve', { providerId: 3, model: 'llama3.2' });
    const unknown = await workbench.call('pricing:resolve', { providerId: 1, model: 'gpt-nonexistent-9' });
    const overridden = await workbench.call('pricing:override', { providerId: 1, model: 'gpt-4o-mini', price: override });
    const removed = await workbench.call('pricing:override', { providerId: 1, model: 'gpt-4o-mini', price: null });
    const ownLocal = await workbench.call('pricing:override', { providerId: 3, model: 'llama3.2', price: override });
    const ownUnknown = await workbench.call('pricing:override', { providerId: 1, model: 'gpt-nonexistent-9', price: override });
    expect({
      catalog: [catalog.source, catalog.catalogModel],
      local,
      unknown,
      overridden,
      removed: [removed.resolved.source, removed.catalogPrice],
      uncatalogued: [ownLocal.catalogPrice, ownUnknown.catalogPrice],
    }).toStrictEqual({
      catalog: ['catalog', 'gpt-4o-mini'],
      local: { price: FREE_PRICE, source: 'local', catalogModel: null },
      unknown: { price: null, source: 'none', catalogModel: null },
      // With the catalog's price beside it, to say which rates are the catalog's.
      overridden: { resolved: { price: override, source: 'override', catalogModel: null }, catalogPrice: catalog.price },
      removed: ['catalog', catalog.price],
      uncatalogued: [null, null],
    });
  });

  test('tells every window when a price is set or removed, with the price then in force; a refused price tells nothing', async () => {
    const workbench = startWorkbench();
    const set = await workbench.call('pricing:override', { providerId: 1, model: 'gpt-4o', price: override });
    await workbench.call('pricing:override', { providerId: 1, model: 'gpt-4o', price: { ...override, input: -1 } }).catch(() => undefined);
    const removed = await workbench.call('pricing:override', { providerId: 1, model: 'gpt-4o', price: null });
    // Events go out on the next turn of the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(workbench.eventsOf('pricing:changed')).toStrictEqual([
      { providerId: 1, model: 'gpt-4o', ...set },
      { providerId: 1, model: 'gpt-4o', ...removed },
    ]);
    expect(removed.resolved.price).toStrictEqual(removed.catalogPrice);
  });

  test('lists a provider\'s models with the catalog price beside any override', async () => {
    const workbench = startWorkbench();
    await workbench.call('pricing:override', { providerId: 1, model: 'gpt-4o-mini', price: override });
    await workbench.call('pricing:override', { providerId: 1, model: 'my-finetune', price: override });
    const list = await workbench.call('pricing:list', { providerId: 1, query: 'mini' });
    const all = await workbench.call('pricing:list', { providerId: 1, limit: 3 });
    const mini = list.entries.find((entry) => entry.model === 'gpt-4o-mini');
    const finetune = (await workbench.call('pricing:list', { providerId: 1, query: 'finetune' })).entries;
    expect({
      catalog: list.catalog,
      allMini: list.entries.every((entry) => entry.model.includes('mini') || (entry.name ?? '').toLowerCase().includes('mini')),
      mini: [mini?.source, mini?.price, mini?.catalogPrice?.input],
      finetune,
      truncated: [all.entries.length, all.isTruncated],
      ollama: (await workbench.call('pricing:list', { providerId: 3 })).entries,
    }).toStrictEqual({
      catalog: expect.stringMatching(/^@pydantic\/genai-prices \d+\.\d+\.\d+/),
      allMini: true,
      mini: ['override', override, 0.15],
      finetune: [{ providerId: 1, model: 'my-finetune', name: null, price: override, source: 'override', catalogPrice: null }],
      truncated: [3, true],
      ollama: [],
    });
  });

  test('refuses malformed prices and unknown providers', async () => {
    const workbench = startWorkbench();
    const bad = await workbench.call('pricing:override', { providerId: 1, model: 'x', price: { ...override, input: -1 } }).catch((error: CallFailure) => error.code);
    const ghost = await workbench.call('pricing:override', { providerId: 9, model: 'x', price: override }).catch((error: CallFailure) => [error.code, error.message]);
    expect([bad, ghost]).toStrictEqual(['invalid-input', ['not-found', 'Provider 9 does not exist']]);
  });
});
