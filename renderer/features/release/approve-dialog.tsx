/**
 * The approve dialog: a note, and optionally a gate (the version's latest eval must pass at
 * least a share of its cells) whose result is shown before approving. Enter approves, Esc cancels.
 */

import { useEffect, useState } from 'react';
import { DialogShell } from '../../components/dialog-shell';
import { NoteInput } from '../../components/note-input';
import type { GateCheck } from '../../../shared/release-types';
import { formatDate } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';

/** The dialog, shown while a version is being approved. */
export function ApproveDialog() {
  const target = useWorkbench((state) => state.approveTarget);
  if (target === null) return null;
  return <ApproveForm key={`${target.promptId}:${target.versionNumber}`} promptName={target.promptName} versionNumber={target.versionNumber} />;
}

/** The gate's percentage as typed, or null when it is not a number from 0 to 100. */
function parsePercent(text: string): number | null {
  const value = Number(text.trim().replace(/%$/, ''));
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 100 ? value / 100 : null;
}

function GateResult({ check, error }: { check: GateCheck | null; error: string | null }) {
  if (error !== null) {
    return (
      <p className="gate-result is-failed" role="alert" data-testid="gate-result">
        {error}
      </p>
    );
  }
  if (check === null) return <p className="gate-result muted">Checking the latest eval…</p>;
  return (
    <p className={`gate-result ${check.isPassed ? 'is-passed' : 'is-failed'}`} data-testid="gate-result" data-passed={check.isPassed}>
      <span className="gate-verdict">{check.isPassed ? 'Gate passed' : 'Gate not passed'}</span> {check.reason}
      {check.eval !== null && <span className="muted"> · finished {formatDate(check.eval.finishedAt)}</span>}
    </p>
  );
}

function ApproveForm({ promptName, versionNumber }: { promptName: string; versionNumber: number }) {
  const [note, setNote] = useState('');
  const [isGated, setGated] = useState(false);
  const [percentText, setPercentText] = useState('80');
  const [check, setCheck] = useState<GateCheck | null>(null);
  const [gateError, setGateError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  const minPassRate = parsePercent(percentText);

  useEffect(() => {
    if (!isGated) return;
    setCheck(null);
    if (minPassRate === null) {
      setGateError('The threshold is a percentage from 0 to 100');
      return;
    }
    setGateError(null);
    let isCurrent = true;
    const timer = setTimeout(() => {
      void useWorkbench
        .getState()
        .checkApprovalGate({ minPassRate })
        .then((outcome) => {
          if (!isCurrent) return;
          if (outcome.ok) setCheck(outcome.value);
          else setGateError(outcome.message);
        });
    }, 150);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [isGated, minPassRate]);

  const editNote = (value: string) => {
    setNote(value);
    setError(null);
  };
  const close = () => useWorkbench.getState().closeApproveDialog();
  const isBlocked = isGated && (minPassRate === null || check === null || !check.isPassed);
  const approve = async () => {
    if (isSaving || isBlocked) return;
    setSaving(true);
    setError(null);
    const outcome = await useWorkbench.getState().approveVersion(note, isGated && minPassRate !== null ? { minPassRate } : null);
    setSaving(false);
    if (outcome.ok) useWorkbench.getState().showToast('info', `Approved v${versionNumber} of ${promptName}`);
    else setError(outcome.message);
  };

  return (
    <DialogShell
      title={
        <>
          Approve <strong>{promptName}</strong> v{versionNumber}
        </>
      }
      className="approve-dialog"
      testId="approve-dialog"
      onCancel={close}
      onSubmit={() => void approve()}
      isSubmittedByEnter
      submitLabel={`Approve v${versionNumber}`}
      submitTestId="approve-confirm"
      isSubmitDisabled={isBlocked}
      isBusy={isSaving}
      hint={isSaving ? 'Approving…' : 'Enter to approve · Esc to cancel'}
      error={error}
      errorTestId="approve-error"
    >
      <NoteInput label="Approval note" placeholder="Note — why is this version ready? (goes into the release commit)" value={note} onChange={editNote} testId="approval-note-input" />
      <div className="gate-row">
        <label className="check-label">
          <input type="checkbox" data-testid="gate-toggle" checked={isGated} onChange={(event) => setGated(event.target.checked)} />
          Require the latest eval of v{versionNumber} to pass at least
        </label>
        <input
          className="gate-input"
          data-testid="gate-threshold"
          aria-label="Pass rate the gate needs, in percent"
          inputMode="decimal"
          disabled={!isGated}
          value={percentText}
          aria-invalid={isGated && minPassRate === null}
          onChange={(event) => setPercentText(event.target.value)}
        />
        <span className="muted">% of its cells</span>
      </div>
      {isGated && <GateResult check={check} error={gateError} />}
    </DialogShell>
  );
}
