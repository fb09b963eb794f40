/**
 * Toasts: short messages in the corner that go away by themselves.
 *
 * Dismissing one from the keyboard keeps the focus: it moves to the next toast's Dismiss, or, with
 * none left, back to where it was before it came into the toasts (unless its action moved it).
 */

import { useRef } from 'react';
import { useWorkbench } from '../../store/workbench-store';
import { IconButton } from '../../components/icon-button';

/** The toast stack. */
export function Toasts() {
  const toasts = useWorkbench((state) => state.toasts);
  const stack = useRef<HTMLDivElement | null>(null);
  /** What had the focus before it came into the toasts. */
  const cameFrom = useRef<HTMLElement | null>(null);
  if (toasts.length === 0) return null;

  const dismiss = (id: number) => {
    const container = stack.current;
    const hadFocus = container !== null && container.contains(document.activeElement);
    const index = toasts.findIndex((toast) => toast.id === id);
    useWorkbench.getState().dismissToast(id);
    if (!hadFocus) return;
    // After React has removed it: the toast now at its place (or the one before), else where the focus came from.
    requestAnimationFrame(() => {
      // An action that moved the focus itself (Undo to the row it brought back) keeps it there.
      if (document.activeElement !== null && document.activeElement !== document.body) return;
      const closes = stack.current?.querySelectorAll<HTMLElement>('[data-testid="toast-dismiss"]') ?? [];
      const next = closes[Math.min(index, closes.length - 1)];
      const origin = cameFrom.current;
      if (next) next.focus();
      else if (origin?.isConnected) origin.focus();
    });
  };

  return (
    <div
      ref={stack}
      className="toasts"
      role="status"
      aria-live="polite"
      onFocus={(event) => {
        const from = event.relatedTarget;
        if (from instanceof HTMLElement && !event.currentTarget.contains(from)) cameFrom.current = from;
      }}
    >
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} data-testid="toast" data-kind={toast.kind}>
          <span className="toast-message">{toast.message}</span>
          {toast.action && (
            <button
              type="button"
              className="link-button"
              data-testid="toast-action"
              onClick={() => {
                toast.action?.run();
                dismiss(toast.id);
              }}
            >
              {toast.action.label}
            </button>
          )}
          <IconButton icon="close" label="Dismiss" testId="toast-dismiss" onClick={() => dismiss(toast.id)} />
        </div>
      ))}
    </div>
  );
}
