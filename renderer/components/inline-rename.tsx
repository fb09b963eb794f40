/**
 * A name typed over in place (a prompt in the library, a variable in the Variables tab): the field
 * opens with the name selected; Enter or leaving the field renames, Escape gives up; a name refused
 * keeps the field open with what was typed, saying why, until it is changed or given up.
 */

import { useEffect, useId, useRef, useState } from 'react';

/** Props of `InlineRename`. */
export interface InlineRenameProps {
  /** The name as it is: the field opens with it, selected. */
  name: string;
  /** Renames to what was typed: null when done, else why not, said under the field while it stays open. */
  commit: (typed: string) => Promise<string | null> | string | null;
  /** Called once renamed or given up, to close the field. */
  onDone: () => void;
  /** Its accessible name ("Prompt name"). */
  label: string;
  testId: string;
  errorTestId: string;
  /** Added to `rename-input`. */
  className?: string;
  maxLength?: number;
  spellCheck?: boolean;
  /** True inside a row that answers clicks and keys itself (the library’s): they stay with the field. */
  isInRow?: boolean;
}

/** The rename field and, while a name is refused, why. */
export function InlineRename({ name, commit, onDone, label, testId, errorTestId, className, maxLength, spellCheck, isInRow = false }: InlineRenameProps) {
  const [typed, setTyped] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  // Set while a rename is under way or done, so that Enter and the blur after it rename once.
  const isDone = useRef(false);
  const errorId = useId();
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);
  const finish = async (isCommit: boolean) => {
    if (isDone.current) return;
    isDone.current = true;
    const refusal = isCommit ? await commit(typed) : null;
    if (refusal !== null) {
      isDone.current = false;
      setError(refusal);
      return;
    }
    onDone();
  };
  return (
    <>
      <input
        ref={inputRef}
        className={className === undefined ? 'rename-input' : `rename-input ${className}`}
        data-testid={testId}
        aria-label={label}
        aria-invalid={error !== null}
        aria-describedby={error === null ? undefined : errorId}
        spellCheck={spellCheck}
        value={typed}
        maxLength={maxLength}
        onChange={(event) => {
          setTyped(event.target.value);
          setError(null);
        }}
        onClick={isInRow ? (event) => event.stopPropagation() : undefined}
        onDoubleClick={isInRow ? (event) => event.stopPropagation() : undefined}
        onKeyDown={(event) => {
          if (isInRow) event.stopPropagation();
          if (event.key === 'Enter') void finish(true);
          if (event.key === 'Escape') void finish(false);
        }}
        onBlur={() => void finish(true)}
      />
      {error !== null && (
        <span className="field-error rename-error" id={errorId} role="alert" data-testid={errorTestId}>
          {error}
        </span>
      )}
    </>
  );
}
