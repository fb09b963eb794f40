/**
 * Prices: each provider's list (the maintained catalog and the user's overrides), the price a
 * given model resolves to, and editing overrides.
 */

import type { ModelPrice, PriceChange, PriceChanged, PriceList, ResolvedPrice } from '../../../shared/types';
import { bridge } from '../../bridge/connection';
import type { SliceCreator } from '../../store/app-state';

/** The most rows a price list shows; the filter narrows it. */
export const PRICE_LIST_LIMIT = 200;

/** The key of a resolved price: provider and model. */
export function priceKey(providerId: number, model: string): string {
  return `${providerId}\u0000${model}`;
}

/** The pricing slice. */
export interface PricingSlice {
  /** The price list of each provider, as last loaded with `priceQueries[id]`. */
  priceLists: Record<number, PriceList>;
  priceQueries: Record<number, string>;
  /** Prices of single models (those "Test connection" listed), by `priceKey`. */
  resolvedPrices: Record<string, ResolvedPrice>;
  loadPrices(providerId: number, query?: string): Promise<void>;
  resolvePrices(providerId: number, models: string[]): Promise<void>;
  /** Sets (or with null, removes) the user's price; resolves to the price now in force and the catalog's, or null on failure. */
  overridePrice(providerId: number, model: string, price: ModelPrice | null): Promise<PriceChange | null>;
  /**
   * Shows a price set or removed, in this window or another (`pricing:changed`): the model's
   * price, the provider's list when it was loaded, and the estimate.
   */
  applyPriceChange(change: PriceChanged): void;
  /**
   * Loads again every price this window shows (each provider's list it loaded, each model price it
   * looked up), for a window back after its link to the engine dropped: the `pricing:changed` sent
   * meanwhile never came. Those of providers no longer there are not asked for (nothing shows them).
   */
  refreshPrices(): Promise<void>;
}

const loadSequences = new Map<number, number>();

/** Creates the pricing slice. */
export const createPricingSlice: SliceCreator<PricingSlice> = (set, get) => ({
  priceLists: {},
  priceQueries: {},
  resolvedPrices: {},
  async loadPrices(providerId, query) {
    const text = query ?? get().priceQueries[providerId] ?? '';
    const sequence = (loadSequences.get(providerId) ?? 0) + 1;
    loadSequences.set(providerId, sequence);
    set({ priceQueries: { ...get().priceQueries, [providerId]: text } });
    try {
      const list = await bridge().call('pricing:list', { providerId, ...(text.trim() === '' ? {} : { query: text.trim() }), limit: PRICE_LIST_LIMIT });
      if (loadSequences.get(providerId) === sequence) set({ priceLists: { ...get().priceLists, [providerId]: list } });
    } catch (error) {
      get().reportError(error, 'Could not load the prices');
    }
  },
  async resolvePrices(providerId, models) {
    try {
      const prices = await Promise.all(models.map((model) => bridge().call('pricing:resolve', { providerId, model })));
      const next = { ...get().resolvedPrices };
      models.forEach((model, index) => (next[priceKey(providerId, model)] = prices[index]));
      set({ resolvedPrices: next });
    } catch (error) {
      get().reportError(error, 'Could not look up the prices');
    }
  },
  async overridePrice(providerId, model, price) {
    try {
      const change = await bridge().call('pricing:override', { providerId, model, price });
      // At once here; `pricing:changed` tells the other windows (and this one again).
      get().applyPriceChange({ providerId, model, ...change });
      return change;
    } catch (error) {
      get().reportError(error, `Could not save the price of ${model}`);
      return null;
    }
  },
  applyPriceChange({ providerId, model, resolved }) {
    set({ resolvedPrices: { ...get().resolvedPrices, [priceKey(providerId, model)]: resolved } });
    // A list never opened is loaded when it is.
    if (get().priceLists[providerId] !== undefined) void get().loadPrices(providerId);
    get().refreshEstimate();
  },
  async refreshPrices() {
    const providerIds = new Set(get().providers.map((provider) => provider.id));
    const models = new Map<number, string[]>();
    for (const key of Object.keys(get().resolvedPrices)) {
      const split = key.indexOf('\u0000');
      const providerId = Number(key.slice(0, split));
      if (providerIds.has(providerId)) models.set(providerId, [...(models.get(providerId) ?? []), key.slice(split + 1)]);
    }
    const lists = Object.keys(get().priceLists)
      .map(Number)
      .filter((providerId) => providerIds.has(providerId));
    await Promise.all([...lists.map((providerId) => get().loadPrices(providerId)), ...[...models].map(([providerId, names]) => get().resolvePrices(providerId, names))]);
  },
});
