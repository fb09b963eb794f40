/**
 * The shape of the whole store, as the intersection of its feature slices.
 */

import type { StateCreator } from 'zustand';
import type { CacheSlice } from '../features/cache/cache-slice';
import type { DraftSlice } from '../features/editor/draft-slice';
import type { EvalsSlice } from '../features/evals/evals-slice';
import type { HistorySlice } from '../features/history/history-slice';
import type { LibrarySlice } from '../features/library/library-slice';
import type { PricingSlice } from '../features/pricing/pricing-slice';
import type { ReleaseSlice } from '../features/release/release-slice';
import type { ProvidersSlice } from '../features/providers/providers-slice';
import type { RunsSlice } from '../features/runs/runs-slice';
import type { SettingsSlice } from '../features/settings/settings-slice';
import type { ConnectionSlice } from '../features/status/connection-slice';
import type { NoticesSlice } from '../features/status/notices-slice';
import type { VersionsSlice } from '../features/versions/versions-slice';

/** Every slice together. */
export type AppState = ConnectionSlice &
  NoticesSlice &
  SettingsSlice &
  LibrarySlice &
  DraftSlice &
  VersionsSlice &
  ProvidersSlice &
  PricingSlice &
  ReleaseSlice &
  RunsSlice &
  HistorySlice &
  CacheSlice &
  EvalsSlice;

/** A slice creator over the whole store. */
export type SliceCreator<Slice> = StateCreator<AppState, [], [], Slice>;
