/**
 * The response cache as settings show it: size, hit rate and money saved, and clearing it.
 */

import type { CacheStats } from '../../../shared/types';
import { bridge } from '../../bridge/connection';
import type { SliceCreator } from '../../store/app-state';

/** The cache slice. */
export interface CacheSlice {
  cacheStats: CacheStats | null;
  loadCacheStats(): Promise<void>;
  clearCache(): Promise<void>;
}

/** Creates the cache slice. */
export const createCacheSlice: SliceCreator<CacheSlice> = (set, get) => ({
  cacheStats: null,
  async loadCacheStats() {
    try {
      set({ cacheStats: await bridge().call('cache:stats', {}) });
    } catch (error) {
      get().reportError(error, 'Could not read the cache');
    }
  },
  async clearCache() {
    try {
      set({ cacheStats: await bridge().call('cache:clear', {}) });
      get().showToast('info', 'Cleared the response cache');
    } catch (error) {
      get().reportError(error, 'Could not clear the cache');
    }
  },
});
