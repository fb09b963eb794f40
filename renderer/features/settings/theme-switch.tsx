/**
 * System / Light / Dark, as a compact segmented control.
 */

import type { ThemePreference } from '../../../shared/types';
import { SegmentedRadioGroup, type RadioChoice } from '../../components/segmented-radio-group';
import { useWorkbench } from '../../store/workbench-store';

const CHOICES: RadioChoice<ThemePreference>[] = [
  { value: 'system', label: 'System', testId: 'theme-system' },
  { value: 'light', label: 'Light', testId: 'theme-light' },
  { value: 'dark', label: 'Dark', testId: 'theme-dark' },
];

/** The theme switch of the status bar. */
export function ThemeSwitch() {
  const preference = useWorkbench((state) => state.themePreference);
  return (
    <SegmentedRadioGroup
      label="Theme"
      choices={CHOICES}
      value={preference}
      testId="theme-switch"
      onChange={(value) => void useWorkbench.getState().setThemePreference(value)}
    />
  );
}
