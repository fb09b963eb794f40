/**
 * The note dialog of Ctrl+S: Enter saves the draft as a new version, Esc cancels.
 */

import { useEffect, useMemo, useRef, useState } from 'react';
import { findLiteralPlaceholders } from '../../../shared/template';
import { useWorkbench } from '../../store/workbench-store';
import { literalPlaceholderNotices } from '../variables/literal-placeholder-text';

/** The dialog, shown while `isSaveDialogOpen`. */
export function SaveVersionDialog() {
  const isOpen = useWorkbench((state) => state.isSaveDialogOpen);
  if (!isOpen) return null;
  return <SaveVersionForm />;
}

function SaveVersionForm() {
  const nextNumber = useWorkbench((state) => (state.versions[0]?.number ?? 0) + 1);
  const promptName = useWorkbench((state) => state.currentPrompt?.name ?? '');
  const messages = useWorkbench((state) => state.messages);
  // Saved as written, as runs send them: said here too, so a version is not frozen with them unawares.
  const literalNotices = useMemo(() => literalPlaceholderNotices(findLiteralPlaceholders(messages)), [messages]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const returnFocus = useRef<Element | null>(document.activeElement);

  useEffect(() => {
    inputRef.current?.focus();
    const previous = returnFocus.current;
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
    };
  }, []);

  const close = () => useWorkbench.getState().closeSaveDialog();
  const save = async () => {
    if (isSaving) return;
    setSaving(true);
    setError(null);
    const outcome = await useWorkbench.getState().saveVersion(note);
    setSaving(false);
    if (outcome.ok) {
      useWorkbench.getState().showToast('info', `Saved v${outcome.version.number}${outcome.version.note ? ` — ${outcome.version.note}` : ''}`);
      close();
    } else {
      setError(outcome.message);
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={close}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="save-version-title"
        data-testid="save-version-dialog"
        onMouseDown={(event) => event.stopPropagation()}
      >
        <div className="dialog-title" id="save-version-title">
          Save <strong>{promptName}</strong> as v{nextNumber}
        </div>
        <input
          ref={inputRef}
          className="dialog-input"
          data-testid="version-note-input"
          placeholder="Note — what changed? (optional)"
          aria-label="Version note"
          maxLength={2000}
          value={note}
          onChange={(event) => {
            setNote(event.target.value);
            setError(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              void save();
            } else if (event.key === 'Escape') {
              event.preventDefault();
              close();
            }
          }}
        />
        {literalNotices.length > 0 && (
          <ul className="preview-notices dialog-notices" data-testid="save-version-literal">
            {literalNotices.map((notice) => (
              <li key={notice}>{notice}</li>
            ))}
          </ul>
        )}
        <div className="dialog-footer">
          {error ? (
            <span className="dialog-error" role="alert" data-testid="save-version-error">
              {error}
            </span>
          ) : (
            <span className="muted">{isSaving ? 'Saving…' : 'Enter to save · Esc to cancel'}</span>
          )}
        </div>
      </div>
    </div>
  );
}
