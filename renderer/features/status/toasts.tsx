/**
 * Toasts: short messages in the corner that go away by themselves.
 */

import { useWorkbench } from '../../store/workbench-store';
import { IconButton } from '../../components/icon-button';

/** The toast stack. */
export function Toasts() {
  const toasts = useWorkbench((state) => state.toasts);
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" role="status" aria-live="polite">
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
                useWorkbench.getState().dismissToast(toast.id);
              }}
            >
              {toast.action.label}
            </button>
          )}
          <IconButton icon="close" label="Dismiss" onClick={() => useWorkbench.getState().dismissToast(toast.id)} />
        </div>
      ))}
    </div>
  );
}
