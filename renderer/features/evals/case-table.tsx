/**
 * The test case table: a row per case, a column per prompt variable, then the expected output,
 * tags and the count of checks. Rows are virtualized so a thousand cases stay fast.
 *
 * Keys, spreadsheet-like: ↑/↓ and Enter move between rows in the same column, Alt+Enter adds a
 * case below, Ctrl+D duplicates the case, Alt+Delete deletes it. The row being edited is the one
 * the side panel shows.
 */

import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { assertNever } from '../../../shared/assert-never';
import { collectVariables } from '../../../shared/template';
import { countOf } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { hasCommandModifier } from '../status/shortcuts';
import { variableColumns, type CaseRow, type RowProblem } from './case-rows';

const NO_ROWS: CaseRow[] = [];

/** Row height in pixels: one line of inputs. */
const ROW_HEIGHT = 32;

/** The editable columns of a row, in order: description, variables, expected, tags. */
type Column = { kind: 'description' } | { kind: 'variable'; name: string } | { kind: 'expected' } | { kind: 'tags' };

function columnLabel(column: Column): string {
  switch (column.kind) {
    case 'description':
      return 'Description';
    case 'variable':
      return `{{${column.name}}}`;
    case 'expected':
      return 'Expected output';
    case 'tags':
      return 'Tags';
    default:
      return assertNever(column, 'column');
  }
}

function cellValue(row: CaseRow, column: Column): string {
  switch (column.kind) {
    case 'description':
      return row.description;
    case 'variable':
      return row.variables[column.name] ?? '';
    case 'expected':
      return row.expected;
    case 'tags':
      return row.tagsText;
    default:
      return assertNever(column, 'column');
  }
}

function setCellValue(row: CaseRow, column: Column, value: string): void {
  const state = useWorkbench.getState();
  switch (column.kind) {
    case 'description':
      return state.updateRow(row.key, { description: value });
    case 'variable':
      return state.setRowVariable(row.key, column.name, value);
    case 'expected':
      return state.updateRow(row.key, { expected: value });
    case 'tags':
      return state.updateRow(row.key, { tagsText: value });
    default:
      return assertNever(column, 'column');
  }
}

/** The CSS grid columns of the table. */
function gridTemplate(variableCount: number): string {
  return ['48px', 'minmax(140px, 1fr)', ...Array.from({ length: variableCount }, () => 'minmax(160px, 1.3fr)'), 'minmax(180px, 1.4fr)', 'minmax(110px, 0.7fr)', '92px'].join(' ');
}

/** What the Checks cell says: the case's own checks, and whether the suite's defaults run too. */
function checksLabel(own: number, defaults: number): string {
  if (own === 0) return defaults > 0 ? 'defaults' : 'none';
  return defaults > 0 ? `${own} + defaults` : countOf(own, 'check');
}

/** The narrowest the table gets before it scrolls sideways. */
function minimumWidth(variableCount: number): number {
  return 48 + 140 + variableCount * 160 + 180 + 110 + 92;
}

const CaseTableRow = memo(function CaseTableRow({
  row,
  index,
  columns,
  template,
  isFocused,
  problems,
}: {
  row: CaseRow;
  index: number;
  columns: Column[];
  template: string;
  isFocused: boolean;
  problems: RowProblem[] | undefined;
}) {
  const hasProblems = problems !== undefined && problems.length > 0;
  const defaultCount = useWorkbench((state) => state.suiteEdit?.defaultAssertions.length ?? 0);
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={isFocused}
      className={`case-row${isFocused ? ' is-focused' : ''}${hasProblems ? ' has-problems' : ''}`}
      data-testid="case-row"
      data-row-key={row.key}
      data-case-id={row.id}
      style={{ gridTemplateColumns: template }}
      onFocus={() => {
        const focus = useWorkbench.getState().caseFocus;
        if (focus?.kind !== 'case' || focus.key !== row.key) useWorkbench.getState().setCaseFocus({ kind: 'case', key: row.key });
      }}
    >
      <div role="rowheader" className="case-number tabular" title={hasProblems ? problems.map((problem) => `${problem.field}: ${problem.message}`).join('\n') : row.id === undefined ? 'Not saved yet' : `Case ${index + 1}`}>
        {hasProblems && <span className="case-problem-mark" aria-label="Has problems">!</span>}
        {index + 1}
        {row.id === undefined && <span className="case-new-mark" aria-label="new">•</span>}
      </div>
      {columns.map((column, columnIndex) => (
        <div role="gridcell" key={column.kind === 'variable' ? `v:${column.name}` : column.kind} className="case-cell">
          <input
            className="case-input"
            data-testid={`case-${column.kind === 'variable' ? `var-${column.name}` : column.kind}`}
            data-col={columnIndex}
            aria-label={`${columnLabel(column)}, case ${index + 1}`}
            spellCheck={false}
            value={cellValue(row, column)}
            onChange={(event) => setCellValue(row, column, event.target.value)}
          />
        </div>
      ))}
      <div role="gridcell" className="case-cell case-checks">
        <button
          type="button"
          className="link-button is-quiet"
          data-testid="case-checks"
          data-col={columns.length}
          title={`${countOf(row.assertions.length, 'own check')} + ${countOf(defaultCount, 'default')}: edit them in the panel`}
          onClick={() => useWorkbench.getState().setCaseFocus({ kind: 'case', key: row.key })}
        >
          {checksLabel(row.assertions.length, defaultCount)}
        </button>
      </div>
    </div>
  );
});

/** The virtualized table of the open prompt's cases. */
export function CaseTable() {
  const { rows, messages, focus, problems } = useWorkbench(
    useShallow((state) => ({ rows: state.suiteEdit?.rows ?? NO_ROWS, messages: state.messages, focus: state.caseFocus, problems: state.suiteProblems })),
  );
  const promptVariables = useMemo(() => collectVariables(messages), [messages]);
  // Typing changes `rows` on every key: the columns (and so the memoized rows) change only when the names do.
  const namesKey = variableColumns(promptVariables, rows).join('\u0000');
  const names = useMemo(() => (namesKey === '' ? [] : namesKey.split('\u0000')), [namesKey]);
  const columns = useMemo<Column[]>(() => [{ kind: 'description' }, ...names.map((name): Column => ({ kind: 'variable', name })), { kind: 'expected' }, { kind: 'tags' }], [names]);
  const template = gridTemplate(names.length);
  const problemsByKey = useMemo(() => {
    const map = new Map<string, RowProblem[]>();
    for (const problem of problems) if (problem.key !== null) map.set(problem.key, [...(map.get(problem.key) ?? []), problem]);
    return map;
  }, [problems]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<{ key: string; column: number } | null>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (index) => rows[index].key,
  });

  // A row moved to by the keyboard may not be rendered yet: focus it once it is.
  useLayoutEffect(() => {
    const pending = pendingFocus.current;
    if (!pending) return;
    const element = scrollRef.current?.querySelector<HTMLElement>(`[data-row-key="${pending.key}"] [data-col="${pending.column}"]`);
    if (element) {
      pendingFocus.current = null;
      element.focus();
      if (element instanceof HTMLInputElement) element.select();
    }
  });

  const focusedKey = focus?.kind === 'case' ? focus.key : null;
  useEffect(() => {
    // The panel picked a case (or a new one was added): bring it into view.
    if (focusedKey === null) return;
    const index = rows.findIndex((row) => row.key === focusedKey);
    if (index !== -1) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [focusedKey]); // Only when the focus moves, not on every edit of the rows.

  const moveTo = (index: number, column: number) => {
    const target = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (!target) return;
    pendingFocus.current = { key: target.key, column };
    virtualizer.scrollToIndex(rows.indexOf(target), { align: 'auto' });
    useWorkbench.getState().setCaseFocus({ kind: 'case', key: target.key });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const rowElement = target.closest<HTMLElement>('[data-row-key]');
    const column = Number(target.dataset.col);
    if (!rowElement || !Number.isInteger(column)) return;
    const key = rowElement.dataset.rowKey ?? '';
    const index = rows.findIndex((row) => row.key === key);
    if (index === -1) return;
    const state = useWorkbench.getState();
    const native = event.nativeEvent;
    if (event.key === 'ArrowDown' || (event.key === 'Enter' && !event.shiftKey && !event.altKey && !hasCommandModifier(native))) {
      if (target.tagName === 'BUTTON' && event.key === 'Enter') return;
      event.preventDefault();
      moveTo(index + 1, column);
    } else if (event.key === 'ArrowUp' || (event.key === 'Enter' && event.shiftKey && !event.altKey)) {
      event.preventDefault();
      moveTo(index - 1, column);
    } else if (event.key === 'Enter' && event.altKey) {
      event.preventDefault();
      const added = state.addRow(key);
      if (added !== null) pendingFocus.current = { key: added, column: Math.min(column, columns.length - 1) };
      if (added !== null) state.setCaseFocus({ kind: 'case', key: added });
    } else if (hasCommandModifier(native) && !event.shiftKey && event.key.toLowerCase() === 'd') {
      event.preventDefault();
      const copy = state.duplicateRow(key);
      if (copy !== null) {
        pendingFocus.current = { key: copy, column };
        state.setCaseFocus({ kind: 'case', key: copy });
      }
    } else if (event.altKey && event.key === 'Delete') {
      event.preventDefault();
      const next = rows[index + 1] ?? rows[index - 1];
      state.deleteRow(key);
      if (next) {
        pendingFocus.current = { key: next.key, column };
        state.setCaseFocus({ kind: 'case', key: next.key });
      }
    }
  };

  const virtualRows = virtualizer.getVirtualItems();
  return (
    <div className="case-table" role="grid" aria-label="Test cases" aria-rowcount={rows.length + 1} data-testid="case-table" ref={scrollRef} onKeyDown={onKeyDown}>
      <div className="case-table-inner" style={{ minWidth: minimumWidth(names.length) }}>
        <div role="row" aria-rowindex={1} className="case-row case-header" style={{ gridTemplateColumns: template }}>
          <div role="columnheader" className="case-number">
            #
          </div>
          {columns.map((column) => (
            <div role="columnheader" key={column.kind === 'variable' ? `v:${column.name}` : column.kind} className={`case-heading${column.kind === 'variable' ? ' is-variable' : ''}`} data-testid="case-heading">
              {columnLabel(column)}
              {column.kind === 'variable' && !promptVariables.includes(column.name) && (
                <span className="case-heading-note" title="The draft’s messages do not use this variable">
                  unused
                </span>
              )}
            </div>
          ))}
          <div role="columnheader" className="case-heading" data-testid="case-heading">
            Checks
          </div>
        </div>
        <div className="case-rows" style={{ height: virtualizer.getTotalSize() }}>
          {virtualRows.map((item) => {
            const row = rows[item.index];
            return (
              <div key={item.key} className="case-row-slot" style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}>
                <CaseTableRow row={row} index={item.index} columns={columns} template={template} isFocused={row.key === focusedKey} problems={problemsByKey.get(row.key)} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
