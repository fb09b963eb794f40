/**
 * The evals workspace of the open prompt: its test cases (table editor, import, export) and its
 * evals (run form, progress, results grid, summaries and the trend across versions).
 */

import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useWorkbench } from '../../store/workbench-store';
import { PromptOptions } from '../library/prompt-options';
import { CasesView } from './cases-view';
import type { EvalsTab } from './evals-slice';
import { ResultsView } from './results-view';

const TABS: { tab: EvalsTab; label: string }[] = [
  { tab: 'cases', label: 'Test cases' },
  { tab: 'results', label: 'Results' },
];

/** The evals workspace. */
export function EvalsView() {
  const { prompt, prompts, tab, caseCount, isDirty, evalCount } = useWorkbench(
    useShallow((state) => ({
      prompt: state.currentPrompt,
      // Archived prompts too: their evals are kept, to read and to run again.
      prompts: state.allPrompts,
      tab: state.evalsTab,
      caseCount: state.suiteEdit?.rows.length ?? null,
      isDirty: state.suiteEdit?.isDirty === true,
      evalCount: state.evalList.length,
    })),
  );
  const promptId = prompt?.id ?? null;
  useEffect(() => {
    if (promptId !== null) void useWorkbench.getState().loadEvals();
  }, [promptId]);
  // Back to this window (from a terminal that ran workbench eval, say): what was stored meanwhile shows.
  useEffect(() => {
    if (promptId === null) return undefined;
    const refresh = () => void useWorkbench.getState().loadEvals();
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, [promptId]);

  const select = (next: EvalsTab) => useWorkbench.getState().setEvalsTab(next);
  return (
    <div className="evals-view workspace-page" data-testid="evals-view">
      <header className="evals-header">
        <h1 className="evals-title">Evals</h1>
        <select
          className="select evals-prompt"
          aria-label="Prompt"
          data-testid="evals-prompt"
          value={promptId ?? ''}
          onChange={(event) => void useWorkbench.getState().openPrompt(Number(event.target.value))}
        >
          {promptId === null && <option value="">Pick a prompt</option>}
          <PromptOptions prompts={prompts} />
        </select>
        {prompt !== null && (
          <div
            className="tabs evals-tabs"
            role="tablist"
            aria-label="Evals"
            onKeyDown={(event) => {
              const index = TABS.findIndex((item) => item.tab === tab);
              const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
              if (delta === 0) return;
              const next = TABS[(index + delta + TABS.length) % TABS.length].tab;
              select(next);
              requestAnimationFrame(() => document.getElementById(`evals-tab-${next}`)?.focus());
            }}
          >
            {TABS.map((item) => (
              <button
                key={item.tab}
                id={`evals-tab-${item.tab}`}
                type="button"
                role="tab"
                aria-selected={tab === item.tab}
                aria-controls="evals-body"
                tabIndex={tab === item.tab ? 0 : -1}
                className={`tab${tab === item.tab ? ' is-active' : ''}`}
                data-testid={`evals-tab-${item.tab}`}
                onClick={() => select(item.tab)}
              >
                {item.label}
                {item.tab === 'cases' && caseCount !== null && <span className="tab-count">{caseCount}</span>}
                {item.tab === 'cases' && isDirty && (
                  <span className="unsaved-dot" title="Unsaved changes" aria-label="unsaved changes" data-testid="cases-tab-unsaved" />
                )}
                {item.tab === 'results' && evalCount > 0 && <span className="tab-count">{evalCount}</span>}
              </button>
            ))}
          </div>
        )}
        <span className="spacer" />
      </header>
      <div className="evals-body" id="evals-body" role="tabpanel" aria-labelledby={`evals-tab-${tab}`}>
        {prompt === null ? (
          <div className="empty-centre" data-testid="evals-no-prompt">
            <p>Open a prompt to give it test cases and evaluate its versions.</p>
            <button type="button" className="button" onClick={() => useWorkbench.getState().setWorkspace('prompts')}>
              Go to the prompts
            </button>
          </div>
        ) : tab === 'cases' ? (
          <CasesView />
        ) : (
          <ResultsView />
        )}
      </div>
    </div>
  );
}
