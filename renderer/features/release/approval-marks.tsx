/**
 * Approval marks where versions are listed: the approve / withdraw action and the approval
 * line of a version in the Versions tab, and the approved mark of a library row.
 */

import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PromptVersionSummary } from '../../../shared/types';
import { IconButton } from '../../components/icon-button';
import { formatDate } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';

/** Loads the approvals of a prompt's versions, again whenever its versions change. */
export function useVersionStates(promptId: number | null, versions: readonly PromptVersionSummary[]): void {
  const key = versions.map((version) => `${version.number}:${version.status}`).join(',');
  useEffect(() => {
    if (promptId !== null) void useWorkbench.getState().loadVersionStates(promptId);
  }, [promptId, key]);
}

function useVersionState(promptId: number, versionNumber: number) {
  return useWorkbench((state) => state.versionStates[promptId]?.find((item) => item.versionNumber === versionNumber) ?? null);
}

/** Approve (or withdraw the approval of) a version; nothing once it is released. */
export function VersionApprovalAction({ version }: { version: PromptVersionSummary }) {
  const state = useVersionState(version.promptId, version.number);
  const actions = useWorkbench.getState();
  const isApproved = state?.approval != null || version.status === 'approved';
  if (!isApproved) {
    return (
      <IconButton
        icon="check"
        label={`Approve v${version.number}…`}
        testId="approve-version"
        onClick={() => actions.openApproveDialog(version.promptId, version.number)}
      />
    );
  }
  if (state !== null && state.releases.length > 0) return null;
  return (
    <IconButton
      icon="close"
      label={`Withdraw the approval of v${version.number}`}
      testId="withdraw-approval"
      onClick={() => void actions.withdrawApproval(version.promptId, version.number)}
    />
  );
}

/** Who approved a version, when, the note, the gate, and its release tags. */
export function VersionApprovalLine({ version }: { version: PromptVersionSummary }) {
  const state = useVersionState(version.promptId, version.number);
  const approval = state?.approval ?? null;
  if (approval === null) return null;
  const gate = approval.gate;
  const title = [
    `Approved by ${approval.approvedBy} on ${formatDate(approval.approvedAt)}`,
    approval.note === '' ? null : `Note: ${approval.note}`,
    gate === null ? 'No eval gate' : `Gate: ${gate.reason}`,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <div className="version-approval" data-testid="version-approval" title={title}>
      <span className="approval-by">
        ✓ {approval.approvedBy} · {formatDate(approval.approvedAt)}
      </span>
      {gate !== null && <span className="approval-gate"> · gate {Math.round(gate.minPassRate * 100)}%</span>}
      {approval.note !== '' && <span className="approval-note">{approval.note}</span>}
      {state !== null &&
        state.releases.map((release) => (
          <span key={release.id} className="release-chip mono" data-testid="version-release-tag" title={`${release.commit.slice(0, 7)} · ${formatDate(release.releasedAt)}`}>
            {release.tag}
          </span>
        ))}
    </div>
  );
}

/** The approved mark of a library row: the newest approved version, and whether it is released. */
export function LibraryApprovalMark({ promptId }: { promptId: number }) {
  const { approved, released } = useWorkbench(
    useShallow((state) => {
      const overview = state.releaseOverview.find((item) => item.promptId === promptId);
      return { approved: overview?.approvedVersions[0] ?? null, released: overview?.latestRelease?.tag ?? null };
    }),
  );
  if (approved === null) return null;
  const title = released === null ? `v${approved} is approved, not released yet` : `v${approved} is approved; latest release ${released}`;
  return (
    <span className="badge status-approved" data-testid="prompt-approved" title={title}>
      ✓ v{approved}
    </span>
  );
}
