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
}

/** The configured providers as a select; `onChange` gets the chosen provider's id. */
export function ProviderSelect({ value, onChange, id, className = 'select', testId, ariaLabel, isDisabled = false }: ProviderSelectProps) {
  const providers = useWorkbench((state) => state.providers);
  return (
    <select
      id={id}
      className={className}
      data-testid={testId}
      aria-label={ariaLabel}
      disabled={isDisabled}
      value={value ?? ''}
      onChange={(event: ChangeEvent<HTMLSelectElement>) => onChange(Number(event.target.value))}
    >
      {providers.map((provider) => (
        <option key={provider.id} value={provider.id}>
          {provider.label}
        </option>
      ))}
    </select>
  );
}
