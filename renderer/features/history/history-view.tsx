/**
 * The history workspace: filters on top, the virtualized list of runs on the left, and the
 * open run (or two runs' outputs in a diff) on the right.
 */

import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { assertNever } from '../../../shared/assert-never';
import { countOf, formatNumber } from '../../lib/format';
import { searchedText, unanswerableSearch } from '../../../shared/search-query';
import { useWorkbench } from '../../store/workbench-store';
import { HistoryFilters } from './history-filters';
import { HistoryList } from './history-list';
import { RunCompare } from './run-compare';
import { RunDetail } from './run-detail';

function Detail() {
  const detail = useWorkbench((state) => state.historyDetail);
  switch (detail.kind) {
    case 'none':
      return (
        <div className="empty-centre" data-testid="history-empty-detail">
          <p className="muted">Pick a run to see everything it ran with.</p>
          <p className="muted">↑ ↓ move (↓ from the search box goes to the list) · Space ticks two runs to compare their outputs</p>
        </div>
      );
    case 'run':
      // Keyed by run: another run opens at its top, not scrolled as far as the last one was.
      return <RunDetail key={detail.run.id} run={detail.run} />;
    case 'compare':
      return <RunCompare original={detail.original} modified={detail.modified} />;
    default:
      return assertNever(detail, 'history detail');
  }
}

/** The history workspace. */
export function HistoryView() {
  const { count, total, hasMore, isLoaded, isLoading, error, ticked, query, exporting, isDateRangeEmpty } = useWorkbench(
    useShallow((state) => ({
      exporting: state.historyExport,
      count: state.historyItems.length,
      total: state.historyTotal,
      hasMore: state.historyCursor !== null,
      isLoaded: state.isHistoryLoaded,
      isLoading: state.isHistoryLoading,
      error: state.historyError,
      ticked: state.historyCompare,
      query: searchedText(state.historyFilters.query),
      isDateRangeEmpty: state.historyFilters.from !== '' && state.historyFilters.to !== '' && state.historyFilters.from > state.historyFilters.to,
    })),
  );
  const searchProblem = query === '' ? null : unanswerableSearch(query);
  useEffect(() => {
    // Opening the history shows what happened since it was last open.
    void useWorkbench.getState().refreshHistoryHead();
  }, []);
  return (
    <div className="history-view workspace-page" data-testid="history-view">
      <HistoryFilters />
      <div className="history-body">
        <div className="history-side">
          <div className="history-summary">
            <span className="history-count" data-testid="history-count">
              {!isLoaded
                ? 'Loading…'
                : searchProblem !== null
                  ? 'No search'
                  : // Until the count comes (a moment after the first page), what is loaded, and that there is more.
                    `${countOf(total ?? count, query === '' ? 'run' : 'match', query === '' ? 'runs' : 'matches')}${total === null && hasMore ? '+' : ''}`}
            </span>
            {isLoading && isLoaded && (
              <span className="muted" data-testid="history-loading">
                loading…
              </span>
            )}
            <span className="spacer" />
            {exporting === null ? (
              <span className="history-export" role="group" aria-label="Export the runs shown">
                <span className="muted">Export</span>
                {(['csv', 'jsonl'] as const).map((format) => (
                  <button
                    key={format}
                    type="button"
                    className="button button-small"
                    data-testid={`export-${format}`}
                    disabled={!isLoaded || count === 0}
                    title={`Save every run the filters${query === '' ? '' : ' and search'} find as ${format === 'csv' ? 'CSV, one row per run' : 'JSON Lines, one whole run per line'}`}
                    onClick={() => void useWorkbench.getState().exportHistory(format)}
                  >
                    {format === 'csv' ? 'CSV' : 'JSONL'}
                  </button>
                ))}
              </span>
            ) : (
              <span className="history-export" data-testid="export-progress">
                <span className="muted tabular">
                  Exporting… {formatNumber(exporting.count)}
                  {total !== null && ` of ${formatNumber(total)}`}
                </span>
                <button type="button" className="button button-small" data-testid="export-cancel" onClick={() => useWorkbench.getState().cancelHistoryExport()}>
                  Cancel
                </button>
              </span>
            )}
            <button
              type="button"
              className="button button-small"
              data-testid="compare-runs"
              disabled={ticked.length !== 2}
              title={ticked.length === 2 ? `Compare run ${Math.min(...ticked)} (the older) with run ${Math.max(...ticked)}` : 'Tick two runs to compare their outputs'}
              onClick={() => void useWorkbench.getState().compareRuns()}
            >
              {ticked.length === 2 ? `Compare ${Math.min(...ticked)} → ${Math.max(...ticked)}` : 'Compare'}
            </button>
          </div>
          {error !== null && (
            <p className="history-error" role="alert" data-testid="history-error">
              {error}
            </p>
          )}
          {isLoaded && count === 0 && error === null && (
            <p className="empty-hint history-none" data-testid="history-none">
              {isDateRangeEmpty
                ? 'The “From” date is after the “to” date: no run can match.'
                : searchProblem !== null
                  ? searchProblem
                  : query === ''
                  ? 'No runs match. Run a prompt with Ctrl+Enter, or clear the filters.'
                  : `No answer or message sent mentions “${quotedQuery(query)}”. To find runs by prompt, model or status, use the filters.`}
            </p>
          )}
          <HistoryList />
        </div>
        <div className="history-detail">
          <Detail />
        </div>
      </div>
    </div>
  );
}

/** Longest search quoted whole in the "no answer mentions" line; a longer one is cut there. */
const QUOTED_QUERY_CHARS = 80;

/** The search as the "no answer mentions" line quotes it: cut with an ellipsis past 80 characters, never inside an emoji. */
function quotedQuery(query: string): string {
  const characters = [...query];
  return characters.length > QUOTED_QUERY_CHARS ? `${characters.slice(0, QUOTED_QUERY_CHARS - 1).join('')}…` : query;
}
