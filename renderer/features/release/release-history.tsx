/**
 * The release history: every release (or one prompt's), newest first, with its commit, tag,
 * time and what the push did; a rejected or failed push can be retried.
 */

import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ReleaseRecord } from '../../../shared/release-types';
import { formatDate } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { pushLabel } from './release-section';

function HistoryRow({ record, isRepositoryShown }: { record: ReleaseRecord; isRepositoryShown: boolean }) {
  const canRetry = record.push === 'rejected' || record.push === 'failed';
  return (
    <li className="release-row" data-testid="release-row" data-tag={record.tag}>
      <div className="release-row-line release-row-head">
        <span className="mono release-tag" data-testid="release-tag">
          {record.tag}
        </span>
        <span className={`push-badge push-${record.push}`} data-testid="release-push-status" title={record.pushMessage ?? undefined}>
          {pushLabel(record.push)}
        </span>
        <span className="spacer" />
        <time className="muted release-time" dateTime={record.releasedAt}>
          {formatDate(record.releasedAt)}
        </time>
      </div>
      <div className="release-row-line muted">
        <span className="mono" data-testid="release-commit" title={record.commit}>
          {record.commit.slice(0, 7)}
        </span>
        <span>
          {record.promptName} v{record.versionNumber}
        </span>
        <span className="mono release-file" title={`${record.repositoryPath}/${record.filePath}`}>
          {record.branch}
          {record.remote === null ? '' : ` → ${record.remote}`}
        </span>
      </div>
      {/* Releases into several repositories read apart (two clones may share a folder name): the repository's path. */}
      {isRepositoryShown && (
        <div className="release-row-line muted">
          <span className="mono release-repository" data-testid="release-repository" title={`In the repository ${record.repositoryPath}`}>
            in {record.repositoryPath}
          </span>
        </div>
      )}
      {record.note !== '' && (
        <div className="release-note" title={record.note}>
          {record.note}
        </div>
      )}
      {canRetry && (
        <div className="release-push-problem">
          <span data-testid="release-push-message">{record.pushMessage}</span>
          <button type="button" className="button button-small" data-testid="retry-push" onClick={() => void useWorkbench.getState().retryPush(record.commit)}>
            Retry push
          </button>
        </div>
      )}
    </li>
  );
}

/** The history column of the release workspace. */
export function ReleaseHistory() {
  const { history, promptId, overview } = useWorkbench(
    useShallow((state) => ({ history: state.releaseHistory, promptId: state.releaseHistoryPromptId, overview: state.releaseOverview })),
  );
  useEffect(() => {
    void useWorkbench.getState().loadReleaseHistory();
  }, []);
  const released = overview.filter((prompt) => prompt.latestRelease !== null);
  // Each row says its repository once releases went to more than one.
  const isManyRepositories = new Set(history.map((record) => record.repositoryPath)).size > 1;
  return (
    <section className="release-history" aria-label="Release history" data-testid="release-history">
      <header className="release-section-header">
        <h2>History</h2>
        <span className="spacer" />
        <select
          className="select"
          aria-label="Prompt whose releases to show"
          data-testid="history-prompt"
          value={promptId ?? ''}
          onChange={(event) => void useWorkbench.getState().loadReleaseHistory(event.target.value === '' ? null : Number(event.target.value))}
        >
          <option value="">All prompts</option>
          {released.map((prompt) => (
            <option key={prompt.promptId} value={prompt.promptId}>
              {prompt.name}
            </option>
          ))}
        </select>
      </header>
      {history.length === 0 ? (
        <p className="empty-hint" data-testid="history-empty">
          No releases yet.
        </p>
      ) : (
        <ul className="release-list">
          {history.map((record) => (
            <HistoryRow key={record.id} record={record} isRepositoryShown={isManyRepositories} />
          ))}
        </ul>
      )}
    </section>
  );
}
