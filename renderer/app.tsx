/**
 * The window: the activity bar, the prompts workspace (library, editor over runs, details
 * panel), evals, history and settings, and the status bar, plus the app-wide behaviour (start-up,
 * theme, shortcuts, autosave triggers).
 */

import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { collectVariables } from '../shared/template';
import { isModalDialogOpen } from './components/dialog-shell';
import { ErrorBoundary } from './components/error-boundary';
import { assertNever } from '../shared/assert-never';
import { monaco } from './monaco/monaco-api';
import { setTemplateContext, updateAllTemplateMarkers } from './monaco/template-language';
import { MONACO_THEMES } from './monaco/themes';
import { DraftEditor } from './features/editor/draft-editor';
import { journalIfUnsaved } from './features/editor/draft-slice';
import { EvalsView } from './features/evals/evals-view';
import { flushEditors } from './features/editor/editor-flush';
import { RightPanel } from './features/editor/right-panel';
import { HISTORY_SEARCH_ID } from './features/history/history-filters';
import { HistoryView } from './features/history/history-view';
import { ApproveDialog } from './features/release/approve-dialog';
import { ReleaseView } from './features/release/release-view';
import { LibrarySidebar, NEW_PROMPT_EVENT } from './features/library/library-sidebar';
import { RunsPanel } from './features/runs/runs-panel';
import { isBatchRunning } from './features/runs/runs-slice';
import { SplitCentre } from './features/runs/split-centre';
import { currentSystemTheme } from './features/settings/settings-slice';
import { SETTINGS_START_ID, SettingsView } from './features/settings/settings-view';
import { useResolvedTheme } from './features/settings/use-theme';
import { ProblemsNotice } from './features/status/problems-notice';
import { notConnectedText } from './features/status/not-connected';
import { hasCommandModifier } from './features/status/shortcuts';
import { ShortcutsDialog, SHORTCUTS_EVENT, isTypingIn } from './features/status/shortcuts-dialog';
import { StatusBar } from './features/status/status-bar';
import { Toasts } from './features/status/toasts';
import { SaveVersionDialog } from './features/versions/save-version-dialog';
import { VersionCompare, VersionView } from './features/versions/version-view';
import { ActivityBar, workspaceForKey } from './features/workspace/activity-bar';
import { EmptyCentre } from './features/workspace/empty-centre';
import type { AppState } from './store/app-state';
import { useWorkbench } from './store/workbench-store';

function useTheme() {
  const theme = useResolvedTheme();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
    monaco.editor.setTheme(MONACO_THEMES[theme]);
  }, [theme]);
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => useWorkbench.getState().setSystemTheme(currentSystemTheme());
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
}

/** True when a key press is one of the window's Ctrl (⌘) shortcuts: a workspace, run, stop, save or search. */
function isWindowShortcut(event: KeyboardEvent): boolean {
  if (!hasCommandModifier(event)) return false;
  return workspaceForKey(event) !== null || (!event.shiftKey && ['enter', '.', 's', 'p'].includes(event.key.toLowerCase()));
}

/** True when a key press happens inside a popover (the model picker), which handles its own keys. */
function isInPopover(event: KeyboardEvent): boolean {
  return event.target instanceof Element && event.target.closest('[role="dialog"]') !== null;
}

/** True while the open prompt's runs have the whole window (maximized, with a comparison to show). */
function isRunsMaximized(state: AppState): boolean {
  return state.isRunsMaximized && state.currentPrompt !== null && state.latestBatchOf[state.currentPrompt.id] !== undefined;
}

/** What Ctrl+Enter and Ctrl+S say in the Prompts view while no prompt is open. */
const NOTHING_OPEN = 'No prompt is open: pick one in the library, or create one with Alt+N';

function useShortcuts() {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isModalDialogOpen()) {
        // The dialog has the keyboard; what the browser would make of a shortcut (Save page, Print) is never what was meant either.
        if (isWindowShortcut(event)) event.preventDefault();
        return;
      }
      if (event.key === 'F1' || (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTypingIn(event.target))) {
        // Capture phase: Monaco would open its own command palette for F1.
        event.preventDefault();
        event.stopPropagation();
        window.dispatchEvent(new Event(SHORTCUTS_EVENT));
        return;
      }
      const state = useWorkbench.getState();
      const workspace = hasCommandModifier(event) ? workspaceForKey(event) : null;
      if (workspace !== null) {
        event.preventDefault();
        event.stopPropagation();
        state.setWorkspace(workspace);
        // The keyboard goes where a person opening the history by keyboard wants to type.
        if (workspace === 'history') requestAnimationFrame(() => document.getElementById(HISTORY_SEARCH_ID)?.focus());
        else if (workspace === 'settings') requestAnimationFrame(() => document.getElementById(SETTINGS_START_ID)?.focus());
      } else if (hasCommandModifier(event) && !event.shiftKey && event.key === 'Enter') {
        // Capture phase: Monaco would insert a line below instead.
        event.preventDefault();
        event.stopPropagation();
        if (state.workspace === 'prompts' && state.currentPrompt) void state.startRun();
        else if (state.workspace === 'prompts') state.showToast('info', NOTHING_OPEN);
        else if (state.workspace === 'evals' && state.evalsTab === 'results' && state.currentPrompt && !isInPopover(event)) void state.startEval();
      } else if (hasCommandModifier(event) && !event.shiftKey && event.key === '.') {
        // Stops what Ctrl+Enter started here: the open prompt's running batch, or the open eval.
        event.preventDefault();
        event.stopPropagation();
        const batchId = state.currentPrompt ? state.latestBatchOf[state.currentPrompt.id] : undefined;
        if (state.workspace === 'prompts' && batchId !== undefined && isBatchRunning(state.batches[batchId])) void state.stopBatch(batchId);
        else if (state.workspace === 'evals' && state.openEval?.status === 'running') void state.cancelEval(state.openEval.id);
      } else if (hasCommandModifier(event) && !event.shiftKey && event.key.toLowerCase() === 'p') {
        // From any view, as the other view shortcuts: the library's search is in the Prompts view.
        event.preventDefault();
        state.setWorkspace('prompts');
        state.requestLibraryFocus({ kind: 'search' });
      } else if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyN') {
        // From any view too: the new prompt's name field is in the Prompts view's library.
        event.preventDefault();
        state.setWorkspace('prompts');
        window.dispatchEvent(new Event(NEW_PROMPT_EVENT));
      } else if (state.workspace === 'evals') {
        if (hasCommandModifier(event) && !event.shiftKey && event.key.toLowerCase() === 's') {
          // In the evals workspace Ctrl+S saves the test cases, not a prompt version; cut off, it says why it cannot.
          event.preventDefault();
          event.stopPropagation();
          const notConnected = notConnectedText(state);
          if (notConnected !== null && state.suiteEdit?.isDirty === true) state.showToast('error', notConnected);
          else void state.saveSuite();
        } else if (event.key === 'Escape' && state.openCell !== null && !isInPopover(event)) {
          state.closeEvalCell();
        }
      } else if (state.workspace !== 'prompts') {
        // History, Release and Settings have nothing Ctrl+S could save, but the browser's "Save page" is never what was meant.
        if (hasCommandModifier(event) && !event.shiftKey && event.key.toLowerCase() === 's') event.preventDefault();
      } else if (hasCommandModifier(event) && !event.shiftKey && event.key.toLowerCase() === 's') {
        // Capture phase: Monaco and the browser's "Save page" never see it.
        event.preventDefault();
        event.stopPropagation();
        if (state.currentPrompt) void state.openSaveDialog();
        else state.showToast('info', NOTHING_OPEN);
      } else if (event.key === 'Escape' && isRunsMaximized(state) && !isInPopover(event)) {
        // Before the version view: that is out of sight while the runs have the window. A picker keeps its Escape.
        state.setRunsMaximized(false);
      } else if (event.key === 'Escape' && state.centreView.kind !== 'draft') {
        state.closeVersionView();
      }
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, []);
}

function useAutosaveTriggers() {
  useEffect(() => {
    const saveNow = () => void useWorkbench.getState().saveDraftNow();
    const onPageHide = () => {
      flushEditors();
      // The save below may not reach the host before the window goes; the journal will.
      journalIfUnsaved(useWorkbench.getState());
      saveNow();
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') saveNow();
    };
    window.addEventListener('blur', saveNow);
    window.addEventListener('pagehide', onPageHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('blur', saveNow);
      window.removeEventListener('pagehide', onPageHide);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);
}

function useTemplateContext() {
  useEffect(() => {
    setTemplateContext({
      knownVariables() {
        const { messages, variables } = useWorkbench.getState();
        const used = collectVariables(messages);
        return [...new Set([...used, ...Object.keys(variables)])].sort((a, b) => a.localeCompare(b));
      },
      valueOf(name) {
        const { variables } = useWorkbench.getState();
        return Object.hasOwn(variables, name) ? variables[name] : undefined;
      },
    });
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Values changed: the "no value" warnings of every editor change with them.
    return useWorkbench.subscribe((state, previous) => {
      if (state.variables === previous.variables) return;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(updateAllTemplateMarkers, 150);
    });
  }, []);
}

function Centre() {
  const { view, hasPrompt } = useWorkbench(useShallow((state) => ({ view: state.centreView, hasPrompt: state.currentPrompt !== null })));
  if (!hasPrompt) return <EmptyCentre />;
  switch (view.kind) {
    case 'draft':
      return <DraftEditor />;
    case 'version':
      return <VersionView version={view.version} />;
    case 'compare':
      return <VersionCompare original={view.original} modified={view.modified} />;
    default:
      return assertNever(view, 'view');
  }
}

/** The whole window. */
export function App() {
  useEffect(() => useWorkbench.getState().start(), []);
  useEffect(() => {
    const onRejection = (event: PromiseRejectionEvent) => {
      // Monaco cancels its own work (hovers, diffs) with an error named 'Canceled': not news.
      const reason = event.reason as { name?: string; message?: string } | null;
      if (reason?.name === 'Canceled' || reason?.message === 'Canceled') return;
      event.preventDefault();
      useWorkbench.getState().reportError(event.reason);
    };
    window.addEventListener('unhandledrejection', onRejection);
    return () => window.removeEventListener('unhandledrejection', onRejection);
  }, []);
  const { promptId, workspace, hasBatch } = useWorkbench(
    useShallow((state) => ({
      promptId: state.currentPrompt?.id ?? null,
      workspace: state.workspace,
      hasBatch: state.currentPrompt !== null && state.latestBatchOf[state.currentPrompt.id] !== undefined,
    })),
  );
  useTheme();
  useShortcuts();
  useAutosaveTriggers();
  useTemplateContext();
  return (
    <div className="app">
      <ActivityBar />
      {/* Kept mounted while hidden: the editors keep their cursors, undo and scroll. */}
      <div className="prompts-workspace" hidden={workspace !== 'prompts'} data-testid="prompts-workspace">
        <ErrorBoundary area="the library">
          <LibrarySidebar />
        </ErrorBoundary>
        <main className="centre" aria-label="Editor">
          <ProblemsNotice />
          <div className="centre-body">
            {promptId === null ? (
              <ErrorBoundary area="the editor">
                <Centre />
              </ErrorBoundary>
            ) : (
              <SplitCentre
                isRunsCompact={!hasBatch}
                editor={
                  <ErrorBoundary area="the editor" resetKey={promptId}>
                    <Centre />
                  </ErrorBoundary>
                }
                runs={(controls) => (
                  <ErrorBoundary area="the runs" resetKey={promptId}>
                    <RunsPanel {...controls} />
                  </ErrorBoundary>
                )}
              />
            )}
          </div>
        </main>
        <ErrorBoundary area="the details panel" resetKey={promptId}>
          <RightPanel />
        </ErrorBoundary>
      </div>
      {workspace === 'evals' && (
        <ErrorBoundary area="the evals" resetKey={promptId}>
          <EvalsView />
        </ErrorBoundary>
      )}
      {workspace === 'history' && (
        <ErrorBoundary area="the history">
          <HistoryView />
        </ErrorBoundary>
      )}
      {workspace === 'release' && (
        <ErrorBoundary area="the release workspace">
          <ReleaseView />
        </ErrorBoundary>
      )}
      {workspace === 'settings' && (
        <ErrorBoundary area="the settings">
          <SettingsView />
        </ErrorBoundary>
      )}
      <StatusBar />
      <Toasts />
      <SaveVersionDialog />
      <ApproveDialog />
      <ShortcutsDialog />
    </div>
  );
}
