/**
 * The keyboard shortcuts, listed where the keyboard is: F1 (or ? outside a text field) opens the
 * list from any view, as does Shortcuts in the status bar; Esc closes it and gives the focus back.
 */

import { useEffect, useState } from 'react';
import { DialogShell } from '../../components/dialog-shell';
import { runShortcutLabel, stopShortcutLabel } from './shortcuts';

/** Asks the window to show the shortcuts (the key handler and the status bar's button send it). */
export const SHORTCUTS_EVENT = 'workbench:shortcuts';

/** True when `target` takes typed characters: a field, or a message editor. */
export function isTypingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select, .monaco-editor') !== null;
}

/** The shortcuts by where they work: each a key (or keys) and what it does. */
function shortcutGroups(): { title: string; keys: [string, string][] }[] {
  return [
    {
      title: 'Anywhere',
      keys: [
        ['Ctrl+Shift+E · X · H · G', 'Prompts · Evals · History · Release'],
        ['Ctrl+,', 'Settings'],
        ['Ctrl+P', 'Search the library'],
        ['Alt+N', 'New prompt'],
        ['F1 or ?', 'These shortcuts'],
      ],
    },
    {
      title: 'Prompts',
      keys: [
        [runShortcutLabel(), 'Run the draft (and the versions picked) on the models'],
        [stopShortcutLabel(), 'Stop the runs'],
        ['Ctrl+S', 'Save a version'],
        ['Ctrl+F · Ctrl+H', 'Find · replace in a message'],
        ['Tab · Shift+Tab', 'Next · previous field, out of a message too'],
        ['Ctrl+] · Ctrl+[', 'Indent · outdent lines'],
        ['Esc', 'Close what is on top (a version, a comparison, the maximized runs)'],
      ],
    },
    {
      title: 'Library',
      keys: [
        ['↑ · ↓', 'Move'],
        ['Enter', 'Open in the editor'],
        ['F2', 'Rename'],
        ['Ctrl+D', 'Duplicate'],
        ['Delete', 'Archive'],
      ],
    },
    {
      title: 'Evals',
      keys: [
        [runShortcutLabel(), 'Run the eval (Results)'],
        ['Ctrl+S', 'Save the test cases'],
        ['↑ · ↓ · Enter', 'Move in the case table'],
        ['Alt+Enter', 'Add a case'],
        ['Ctrl+D · Alt+Delete', 'Duplicate · delete a case'],
      ],
    },
    {
      title: 'Settings',
      keys: [
        ['Enter', 'Save the price or provider being edited'],
        ['Esc', 'Cancel the price being edited'],
      ],
    },
  ];
}

/** The shortcuts dialog, shown when asked for. */
export function ShortcutsDialog() {
  const [isOpen, setOpen] = useState(false);
  useEffect(() => {
    const open = () => setOpen(true);
    window.addEventListener(SHORTCUTS_EVENT, open);
    return () => window.removeEventListener(SHORTCUTS_EVENT, open);
  }, []);
  if (!isOpen) return null;
  return (
    <DialogShell title="Keyboard shortcuts" className="shortcuts-dialog" testId="shortcuts-dialog" onCancel={() => setOpen(false)} hint="Esc to close">
      <div className="shortcut-groups">
        {shortcutGroups().map((group) => (
          <section key={group.title} className="shortcut-group">
            <h3>{group.title}</h3>
            <dl>
              {group.keys.map(([keys, what]) => (
                <div key={keys + what} className="shortcut-row">
                  <dt>
                    <kbd>{keys}</kbd>
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </DialogShell>
  );
}
