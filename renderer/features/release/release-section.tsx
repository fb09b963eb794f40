/**
 * Releasing: the prompts with approved versions, each with the version to release; a preview
 * of the files, commit message and exact diff; then the commit, tags and optional push.
 */

import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PromptReleaseOverview, PushStatus, ReleaseFileChange } from '../../../shared/release-types';
import { assertNever } from '../../../shared/assert-never';
import { formatDate } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { DiffText } from './diff-text';
import { releaseItems } from './release-slice';

/** What a push status reads as. */
export function pushLabel(push: PushStatus): string {
  switch (push) {
    case 'not-requested':
      return 'local';
    case 'pushed':
      return 'pushed';
    case 'rejected':
      return 'push rejected';
    case 'failed':
      return 'push failed';
    default:
      return assertNever(push, 'push status');
  }
}

function changeLabel(change: ReleaseFileChange): string {
  switch (change) {
    case 'added':
      return 'new file';
    case 'modified':
      return 'modified';
    case 'unchanged':
      return 'unchanged';
    default:
      return assertNever(change, 'file change');
  }
}

function ApprovedRow({ prompt, pick, folder }: { prompt: PromptReleaseOverview; pick: number | undefined; folder: string | null }) {
  const [version, setVersion] = useState(prompt.approvedVersions[0]);
  const chosen = pick ?? version;
  const isPicked = pick !== undefined;
  const released = prompt.latestRelease;
  const isReleased = released !== null && released.versionNumber === chosen;
  const set = (next: number | null) => useWorkbench.getState().setReleasePick(prompt.promptId, next);
  const filePath = `${folder === null || folder === '' ? '' : `${folder}/`}${prompt.slug}.prompt.yml`;
  return (
    <tr className={isPicked ? 'is-picked' : undefined} data-testid="approved-row" data-prompt={prompt.name}>
      <td className="pick-cell">
        <input
          type="checkbox"
          data-testid="release-pick"
          aria-label={`Release ${prompt.name}`}
          checked={isPicked}
          onChange={(event) => set(event.target.checked ? chosen : null)}
        />
      </td>
      <td>
        <span className="approved-name">{prompt.name}</span>
        {prompt.isArchived && <span className="badge">archived</span>}
      </td>
      <td>
        <select
          className="select version-select"
          data-testid="release-version"
          aria-label={`Version of ${prompt.name} to release`}
          value={chosen}
          onChange={(event) => {
            const next = Number(event.target.value);
            setVersion(next);
            if (isPicked) set(next);
          }}
        >
          {prompt.approvedVersions.map((number) => (
            <option key={number} value={number}>
              v{number}
            </option>
          ))}
        </select>
      </td>
      <td className="mono muted file-cell" title={folder === null ? 'Connect a repository to see the file the release writes' : `The file the release writes: ${filePath}`}>
        {folder === null ? '—' : filePath}
      </td>
      <td className="latest-release" data-testid="latest-release">
        {released === null ? (
          <span className="muted">never released</span>
        ) : (
          <span title={`${released.commit.slice(0, 7)} · ${formatDate(released.releasedAt)}`}>
            <span className="mono">{released.tag}</span> <span className={`push-badge push-${released.push}`}>{pushLabel(released.push)}</span>
            {isReleased && <span className="muted"> · this version</span>}
          </span>
        )}
      </td>
    </tr>
  );
}

function Preview() {
  const { preview, problem, remote, isBusy, canPush } = useWorkbench(
    useShallow((state) => ({
      preview: state.releasePreview,
      problem: state.releasePreviewProblem,
      remote: state.repository?.settings?.remote ?? null,
      isBusy: state.isReleaseBusy,
      canPush: state.repository?.settings?.remote != null,
    })),
  );
  const [isPushing, setPushing] = useState(true);
  // The files not the prompts' own the user ticked to replace, for this preview only.
  const [replacing, setReplacing] = useState<{ fingerprint: string; paths: string[] }>({ fingerprint: '', paths: [] });
  if (preview === null) return null;
  const count = preview.files.length;
  const ticked = replacing.fingerprint === preview.fingerprint ? replacing.paths : [];
  const unticked = preview.files.filter((file) => file.replacesOther !== undefined && !ticked.includes(file.filePath));
  const toggleReplacing = (filePath: string, isTicked: boolean) =>
    setReplacing({ fingerprint: preview.fingerprint, paths: isTicked ? [...ticked, filePath] : ticked.filter((other) => other !== filePath) });
  const untickedHint = unticked.length === 0 ? null : `Tick “Replace it” under ${unticked.map((file) => file.filePath).join(', ')} to commit`;
  return (
    <div className="release-preview" data-testid="release-preview">
      <div className="preview-heading">
        <strong>
          {count === 1 ? 'One file' : `${count} files`} in one commit on {preview.branch ?? 'HEAD'}
        </strong>
        <span className="muted mono">{preview.head === null ? 'first commit' : `after ${preview.head.slice(0, 7)}`}</span>
        {/* Together: in a narrow window they go under the heading as one group, on the right. */}
        <div className="preview-actions">
          <label className="check-label" title={canPush ? `Push the branch and the tags to ${remote}` : 'Set a remote in the repository settings to push'}>
            <input type="checkbox" data-testid="release-push" disabled={!canPush} checked={canPush && isPushing} onChange={(event) => setPushing(event.target.checked)} />
            Push to {remote ?? 'a remote'}
          </label>
          <button type="button" className="button button-quiet" onClick={() => useWorkbench.getState().closeReleasePreview()}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            data-testid="release-confirm"
            disabled={isBusy || problem !== null || untickedHint !== null}
            title={problem ?? untickedHint ?? undefined}
            onClick={() => void useWorkbench.getState().runRelease(canPush && isPushing, ticked)}
          >
            {isBusy ? 'Releasing…' : `Commit and tag ${count === 1 ? preview.files[0].tag : `${count} prompts`}`}
          </button>
        </div>
      </div>
      {problem !== null && (
        <p className="form-error block-message" role="alert" data-testid="preview-problem">
          {problem}
        </p>
      )}
      <ul className="preview-files">
        {preview.files.map((file) => (
          <li key={file.filePath} data-testid="preview-file" data-path={file.filePath}>
            <span className="mono">{file.filePath}</span>
            <span className={`change-badge change-${file.change}`}>{changeLabel(file.change)}</span>
            <span className="muted">tag</span> <span className="mono" data-testid="preview-tag">{file.tag}</span>
            {file.replacesOther !== undefined && (
              <div className="warning-message preview-warning" data-testid="preview-replaces">
                <p>{file.replacesOther}.</p>
                <label className="check-label">
                  <input type="checkbox" data-testid="preview-replace-confirm" checked={ticked.includes(file.filePath)} onChange={(event) => toggleReplacing(file.filePath, event.target.checked)} />
                  Replace it
                </label>
              </div>
            )}
            {file.warnings.map((warning) => (
              <p key={warning} className="warning-message preview-warning" data-testid="preview-warning">
                {warning}
              </p>
            ))}
          </li>
        ))}
      </ul>
      <div className="preview-label">Commit message</div>
      <pre className="commit-message" data-testid="preview-message">
        {preview.message}
      </pre>
      <div className="preview-label">Diff</div>
      {preview.diff === '' ? <p className="muted">No change to the files: the commit records the release alone.</p> : <DiffText diff={preview.diff} testId="preview-diff" />}
    </div>
  );
}

function LastRelease() {
  const result = useWorkbench((state) => state.lastRelease);
  if (result === null) return null;
  const isProblem = result.push === 'rejected' || result.push === 'failed';
  return (
    <div className={`release-result${isProblem ? ' is-problem' : ''}`} role="status" data-testid="release-result">
      <div>
        Committed <span className="mono" data-testid="result-commit">{result.commit.slice(0, 7)}</span> and tagged{' '}
        <span className="mono" data-testid="result-tags">
          {result.records.map((record) => record.tag).join(', ')}
        </span>
        {result.push === 'pushed' && ', pushed'}
        {result.push === 'not-requested' && ' (local)'}.
      </div>
      {result.pushMessage !== null && result.push !== 'pushed' && (
        <div className="result-detail" data-testid="result-push-message">
          {result.pushMessage}
        </div>
      )}
    </div>
  );
}

/** The Release section: what can be released, its preview, and the result. */
export function ReleaseSection() {
  const { overview, picks, error, isBusy, repository } = useWorkbench(
    useShallow((state) => ({
      overview: state.releaseOverview,
      picks: state.releasePicks,
      error: state.releaseError,
      isBusy: state.isReleaseBusy,
      repository: state.repository,
    })),
  );
  const id = useId();
  const approved = overview.filter((prompt) => prompt.approvedVersions.length > 0);
  const items = releaseItems(picks, overview);
  const folder = repository?.settings?.folder ?? null;
  const isConnected = repository?.settings != null;
  return (
    <section className="release-section" aria-labelledby={`${id}-title`} data-testid="release-section">
      <header className="release-section-header">
        <h2 id={`${id}-title`}>Approved versions</h2>
        <span className="muted">{approved.length === 0 ? '' : `${items.length} of ${approved.length} picked`}</span>
        <span className="spacer" />
        <button
          type="button"
          className="button button-primary"
          data-testid="release-preview-button"
          disabled={items.length === 0 || isBusy || !isConnected}
          title={!isConnected ? 'Connect a repository first' : items.length === 0 ? 'Tick the prompts to release' : 'Show the files, message and diff first'}
          onClick={() => void useWorkbench.getState().previewRelease()}
        >
          {isBusy ? 'Working…' : `Preview release${items.length > 1 ? ` of ${items.length}` : ''}`}
        </button>
      </header>
      {approved.length === 0 ? (
        <p className="empty-hint" data-testid="no-approved">
          No approved versions yet. Open a prompt’s Versions tab and approve a version (✓) to release it.
        </p>
      ) : (
        <table className="approved-table" data-testid="approved-table">
          <thead>
            <tr>
              <th className="pick-cell" aria-label="Pick" />
              <th>Prompt</th>
              <th>Version</th>
              <th>File</th>
              <th>Latest release</th>
            </tr>
          </thead>
          <tbody>
            {approved.map((prompt) => (
              <ApprovedRow key={`${prompt.promptId}:${prompt.approvedVersions.join(",")}`} prompt={prompt} pick={picks[prompt.promptId]} folder={folder} />
            ))}
          </tbody>
        </table>
      )}
      {error !== null && (
        <p className="form-error block-message" role="alert" data-testid="release-error">
          {error}
        </p>
      )}
      <Preview />
      <LastRelease />
    </section>
  );
}
