/**
 * The response cache as settings show it: size against its limit, hit rate and money saved,
 * the size limit itself, and clearing it.
 */

import type { CacheStats } from '../../../shared/types';
import { bridge } from '../../bridge/connection';
import type { SliceCreator } from '../../store/app-state';

/** The cache slice. */
export interface CacheSlice {
  cacheStats: CacheStats | null;
  /** The most the cache may hold, in MB (1,048,576 bytes); null for no limit. Loaded with the other settings. */
  cacheLimitMb: number | null;
  loadCacheStats(): Promise<void>;
  /** Saves the size limit, then reloads the stats (the engine evicts at once); resolves to an error message, or null when saved. */
  setCacheLimit(limitMb: number | null): Promise<string | null>;
  /** How many days an answer is served; null for ever. Loaded with the other settings. */
  cacheMaxAgeDays: number | null;
  /** Saves the age limit, then reloads the stats (the engine drops expired answers at once); an error message, or null. */
  setCacheMaxAge(days: number | null): Promise<string | null>;
  clearCache(): Promise<void>;
}

/** Creates the cache slice. */
export const createCacheSlice: SliceCreator<CacheSlice> = (set, get) => {
  /** Saves a limit, then reloads the stats (the engine trims at once); an error message, or null when saved. */
  const saveCacheSetting = async (change: { cacheLimitMb: number | null } | { cacheMaxAgeDays: number | null }): Promise<string | null> => {
    try {
      const settings = await bridge().call('settings:update', change);
      set({ cacheLimitMb: settings.cacheLimitMb, cacheMaxAgeDays: settings.cacheMaxAgeDays });
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    await get().loadCacheStats();
    return null;
  };
  return {
    cacheStats: null,
    cacheLimitMb: null,
    cacheMaxAgeDays: null,
    async loadCacheStats() {
      try {
        set({ cacheStats: await bridge().call('cache:stats', {}) });
      } catch (error) {
        get().reportError(error, 'Could not read the cache');
      }
    },
    setCacheLimit(limitMb) {
      return saveCacheSetting({ cacheLimitMb: limitMb });
    },
    setCacheMaxAge(days) {
      return saveCacheSetting({ cacheMaxAgeDays: days });
    },
    async clearCache() {
      try {
        set({ cacheStats: await bridge().call('cache:clear', {}) });
        get().showToast('info', 'Cleared the response cache');
        // Nothing is "cached $0" any more.
        get().refreshEstimate();
      } catch (error) {
        get().reportError(error, 'Could not clear the cache');
      }
    },
  };
};
