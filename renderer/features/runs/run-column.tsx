/**
 * One cell of a batch: model and version, live figures, and the streaming output.
 *
 * The column follows its own run only; the output element is written to directly
 * (live-output.tsx) every frame, and the figures re-render ten times a second while it streams
 * (use-live-run.ts) and at once when it ends.
 */

import { memo, useEffect, useRef } from 'react';
import type { RunCell } from '../../../shared/types';
import { IconButton } from '../../components/icon-button';
import { useWorkbench } from '../../store/workbench-store';
import { LiveOutput } from './live-output';
import { Thinking } from './thinking';
import { liveFigures, secondsLeft, versionLabel } from './run-figures';
import { FigureGrid, RunNotices, StatusChip } from './run-figures-view';
import { useLiveRun } from './use-live-run';

/** Props of `RunColumn`. */
export interface RunColumnProps {
  cell: RunCell;
  /** True when the batch compares versions, so each column names its own. */
  isShowingVersion: boolean;
  /** True when the batch takes several samples, so each column names its own ("#1", "#2"...). */
  isShowingSample: boolean;
  /** The batch, once it has ended (a failed or stopped column may then run again); null while it runs. */
  retryBatchId?: number | null;
}

/** Puts a run's whole output on the clipboard. */
async function copyOutput(model: string, output: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(output);
    useWorkbench.getState().showToast('info', `Copied the output of ${model}`);
  } catch (error) {
    useWorkbench.getState().reportError(error, 'Could not copy the output');
  }
}

/** True for a finish reason that says the answer was cut at the max tokens (OpenAI and Ollama `length`, Anthropic `max_tokens`). */
function isCutShort(finishReason: string): boolean {
  return finishReason === 'length' || finishReason === 'max_tokens';
}

/** A time limit as a person says it: "3 min", "45 s", "1.5 s". */
function limitText(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}

/** What an empty running column says it waits for; for the first token, with the limit it waits against. */
function waitingText(isThinking: boolean, isQueued: boolean, retry: { inMs: number; reason: string } | null, firstOutputLimitMs: number): string {
  if (isThinking) return 'Thinking…';
  if (isQueued) return 'Queued behind another request to this model…';
  if (retry !== null) return `${retry.reason}\n${retry.inMs > 0 ? `Sending again in ${secondsLeft(retry.inMs)} s…` : 'Sending again…'}`;
  return `Waiting for the first token… (gives up after ${limitText(firstOutputLimitMs)})`;
}

/** A column of the runs panel. */
export const RunColumn = memo(function RunColumn({ cell, isShowingVersion, isShowingSample, retryBatchId = null }: RunColumnProps) {
  const snapshot = useLiveRun(cell.runId);
  const isRunning = snapshot.status === 'running';
  // Cut off from the engine, a running column cannot know how its run goes: its clock stops where the link dropped.
  const disconnectedAt = useWorkbench((state) => (isRunning ? state.disconnectedAt : null));
  const isCutOff = disconnectedAt !== null;
  const now = disconnectedAt ?? performance.now();
  const figures = liveFigures(snapshot, cell, now);
  const record = snapshot.record;
  const retry = snapshot.retry && { inMs: snapshot.retry.at - now, reason: snapshot.retry.reason };
  const sectionRef = useRef<HTMLElement>(null);
  const isStopFocused = useRef(false);
  useEffect(() => {
    // Stop goes once its run ended, and the focus it held would fall to the page: the column keeps it (Tab then reaches ▷).
    if (isRunning || !isStopFocused.current) return;
    isStopFocused.current = false;
    if (document.activeElement === null || document.activeElement === document.body) sectionRef.current?.focus();
  }, [isRunning]);
  return (
    <section
      ref={sectionRef}
      tabIndex={-1}
      onFocus={(event) => {
        isStopFocused.current = event.target instanceof HTMLElement && event.target.dataset.testid === 'stop-run';
      }}
      className={`run-column is-${snapshot.status}`}
      data-testid="run-column"
      data-run-id={cell.runId}
      data-model={cell.model}
      data-sample={cell.sampleIndex + 1}
      data-status={snapshot.status}
      aria-label={`${cell.model} on ${cell.providerLabel}${isShowingVersion ? `, ${versionLabel(cell.version)}` : ''}${isShowingSample ? `, sample ${cell.sampleIndex + 1}` : ''}`}
      aria-busy={isRunning}
    >
      <header className="run-column-header">
        <div className="run-column-head-line">
          <span className="run-column-model" data-testid="run-model" title={cell.model}>
            {cell.model}
          </span>
          <StatusChip status={snapshot.status} isQueued={snapshot.isQueued} retry={retry} isCutOff={isCutOff} isInterrupted={record?.isInterrupted} isNotSent={record?.isNotSent} />
          {isRunning && (
            <IconButton
              icon="stop"
              label={isCutOff ? 'Cannot stop it from here while the workbench is out of reach' : 'Stop this run'}
              testId="stop-run"
              isDisabled={isCutOff}
              onClick={() => void useWorkbench.getState().stopRun(cell.runId)}
            />
          )}
          {record !== null && record.status !== 'ok' && retryBatchId !== null && (
            <IconButton icon="play" label="Run this column again" testId="retry-run" onClick={() => void useWorkbench.getState().retryCell(retryBatchId, cell.runId)} />
          )}
          {record !== null && (
            // Shown while the column is pointed at or holds the focus, so the model's name keeps the room.
            <span className="run-column-actions">
              {record.output !== '' && <IconButton icon="copy" label="Copy the output" testId="copy-output" onClick={() => void copyOutput(cell.model, record.output)} />}
              <IconButton icon="history" label="Open in history" testId="open-in-history" onClick={() => void useWorkbench.getState().openRunInHistory(cell.runId)} />
            </span>
          )}
        </div>
        <div className="run-column-provider">
          <span className="run-column-provider-label" title={cell.providerLabel}>
            {cell.providerLabel}
          </span>
          {isShowingVersion && (
            <span className="version-tag" data-testid="run-version">
              {versionLabel(cell.version)}
            </span>
          )}
          {isShowingSample && (
            <span className="version-tag" data-testid="run-sample" title={`Sample ${cell.sampleIndex + 1}: a request of its own, cached on its own`}>
              #{cell.sampleIndex + 1}
            </span>
          )}
          {figures.isCacheHit && (
            <span
              className="cached-badge"
              data-testid="cached-badge"
              title={
                'Served from the response cache: no request was sent. The usage and timing are the original run’s; ' +
                (figures.saved === null ? 'what it saved is unknown, as its model has no price.' : `it saved ${figures.saved}.`)
              }
            >
              cached
              {figures.saved !== null && <span className="cached-saved"> · saved {figures.saved}</span>}
            </span>
          )}
          {figures.finishReason !== null && (
            <span
              className={`run-column-fact run-column-finish${isCutShort(figures.finishReason) ? ' is-cut-short' : ''}`}
              data-testid="finish-reason"
              title={`Why the model stopped: ${figures.finishReason}${isCutShort(figures.finishReason) ? ' (the answer reached the max tokens and was cut short)' : ''}`}
            >
              <span className="finish-prefix">finish: </span>
              {figures.finishReason}
            </span>
          )}
          {figures.reasoningTokens !== null && (
            <span className="run-column-fact" data-testid="reasoning-tokens" title="Output tokens the model spent thinking (counted in Out and in the cost)">
              thought: {figures.reasoningTokens}
            </span>
          )}
        </div>
      </header>
      <FigureGrid figures={figures} />
      {/* How it ended first, then how it was sent: a final error is never pushed out of sight by the retries before it. */}
      {record?.error && (
        <div className="run-error" role="alert" data-testid="run-error">
          {record.error}
        </div>
      )}
      {record?.notStored !== undefined && (
        <div className="run-error" role="alert" data-testid="run-not-stored">
          Not stored in History: {record.notStored}
        </div>
      )}
      {snapshot.notices.length > 0 && <RunNotices notices={snapshot.notices} isCompact />}
      <Thinking runId={cell.runId} length={snapshot.reasoningLength} isThinking={isRunning && snapshot.length === 0} />
      <LiveOutput runId={cell.runId} placeholder={isRunning ? waitingText(snapshot.reasoningLength > 0, snapshot.isQueued, retry, cell.firstOutputLimitMs) : ''} />
    </section>
  );
});
