/** Test support: prices of the bundled catalog (@pydantic/genai-prices) that tests of prices share. */

import type { ModelPrice } from '../../shared/types';

/** The catalog's claude-sonnet-4-5: every rate tiered above 200k input tokens, no reasoning rate. */
export const SONNET_PRICE: ModelPrice = {
  input: { base: 3, tiers: [{ start: 200_000, price: 6 }] },
  output: { base: 15, tiers: [{ start: 200_000, price: 22.5 }] },
  cachedInput: { base: 0.3, tiers: [{ start: 200_000, price: 0.6 }] },
  cacheWrite: { base: 3.75, tiers: [{ start: 200_000, price: 7.5 }] },
  reasoning: null,
  perThousandRequests: null,
};

/** The catalog's claude-haiku-4-5: cache reads and writes have rates of their own, reasoning none. */
export const HAIKU_PRICE: ModelPrice = { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25, reasoning: null, perThousandRequests: null };
