/**
 * The Test cases tab: the toolbar (add, import, export, save), the report of the last import,
 * the table of cases and the panel of the case being edited.
 */

import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TestCaseFormat } from '../../../shared/eval-types';
import { describeImportProblemPlace } from '../../../shared/import-problem-place';
import { Icon } from '../../components/icons';
import { IconButton } from '../../components/icon-button';
import { countOf } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { notConnectedText } from '../status/not-connected';
import { saveShortcutLabel } from '../status/shortcuts';
import { CASE_FORMATS, formatLabel } from './case-formats';
import { CasePanel } from './case-panel';
import { judgeProblems, type RowProblem } from './case-rows';
import { CaseTable } from './case-table';
import { ImportDialog } from './import-dialog';

function ImportReportNotice() {
  const report = useWorkbench((state) => state.importReport);
  if (!report) return null;
  const hasProblems = report.problems.length > 0;
  return (
    <div className={`import-report${hasProblems ? ' has-problems' : ''}`} role="status" data-testid="import-report">
      <div className="import-report-head">
        <Icon name={hasProblems ? 'warning' : 'check'} />
        <span data-testid="import-summary">
          {countOf(report.imported, 'case')} imported
          {/* Default checks apply to every case, the ones there before too: said, not left to be found. */}
          {report.defaultChecks > 0 &&
            `, ${countOf(report.defaultChecks, 'default check')} ${report.mode === 'append' ? 'added' : 'from the file'} (applied to every case)`}
          {hasProblems ? `, ${countOf(report.problems.length, 'problem')}` : ''}
        </span>
        <span className="muted">
          {report.fileName ?? 'pasted text'} · {formatLabel(report.format)} · {report.mode === 'replace' ? 'replaced the table' : 'appended'}
        </span>
        <span className="spacer" />
        <IconButton icon="close" label="Dismiss the report" testId="import-report-close" onClick={() => useWorkbench.getState().dismissImportReport()} />
      </div>
      {hasProblems && (
        <ul className="import-problems" data-testid="import-problems">
          {report.problems.map((problem, index) => {
            const place = describeImportProblemPlace(problem, report.format);
            return (
              <li key={index} data-testid="import-problem">
                {place !== '' && (
                  <>
                    <span className="import-problem-where tabular">{place}</span>{' '}
                  </>
                )}
                {problem.message}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** One problem of the list: where it is (a link that opens that case or the default checks), the field, what is wrong. */
function ProblemItem({ problem }: { problem: RowProblem }) {
  return (
    <li data-testid="suite-problem">
      <button type="button" className="link-button" onClick={() => useWorkbench.getState().setCaseFocus(problem.key === null ? { kind: 'defaults' } : { kind: 'case', key: problem.key })}>
        {problem.row === null ? 'Default checks' : `Case ${problem.row + 1}`}
      </button>{' '}
      {problem.field}: {problem.message}
    </li>
  );
}

/**
 * What is wrong with the suite: the problems that stopped the last save, and, for as long as
 * there are any, the checks whose judge's provider was removed (saving goes on; Run eval is
 * refused until they have a judge).
 */
function SaveProblems() {
  const { problems, saveError, edit, providers, isProvidersLoaded } = useWorkbench(
    useShallow((state) => ({ problems: state.suiteProblems, saveError: state.suiteSaveError, edit: state.suiteEdit, providers: state.providers, isProvidersLoaded: state.isProvidersLoaded })),
  );
  const judgeless = useMemo(
    () => (edit === null || !isProvidersLoaded ? [] : judgeProblems(edit.rows, edit.defaultAssertions, new Set(providers.map((provider) => provider.id)))),
    [edit, providers, isProvidersLoaded],
  );
  if (problems.length === 0 && saveError === null && judgeless.length === 0) return null;
  const shown = problems.slice(0, 6);
  const judgelessShown = judgeless.slice(0, 6);
  return (
    <div className="suite-problems" role="alert" data-testid="suite-problems">
      <Icon name="warning" />
      <div>
        {saveError !== null && <div>{saveError}</div>}
        {problems.length > 0 && (
          <>
            <div>Not saved: {countOf(problems.length, 'problem')} to fix.</div>
            <ul>
              {shown.map((problem, index) => (
                <ProblemItem key={index} problem={problem} />
              ))}
              {problems.length > shown.length && <li className="muted">…and {problems.length - shown.length} more</li>}
            </ul>
          </>
        )}
        {judgeless.length > 0 && (
          <>
            <div data-testid="suite-judge-problems">
              {judgeless.length === 1 ? 'A check has no judge: Run eval is refused until it has one.' : `${countOf(judgeless.length, 'check')} have no judge: Run eval is refused until they have one.`}
            </div>
            <ul>
              {judgelessShown.map((problem, index) => (
                <ProblemItem key={index} problem={problem} />
              ))}
              {judgeless.length > judgelessShown.length && <li className="muted">…and {judgeless.length - judgelessShown.length} more</li>}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}

function ExportControl() {
  const [format, setFormat] = useState<TestCaseFormat>('csv');
  const hasCases = useWorkbench((state) => (state.suiteEdit?.rows.length ?? 0) > 0);
  return (
    <span className="export-control">
      <select className="select select-small" aria-label="Export format" data-testid="export-format" value={format} onChange={(event) => setFormat(event.target.value as TestCaseFormat)}>
        {CASE_FORMATS.map((item) => (
          <option key={item.format} value={item.format}>
            {item.label}
          </option>
        ))}
      </select>
      <button type="button" className="button button-small" data-testid="export-cases" disabled={!hasCases} onClick={() => void useWorkbench.getState().exportCases(format)}>
        <Icon name="download" /> Export
      </button>
    </span>
  );
}

/** The Test cases tab. */
export function CasesView() {
  const { edit, isLoading, loadError, isSaving, defaultCount, focusKind, notConnected } = useWorkbench(
    useShallow((state) => ({
      edit: state.suiteEdit,
      isLoading: state.isSuiteLoading,
      loadError: state.suiteLoadError,
      isSaving: state.isSuiteSaving,
      defaultCount: state.suiteEdit?.defaultAssertions.length ?? 0,
      focusKind: state.caseFocus?.kind ?? null,
      notConnected: notConnectedText(state),
    })),
  );
  const [isImportOpen, setImportOpen] = useState(false);
  if (loadError !== null) {
    return (
      <div className="view-error" role="alert" data-testid="suite-load-error">
        <p>Could not load the test cases: {loadError}</p>
        <div className="view-error-actions">
          <button type="button" className="button" onClick={() => void useWorkbench.getState().discardSuiteEdits()}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  if (edit === null) return <div className="empty-centre muted">{isLoading ? 'Loading the test cases…' : ''}</div>;
  const state = useWorkbench.getState();
  return (
    <div className="cases-view" data-testid="cases-view">
      <div className="evals-toolbar">
        <button
          type="button"
          className="button button-small"
          data-testid="add-case"
          title="Add a case at the end (Alt+Enter adds one below the case being edited)"
          onClick={() => {
            const key = state.addRow();
            if (key !== null) state.setCaseFocus({ kind: 'case', key });
          }}
        >
          <Icon name="plus" /> Case
        </button>
        <button type="button" className={`button button-small${focusKind === 'defaults' ? ' is-pressed' : ''}`} aria-pressed={focusKind === 'defaults'} data-testid="open-defaults" onClick={() => state.setCaseFocus({ kind: 'defaults' })}>
          Default checks <span className="tab-count">{defaultCount}</span>
        </button>
        <span className="toolbar-divider" />
        <button type="button" className="button button-small" data-testid="open-import" onClick={() => setImportOpen(true)}>
          <Icon name="upload" /> Import…
        </button>
        <ExportControl />
        <span className="spacer" />
        <span className="muted tabular" data-testid="case-count">
          {countOf(edit.rows.length, 'case')}
        </span>
        {edit.isDirty && (
          <>
            <span className="unsaved-mark" data-testid="suite-unsaved">
              ● Unsaved
            </span>
            <button type="button" className="button button-small button-quiet" data-testid="discard-suite" onClick={() => void state.discardSuiteEdits()}>
              Discard
            </button>
          </>
        )}
        <button
          type="button"
          className="button button-small button-primary"
          data-testid="save-suite"
          disabled={!edit.isDirty || isSaving || notConnected !== null}
          title={notConnected ?? `Save the test cases (${saveShortcutLabel()})`}
          onClick={() => void state.saveSuite()}
        >
          {isSaving ? 'Saving…' : 'Save'} <kbd>{saveShortcutLabel()}</kbd>
        </button>
      </div>
      <ImportReportNotice />
      <SaveProblems />
      <div className="cases-body">
        <div className="cases-main">
          {edit.rows.length === 0 ? (
            <div className="runs-empty" data-testid="no-cases">
              <p>No test cases yet. Add one with “+ Case”, or import a CSV, JSONL, YAML, .prompt.yml or promptfoo file.</p>
            </div>
          ) : (
            <CaseTable />
          )}
          <div className="cases-hint muted">↑ ↓ Enter move · Alt+Enter new case below · Ctrl+D duplicate · Alt+Delete delete · {saveShortcutLabel()} save</div>
        </div>
        <CasePanel />
      </div>
      {isImportOpen && <ImportDialog onClose={() => setImportOpen(false)} />}
    </div>
  );
}
