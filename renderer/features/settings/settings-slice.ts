/**
 * Settings kept by the engine (theme, daily budget), the OS theme, and the layout choices of
 * this window (which workspace and which tab of the details panel show).
 */

import type { AppSettings, RunTarget, ThemePreference } from '../../../shared/types';
import { bridge } from '../../bridge/connection';
import { assertNever } from '../../../shared/assert-never';
import type { SliceCreator } from '../../store/app-state';

/** A theme the screen can actually show. */
export type ResolvedTheme = 'light' | 'dark';

/** A tab of the right-hand panel. */
export type PanelTab = 'variables' | 'model' | 'versions';

/** What fills the window beside the activity bar. */
export type Workspace = 'prompts' | 'evals' | 'history' | 'release' | 'settings';

/** The settings slice: the theme, the daily budget, the judge of imported checks and the layout choices of this window. */
export interface SettingsSlice {
  themePreference: ThemePreference;
  systemTheme: ResolvedTheme;
  panelTab: PanelTab;
  workspace: Workspace;
  /** The most runs may cost per local day, in USD; null for no budget. */
  dailyBudgetUsd: number | null;
  /** What runs started since local midnight cost, as the budget check counts it; null until loaded. */
  spentTodayUsd: number | null;
  /** The judge of imported model-graded checks; null for none. */
  judge: RunTarget | null;
  setPanelTab(tab: PanelTab): void;
  setWorkspace(workspace: Workspace): void;
  loadSettings(): Promise<void>;
  /** Shows settings saved elsewhere (another window, or this one): theme, budget, cache limits and judge. */
  applySettings(settings: AppSettings): void;
  setThemePreference(theme: ThemePreference): Promise<void>;
  setSystemTheme(theme: ResolvedTheme): void;
  /** Saves the daily budget; resolves to an error message, or null when saved. */
  setDailyBudget(budgetUsd: number | null): Promise<string | null>;
  /** Reads today's spending again (Settings shows it beside the budget). */
  loadSpentToday(): Promise<void>;
  /** Saves (or with null, removes) the judge of imported model-graded checks; resolves to an error message, or null when saved. */
  setJudge(judge: RunTarget | null): Promise<string | null>;
}

/** Where the last choice is remembered so the first paint has the right colours. */
const THEME_CACHE_KEY = 'workbench.theme';

function cachedPreference(): ThemePreference {
  try {
    const value = localStorage.getItem(THEME_CACHE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

function cachePreference(theme: ThemePreference): void {
  try {
    localStorage.setItem(THEME_CACHE_KEY, theme);
  } catch {
    // Only the first paint suffers.
  }
}

/** The OS's current colour scheme. */
export function currentSystemTheme(): ResolvedTheme {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The theme to show for a preference. */
export function resolveTheme(preference: ThemePreference, system: ResolvedTheme): ResolvedTheme {
  switch (preference) {
    case 'system':
      return system;
    case 'light':
    case 'dark':
      return preference;
    default:
      return assertNever(preference, 'theme');
  }
}

/** Themes chosen in this window so far: a read of the settings begun before the latest does not undo it. */
let themeChoices = 0;

/** Creates the settings slice. */
export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get) => ({
  themePreference: cachedPreference(),
  systemTheme: currentSystemTheme(),
  panelTab: 'variables',
  workspace: 'prompts',
  dailyBudgetUsd: null,
  spentTodayUsd: null,
  judge: null,
  setPanelTab(tab) {
    set({ panelTab: tab });
  },
  setWorkspace(workspace) {
    if (workspace === get().workspace) return;
    // Leaving the editor: whatever was typed is saved now, not when the debounce fires.
    if (get().workspace === 'prompts') void get().saveDraftNow();
    set({ workspace });
    // Back to the editor: what changed elsewhere (the cache cleared, a price, a budget, a provider) shows in the estimate.
    if (workspace === 'prompts') get().refreshEstimate();
  },
  async loadSettings() {
    try {
      const choices = themeChoices;
      const settings = await bridge().call('settings:get', {});
      // A theme chosen while the read was on its way is newer than its answer (the choice's own answer follows).
      get().applySettings(choices === themeChoices ? settings : { ...settings, theme: get().themePreference });
      // The runs panel's last choices, for a window of an origin that remembers none.
      get().adoptRunChoices(settings.runChoices);
    } catch (error) {
      get().reportError(error, 'Could not load settings');
    }
  },
  applySettings(settings) {
    const previous = get();
    cachePreference(settings.theme);
    set({
      themePreference: settings.theme,
      dailyBudgetUsd: settings.dailyBudgetUsd,
      cacheLimitMb: settings.cacheLimitMb,
      cacheMaxAgeDays: settings.cacheMaxAgeDays,
      judge: settings.judge,
    });
    // The estimate says what the budget leaves (a refusal under the old budget no longer holds); the cache view, what a new limit evicted.
    if (settings.dailyBudgetUsd !== previous.dailyBudgetUsd) {
      previous.dismissRunRefusal();
      previous.refreshEstimate();
    }
    const isCacheChanged = settings.cacheLimitMb !== previous.cacheLimitMb || settings.cacheMaxAgeDays !== previous.cacheMaxAgeDays;
    if (isCacheChanged && previous.workspace === 'settings') void previous.loadCacheStats();
  },
  async setThemePreference(theme) {
    themeChoices += 1;
    const previous = get().themePreference;
    set({ themePreference: theme });
    cachePreference(theme);
    try {
      const settings = await bridge().call('settings:update', { theme });
      set({ themePreference: settings.theme });
    } catch (error) {
      set({ themePreference: previous });
      cachePreference(previous);
      get().reportError(error, 'Could not save the theme');
    }
  },
  setSystemTheme(theme) {
    set({ systemTheme: theme });
  },
  async setDailyBudget(budgetUsd) {
    try {
      const settings = await bridge().call('settings:update', { dailyBudgetUsd: budgetUsd });
      set({ dailyBudgetUsd: settings.dailyBudgetUsd });
      // A refusal under the old budget no longer holds; the estimate says what the new one leaves.
      get().dismissRunRefusal();
      get().refreshEstimate();
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  },
  async loadSpentToday() {
    try {
      const budget = await bridge().call('runs:budget', {});
      set({ spentTodayUsd: budget.spentTodayUsd });
    } catch (error) {
      get().reportError(error, 'Could not read today’s spending');
    }
  },
  async setJudge(judge) {
    try {
      const settings = await bridge().call('settings:update', { judge });
      set({ judge: settings.judge });
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  },
});
