/**
 * A segmented control that is a radio group as the ARIA practice describes it: one Tab stop (the
 * checked choice), arrow keys move to the next or previous choice and select it, Home and End go
 * to the first and last.
 */

import { useRef, type KeyboardEvent } from 'react';

/** One choice of a `SegmentedRadioGroup`. */
export interface RadioChoice<Value extends string> {
  value: Value;
  label: string;
  testId?: string;
}

/** Props of `SegmentedRadioGroup`. */
export interface SegmentedRadioGroupProps<Value extends string> {
  /** What the group chooses, for screen readers ("Theme"). */
  label: string;
  choices: readonly RadioChoice<Value>[];
  value: Value;
  onChange: (value: Value) => void;
  className?: string;
  testId?: string;
}

/** The index a key moves to from `index` among `count` choices, or null for a key that does not move. */
function movedIndex(key: string, index: number, count: number): number | null {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (index + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** Choices side by side, one of them checked. */
export function SegmentedRadioGroup<Value extends string>({ label, choices, value, onChange, className, testId }: SegmentedRadioGroupProps<Value>) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const checked = choices.findIndex((choice) => choice.value === value);
  // With nothing checked, the first choice is the group's Tab stop.
  const tabStop = checked === -1 ? 0 : checked;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const next = movedIndex(event.key, tabStop, choices.length);
    if (next === null) return;
    event.preventDefault();
    buttons.current[next]?.focus();
    onChange(choices[next].value);
  };
  return (
    <div className={className ? `segmented ${className}` : 'segmented'} role="radiogroup" aria-label={label} data-testid={testId} onKeyDown={onKeyDown}>
      {choices.map((choice, index) => (
        <button
          key={choice.value}
          ref={(element) => {
            buttons.current[index] = element;
          }}
          type="button"
          role="radio"
          aria-checked={choice.value === value}
          tabIndex={index === tabStop ? 0 : -1}
          className={choice.value === value ? 'is-active' : undefined}
          data-testid={choice.testId}
          onClick={() => onChange(choice.value)}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}
