/**
 * The eval run form: the models (the same choice as the runs panel, with its "+ Model" picker),
 * the versions, the baseline regressions and improvements are measured against, concurrency and the cache; Start.
 */

import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MAX_EVAL_CONCURRENCY, MAX_RUN_VERSIONS } from '../../../shared/contract';
import type { VersionRef } from '../../../shared/types';
import { Icon } from '../../components/icons';
import { IconButton } from '../../components/icon-button';
import { countOf } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { ModelPicker } from '../runs/model-picker';
import { versionLabel } from '../runs/run-figures';
import { notConnectedText } from '../status/not-connected';
import { runShortcutLabel } from '../status/shortcuts';
import { DEFAULT_EVAL_CONCURRENCY, evalFormProblem, plannedCellCount } from './evals-slice';

/** Reads the Concurrency field: a whole number from 1 to MAX_EVAL_CONCURRENCY, or null. */
function parseConcurrency(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= 1 && value <= MAX_EVAL_CONCURRENCY ? value : null;
}

function ConcurrencyField() {
  const concurrency = useWorkbench((state) => state.evalForm.concurrency);
  const [text, setText] = useState(() => String(concurrency ?? DEFAULT_EVAL_CONCURRENCY));
  return (
    <label className="check-label samples-field" title={`Requests in flight at once (1–${MAX_EVAL_CONCURRENCY})`}>
      Concurrency
      <input
        className="samples-input tabular"
        data-testid="eval-concurrency"
        inputMode="numeric"
        autoComplete="off"
        maxLength={3}
        aria-invalid={concurrency === null}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          useWorkbench.getState().setEvalConcurrency(parseConcurrency(event.target.value));
        }}
        onBlur={() => {
          if (concurrency !== null) setText(String(concurrency));
        }}
      />
    </label>
  );
}

function VersionToggles() {
  const { versions, chosen } = useWorkbench(useShallow((state) => ({ versions: state.versions, chosen: state.evalForm.versions })));
  // Draft first, then saved versions newest first, as the runs panel offers them.
  const options: { value: VersionRef; label: string; title?: string }[] = [
    { value: 'draft' as const, label: 'Draft', title: 'The working draft as it is when the eval starts' },
    ...versions.map((version) => ({ value: version.number, label: `v${version.number}`, title: version.note || undefined })),
  ];
  return (
    <div className="toggle-group eval-versions" role="group" aria-label="Versions to evaluate" data-testid="eval-versions">
      {options.map((option) => {
        const isOn = chosen.includes(option.value);
        return (
          <button
            key={option.value}
            type="button"
            className={`toggle${isOn ? ' is-on' : ''}`}
            aria-pressed={isOn}
            data-testid={`eval-version-${option.value}`}
            title={option.title ?? (isOn ? 'Evaluated' : `Add to the eval (at most ${MAX_RUN_VERSIONS})`)}
            onClick={() => useWorkbench.getState().toggleEvalVersion(option.value)}
          >
            {option.label}
          </button>
        );
      })}
    </div>
  );
}

function BaselineField() {
  const { baseline, chosen, versions } = useWorkbench(useShallow((state) => ({ baseline: state.evalForm.baseline, chosen: state.evalForm.versions, versions: state.versions })));
  const approved = versions.find((version) => version.status === 'approved');
  const saved = chosen.filter((version): version is number => version !== 'draft');
  return (
    <label className="check-label" title="A case that passes on the baseline and fails on another version (same model) is a regression, listed first; one that fails on the baseline and passes is improved, listed next">
      Baseline
      <select
        className="select select-small baseline-select"
        data-testid="eval-baseline"
        value={String(baseline)}
        onChange={(event) => {
          const { value } = event.target;
          useWorkbench.getState().setEvalBaseline(value === 'approved' || value === 'none' ? value : Number(value));
        }}
      >
        <option value="approved" title={approved ? 'The latest approved version' : 'No version is approved: no regressions or improvements are flagged'}>
          {approved ? `v${approved.number} (approved)` : 'none'}
        </option>
        {approved && <option value="none">none</option>}
        {saved.map((version) => (
          <option key={version} value={version}>
            {versionLabel(version)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The form above the results. */
export function EvalRunForm() {
  const { targets, providers, isBypassed, refusal, isStarting, problem, planned, caseCount, versionCount, isRunning, notConnected } = useWorkbench(
    useShallow((state) => ({
      targets: state.runTargets,
      providers: state.providers,
      isBypassed: state.evalForm.isCacheBypassed,
      refusal: state.evalRefusal,
      isStarting: state.isStartingEval,
      problem: evalFormProblem(state),
      planned: plannedCellCount(state),
      caseCount: state.suiteEdit?.rows.length ?? 0,
      versionCount: state.evalForm.versions.length,
      isRunning: state.openEval?.status === 'running',
      notConnected: notConnectedText(state),
    })),
  );
  const labelOf = (providerId: number) => providers.find((provider) => provider.id === providerId)?.label ?? `provider ${providerId}`;
  const state = useWorkbench.getState();
  return (
    <section className="eval-form" aria-label="Run an eval" data-testid="eval-form">
      <div className="evals-toolbar">
        <span className="form-label">Models</span>
        <ModelPicker />
        <ul className="chips target-chips" aria-label="Models to evaluate on">
          {targets.map((target) => (
            <li key={`${target.providerId}:${target.model}`} className="chip target-chip" data-testid="eval-target-chip" data-model={target.model}>
              <span className="target-model">{target.model}</span>
              <span className="target-provider">{labelOf(target.providerId)}</span>
              <IconButton icon="close" label={`Remove ${target.model}`} testId="remove-target" onClick={() => state.removeRunTarget(target)} />
            </li>
          ))}
        </ul>
        {targets.length === 0 && <span className="muted">the same models as the runs panel</span>}
        <span className="spacer" />
        <span className="muted tabular eval-plan" data-testid="eval-plan" title={`${countOf(caseCount, 'case')} × ${countOf(versionCount, 'version')} × ${countOf(targets.length, 'model')}`}>
          {countOf(planned, 'cell')} ({caseCount} × {versionCount} × {targets.length})
        </span>
        <button
          type="button"
          className="button button-primary"
          data-testid="start-eval"
          disabled={isStarting || isRunning || problem !== null || notConnected !== null}
          title={notConnected ?? problem ?? (isRunning ? 'An eval is running: cancel it first' : `Run every case on every version and model (${runShortcutLabel()})`)}
          onClick={() => void state.startEval()}
        >
          <Icon name="play" /> {isStarting ? 'Starting…' : 'Run eval'} <kbd>{runShortcutLabel()}</kbd>
        </button>
      </div>
      <div className="evals-toolbar">
        <span className="form-label">Versions</span>
        <VersionToggles />
        <BaselineField />
        <ConcurrencyField />
        <label className="check-label" title="Send every request even when the cache has its answer">
          <input type="checkbox" data-testid="eval-bypass-cache" checked={isBypassed} onChange={(event) => state.setEvalCacheBypassed(event.target.checked)} />
          Bypass cache
        </label>
      </div>
      {(refusal !== null || problem !== null) && (
        <div className={`run-refusal${refusal === null ? ' is-quiet' : ''}`} role={refusal === null ? undefined : 'alert'} data-testid={refusal === null ? 'eval-form-problem' : 'eval-refusal'}>
          <Icon name="warning" />
          <span className="run-refusal-text">{refusal ?? problem}</span>
          {refusal !== null && <IconButton icon="close" label="Dismiss" onClick={() => state.dismissEvalRefusal()} />}
        </div>
      )}
    </section>
  );
}
