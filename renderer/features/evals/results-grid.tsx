/**
 * The results grid: a row per test case (regressions first, then improvements, each flagged), a
 * column per version x model with its pass rate in the header, each cell its verdict as a mark, a
 * word and a score.
 * Rows are virtualized. Arrow keys move, Enter (or a click) opens the cell.
 */

import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EvalColumn, EvalDetail, EvalVerdictChange } from '../../../shared/eval-types';
import { countOf, formatNumber } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { versionLabel } from '../runs/run-figures';
import { cellStatusLabel, cellStatusMark, passRateText, scoreText } from './eval-text';
import { evalCellOf } from './evals-slice';

const ROW_HEIGHT = 40;
const CASE_COLUMN = 'minmax(200px, 1.5fr)';
const CELL_MIN_WIDTH = 124;

type GridCase = EvalDetail['cases'][number];

/** The columns where a case's verdict changed against the baseline, and what each change was, for a tooltip. */
interface CaseChanges {
  columns: Set<string>;
  text: string;
}

/** Verdict changes (regressions or improvements) by case, each told as `describe` tells it. */
function changesByCase(changes: readonly EvalVerdictChange[], describe: (change: EvalVerdictChange) => string): Map<number, CaseChanges> {
  const byCase = new Map<number, CaseChanges>();
  for (const change of changes) {
    const entry = byCase.get(change.caseId);
    if (entry === undefined) byCase.set(change.caseId, { columns: new Set([change.columnKey]), text: describe(change) });
    else {
      entry.columns.add(change.columnKey);
      entry.text += `\n${describe(change)}`;
    }
  }
  return byCase;
}

/** Figures of a column from the cells shown (live while the eval runs). */
function liveColumnFigures(cases: readonly GridCase[], column: EvalColumn) {
  let passed = 0;
  let finished = 0;
  for (const item of cases) {
    const cell = evalCellOf(item.id, column.key);
    if (!cell) continue;
    if (cell.status === 'passed') passed += 1;
    if (cell.status === 'passed' || cell.status === 'failed' || cell.status === 'error') finished += 1;
  }
  return { passed, finished, rate: finished === 0 ? null : passed / finished };
}

function cellId(row: number, column: number): string {
  return `eval-cell-${row}-${column}`;
}

/** What the case cell says when the case has no description: its variables, from the suite. */
function useCaseTexts() {
  const rows = useWorkbench((state) => state.suiteEdit?.rows);
  return useMemo(() => {
    const texts = new Map<number, string>();
    for (const row of rows ?? []) {
      if (row.id !== undefined) texts.set(row.id, Object.values(row.variables).filter((value) => value !== '').join(' · '));
    }
    return texts;
  }, [rows]);
}

const GridRow = memo(function GridRow({
  item,
  rowIndex,
  columns,
  template,
  regression,
  improvement,
  variablesText,
  activeColumn,
}: {
  item: GridCase;
  rowIndex: number;
  columns: EvalColumn[];
  template: string;
  regression: CaseChanges | undefined;
  improvement: CaseChanges | undefined;
  variablesText: string | undefined;
  activeColumn: number | null;
  /** Only here so a new revision re-renders the row. */
  revision: number;
}) {
  const isRegression = regression !== undefined;
  const isImprovement = improvement !== undefined;
  const label = item.description || variablesText || '';
  return (
    <div role="row" aria-rowindex={rowIndex + 2} className={`grid-row${isRegression ? ' is-regression' : isImprovement ? ' is-improvement' : ''}`} data-testid="grid-row" data-case-id={item.id} data-position={item.position + 1} style={{ gridTemplateColumns: template }}>
      <div role="rowheader" className="grid-case" title={[item.description, variablesText, item.tags.length > 0 ? `Tags: ${item.tags.join(', ')}` : null, item.expected ? `Expected: ${item.expected}` : null].filter(Boolean).join('\n')}>
        <span className="grid-case-line">
          <span className="grid-case-number tabular">#{item.position + 1}</span>
          <span className="grid-case-text" data-testid="grid-case-text">
            {label || <span className="muted">(no description)</span>}
          </span>
          {isRegression && (
            <span className="regression-flag" data-testid="regression-flag" title={regression.text}>
              ↓ regression
            </span>
          )}
          {isImprovement && (
            <span className="improvement-flag" data-testid="improvement-flag" title={improvement.text}>
              ↑ improved
            </span>
          )}
        </span>
        {item.description !== '' && (variablesText || item.tags.length > 0) && (
          <span className="grid-case-line grid-case-sub muted">
            <span className="grid-case-text">{variablesText}</span>
            {item.tags.length > 0 && <span className="grid-case-tags">{item.tags.join(', ')}</span>}
          </span>
        )}
      </div>
      {columns.map((column, columnIndex) => {
        const cell = evalCellOf(item.id, column.key);
        const status = cell?.status ?? 'pending';
        const isRegressed = regression?.columns.has(column.key) === true;
        const isImproved = improvement?.columns.has(column.key) === true;
        return (
          <div
            key={column.key}
            id={cellId(rowIndex, columnIndex)}
            role="gridcell"
            aria-selected={activeColumn === columnIndex}
            className={`grid-cell is-${status}${activeColumn === columnIndex ? ' is-active' : ''}${isRegressed ? ' is-regressed' : ''}${isImproved ? ' is-improved' : ''}`}
            data-testid="grid-cell"
            data-column={column.key}
            data-status={status}
            // A narrow cell leaves out the word "cached": the tooltip still says it.
            title={[cell?.summary, cell?.isCached ? 'Served from the response cache' : null].filter(Boolean).join('\n') || undefined}
            onClick={() => void useWorkbench.getState().openEvalCell(item.id, column.key)}
          >
            <span className="grid-cell-mark" aria-hidden="true">
              {cellStatusMark(status)}
            </span>
            <span className="grid-cell-word" data-testid="grid-cell-word">
              {cellStatusLabel(status)}
            </span>
            {cell?.score !== null && cell?.score !== undefined && (
              <span className="grid-cell-score tabular" data-testid="grid-cell-score">
                {scoreText(cell.score)}
              </span>
            )}
            {isRegressed && (
              <span className="grid-cell-regressed" aria-label="regressed" title={regression?.text}>
                ↓
              </span>
            )}
            {isImproved && (
              <span className="grid-cell-improved" data-testid="grid-cell-improved" aria-label="improved" title={improvement?.text}>
                ↑
              </span>
            )}
            {cell?.isCached && <span className="grid-cell-cached" title="Served from the response cache">cached</span>}
          </div>
        );
      })}
    </div>
  );
});

/** The grid of the open eval. */
export function ResultsGrid({ detail }: { detail: EvalDetail }) {
  const { revision, openCell } = useWorkbench(useShallow((state) => ({ revision: state.evalCellsRevision, openCell: state.openCell })));
  const variableTexts = useCaseTexts();
  const [active, setActive] = useState<{ row: number; column: number } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  const columnTitles = useMemo(() => new Map(detail.columns.map((column) => [column.key, `${versionLabel(column.version)} on ${column.target.model}`])), [detail.columns]);
  const regressions = useMemo(
    () =>
      changesByCase(
        detail.regressions,
        (change) => `Passes on ${columnTitles.get(change.baselineColumnKey) ?? change.baselineColumnKey}, fails on ${columnTitles.get(change.columnKey) ?? change.columnKey}`,
      ),
    [detail.regressions, columnTitles],
  );
  const improvements = useMemo(
    () =>
      changesByCase(
        detail.improvements,
        (change) => `Fails on ${columnTitles.get(change.baselineColumnKey) ?? change.baselineColumnKey}, passes on ${columnTitles.get(change.columnKey) ?? change.columnKey}`,
      ),
    [detail.improvements, columnTitles],
  );
  const cases = useMemo(() => {
    const sorted = [...detail.cases].sort((left, right) => left.position - right.position);
    // Regressions first: they are what a change to the prompt must answer for; then what it fixed.
    const isImprovedOnly = (item: GridCase) => !regressions.has(item.id) && improvements.has(item.id);
    return [
      ...sorted.filter((item) => regressions.has(item.id)),
      ...sorted.filter(isImprovedOnly),
      ...sorted.filter((item) => !regressions.has(item.id) && !improvements.has(item.id)),
    ];
  }, [detail.cases, regressions, improvements]);
  const summaries = useMemo(() => new Map(detail.summaries.map((summary) => [summary.columnKey, summary])), [detail.summaries]);
  const headerFigures = useMemo(
    () => detail.columns.map((column) => liveColumnFigures(cases, column)),
    // `revision` says the cells changed; the map itself is outside React.
    [cases, detail.columns, revision],
  );

  const template = `${CASE_COLUMN} repeat(${detail.columns.length}, minmax(${CELL_MIN_WIDTH}px, 1fr))`;
  const minimumWidth = 200 + detail.columns.length * CELL_MIN_WIDTH;
  const virtualizer = useVirtualizer({
    count: cases.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => cases[index].id,
  });

  /** Scrolls the grid sideways, when it is wider than its box, until the column is in view, clear of the case column that stays at the left. */
  const revealColumn = (column: number) => {
    const scroller = scrollRef.current;
    const heading = scroller?.querySelectorAll<HTMLElement>('.grid-header .grid-heading')[column];
    const caseColumn = scroller?.querySelector<HTMLElement>('.grid-header .grid-case');
    if (!scroller || !heading || !caseColumn) return;
    const fromLeft = heading.offsetLeft - caseColumn.offsetWidth;
    const fromRight = heading.offsetLeft + heading.offsetWidth - scroller.clientWidth;
    if (scroller.scrollLeft > fromLeft) scroller.scrollLeft = fromLeft;
    else if (scroller.scrollLeft < fromRight) scroller.scrollLeft = fromRight;
  };
  const move = (row: number, column: number) => {
    const next = { row: Math.max(0, Math.min(cases.length - 1, row)), column: Math.max(0, Math.min(detail.columns.length - 1, column)) };
    setActive(next);
    virtualizer.scrollToIndex(next.row, { align: 'auto' });
    revealColumn(next.column);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (cases.length === 0 || detail.columns.length === 0) return;
    const current = active ?? { row: 0, column: 0 };
    if (event.key === 'ArrowDown') move(current.row + 1, current.column);
    else if (event.key === 'ArrowUp') move(current.row - 1, current.column);
    else if (event.key === 'ArrowRight') move(current.row, current.column + 1);
    else if (event.key === 'ArrowLeft') move(current.row, current.column - 1);
    else if (event.key === 'PageDown') move(current.row + 10, current.column);
    else if (event.key === 'PageUp') move(current.row - 10, current.column);
    else if (event.key === 'Home') move(0, current.column);
    else if (event.key === 'End') move(cases.length - 1, current.column);
    else if (event.key === 'Enter' || event.key === ' ') {
      const item = cases[current.row];
      if (!active) setActive(current);
      if (item) void useWorkbench.getState().openEvalCell(item.id, detail.columns[current.column].key);
    } else if (event.key === 'Escape' && openCell !== null) {
      useWorkbench.getState().closeEvalCell();
    } else return;
    event.preventDefault();
  };

  const activeCase = active === null ? null : cases[active.row];
  const openRow = openCell === null ? -1 : cases.findIndex((item) => item.id === openCell.caseId);
  const openColumn = openCell === null ? -1 : detail.columns.findIndex((column) => column.key === openCell.columnKey);
  const shownActive = active ?? (openRow !== -1 && openColumn !== -1 ? { row: openRow, column: openColumn } : null);

  return (
    <div
      ref={scrollRef}
      className="results-grid"
      role="grid"
      aria-label="Eval results"
      aria-rowcount={cases.length + 1}
      aria-colcount={detail.columns.length + 1}
      aria-activedescendant={shownActive && activeCase !== null ? cellId(shownActive.row, shownActive.column) : undefined}
      tabIndex={0}
      data-testid="results-grid"
      onKeyDown={onKeyDown}
      onClickCapture={(event) => {
        const cell = (event.target as HTMLElement).closest<HTMLElement>('[role="gridcell"]');
        const match = cell?.id.match(/^eval-cell-(\d+)-(\d+)$/);
        if (match) setActive({ row: Number(match[1]), column: Number(match[2]) });
      }}
    >
      <div className="results-grid-inner" style={{ minWidth: minimumWidth }}>
        <div role="row" aria-rowindex={1} className="grid-row grid-header" style={{ gridTemplateColumns: template }}>
          <div role="columnheader" className="grid-case">
            <span className="grid-heading-label">Cases</span>
            <span className="muted tabular">{formatNumber(cases.length)}</span>
            {(regressions.size > 0 || improvements.size > 0) && (
              <span className="grid-comparison" data-testid="comparison-counts" title={`Cases whose verdict changed against v${detail.baselineVersion} on the same model`}>
                {regressions.size > 0 && (
                  <span className="regression-count" data-testid="regression-count">
                    {countOf(regressions.size, 'regression')}
                  </span>
                )}
                {regressions.size > 0 && improvements.size > 0 && <span className="muted"> · </span>}
                {improvements.size > 0 && (
                  <span className="improvement-count" data-testid="improvement-count">
                    {formatNumber(improvements.size)} improved
                  </span>
                )}
              </span>
            )}
          </div>
          {detail.columns.map((column, index) => {
            const figures = headerFigures[index];
            const summary = summaries.get(column.key);
            const rate = detail.status === 'running' || !summary ? figures.rate : summary.passRate;
            return (
              <div role="columnheader" key={column.key} className="grid-heading" data-testid="grid-heading" data-column={column.key} title={`${column.target.model} on ${column.providerLabel}`}>
                <span className="grid-heading-line">
                  <span className="version-tag">{versionLabel(column.version)}</span>
                  <span className="grid-heading-model">{column.target.model}</span>
                </span>
                <span className="grid-heading-line muted tabular" data-testid="grid-heading-rate">
                  {passRateText(rate)} pass · {figures.passed}/{figures.finished}
                </span>
              </div>
            );
          })}
        </div>
        <div className="grid-rows" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((virtualRow) => {
            const item = cases[virtualRow.index];
            return (
              <div key={virtualRow.key} className="grid-row-slot" style={{ transform: `translateY(${virtualRow.start}px)`, height: ROW_HEIGHT }}>
                <GridRow
                  item={item}
                  rowIndex={virtualRow.index}
                  columns={detail.columns}
                  template={template}
                  regression={regressions.get(item.id)}
                  improvement={improvements.get(item.id)}
                  variablesText={variableTexts.get(item.id)}
                  activeColumn={shownActive?.row === virtualRow.index ? shownActive.column : null}
                  revision={revision}
                />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
