/**
 * Two stored runs side by side: a table of what each was asked (differences marked) and what
 * each got back (the price it was charged at, marked where it differs, and the second's figures
 * also as a change from the first's), any notices, and a
 * Monaco diff of their outputs, their thinking or their whole requests.
 */

import { useEffect, useState } from 'react';
import type { RunRecord } from '../../../shared/types';
import { IconButton } from '../../components/icon-button';
import { formatFullDate, formatShortDate } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { versionLabel } from '../runs/run-figures';
import { RunNotices } from '../runs/run-figures-view';
import { useMonacoTheme } from '../settings/use-theme';
import { DiffView } from '../versions/diff-view';
import { compareRows, requestText, type CompareRow } from './run-compare-rows';

/** What the diff shows. */
type DiffSubject = 'output' | 'thinking' | 'request';

function RunHeading({ run }: { run: RunRecord }) {
  // A narrow window cuts the heading short: the run's number comes first, and the whole of it is in the tooltip.
  return (
    <span className="version-heading" title={`${run.model} · ${versionLabel(run.version)} · run ${run.id} · ${formatFullDate(run.startedAt)}`}>
      <strong>{run.model}</strong>
      <span className="version-tag">{versionLabel(run.version)}</span>
      <span className="muted">
        run {run.id} · {formatShortDate(run.startedAt)}
      </span>
    </span>
  );
}

function Row({ row }: { row: CompareRow }) {
  return (
    <tr className={row.isDifferent ? 'is-different' : undefined} data-testid="compare-row" data-label={row.label} data-different={row.isDifferent}>
      <th scope="row">
        {row.label}
        {row.isDifferent && (
          <span className="compare-differs" title={row.differsTitle ?? 'The two runs were asked this differently'}>
            differs
          </span>
        )}
      </th>
      <td className="tabular" data-testid="compare-original">
        {row.original}
      </td>
      <td className="tabular" data-testid="compare-modified">
        {row.modified}
        {row.change !== null && (
          <span className="compare-change" data-testid="compare-change" title="The second run against the first">
            {row.change}
          </span>
        )}
      </td>
    </tr>
  );
}

function Group({ title, rows }: { title: string; rows: CompareRow[] }) {
  return (
    <tbody>
      <tr className="compare-group">
        <th colSpan={3}>{title}</th>
      </tr>
      {rows.map((row) => (
        <Row key={row.label} row={row} />
      ))}
    </tbody>
  );
}

/** True for a field that uses Escape itself (the search box clears on it). */
function isEditableTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.matches('input, textarea, select, [role="dialog"] *'));
}

/** The comparison of two runs. */
export function RunCompare({ original, modified }: { original: RunRecord; modified: RunRecord }) {
  const theme = useMonacoTheme();
  const [subject, setSubject] = useState<DiffSubject>('output');
  const rows = compareRows(original, modified);
  const hasThinking = original.reasoning !== '' || modified.reasoning !== '';
  const hasNotices = original.notices.length > 0 || modified.notices.length > 0;
  const texts: Record<DiffSubject, [string, string]> = {
    output: [original.output, modified.output],
    thinking: [original.reasoning, modified.reasoning],
    request: [requestText(original), requestText(modified)],
  };
  const shown = subject === 'thinking' && !hasThinking ? 'output' : subject;
  const subjects: [DiffSubject, string, string][] = [
    ['output', 'Output', 'The two answers'],
    ...(hasThinking ? ([['thinking', 'Thinking', 'What each model reasoned before answering']] as [DiffSubject, string, string][]) : []),
    ['request', 'Request', 'The model, every parameter and each rendered message each run sent'],
  ];
  const [left, right] = texts[shown];
  useEffect(() => {
    // Escape closes the comparison, as it closes a version diff, unless a dialog or a field wants it.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || isEditableTarget(event.target)) return;
      useWorkbench.getState().closeRunCompare();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  return (
    <div className="version-view run-compare" data-testid="run-compare">
      <header className="view-header">
        <RunHeading run={original} />
        <span className="compare-arrow">→</span>
        <RunHeading run={modified} />
        <span className="spacer" />
        <IconButton icon="close" label="Close the comparison" testId="close-run-compare" onClick={() => useWorkbench.getState().closeRunCompare()} />
      </header>
      <div className="run-compare-facts">
        <table className="compare-table" data-testid="compare-table">
          <colgroup>
            <col className="compare-label-column" />
            <col />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th />
              <th scope="col">run {original.id}</th>
              <th scope="col">run {modified.id}</th>
            </tr>
          </thead>
          <Group title="Asked" rows={rows.request} />
          <Group title="Got" rows={rows.result} />
          {hasNotices && (
            <tbody>
              <tr data-testid="compare-notices">
                <th scope="row">Notices</th>
                <td data-testid="compare-original">{original.notices.length > 0 ? <RunNotices notices={original.notices} /> : <span className="muted">none</span>}</td>
                <td data-testid="compare-modified">{modified.notices.length > 0 ? <RunNotices notices={modified.notices} /> : <span className="muted">none</span>}</td>
              </tr>
            </tbody>
          )}
        </table>
      </div>
      <div className="run-compare-bar">
        <div className="segmented" role="radiogroup" aria-label="What to compare">
          {subjects.map(([name, label, title]) => (
            <button key={name} type="button" role="radio" aria-checked={shown === name} className={shown === name ? 'is-active' : undefined} title={title} data-testid={`compare-subject-${name}`} onClick={() => setSubject(name)}>
              {label}
            </button>
          ))}
        </div>
        <span className="muted" data-testid="compare-same">
          {left === right ? 'identical' : ''}
        </span>
      </div>
      <div className="view-body">
        <DiffView original={left} modified={right} theme={theme} language={shown === 'request' ? undefined : 'plaintext'} testId="run-diff" />
      </div>
    </div>
  );
}
