/**
 * The shell every modal dialog shares: the backdrop, the titled and described panel, its footer
 * (the error line or else a hint, then Cancel and the action's button where it has one)
 * and its keyboard. Focus starts on the first field (a confirmation, with none, on its action's
 * button, or on Cancel when the action cannot be undone, so that Enter never destroys by
 * default), stays inside while the dialog is open (Tab and Shift+Tab wrap round), and returns to
 * what had it before, however the dialog closes. Esc cancels; Enter submits in the dialogs that
 * submit by Enter.
 */

import { useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';

/** Props of `DialogShell`. */
export interface DialogShellProps {
  /** The title, which labels the dialog ("Approve <strong>Summarizer</strong> v2"). */
  title: ReactNode;
  /** Plain words of what happens, which describe the dialog (a confirmation's body). */
  description?: ReactNode;
  /** The dialog's fields, between the title (or description) and the footer. */
  children?: ReactNode;
  /** `alertdialog` for a question before something that cannot be undone. */
  role?: 'dialog' | 'alertdialog';
  /** A class beside `dialog`, for a wider panel. */
  className?: string;
  testId: string;
  /** Esc, the backdrop and Cancel. */
  onCancel: () => void;
  /** The dialog's action: its button's click, and Enter when `isSubmittedByEnter`. */
  onSubmit?: () => void;
  /** True when Enter submits from anywhere in the dialog but a button or a multi-line field. */
  isSubmittedByEnter?: boolean;
  /** The action button's label; without one the footer holds no buttons (Enter alone submits). */
  submitLabel?: ReactNode;
  submitTestId?: string;
  /** True for an action that cannot be undone: the button says so in the danger colour, and without fields focus starts on Cancel. */
  isDanger?: boolean;
  /** True while the action cannot be taken (a gate not passed); Enter then does nothing. */
  isSubmitDisabled?: boolean;
  /** True while the action runs: its button is disabled and Enter does nothing. */
  isBusy?: boolean;
  /** What the footer says while there is no error ("Enter to save · Esc to cancel", "Saving…"). */
  hint: ReactNode;
  /** The last attempt's failure, said in the footer instead of the hint; null when there is none. */
  error?: string | null;
  errorTestId?: string;
}

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';

/** What Tab stops at in `root`, in document order: enabled, shown and not taken out of the order. */
function tabStopsIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.tabIndex >= 0 && !element.matches(':disabled') && element.getClientRects().length > 0,
  );
}

/** True when Enter on `target` does something of its own: a button presses, a text area breaks the line. */
function keepsItsEnter(target: EventTarget): boolean {
  return target instanceof HTMLButtonElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target instanceof HTMLAnchorElement;
}

/** True while a modal dialog is open: it has the keyboard, and the window's shortcuts wait. */
export function isModalDialogOpen(): boolean {
  return document.querySelector('.dialog[aria-modal="true"]') !== null;
}

/** A modal dialog's shell; the dialog gives its fields and its action. */
export function DialogShell({
  title,
  description,
  children,
  role = 'dialog',
  className,
  testId,
  onCancel,
  onSubmit,
  isSubmittedByEnter = false,
  submitLabel,
  submitTestId,
  isDanger = false,
  isSubmitDisabled = false,
  isBusy = false,
  hint,
  error = null,
  errorTestId,
}: DialogShellProps) {
  const id = useId();
  const panelRef = useRef<HTMLDivElement>(null);
  const footerRef = useRef<HTMLDivElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [opener] = useState<Element | null>(() => document.activeElement);

  // On open and on close only: where focus goes meanwhile is the person's doing.
  useEffect(() => {
    const panel = panelRef.current;
    const firstField = panel === null ? undefined : tabStopsIn(panel).find((element) => !footerRef.current?.contains(element));
    (firstField ?? (isDanger ? cancelRef.current : submitRef.current) ?? panel)?.focus();
    return () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  const canSubmit = onSubmit !== undefined && !isSubmitDisabled && !isBusy;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === 'Tab') {
      keepFocusInside(event);
    } else if (event.key === 'Enter' && isSubmittedByEnter && !event.ctrlKey && !event.metaKey && !keepsItsEnter(event.target)) {
      // Ctrl+Enter is the window's Run, which waits while a dialog is open.
      event.preventDefault();
      if (canSubmit) onSubmit();
    }
  };

  const keepFocusInside = (event: KeyboardEvent<HTMLDivElement>) => {
    const panel = panelRef.current;
    if (panel === null) return;
    const stops = tabStopsIn(panel);
    const index = stops.indexOf(document.activeElement as HTMLElement);
    // Only at the ends (or from the panel itself): between them, the browser's own order holds.
    if (stops.length === 0) {
      event.preventDefault();
    } else if (event.shiftKey && index <= 0) {
      event.preventDefault();
      stops[stops.length - 1].focus();
    } else if (!event.shiftKey && (index === -1 || index === stops.length - 1)) {
      event.preventDefault();
      stops[0].focus();
    }
  };

  const onBackdropMouseDown = (event: MouseEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    // The press would move focus to the page after the dialog returned it to the opener.
    event.preventDefault();
    onCancel();
  };

  return (
    <div className="dialog-backdrop" onMouseDown={onBackdropMouseDown}>
      <div
        ref={panelRef}
        className={className ? `dialog ${className}` : 'dialog'}
        role={role}
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={description === undefined ? undefined : `${id}-description`}
        tabIndex={-1}
        data-testid={testId}
        onKeyDown={onKeyDown}
      >
        <div className="dialog-title" id={`${id}-title`}>
          {title}
        </div>
        {description !== undefined && (
          <div className="dialog-body" id={`${id}-description`}>
            {description}
          </div>
        )}
        {children}
        <div ref={footerRef} className="dialog-footer">
          {error !== null ? (
            <span className="dialog-error" role="alert" data-testid={errorTestId}>
              {error}
            </span>
          ) : (
            <span className="muted">{hint}</span>
          )}
          {submitLabel !== undefined && (
            <>
              <span className="spacer" />
              <button ref={cancelRef} type="button" className="button" data-testid="dialog-cancel" onClick={onCancel}>
                Cancel
              </button>
              <button
                ref={submitRef}
                type="button"
                className={`button ${isDanger ? 'button-danger' : 'button-primary'}`}
                data-testid={submitTestId}
                disabled={isSubmitDisabled || isBusy}
                onClick={() => onSubmit?.()}
              >
                {submitLabel}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
