/**
 * The one store of the renderer, made of feature slices (zustand docs, "slices pattern").
 */

import { create } from 'zustand';
import { createCacheSlice } from '../features/cache/cache-slice';
import { createDraftSlice } from '../features/editor/draft-slice';
import { createEvalsSlice } from '../features/evals/evals-slice';
import { createHistorySlice } from '../features/history/history-slice';
import { createLibrarySlice } from '../features/library/library-slice';
import { createPricingSlice } from '../features/pricing/pricing-slice';
import { createReleaseSlice } from '../features/release/release-slice';
import { createProvidersSlice } from '../features/providers/providers-slice';
import { createRunsSlice } from '../features/runs/runs-slice';
import { createSettingsSlice } from '../features/settings/settings-slice';
import { createConnectionSlice } from '../features/status/connection-slice';
import { createNoticesSlice } from '../features/status/notices-slice';
import { createVersionsSlice } from '../features/versions/versions-slice';
import type { AppState } from './app-state';

/** The workbench store; read it with selectors and `useShallow`. */
export const useWorkbench = create<AppState>()((...args) => ({
  ...createConnectionSlice(...args),
  ...createNoticesSlice(...args),
  ...createSettingsSlice(...args),
  ...createLibrarySlice(...args),
  ...createDraftSlice(...args),
  ...createVersionsSlice(...args),
  ...createProvidersSlice(...args),
  ...createPricingSlice(...args),
  ...createReleaseSlice(...args),
  ...createRunsSlice(...args),
  ...createHistorySlice(...args),
  ...createCacheSlice(...args),
  ...createEvalsSlice(...args),
}));
