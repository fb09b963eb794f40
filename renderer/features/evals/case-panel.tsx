/**
 * The panel beside the case table: the case being edited in full (long values, expected output,
 * its checks), or the suite's default checks that every case gets.
 */

import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { collectVariables } from '../../../shared/template';
import { countOf } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { AssertionEditor } from './assertion-editor';
import type { Assertion } from '../../../shared/eval-types';
import { variableColumns, type CaseRow } from './case-rows';

const NO_ROWS: CaseRow[] = [];
const NO_ASSERTIONS: Assertion[] = [];

function CaseFields({ row, index }: { row: CaseRow; index: number }) {
  const state = useWorkbench.getState();
  const messages = useWorkbench((current) => current.messages);
  const variables = useMemo(() => variableColumns(collectVariables(messages), [row]), [messages, row]);
  return (
    <>
      <label className="panel-field">
        <span className="panel-field-label">Description</span>
        <input className="panel-input" data-testid="panel-description" value={row.description} onChange={(event) => state.updateRow(row.key, { description: event.target.value })} />
      </label>
      {variables.map((name) => (
        <label key={name} className="panel-field">
          <span className="panel-field-label variable-key">{`{{${name}}}`}</span>
          <textarea className="panel-textarea" rows={2} data-testid={`panel-var-${name}`} value={row.variables[name] ?? ''} onChange={(event) => state.setRowVariable(row.key, name, event.target.value)} />
        </label>
      ))}
      <label className="panel-field">
        <span className="panel-field-label">Expected output</span>
        <textarea
          className="panel-textarea"
          rows={3}
          data-testid="panel-expected"
          placeholder="Optional: used by “equals”, “similar to” and the diff"
          value={row.expected}
          onChange={(event) => state.updateRow(row.key, { expected: event.target.value })}
        />
      </label>
      <label className="panel-field">
        <span className="panel-field-label">Tags</span>
        <input className="panel-input" data-testid="panel-tags" placeholder="comma-separated" value={row.tagsText} onChange={(event) => state.updateRow(row.key, { tagsText: event.target.value })} />
      </label>
      <div className="panel-actions">
        <button type="button" className="button button-small" data-testid="case-duplicate" onClick={() => state.setCaseFocus({ kind: 'case', key: state.duplicateRow(row.key) ?? row.key })}>
          Duplicate <kbd>Ctrl+D</kbd>
        </button>
        <button type="button" className="button button-small button-danger" data-testid="case-delete" onClick={() => state.deleteRow(row.key)}>
          Delete case {index + 1}
        </button>
      </div>
    </>
  );
}

/** The side panel of the cases tab. */
export function CasePanel() {
  const { focus, row, index, defaults, allProblems } = useWorkbench(
    useShallow((state) => {
      const focus = state.caseFocus;
      const rows = state.suiteEdit?.rows ?? NO_ROWS;
      const index = focus?.kind === 'case' ? rows.findIndex((item) => item.key === focus.key) : -1;
      return {
        focus,
        row: index === -1 ? null : rows[index],
        index,
        defaults: state.suiteEdit?.defaultAssertions ?? NO_ASSERTIONS,
        allProblems: state.suiteProblems,
      };
    }),
  );
  const problems = allProblems.filter((problem) => (focus?.kind === 'defaults' ? problem.key === null : focus?.kind === 'case' && problem.key === focus.key));
  const state = useWorkbench.getState();
  const problemList = problems.length > 0 && (
    <ul className="panel-problems" role="alert" data-testid="panel-problems">
      {problems.map((problem, position) => (
        <li key={position}>
          <strong>{problem.field}</strong>: {problem.message}
        </li>
      ))}
    </ul>
  );

  if (focus?.kind === 'defaults') {
    return (
      <aside className="case-panel" aria-label="Default checks" data-testid="case-panel" data-focus="defaults">
        <div className="case-panel-header">
          <strong>Default checks</strong>
          <span className="muted">applied to every case</span>
          <span className="spacer" />
          <button type="button" className="link-button is-quiet" onClick={() => state.setCaseFocus(null)}>
            Close
          </button>
        </div>
        <div className="case-panel-body">
          {problemList}
          <AssertionEditor assertions={defaults} testId="default-assertions" onChange={(assertions) => state.setAssertions({ kind: 'defaults' }, assertions)} />
        </div>
      </aside>
    );
  }
  if (focus?.kind === 'case' && row !== null) {
    return (
      <aside className="case-panel" aria-label={`Case ${index + 1}`} data-testid="case-panel" data-focus="case">
        <div className="case-panel-header">
          <strong data-testid="case-panel-title">Case {index + 1}</strong>
          {row.id === undefined && <span className="badge">not saved</span>}
          <span className="spacer" />
          <button type="button" className="link-button is-quiet" data-testid="edit-defaults" onClick={() => state.setCaseFocus({ kind: 'defaults' })}>
            {countOf(defaults.length, 'default check')}
          </button>
        </div>
        <div className="case-panel-body">
          {problemList}
          <CaseFields row={row} index={index} />
          <h3 className="panel-section-title">Checks of this case</h3>
          <p className="muted panel-note">{defaults.length > 0 ? `The ${countOf(defaults.length, 'default check')} run first, then these.` : 'Add checks here, or defaults for every case.'}</p>
          <AssertionEditor assertions={row.assertions} testId="case-assertions" onChange={(assertions) => state.setAssertions({ kind: 'case', key: row.key }, assertions)} />
        </div>
      </aside>
    );
  }
  return (
    <aside className="case-panel is-empty" aria-label="Case details" data-testid="case-panel" data-focus="none">
      <div className="case-panel-body">
        <p className="muted">Click a case to edit it in full and set its checks.</p>
        <button type="button" className="button button-small" data-testid="edit-defaults" onClick={() => state.setCaseFocus({ kind: 'defaults' })}>
          Default checks ({defaults.length})
        </button>
      </div>
    </aside>
  );
}
