/**
 * Which price a run is charged at: the user's override for the model, else $0 for a local
 * provider, else the maintained catalog's price, else none. "None" stays none: a cost is
 * unknown (null), never a guess.
 *
 * Overrides live in SQLite per provider and model, so two OpenAI-compatible hosts serving a
 * model of the same name can cost differently.
 */

import { FREE_PRICE } from '../../../shared/cost';
import type { ModelPrice, PriceEntry, PriceList, ProviderSettings, ResolvedPrice } from '../../../shared/types';
import type { Database } from '../database';
import { statementCache } from '../prepared-statements';
import { catalogName, findCatalogPrice, listCatalogPrices, type CatalogMatch } from './price-catalog';

/** What pricing needs to know of a provider. */
export type PricedProvider = Pick<ProviderSettings, 'id' | 'kind' | 'endpoint' | 'isLocal'>;

/** How many entries a price list holds unless asked otherwise. */
const DEFAULT_LIST_LIMIT = 1000;

/** Options of the price book. */
export interface PriceBookOptions {
  now?: () => Date;
}

/** Prices: overrides in SQLite over the catalog. */
export class PriceBook {
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly now: () => Date;

  constructor(database: Database, options: PriceBookOptions = {}) {
    this.sql = statementCache(database);
    this.now = options.now ?? (() => new Date());
  }

  /** The price a run of `model` on `provider` is charged at, as of `at`. */
  resolve(provider: PricedProvider, model: string, at: Date = this.now()): ResolvedPrice {
    const override = this.override(provider.id, model);
    if (override !== null) return { price: override, source: 'override', catalogModel: null };
    if (provider.isLocal) return { price: { ...FREE_PRICE }, source: 'local', catalogModel: null };
    const match = findCatalogPrice(provider.kind, provider.endpoint, model, at);
    if (match === null) return { price: null, source: 'none', catalogModel: null };
    return { price: match.price, source: 'catalog', catalogModel: match.catalogModel };
  }

  /** The provider's price list: its catalog models and its overrides, by model id; `query` filters by substring. */
  list(provider: PricedProvider, options: { query?: string; limit?: number } = {}): PriceList {
    const at = this.now();
    const overrides = new Map(this.overrides(provider.id).map((row) => [row.model, row.price]));
    const byModel = new Map<string, PriceEntry>();
    for (const match of listCatalogPrices(provider.kind, provider.endpoint, at)) {
      const override = overrides.get(match.catalogModel) ?? null;
      byModel.set(match.catalogModel, {
        providerId: provider.id,
        model: match.catalogModel,
        name: match.name,
        price: override ?? (provider.isLocal ? { ...FREE_PRICE } : match.price),
        source: override !== null ? 'override' : provider.isLocal ? 'local' : 'catalog',
        catalogPrice: match.price,
      });
    }
    for (const [model, price] of overrides) {
      if (byModel.has(model)) continue;
      const match = this.catalogMatch(provider, model, at);
      byModel.set(model, { providerId: provider.id, model, name: match?.name ?? null, price, source: 'override', catalogPrice: match?.price ?? null });
    }
    const query = options.query?.trim().toLowerCase() ?? '';
    const entries = [...byModel.values()]
      .filter((entry) => query === '' || entry.model.toLowerCase().includes(query) || (entry.name?.toLowerCase().includes(query) ?? false))
      .sort((left, right) => left.model.localeCompare(right.model));
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    return { entries: entries.slice(0, limit), catalog: catalogName(), isTruncated: entries.length > limit };
  }

  /** The catalog's price of `model` on the provider, also when the user's replaces it; null when it has none (a local provider's models have none). */
  catalogPrice(provider: PricedProvider, model: string): ModelPrice | null {
    return this.catalogMatch(provider, model, this.now())?.price ?? null;
  }

  private catalogMatch(provider: PricedProvider, model: string, at: Date): CatalogMatch | null {
    return provider.isLocal ? null : findCatalogPrice(provider.kind, provider.endpoint, model, at);
  }

  /** The user's price for `model` on the provider, or null. */
  override(providerId: number, model: string): ModelPrice | null {
    const row = this.sql<[number, string], { priceJson: string }>(
      'SELECT price_json AS priceJson FROM price_overrides WHERE provider_id = ? AND model = ?',
    ).get(providerId, model);
    return row === undefined ? null : (JSON.parse(row.priceJson) as ModelPrice);
  }

  /** Sets the user's price for `model`, or removes it with null. */
  setOverride(providerId: number, model: string, price: ModelPrice | null): void {
    if (price === null) {
      this.sql('DELETE FROM price_overrides WHERE provider_id = ? AND model = ?').run(providerId, model);
      return;
    }
    this.sql(
      `INSERT INTO price_overrides (provider_id, model, price_json, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (provider_id, model) DO UPDATE SET price_json = excluded.price_json, updated_at = excluded.updated_at`,
    ).run(providerId, model, JSON.stringify(price), this.now().toISOString());
  }

  private overrides(providerId: number): { model: string; price: ModelPrice }[] {
    return this.sql<[number], { model: string; priceJson: string }>('SELECT model, price_json AS priceJson FROM price_overrides WHERE provider_id = ?')
      .all(providerId)
      .map((row) => ({ model: row.model, price: JSON.parse(row.priceJson) as ModelPrice }));
  }
}
