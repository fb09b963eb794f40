/**
 * A question before something that cannot be undone: what goes, what stays, and two buttons.
 * Focus starts on Cancel, so Enter (like Esc) keeps everything; Tab then Enter confirms. Focus
 * returns where it was.
 */

import type { ReactNode } from 'react';
import { DialogShell } from './dialog-shell';

/** Props of `ConfirmDialog`. */
export interface ConfirmDialogProps {
  /** The question ("Remove LM Studio?"). */
  title: ReactNode;
  /** What happens, in plain words: what goes and what stays. */
  children: ReactNode;
  /** The confirm button's label ("Remove"). */
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  testId: string;
}

/** A modal confirmation. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onCancel, testId }: ConfirmDialogProps) {
  return (
    <DialogShell
      role="alertdialog"
      title={title}
      description={children}
      testId={testId}
      onCancel={onCancel}
      onSubmit={onConfirm}
      submitLabel={confirmLabel}
      submitTestId="confirm-button"
      isDanger
      hint={`Tab, then Enter to ${confirmLabel.toLowerCase()} · Esc to cancel`}
    />
  );
}
