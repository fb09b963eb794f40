/**
 * A select of the configured providers, by label: where a model is picked (the runs panel's
 * picker, a judge in a check, in Import or in Settings).
 */

import type { ChangeEvent } from 'react';
import { useWorkbench } from '../store/workbench-store';

/** Props of `ProviderSelect`; the rest go to the `<select>`. */
export interface ProviderSelectProps {
  value: number | null;
  onChange: (providerId: number) => void;
  id?: string;
  className?: string;
  testId?: string;
  ariaLabel?: string;
  isDisabled?: boolean;
  /** Set when the field has a problem (a provider that was removed), for `aria-invalid` and `aria-describedby`. */
  problemId?: string;
  /** What the select shows when `value` is no provider here (one removed since); "Choose a provider" unless said. */
  missingLabel?: string;
}

/**
 * The configured providers as a select; `onChange` gets the chosen provider's id. A value that is
 * no provider here shows as an empty choice, never as the first provider: the select would
 * otherwise claim a provider it does not hold, and save it on the next change.
 */
export function ProviderSelect({ value, onChange, id, className = 'select', testId, ariaLabel, isDisabled = false, problemId, missingLabel = 'Choose a provider' }: ProviderSelectProps) {
  const providers = useWorkbench((state) => state.providers);
  const isMissing = value === null || !providers.some((provider) => provider.id === value);
  return (
    <select
      id={id}
      className={className}
      data-testid={testId}
      aria-label={ariaLabel}
      aria-invalid={problemId === undefined ? undefined : true}
      aria-describedby={problemId}
      disabled={isDisabled}
      value={isMissing ? '' : (value ?? '')}
      onChange={(event: ChangeEvent<HTMLSelectElement>) => onChange(Number(event.target.value))}
    >
      {isMissing && (
        <option value="" disabled>
          {missingLabel}
        </option>
      )}
      {providers.map((provider) => (
        <option key={provider.id} value={provider.id}>
          {provider.label}
        </option>
      ))}
    </select>
  );
}
