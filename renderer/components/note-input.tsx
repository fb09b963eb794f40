/**
 * The one-line note a new version or an approval carries, no longer than the engine keeps.
 */

import { MAX_NOTE_CHARS } from '../../shared/contract';

/** Props of `NoteInput`. */
export interface NoteInputProps {
  /** Its accessible name ("Version note"). */
  label: string;
  /** What to write, shown while it is empty. */
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}

/** A dialog's note field. */
export function NoteInput({ label, placeholder, value, onChange, testId }: NoteInputProps) {
  return (
    <input className="dialog-input" data-testid={testId} placeholder={placeholder} aria-label={label} maxLength={MAX_NOTE_CHARS} value={value} onChange={(event) => onChange(event.target.value)} />
  );
}
