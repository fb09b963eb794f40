/**
 * Toasts (call errors and confirmations) and the problems notice (malformed prompt files).
 */

import type { FileProblem } from '../../../shared/types';
import type { SliceCreator } from '../../store/app-state';

/** An action a toast offers, such as Undo. */
export interface ToastAction {
  label: string;
  run: () => void;
}

/** A short, unobtrusive message. */
export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  action?: ToastAction;
}

/** The notices slice. */
export interface NoticesSlice {
  toasts: Toast[];
  problems: FileProblem[];
  isProblemsNoticeOpen: boolean;
  /** Shows a toast; it goes away by itself after a while. */
  showToast(kind: Toast['kind'], message: string, action?: ToastAction): void;
  /** Shows an error's message as a toast. */
  reportError(error: unknown, context?: string): void;
  dismissToast(id: number): void;
  setProblems(problems: FileProblem[]): void;
  dismissProblems(): void;
}

let nextToastId = 1;
const TOAST_LIFETIME_MS = 7000;

/** Creates the notices slice. */
export const createNoticesSlice: SliceCreator<NoticesSlice> = (set, get) => ({
  toasts: [],
  problems: [],
  isProblemsNoticeOpen: false,
  showToast(kind, message, action) {
    const id = nextToastId++;
    // The same message twice in a row (a retry loop, say) shows once.
    const toasts = get().toasts.filter((toast) => toast.message !== message);
    set({ toasts: [...toasts.slice(-3), { id, kind, message, action }] });
    setTimeout(() => get().dismissToast(id), action ? TOAST_LIFETIME_MS * 1.5 : TOAST_LIFETIME_MS);
  },
  reportError(error, context) {
    const message = error instanceof Error ? error.message : String(error);
    get().showToast('error', context ? `${context}: ${message}` : message);
  },
  dismissToast(id) {
    set({ toasts: get().toasts.filter((toast) => toast.id !== id) });
  },
  setProblems(problems) {
    set({ problems, isProblemsNoticeOpen: problems.length > 0 });
  },
  dismissProblems() {
    set({ isProblemsNoticeOpen: false });
  },
});
