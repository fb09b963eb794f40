/**
 * The activity bar: Prompts, Evals, History and Settings, each a keyboard-reachable button with
 * its shortcut in the tooltip, plus a dot while runs or evals are going.
 */

import { useShallow } from 'zustand/react/shallow';
import { Icon, type IconName } from '../../components/icons';
import { useWorkbench } from '../../store/workbench-store';
import { isBatchRunning } from '../runs/runs-slice';
import type { Workspace } from '../settings/settings-slice';
import { isMac } from '../status/shortcuts';

const ITEMS: { workspace: Workspace; label: string; icon: IconName; shortcut: string }[] = [
  { workspace: 'prompts', label: 'Prompts', icon: 'prompts', shortcut: 'Ctrl+Shift+E' },
  { workspace: 'evals', label: 'Evals', icon: 'evals', shortcut: 'Ctrl+Shift+X' },
  { workspace: 'history', label: 'History', icon: 'history', shortcut: 'Ctrl+Shift+H' },
  { workspace: 'release', label: 'Release', icon: 'release', shortcut: 'Ctrl+Shift+G' },
  { workspace: 'settings', label: 'Settings', icon: 'gear', shortcut: 'Ctrl+,' },
];

/** The shortcut of a workspace as this platform names it. */
export function workspaceShortcut(workspace: Workspace): string {
  const shortcut = ITEMS.find((item) => item.workspace === workspace)?.shortcut ?? '';
  return isMac() ? shortcut.replace('Ctrl+Shift+', '⇧⌘').replace('Ctrl+', '⌘') : shortcut;
}

/** The workspace a key press asks for, if any. */
export function workspaceForKey(event: KeyboardEvent): Workspace | null {
  const key = event.key.toLowerCase();
  if (!event.shiftKey && key === ',') return 'settings';
  if (event.shiftKey && key === 'h') return 'history';
  if (event.shiftKey && key === 'g') return 'release';
  if (event.shiftKey && key === 'e') return 'prompts';
  if (event.shiftKey && key === 'x') return 'evals';
  return null;
}

/** The bar at the window's left edge. */
export function ActivityBar() {
  const { workspace, isRunning, isEvalRunning } = useWorkbench(
    useShallow((state) => ({
      workspace: state.workspace,
      isRunning: Object.values(state.batches).some((batch) => isBatchRunning(batch)),
      isEvalRunning: state.openEval?.status === 'running' || state.evalList.some((item) => item.status === 'running'),
    })),
  );
  return (
    <nav className="activity-bar" aria-label="Workspaces" data-testid="activity-bar">
      {ITEMS.map((item) => (
        <button
          key={item.workspace}
          type="button"
          className={`activity-button${workspace === item.workspace ? ' is-active' : ''}`}
          aria-current={workspace === item.workspace ? 'page' : undefined}
          aria-label={item.label}
          title={`${item.label} (${workspaceShortcut(item.workspace)})`}
          data-testid={`nav-${item.workspace}`}
          onClick={() => useWorkbench.getState().setWorkspace(item.workspace)}
        >
          <Icon name={item.icon} />
          {item.workspace === 'prompts' && isRunning && <span className="activity-dot" data-testid="running-dot" aria-label="Runs in progress" />}
          {item.workspace === 'evals' && isEvalRunning && <span className="activity-dot" data-testid="eval-running-dot" aria-label="An eval is running" />}
        </button>
      ))}
    </nav>
  );
}
