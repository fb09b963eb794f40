/**
 * The history list: a virtualized listbox of runs, newest first, that loads the next keyset
 * page as its end comes into view. Arrow keys move the selection (the open run), Space ticks
 * a run for comparison.
 */

import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../../shared/types';
import { Icon } from '../../components/icons';
import { formatDuration, formatFullDate, formatNumber, formatShortDate } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { isInputEstimated } from '../../../shared/cost';
import { figureText, samplePlace, statusLabel, storedCost, versionLabel } from '../runs/run-figures';
import type { HistoryItem } from './history-slice';
import { RUN_DETAIL_HEADING_ID } from './run-detail';

/** Row height in pixels; every row has the same three lines. */
const ROW_HEIGHT = 66;
/** How close to the end (in rows) the next page is asked for. */
const PREFETCH_ROWS = 15;

/** Characters of a snippet kept before its first match, so that a row's one line shows the match, not an ellipsis before it. */
const SNIPPET_LEAD_CHARS = 30;

/**
 * `snippet` from a few words before its first match: the index gives up to 16 words before it,
 * which a row's one line would cut off with its ellipsis before the match came.
 */
function fromNearFirstMatch(snippet: string): string {
  const start = snippet.indexOf(SNIPPET_MATCH_START);
  if (start <= SNIPPET_LEAD_CHARS) return snippet;
  const lead = snippet.slice(start - SNIPPET_LEAD_CHARS, start);
  // From the start of a word when one starts in the lead; a long word is cut (never half an emoji).
  const wordStart = lead.search(/\s\S/);
  const kept = wordStart === -1 ? lead.replace(/^[\uDC00-\uDFFF]/, '') : lead.slice(wordStart + 1);
  return `…${kept}${snippet.slice(start)}`;
}

/** A search snippet with its matched words marked, shown from a few words before the first. */
export function highlightSnippet(snippet: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let rest = fromNearFirstMatch(snippet);
  let key = 0;
  while (rest !== '') {
    const start = rest.indexOf(SNIPPET_MATCH_START);
    if (start === -1) {
      parts.push(rest);
      break;
    }
    const end = rest.indexOf(SNIPPET_MATCH_END, start);
    parts.push(rest.slice(0, start));
    const match = rest.slice(start + 1, end === -1 ? undefined : end);
    parts.push(
      <mark key={key++} className="snippet-match">
        {match}
      </mark>,
    );
    rest = end === -1 ? '' : rest.slice(end + 1);
  }
  return parts;
}

/** The DOM id of the list, for the search box's ↓. */
const HISTORY_LIST_ID = 'history-list';

/** Moves the keyboard to the list, on the open run or else the first one (↓ in the search box). */
export function focusHistoryList(): void {
  const list = document.getElementById(HISTORY_LIST_ID);
  if (list === null) return;
  list.focus();
  const { historyItems, selectedRunId } = useWorkbench.getState();
  // The open run's row may be out of view (the list starts at its top): it is brought into view as it takes the keyboard.
  if (historyItems.some((item) => item.id === selectedRunId)) useWorkbench.setState({ historyFocusRunId: selectedRunId });
  else if (historyItems.length > 0) void useWorkbench.getState().selectRun(historyItems[0].id);
}

/** The DOM id of a run's row, for aria-activedescendant. */
function rowId(runId: number): string {
  return `history-run-${runId}`;
}

const HistoryRow = memo(function HistoryRow({ item, isSelected, isTicked }: { item: HistoryItem; isSelected: boolean; isTicked: boolean }) {
  // Nothing counted (a run that failed before any answer): a dash; counted locally: marked as the estimate it is.
  const mark = item.usage.isEstimated ? '~' : '';
  const inputMark = isInputEstimated(item.usage) ? '~' : '';
  const isEmpty = item.usage.inputTokens === 0 && item.usage.outputTokens === 0;
  const tokens = isEmpty ? '– tok' : `${inputMark}${formatNumber(item.usage.inputTokens)} → ${mark}${formatNumber(item.usage.outputTokens)} tok`;
  const sample = samplePlace(item);
  return (
    <div
      id={rowId(item.id)}
      role="option"
      aria-selected={isSelected}
      className={`history-row${isSelected ? ' is-selected' : ''}`}
      data-testid="history-row"
      data-run-id={item.id}
      data-status={item.status}
      onClick={() => void useWorkbench.getState().selectRun(item.id)}
    >
      <label className="history-check" title="Tick two runs to compare their outputs" onClick={(event) => event.stopPropagation()}>
        <input type="checkbox" tabIndex={-1} aria-label={`Compare run ${item.id}`} data-testid="history-compare-check" checked={isTicked} onChange={() => useWorkbench.getState().toggleHistoryCompare(item.id)} />
      </label>
      <div className="history-row-main">
        <div className="history-line">
          <span
            className={`status-dot-small is-${item.status === 'error' && item.isInterrupted ? 'interrupted' : item.status}`}
            data-testid="history-status"
            role="img"
            title={statusLabel(item.status, item.isInterrupted, item.isNotSent)}
            aria-label={statusLabel(item.status, item.isInterrupted, item.isNotSent)}
          />
          <span className="history-model" data-testid="history-model" title={item.model}>
            {item.model}
          </span>
          <span className="muted history-provider" title={item.providerLabel}>
            {item.providerLabel}
          </span>
          {item.isCacheHit && <span className="cached-badge">cached</span>}
          {/* A stopped run's text looks like a whole answer: say it is not. */}
          {item.status === 'cancelled' && (
            <span className="stopped-badge" data-testid="history-stopped" title="Stopped before it finished: the output is what had come by then">
              stopped
            </span>
          )}
          {item.notices.length > 0 && (
            <span className="history-notice" data-testid="history-notice" title={item.notices.join('\n')} aria-label={`How it was sent: ${item.notices.join('; ')}`}>
              <Icon name="info" />
            </span>
          )}
          <span className="spacer" />
          <span className="tabular history-cost" data-testid="history-cost" title={storedCost(item).hint}>
            {figureText(storedCost(item))}
          </span>
        </div>
        <div className="history-line muted">
          <span className="history-prompt" title={item.promptName ?? 'deleted prompt'}>
            {item.promptName ?? 'deleted prompt'}
          </span>
          <span className="version-tag">{versionLabel(item.version)}</span>
          {sample !== null && (
            <span className="version-tag" data-testid="history-sample" title={`Sample ${sample.number} of ${sample.count} of the same request`}>
              #{sample.number}
            </span>
          )}
          <span className="tabular">{tokens}</span>
          {item.latencyMs !== null && <span className="tabular">{formatDuration(item.latencyMs)}</span>}
          <span className="spacer" />
          <span className="tabular history-date" title={formatFullDate(item.startedAt)}>
            {formatShortDate(item.startedAt)}
          </span>
        </div>
        {/* Cut short by the row's width: the tooltip has the error, or the answer's first 200 characters. */}
        <div
          className={`history-preview${item.status === 'error' ? ' is-error' : ''}`}
          data-testid="history-preview"
          title={item.snippet !== undefined ? undefined : item.status === 'error' ? (item.error ?? undefined) : item.outputPreview || undefined}
        >
          {item.snippet !== undefined ? highlightSnippet(item.snippet) : item.status === 'error' ? item.error : item.outputPreview || <span className="muted">(no output)</span>}
        </div>
      </div>
    </div>
  );
});

/** The virtualized list. */
export function HistoryList() {
  const { items, cursor, isLoading, isLoaded, selectedId, ticked, focusRunId, listStart } = useWorkbench(
    useShallow((state) => ({
      items: state.historyItems,
      cursor: state.historyCursor,
      isLoading: state.isHistoryLoading,
      isLoaded: state.isHistoryLoaded,
      selectedId: state.selectedRunId,
      ticked: state.historyCompare,
      focusRunId: state.historyFocusRunId,
      listStart: state.historyListStart,
    })),
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => items[index].id,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.at(-1)?.index ?? -1;

  // New filters or a new search: the list shows its newest runs first, however far the last one was scrolled.
  useEffect(() => {
    if (listStart > 0) virtualizer.scrollToOffset(0);
  }, [listStart, virtualizer]);

  useEffect(() => {
    if (cursor !== null && !isLoading && lastIndex >= items.length - PREFETCH_ROWS) void useWorkbench.getState().loadMoreHistory();
  }, [lastIndex, items.length, cursor, isLoading]);

  // A run opened from another view takes the keyboard once the list that may hold it is loaded: its row, else the open run's heading.
  useEffect(() => {
    if (focusRunId === null || !isLoaded || isLoading) return;
    const index = items.findIndex((item) => item.id === focusRunId);
    if (index === -1) {
      document.getElementById(RUN_DETAIL_HEADING_ID)?.focus();
    } else {
      virtualizer.scrollToIndex(index, { align: 'auto' });
      scrollRef.current?.focus();
    }
    useWorkbench.getState().clearHistoryFocus();
  }, [focusRunId, isLoaded, isLoading, items, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (items.length === 0) return;
    const index = items.findIndex((item) => item.id === selectedId);
    let next: number;
    if (event.key === 'ArrowDown') next = Math.min(items.length - 1, index + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, index === -1 ? 0 : index - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    else if (event.key === 'PageDown') next = Math.min(items.length - 1, Math.max(0, index) + 8);
    else if (event.key === 'PageUp') next = Math.max(0, index - 8);
    else if (event.key === ' ' && index !== -1) {
      event.preventDefault();
      useWorkbench.getState().toggleHistoryCompare(items[index].id);
      return;
    } else return;
    event.preventDefault();
    virtualizer.scrollToIndex(next, { align: 'auto' });
    void useWorkbench.getState().selectRun(items[next].id);
  };

  return (
    <div
      ref={scrollRef}
      id={HISTORY_LIST_ID}
      className="history-list"
      role="listbox"
      aria-label="Runs"
      tabIndex={0}
      aria-activedescendant={selectedId !== null && items.some((item) => item.id === selectedId) ? rowId(selectedId) : undefined}
      data-testid="history-list"
      onKeyDown={onKeyDown}
    >
      <div className="history-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualItems.map((row) => {
          const item = items[row.index];
          return (
            <div key={row.key} className="history-row-slot" style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}>
              <HistoryRow item={item} isSelected={item.id === selectedId} isTicked={ticked.includes(item.id)} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
