/**
 * The filters above the history list: words to search, prompt, version, model, status and
 * dates. Each change reloads the list from its first page.
 */

import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isSearchCut, MAX_SEARCH_LENGTH, SEARCH_SYNTAX_HINT } from '../../../shared/search-query';
import { RUN_STATUSES, type RunStatus } from '../../../shared/types';
import { Icon } from '../../components/icons';
import { useWorkbench } from '../../store/workbench-store';
import { PromptOptions } from '../library/prompt-options';
import { statusLabel } from '../runs/run-figures';
import { focusHistoryList } from './history-list';
import { NO_HISTORY_FILTERS, type HistoryFilters as Filters } from './history-slice';

/** The DOM id of the history's search box, which Ctrl+Shift+H focuses. */
export const HISTORY_SEARCH_ID = 'history-search';

/** The history's filter bar. */
export function HistoryFilters() {
  const { filters, prompts, models, approved } = useWorkbench(
    useShallow((state) => ({
      filters: state.historyFilters,
      // Archived prompts too: their runs are kept, so they can be listed and exported.
      prompts: state.allPrompts,
      // Approved versions of the filtered prompt, marked in the version list.
      approved: state.releaseOverview.find((item) => item.promptId === state.historyFilters.promptId)?.approvedVersions.join(',') ?? '',
      // Every model history has runs of, as suggestions; any part of an id can be typed.
      models: state.historyModels.join('\n'),
    })),
  );
  const id = useId();
  const set = (patch: Partial<Filters>) => useWorkbench.getState().setHistoryFilters(patch);
  const prompt = prompts.find((item) => item.id === filters.promptId);
  const latest = prompt?.latestVersion ?? 0;
  const versionNumbers = Array.from({ length: latest }, (_, index) => latest - index);
  const isFiltered = JSON.stringify(filters) !== JSON.stringify(NO_HISTORY_FILTERS);
  // The box keeps all that is typed or pasted (nothing lost), searches what the bridge accepts, and says so beside it.
  const isCut = isSearchCut(filters.query);
  return (
    <div className="history-filters" data-testid="history-filters">
      <div className="search-box history-search">
        <Icon name="search" className="search-icon" />
        <input
          id={HISTORY_SEARCH_ID}
          type="search"
          className="search-input"
          data-testid="history-search"
          aria-label="Search answers and the messages sent"
          aria-describedby={isCut ? `${id}-limit` : undefined}
          placeholder="Search answers and messages sent"
          title={`Words of the answers and of the messages each run sent (prompt text with its variables filled in): ${SEARCH_SYNTAX_HINT}. ↓ goes to the list. The filters beside find runs by prompt, model or status.`}
          value={filters.query}
          onChange={(event) => set({ query: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && filters.query !== '') set({ query: '' });
            else if (event.key === 'ArrowDown') {
              event.preventDefault();
              focusHistoryList();
            }
          }}
        />
        <span className="search-limit" id={`${id}-limit`} role="status" data-testid="history-search-limit">
          {isCut && `Only the first ${MAX_SEARCH_LENGTH} characters are searched`}
        </span>
      </div>
      <select className="select" aria-label="Prompt" data-testid="filter-prompt" value={filters.promptId ?? ''} onChange={(event) => set({ promptId: event.target.value === '' ? null : Number(event.target.value) })}>
        <option value="">All prompts</option>
        <PromptOptions prompts={prompts} />
      </select>
      <select
        className="select"
        aria-label="Version"
        data-testid="filter-version"
        disabled={prompt === undefined}
        title={prompt === undefined ? 'Pick a prompt to filter by its versions' : undefined}
        value={filters.version ?? ''}
        onChange={(event) => set({ version: event.target.value === '' ? null : event.target.value === 'draft' ? 'draft' : Number(event.target.value) })}
      >
        <option value="">All versions</option>
        <option value="draft">Draft</option>
        {versionNumbers.map((number) => (
          <option key={number} value={number}>
            v{number}
            {approved.split(',').includes(String(number)) ? ' ✓ approved' : ''}
          </option>
        ))}
      </select>
      <input
        className="filter-model"
        aria-label="Model"
        aria-describedby={`${id}-model-match`}
        data-testid="filter-model"
        placeholder="Model"
        title="A model picked from the list (or its whole id) finds its runs alone; other text finds every model containing it, in any case: “claude” finds every Claude model, “mini” every mini"
        list={`${id}-models`}
        spellCheck={false}
        value={filters.model}
        onChange={(event) => {
          const model = event.target.value;
          // A whole model id, picked from the suggestions (or typed out), is that model alone; the button beside says so and switches.
          set({ model, isModelExact: models.split('\n').includes(model.trim()) });
        }}
      />
      {filters.model.trim() !== '' && (
        <button
          type="button"
          id={`${id}-model-match`}
          className="button button-small filter-model-match"
          data-testid="filter-model-match"
          aria-pressed={filters.isModelExact}
          title={
            filters.isModelExact
              ? `Runs of ${filters.model.trim()} alone. Click to find every model whose id contains “${filters.model.trim()}”`
              : `Every model whose id contains “${filters.model.trim()}”, in any case. Click to find runs of exactly ${filters.model.trim()}`
          }
          onClick={() => set({ isModelExact: !filters.isModelExact })}
        >
          {filters.isModelExact ? 'exactly' : 'contains'}
        </button>
      )}
      <datalist id={`${id}-models`}>
        {models.split('\n').filter(Boolean).map((model) => (
          <option key={model} value={model} />
        ))}
      </datalist>
      <select className="select" aria-label="Status" data-testid="filter-status" value={filters.status ?? ''} onChange={(event) => set({ status: event.target.value === '' ? null : (event.target.value as RunStatus) })}>
        <option value="">Any status</option>
        {RUN_STATUSES.map((status) => (
          <option key={status} value={status}>
            {statusLabel(status)}
          </option>
        ))}
      </select>
      <label className="date-filter">
        <span className="muted">From</span>
        <input type="date" data-testid="filter-from" value={filters.from} max={filters.to || undefined} onChange={(event) => set({ from: event.target.value })} />
      </label>
      <label className="date-filter">
        <span className="muted">to</span>
        <input type="date" data-testid="filter-to" value={filters.to} min={filters.from || undefined} onChange={(event) => set({ to: event.target.value })} />
      </label>
      {isFiltered && (
        <button type="button" className="link-button" data-testid="filter-clear" onClick={() => useWorkbench.getState().clearHistoryFilters()}>
          Clear
        </button>
      )}
    </div>
  );
}
