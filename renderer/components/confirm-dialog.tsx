/**
 * A question before something that cannot be undone: what goes, what stays, and two buttons.
 * Enter confirms, Esc cancels (as in the save and approve dialogs); focus starts on the confirm
 * button and returns where it was.
 */

import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

/** Props of `ConfirmDialog`. */
export interface ConfirmDialogProps {
  /** The question ("Remove LM Studio?"). */
  title: ReactNode;
  /** What happens, in plain words: what goes and what stays. */
  children: ReactNode;
  /** The confirm button's label ("Remove"). */
  confirmLabel: string;
  /** The cancel button's label; "Cancel" unless given. */
  cancelLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}

/** A modal confirmation. */
export function ConfirmDialog({ title, children, confirmLabel, cancelLabel = 'Cancel', onConfirm, onCancel, testId }: ConfirmDialogProps) {
  const id = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<Element | null>(document.activeElement);

  useEffect(() => {
    confirmRef.current?.focus();
    const previous = returnFocus.current;
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    } else if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement && event.target !== confirmRef.current)) {
      // Enter on the cancel button cancels, as a button's own Enter would; anywhere else it confirms.
      event.preventDefault();
      onConfirm();
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={onCancel}>
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        data-testid={testId}
        onMouseDown={(event) => event.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        <div className="dialog-title" id={`${id}-title`}>
          {title}
        </div>
        <div className="dialog-body" id={`${id}-body`}>
          {children}
        </div>
        <div className="dialog-buttons confirm-buttons">
          <button ref={confirmRef} type="button" className="button button-danger" data-testid="confirm-button" onClick={onConfirm}>
            {confirmLabel}
          </button>
          <button type="button" className="button button-quiet" data-testid="cancel-button" onClick={onCancel}>
            {cancelLabel}
          </button>
          <span className="muted">Enter to {confirmLabel.toLowerCase()} · Esc to cancel</span>
        </div>
      </div>
    </div>
  );
}
