/**
 * Import: a folder or repository of `.prompt.yml` files and promptfoo configs becomes prompts,
 * or new versions of known ones; the report says what was created, updated and skipped, and
 * which files could not be read, by file and line.
 */

import { useId, useState } from 'react';
import type { ImportEntry } from '../../../shared/release-types';
import { useWorkbench } from '../../store/workbench-store';

function EntryList({ title, entries, kind }: { title: string; entries: ImportEntry[]; kind: string }) {
  if (entries.length === 0) return null;
  return (
    <div className="import-group" data-testid={`import-${kind}`}>
      <div className="preview-label">
        {title} ({entries.length})
      </div>
      <ul className="import-list">
        {entries.map((entry) => (
          <li key={`${entry.file}:${entry.name}`} data-testid="import-entry">
            <span className="import-name">{entry.name}</span>
            {entry.versionNumber !== null && <span className="mono"> v{entry.versionNumber}</span>}
            <span className="mono muted"> {entry.file}</span>
            <div className="muted import-reason">{entry.reason}</div>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The Import section of the release workspace. */
export function ImportSection() {
  const report = useWorkbench((state) => state.promptImportReport);
  const repositoryPath = useWorkbench((state) => state.repository?.settings?.path ?? '');
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const id = useId();
  const run = async () => {
    if (isBusy || path.trim() === '') return;
    setBusy(true);
    setError(null);
    const outcome = await useWorkbench.getState().importFolder(path);
    setBusy(false);
    if (!outcome.ok) setError(outcome.message);
  };
  return (
    <section className="release-section import-section" aria-labelledby={`${id}-title`} data-testid="import-section">
      <header className="release-section-header">
        <h2 id={`${id}-title`}>Import</h2>
      </header>
      <p className="section-note">
        Reads every <code>.prompt.yml</code> file (and promptfoo config) under a folder: new prompts are created, known ones (same slug) get a new
        version when their content differs, their test data becomes the test suite.
      </p>
      <div className="inline-form">
        <input
          className="text-input mono import-path"
          data-testid="import-path"
          aria-label="Folder to import"
          placeholder={repositoryPath || '/path/to/prompts'}
          spellCheck={false}
          value={path}
          onChange={(event) => {
            setPath(event.target.value);
            setError(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') void run();
          }}
        />
        {repositoryPath !== '' && path === '' && (
          <button type="button" className="button button-quiet" onClick={() => setPath(repositoryPath)}>
            Use the repository
          </button>
        )}
        <button type="button" className="button" data-testid="import-run" disabled={isBusy || path.trim() === ''} onClick={() => void run()}>
          {isBusy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {error !== null && (
        <p className="form-error block-message" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {report !== null && (
        <div className="import-report" data-testid="import-report">
          <div className="import-counts" data-testid="import-counts">
            {report.created.length} created · {report.updated.length} updated · {report.skipped.length} skipped · {report.problems.length}{' '}
            {report.problems.length === 1 ? 'problem' : 'problems'}
          </div>
          <EntryList title="Created" entries={report.created} kind="created" />
          <EntryList title="Updated" entries={report.updated} kind="updated" />
          <EntryList title="Skipped" entries={report.skipped} kind="skipped" />
          {report.problems.length > 0 && (
            <div className="import-group" data-testid="import-problems">
              <div className="preview-label">Not imported ({report.problems.length})</div>
              <ul className="import-list">
                {report.problems.map((problem, index) => (
                  <li key={index} data-testid="import-problem">
                    <span className="mono">
                      {problem.file}:{problem.line}
                    </span>{' '}
                    {problem.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
