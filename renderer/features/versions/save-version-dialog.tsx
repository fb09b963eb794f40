/**
 * The note dialog of Ctrl+S: Enter saves the draft as a new version, Esc cancels.
 */

import { useMemo, useState } from 'react';
import { DialogShell } from '../../components/dialog-shell';
import { NoteInput } from '../../components/note-input';
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

  const editNote = (value: string) => {
    setNote(value);
    setError(null);
  };
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
    <DialogShell
      title={
        <>
          Save <strong>{promptName}</strong> as v{nextNumber}
        </>
      }
      testId="save-version-dialog"
      onCancel={close}
      onSubmit={() => void save()}
      isSubmittedByEnter
      isBusy={isSaving}
      hint={isSaving ? 'Saving…' : 'Enter to save · Esc to cancel'}
      error={error}
      errorTestId="save-version-error"
    >
      <NoteInput label="Version note" placeholder="Note — what changed? (optional)" value={note} onChange={editNote} testId="version-note-input" />
      {literalNotices.length > 0 && (
        <ul className="preview-notices dialog-notices" data-testid="save-version-literal">
          {literalNotices.map((notice) => (
            <li key={notice}>{notice}</li>
          ))}
        </ul>
      )}
    </DialogShell>
  );
}
