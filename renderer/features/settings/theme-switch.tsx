/**
 * System / Light / Dark, as a compact segmented control.
 */

import type { ThemePreference } from '../../../shared/types';
import { useWorkbench } from '../../store/workbench-store';

const CHOICES: { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** The theme switch of the status bar. */
export function ThemeSwitch() {
  const preference = useWorkbench((state) => state.themePreference);
  return (
    <div className="segmented" role="radiogroup" aria-label="Theme" data-testid="theme-switch">
      {CHOICES.map((choice) => (
        <button
          key={choice.value}
          type="button"
          role="radio"
          aria-checked={preference === choice.value}
          className={preference === choice.value ? 'is-active' : undefined}
          data-testid={`theme-${choice.value}`}
          onClick={() => void useWorkbench.getState().setThemePreference(choice.value)}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}
