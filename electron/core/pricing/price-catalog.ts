/**
 * The maintained price catalog: `@pydantic/genai-prices`, whose data ships inside the package
 * (updated weekly upstream; `npm update` brings new prices). Nothing here fetches anything:
 * the package only goes online when `updatePrices` is called, which the engine never does.
 *
 * The catalog speaks in its own units (`input_mtok`, `cache_read_mtok`, tiered prices, prices
 * that change on a date); this file turns a match into our `ModelPrice` and leaves out what a
 * text chat request never uses (audio, images, web searches).
 */

import {
  calcPrice,
  findProvider,
  type ModelInfo as CatalogModel,
  type ModelPrice as CatalogPrice,
  type Provider as CatalogProvider,
} from '@pydantic/genai-prices';
import { assertNever } from '../../../shared/assert-never';
import type { ModelPrice, ProviderKind, TokenRate } from '../../../shared/types';
// The package exports no package.json, so its version is read from the file itself; bundlers inline it.
import catalogManifest from '../../../node_modules/@pydantic/genai-prices/package.json';

/** The npm package the prices come from. */
export const CATALOG_PACKAGE = '@pydantic/genai-prices';

/** A model found in the catalog. */
export interface CatalogMatch {
  /** The catalog's id of the model (`claude-haiku-4-5` for `claude-haiku-4-5-20251001`). */
  catalogModel: string;
  name: string | null;
  price: ModelPrice;
}

/** Where to look a provider up: by the catalog's provider id, or by the endpoint's URL. */
type CatalogLookup = { providerId: string } | { providerApiUrl: string };

/**
 * How the catalog finds a provider of `kind` at `endpoint`; null for providers it does not
 * price (Ollama runs locally).
 *
 * An OpenAI-compatible endpoint is found by its URL (api.groq.com, openrouter.ai,
 * api.deepseek.com...); one the catalog does not know has no price, since the same model name
 * costs different amounts at different hosts.
 */
function lookupFor(kind: ProviderKind, endpoint: string): CatalogLookup | null {
  switch (kind) {
    case 'openai':
      return { providerId: 'openai' };
    case 'anthropic':
      return { providerId: 'anthropic' };
    case 'openai-compatible':
      return { providerApiUrl: endpoint };
    case 'ollama':
      return null;
    default:
      return assertNever(kind, 'provider kind');
  }
}

/** Lookups already made, by provider, model and minute (the catalog's prices change by date or time of day, never faster). */
const recentMatches = new Map<string, CatalogMatch | null>();
const MAX_REMEMBERED = 1000;

/** The catalog's price of `model` on a provider of `kind` at `endpoint`, in force at `at`; null when it has none. */
export function findCatalogPrice(kind: ProviderKind, endpoint: string, model: string, at: Date): CatalogMatch | null {
  const key = `${kind}\u0000${endpoint}\u0000${model}\u0000${Math.floor(at.getTime() / 60_000)}`;
  const remembered = recentMatches.get(key);
  if (remembered !== undefined) return remembered;
  const match = lookUpCatalogPrice(kind, endpoint, model, at);
  if (recentMatches.size >= MAX_REMEMBERED) recentMatches.clear();
  recentMatches.set(key, match);
  return match;
}

function lookUpCatalogPrice(kind: ProviderKind, endpoint: string, model: string, at: Date): CatalogMatch | null {
  const lookup = lookupFor(kind, endpoint);
  if (lookup === null) return null;
  try {
    // Empty usage: we only want the match and the price in force at `at`, not a total.
    const result = calcPrice({}, model, { ...lookup, timestamp: at });
    if (result === null) return null;
    const price = fromCatalogPrice(result.model_price);
    return price === null ? null : { catalogModel: result.model.id, name: result.model.name ?? null, price };
  } catch {
    // A catalog entry this version cannot read is no price, never a guess.
    return null;
  }
}

/** Every model the catalog prices for a provider of `kind` at `endpoint`, with the price in force at `at`. */
export function listCatalogPrices(kind: ProviderKind, endpoint: string, at: Date): CatalogMatch[] {
  const lookup = lookupFor(kind, endpoint);
  if (lookup === null) return [];
  const provider = findProvider(lookup);
  if (provider === undefined) return [];
  const matches: CatalogMatch[] = [];
  for (const model of provider.models) {
    const price = priceInForce(provider, model, at);
    if (price !== null) matches.push({ catalogModel: model.id, name: model.name ?? null, price });
  }
  return matches;
}

/** The price of one catalog model at `at`, asked of the catalog with a provider holding that model alone. */
function priceInForce(provider: CatalogProvider, model: CatalogModel, at: Date): ModelPrice | null {
  try {
    const result = calcPrice({}, model.id, { provider: { ...provider, models: [model] }, timestamp: at });
    return result === null ? null : fromCatalogPrice(result.model_price);
  } catch {
    return null;
  }
}

/**
 * Our price from the catalog's: its per-million-token text rates. A model without both an
 * input and an output rate (an embedding or image model) has no chat price.
 */
export function fromCatalogPrice(price: CatalogPrice): ModelPrice | null {
  const input = toRate(price.input_mtok);
  const output = toRate(price.output_mtok);
  if (input === null || output === null) return null;
  const requests = price.requests_kcount;
  return {
    input,
    output,
    cachedInput: toRate(price.cache_read_mtok),
    cacheWrite: toRate(price.cache_write_mtok),
    reasoning: toRate(price.output_reasoning_mtok),
    perThousandRequests: typeof requests === 'number' ? requests : null,
  };
}

function toRate(value: CatalogPrice[string]): TokenRate | null {
  if (value === undefined) return null;
  if (typeof value === 'number') return value;
  return { base: value.base, tiers: value.tiers.map((tier) => ({ start: tier.start, price: tier.price })) };
}

/** "@pydantic/genai-prices 0.1.8": the catalog and the version whose data is in use. */
export function catalogName(): string {
  return `${CATALOG_PACKAGE} ${catalogManifest.version}`;
}
