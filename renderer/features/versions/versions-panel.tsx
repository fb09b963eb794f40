/**
 * Versions: the saved versions of the open prompt, newest first, with Open, Restore, Compare,
 * and Approve (who approved, when, and the release tags of approved versions).
 */

import { useShallow } from 'zustand/react/shallow';
import type { PromptVersionSummary } from '../../../shared/types';
import { IconButton } from '../../components/icon-button';
import { formatDate } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { draftDescription } from '../editor/draft-editor';
import { useVersionStates, VersionApprovalAction, VersionApprovalLine } from '../release/approval-marks';
import { saveShortcutLabel } from '../status/shortcuts';

function VersionRow({ version, isChecked, isOpen }: { version: PromptVersionSummary; isChecked: boolean; isOpen: boolean }) {
  const actions = useWorkbench.getState();
  return (
    <li className={`version-row${isOpen ? ' is-open' : ''}`} data-testid="version-row" data-version={version.number}>
      <label className="version-check" title="Tick two versions to compare them">
        <input
          type="checkbox"
          data-testid="compare-check"
          aria-label={`Compare v${version.number}`}
          checked={isChecked}
          onChange={() => actions.toggleCompareSelection(version.number)}
        />
      </label>
      <div className="version-main">
        <div className="version-line">
          <span className="version-number">v{version.number}</span>
          {/* Only approval is marked: a saved version is never called "draft", a word the working draft owns. */}
          {version.status === 'approved' && (
            <span className="badge status-approved" data-testid="version-approved">
              ✓ approved
            </span>
          )}
          <span className="version-date">{formatDate(version.createdAt)}</span>
        </div>
        <div className={`version-note${version.note ? '' : ' muted'}`} data-testid="version-note" title={version.note}>
          {version.note || 'No note'}
        </div>
        <VersionApprovalLine version={version} />
      </div>
      <div className="version-actions">
        <IconButton icon="eye" label={`Open v${version.number} read-only`} testId="open-version" onClick={() => void actions.openVersion(version.number)} />
        <IconButton icon="restore" label={`Restore v${version.number} into the draft`} testId="restore-version" onClick={() => void actions.restoreVersion(version.number)} />
        <VersionApprovalAction version={version} />
      </div>
    </li>
  );
}

/** The Versions tab. */
export function VersionsPanel() {
  const { versions, selection, centreView, baseVersion, isDraftDirty } = useWorkbench(
    useShallow((state) => ({
      versions: state.versions,
      selection: state.compareSelection,
      centreView: state.centreView,
      baseVersion: state.baseVersion,
      isDraftDirty: state.isDraftDirty,
    })),
  );
  useVersionStates(versions[0]?.promptId ?? null, versions);
  const openNumber = centreView.kind === 'version' ? centreView.version.number : null;
  const [first, second] = [...selection].sort((a, b) => a - b);
  const canCompare = selection.length === 2;
  return (
    <div className="versions-panel" data-testid="versions-panel">
      <div className="panel-subheader">
        <span className="section-title">Versions</span>
        <button
          type="button"
          className="button button-small"
          data-testid="compare-versions"
          disabled={!canCompare}
          title={canCompare ? undefined : 'Tick two versions to compare'}
          onClick={() => void useWorkbench.getState().compareVersions(first, second)}
        >
          {canCompare ? `Compare v${first} ↔ v${second}` : 'Compare'}
        </button>
      </div>
      <div className={`draft-row${centreView.kind === 'draft' ? ' is-open' : ''}`}>
        <button type="button" className="link-button" data-testid="show-draft" onClick={() => useWorkbench.getState().closeVersionView()}>
          Working draft
        </button>
        <span className="muted" data-testid="draft-summary">
          {draftDescription(baseVersion, versions[0]?.number ?? null, isDraftDirty).replace(/^Draft( · )?/, '') || 'never saved'}
        </span>
      </div>
      {versions.length === 0 ? (
        <p className="empty-hint">No versions yet. Press {saveShortcutLabel()} to save the draft as v1.</p>
      ) : (
        <ul className="version-list" data-testid="version-list">
          {versions.map((version) => (
            <VersionRow key={version.number} version={version} isChecked={selection.includes(version.number)} isOpen={openNumber === version.number} />
          ))}
        </ul>
      )}
    </div>
  );
}
