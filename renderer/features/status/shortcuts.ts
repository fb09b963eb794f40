/**
 * Keyboard shortcuts of the window, and how to name them on this platform.
 */

/** True on macOS, where the command key takes the place of control. */
export function isMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/** The label of the save-version shortcut. */
export function saveShortcutLabel(): string {
  return isMac() ? '⌘S' : 'Ctrl+S';
}

/** True when the event holds the platform's command modifier (⌘ on mac, Ctrl elsewhere) alone. */
export function hasCommandModifier(event: KeyboardEvent): boolean {
  return (isMac() ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey) && !event.altKey;
}

/** The label of the run shortcut. */
export function runShortcutLabel(): string {
  return isMac() ? '⌘↵' : 'Ctrl+Enter';
}

/** The label of the stop shortcut (⌘. is the Mac's own "cancel"). */
export function stopShortcutLabel(): string {
  return isMac() ? '⌘.' : 'Ctrl+.';
}

/** The label of the duplicate shortcut (a prompt in the library, a test case in Evals). */
export function duplicateShortcutLabel(): string {
  return isMac() ? '⌘D' : 'Ctrl+D';
}
