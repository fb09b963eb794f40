/**
 * The release repository: what it is and what Git says about it, or the form that connects one
 * (an existing working tree, or a new one made with `git init`).
 */

import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useWorkbench } from '../../store/workbench-store';

function RepositoryForm({ onDone }: { onDone: (() => void) | null }) {
  const repository = useWorkbench((state) => state.repository);
  const settings = repository?.settings ?? null;
  const [path, setPath] = useState(settings?.path ?? '');
  const [folder, setFolder] = useState(settings?.folder ?? 'prompts');
  const [remote, setRemote] = useState(settings?.remote ?? '');
  const [branch, setBranch] = useState(settings?.branch ?? '');
  const [isCreating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const id = useId();
  const connect = async () => {
    if (isBusy) return;
    setBusy(true);
    setError(null);
    const outcome = await useWorkbench.getState().connectRepository({ path, folder, remote, branch, isCreating });
    setBusy(false);
    if (!outcome.ok) setError(outcome.message);
    else onDone?.();
  };
  const onEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') void connect();
    else if (event.key === 'Escape' && onDone !== null) onDone();
  };
  return (
    <div className="repository-form" data-testid="repository-form">
      <div className="repository-grid">
        <label htmlFor={`${id}-path`}>Repository</label>
        <input
          id={`${id}-path`}
          className="text-input mono"
          data-testid="repo-path-input"
          placeholder="/home/you/work/team-prompts"
          spellCheck={false}
          value={path}
          onChange={(event) => setPath(event.target.value)}
          onKeyDown={onEnter}
        />
        <label htmlFor={`${id}-folder`}>Folder</label>
        <input
          id={`${id}-folder`}
          className="text-input mono"
          data-testid="repo-folder-input"
          placeholder="prompts"
          spellCheck={false}
          value={folder}
          onChange={(event) => setFolder(event.target.value)}
          onKeyDown={onEnter}
        />
        <label htmlFor={`${id}-remote`}>Remote</label>
        <input
          id={`${id}-remote`}
          className="text-input mono"
          data-testid="repo-remote-input"
          placeholder="none — releases stay local"
          spellCheck={false}
          list={`${id}-remotes`}
          value={remote}
          onChange={(event) => setRemote(event.target.value)}
          onKeyDown={onEnter}
        />
        <datalist id={`${id}-remotes`}>
          {(repository?.remotes ?? []).map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <label htmlFor={`${id}-branch`}>Branch</label>
        <input
          id={`${id}-branch`}
          className="text-input mono"
          data-testid="repo-branch-input"
          placeholder="the checked-out branch"
          spellCheck={false}
          value={branch}
          onChange={(event) => setBranch(event.target.value)}
          onKeyDown={onEnter}
        />
      </div>
      <div className="form-actions">
        <label className="check-label" title="Runs git init in the folder (made if missing) when it is not a repository yet">
          <input type="checkbox" data-testid="repo-create-check" checked={isCreating} onChange={(event) => setCreating(event.target.checked)} />
          Create the repository if there is none
        </label>
        <span className="spacer" />
        {onDone !== null && (
          <button type="button" className="button button-quiet" onClick={onDone}>
            Cancel
          </button>
        )}
        <button type="button" className="button button-primary" data-testid="repo-connect" disabled={isBusy || path.trim() === ''} onClick={() => void connect()}>
          {isBusy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
      {error !== null && (
        <p className="form-error block-message" role="alert" data-testid="repo-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The Repository section of the release workspace. */
export function RepositorySection() {
  const { repository, isLoading } = useWorkbench(useShallow((state) => ({ repository: state.repository, isLoading: state.isRepositoryLoading })));
  const [isEditing, setEditing] = useState(false);
  useEffect(() => {
    void useWorkbench.getState().loadRepository();
  }, []);
  const settings = repository?.settings ?? null;
  return (
    <section className="release-section" aria-labelledby="release-repository-title" data-testid="repository-section">
      <header className="release-section-header">
        <h2 id="release-repository-title">Repository</h2>
        {settings !== null && !isEditing && (
          <>
            <span className="spacer" />
            <button type="button" className="button button-small" data-testid="repo-refresh" disabled={isLoading} onClick={() => void useWorkbench.getState().loadRepository()}>
              Refresh
            </button>
            <button type="button" className="button button-small" data-testid="repo-edit" onClick={() => setEditing(true)}>
              Change…
            </button>
            <button type="button" className="button button-small button-quiet" data-testid="repo-forget" onClick={() => void useWorkbench.getState().disconnectRepository()}>
              Forget
            </button>
          </>
        )}
      </header>
      {repository === null ? (
        <p className="muted">Loading…</p>
      ) : settings === null || isEditing ? (
        <>
          {settings === null && (
            <p className="section-note">
              Approved versions are released as GitHub Models <code>.prompt.yml</code> files into a Git working tree you choose, one commit and one tag
              (<code>slug/vN</code>) per release. Git runs with your own config, credentials and signing.
            </p>
          )}
          <RepositoryForm onDone={settings === null ? null : () => setEditing(false)} />
        </>
      ) : (
        <div className="repository-summary" data-testid="repo-summary">
          <dl className="facts">
            <dt>Path</dt>
            {/* A narrow window cuts a long path short: the tooltip has it whole. */}
            <dd className="mono" data-testid="repo-path" title={settings.path}>
              {settings.path}
            </dd>
            <dt>Files</dt>
            <dd className="mono" data-testid="repo-folder" title={`${settings.folder === '' ? '' : `${settings.folder}/`}<slug>.prompt.yml`}>
              {settings.folder === '' ? '' : `${settings.folder}/`}&lt;slug&gt;.prompt.yml
            </dd>
            <dt>Branch</dt>
            <dd data-testid="repo-branch">
              <span className="mono">{repository.currentBranch ?? 'detached HEAD'}</span>
              {settings.branch !== null && <span className="muted"> · releases go to {settings.branch}</span>}
              {repository.head !== null && <span className="muted mono"> · {repository.head.slice(0, 7)}</span>}
            </dd>
            <dt>Remote</dt>
            <dd data-testid="repo-remote">{settings.remote === null ? <span className="muted">none — releases stay local</span> : <span className="mono">{settings.remote}</span>}</dd>
          </dl>
          {repository.problem !== null && (
            <p className="warning-message" role="alert" data-testid="repo-problem">
              {repository.problem}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
