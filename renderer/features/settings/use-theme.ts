/**
 * The theme the screen shows now, and its Monaco counterpart.
 */

import { MONACO_THEMES } from '../../monaco/themes';
import { useWorkbench } from '../../store/workbench-store';
import { resolveTheme, type ResolvedTheme } from './settings-slice';

/** The resolved app theme. */
export function useResolvedTheme(): ResolvedTheme {
  return useWorkbench((state) => resolveTheme(state.themePreference, state.systemTheme));
}

/** The Monaco theme name matching the app theme. */
export function useMonacoTheme(): string {
  return MONACO_THEMES[useResolvedTheme()];
}
