/**
 * The runs panel under the editor: the models and versions to run, what the run would cost,
 * and one column per model x version x sample streaming side by side, with the comparison's total.
 */

import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MAX_RUN_SAMPLES } from '../../../shared/contract';
import { formatBudgetUsd, formatUsd } from '../../../shared/cost';
import { findLiteralPlaceholders } from '../../../shared/template';
import type { ProviderSettings, RunEstimate, RunTarget } from '../../../shared/types';
import { Icon } from '../../components/icons';
import { IconButton } from '../../components/icon-button';
import { countOf, formatDate, formatNumber } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import type { AppState } from '../../store/app-state';
import { notConnectedText } from '../status/not-connected';
import { runShortcutLabel, stopShortcutLabel } from '../status/shortcuts';
import { blankVariablesNotice, literalPlaceholderNotices } from '../variables/literal-placeholder-text';
import { ModelPicker } from './model-picker';
import { RunColumn } from './run-column';
import { batchTotals, costText, ESTIMATE_HINT, missingKeyHint, replacedText, totalEstimateHint } from './run-figures';
import { draftHeldRefusal, isBatchRunning, parseRunSamples, runSamplesProblem, type BatchView } from './runs-slice';
import { useLiveRuns } from './use-live-run';

/**
 * A target's share of the estimate: its cells' input tokens and cost, both summed over its
 * versions and samples, so the two figures are of the same requests (cost null: no price), and what
 * its provider's missing key means (`keylessHint`): the run would fail, and input it could have
 * counted exactly is the local estimate. Cells the provider refuses before sending are not
 * requests: they are left out of the figures (`isNothingSent` when none is left).
 */
function targetEstimate(estimate: RunEstimate | null, target: RunTarget, provider: ProviderSettings | undefined, isWebHost: boolean) {
  const targetCells = estimate?.cells.filter((cell) => cell.providerId === target.providerId && cell.model === target.model) ?? [];
  if (targetCells.length === 0) return null;
  // A request the provider would refuse (a response format it does not have, a limit it has): its columns fail at once (the notices say which, and what to do).
  const refused = targetCells.find((cell) => cell.refusal !== undefined);
  const refusal = refused?.refusal === undefined ? null : { text: refused.refusal, tag: refused.refusalTag ?? 'will fail' };
  const sent = targetCells.filter((cell) => cell.refusal === undefined);
  const isNothingSent = sent.length === 0;
  const cells = isNothingSent ? targetCells : sent;
  const inputTokens = cells.reduce((sum, cell) => sum + cell.inputTokens, 0);
  const largestInput = Math.max(...cells.map((cell) => cell.inputTokens));
  const costs = cells.map((cell) => cell.costUsd);
  const costUsd = costs.some((cost) => cost === null) ? null : costs.reduce<number>((sum, cost) => sum + (cost ?? 0), 0);
  const expected = cells[0].expectedOutputTokens;
  const isInputExact = cells.every((cell) => cell.isInputExact);
  const versionCount = new Set(cells.map((cell) => cell.version)).size;
  const sampleCount = new Set(cells.map((cell) => cell.sampleIndex)).size;
  const requests = [versionCount > 1 && `${versionCount} versions`, sampleCount > 1 && `${sampleCount} samples`].filter(Boolean).join(' x ');
  const detail = cells.length > 1 ? `, for ${cells.length} requests (${requests}) of up to ${formatNumber(largestInput)} tokens each` : '';
  const cachedCount = cells.filter((cell) => cell.isCached).length;
  const isAllCached = cachedCount === cells.length;
  const cached = cachedCount === 0 ? '' : isAllCached ? '. The cache has the answer: $0' : `. The cache has ${cachedCount} of ${cells.length} answers ($0 each)`;
  // A provider that needs a key and has none: the run would fail (and one that counts input exactly could not count it).
  const missing = cells.find((cell) => cell.missingKey !== undefined)?.missingKey ?? (cells.some((cell) => cell.inputNotCounted === 'no-key') ? 'not-set' : null);
  const isCounting = !isInputExact && cells.some((cell) => cell.inputNotCounted === 'no-key');
  const keylessHint = provider !== undefined && missing !== null ? missingKeyHint(provider, missing, { isWebHost, isCounting }) : null;
  // One it takes otherwise than asked (Strict off, held to the schema all the same): its columns run, and say so again.
  const formatNotice = cells.find((cell) => cell.formatNotice !== undefined)?.formatNotice ?? null;
  // A reasoning effort its model takes otherwise (a level sent as thinking on, or left out): the columns run, and say so again.
  const reasoningNotice = cells.find((cell) => cell.reasoningNotice !== undefined)?.reasoningNotice ?? null;
  const refusedCount = targetCells.length - sent.length;
  const unsent = refusedCount === 0 ? '' : `. ${isNothingSent ? 'Nothing is sent' : `${countOf(refusedCount, 'request')} not sent`} (it fails at once): $0`;
  if (isNothingSent) {
    return { inputTokens: 0, isInputExact: false, costUsd: 0, isAllCached: false, title: `Nothing is sent: it fails at once, at $0${keylessHint === null ? '' : `. ${keylessHint}`}`, keylessHint, refusal, formatNotice, reasoningNotice, isNothingSent };
  }
  const title = `Input counted by ${isInputExact ? 'the provider' : 'the local tokenizer'}${detail}; cost of the input${expected === null ? ' only (no earlier run to expect an output length from)' : ` and ~${formatNumber(expected)} output tokens, as earlier runs gave`}${cached}${unsent}${keylessHint === null ? '' : `. ${keylessHint}`}`;
  return { inputTokens, isInputExact, costUsd: isAllCached ? 0 : costUsd, isAllCached, title, keylessHint, refusal, formatNotice, reasoningNotice, isNothingSent };
}

/** The chip's word for a reasoning notice, whose whole text is its tooltip and a line below. */
function reasoningChipText(notice: string): string {
  if (notice.endsWith('cannot think')) return 'cannot think';
  if (notice.endsWith('has no levels')) return 'no effort levels';
  return 'effort changed';
}

interface TargetChipProps {
  target: RunTarget;
  provider: ProviderSettings | undefined;
  estimate: RunEstimate | null;
  isWebHost: boolean;
}

function TargetChip({ target, provider, estimate, isWebHost }: TargetChipProps) {
  const share = targetEstimate(estimate, target, provider, isWebHost);
  return (
    <li className="chip target-chip" data-testid="target-chip" data-model={target.model}>
      <span className="target-model" data-testid="target-model" title={target.model}>
        {target.model}
      </span>
      <span className="target-provider">{provider?.label ?? `provider ${target.providerId}`}</span>
      {share && (
        <span className="target-estimate tabular" data-testid="estimate-cell" data-model={target.model} title={share.title}>
          {/* Nothing goes out of a model that refuses every cell: no input to count. */}
          {share.isNothingSent ? null : share.isInputExact ? (
            <span data-testid="estimate-input" data-exact="true" title="counted by the provider">
              {formatNumber(share.inputTokens)} in
            </span>
          ) : (
            <span data-testid="estimate-input">~{formatNumber(share.inputTokens)} in</span>
          )}
          {/* A missing key (gone with a browser host's restart, or never set) is said before the run fails on it, with what to do. */}
          {share.keylessHint !== null && (
            <>
              {share.isNothingSent ? '' : ' · '}
              <span className="estimate-no-key" data-testid="estimate-no-key" title={share.keylessHint}>
                no key
              </span>
            </>
          )}
          {share.refusal !== null && (
            <>
              {share.isNothingSent && share.keylessHint === null ? '' : ' · '}
              <span className="estimate-no-key" data-testid="estimate-refused" title={share.refusal.text}>
                {share.refusal.tag}
              </span>
            </>
          )}
          {share.formatNotice !== null && (
            <>
              {' · '}
              <span data-testid="estimate-always-strict" title={share.formatNotice}>
                always strict
              </span>
            </>
          )}
          {share.reasoningNotice !== null && (
            <>
              {' · '}
              <span data-testid="estimate-reasoning" title={share.reasoningNotice}>
                {reasoningChipText(share.reasoningNotice)}
              </span>
            </>
          )}
          {' · '}
          <span data-testid="estimate-cost" data-cached={share.isAllCached} className={share.isAllCached ? 'is-cached' : share.costUsd === null ? 'is-unpriced' : undefined}>
            {share.isAllCached ? 'cached $0' : share.costUsd === null ? 'no price' : `${share.costUsd > 0 ? '~' : ''}${formatUsd(share.costUsd)}`}
          </span>
        </span>
      )}
      <IconButton icon="close" label={`Remove ${target.model}`} testId="remove-target" onClick={() => useWorkbench.getState().removeRunTarget(target)} />
    </li>
  );
}

function VersionChoice() {
  const { versions, chosen } = useWorkbench(useShallow((state) => ({ versions: state.versions, chosen: state.runVersions })));
  const options = [{ value: 'draft' as const, label: 'Draft' }, ...versions.slice(0, 8).map((version) => ({ value: version.number, label: `v${version.number}${version.status === 'approved' ? ' ✓' : ''}` }))];
  if (versions.length === 0) return null;
  return (
    <div className="toggle-group" role="group" aria-label="Versions to run" data-testid="run-versions">
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          className={`toggle${chosen.includes(option.value) ? ' is-on' : ''}`}
          aria-pressed={chosen.includes(option.value)}
          data-testid={`run-version-${option.value}`}
          title={chosen.includes(option.value) ? 'Included in the run' : 'Add to the comparison'}
          onClick={() => useWorkbench.getState().toggleRunVersion(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}

/** Id of the notice that says why the Samples field is refused, for its `aria-describedby`. */
const SAMPLES_PROBLEM_ID = 'run-samples-problem';

/** "Samples": how many times each model x version runs; arrow keys step it. */
function SamplesField({ problem }: { problem: string | null }) {
  const samples = useWorkbench((state) => state.runSamples);
  const [text, setText] = useState(() => String(samples ?? 1));
  const change = (next: string) => {
    setText(next);
    useWorkbench.getState().setRunSamples(parseRunSamples(next));
  };
  return (
    <label className="check-label samples-field" title={`Runs each model x version this many times (1–${MAX_RUN_SAMPLES}); every sample is its own request and cache entry`}>
      Samples
      <input
        className="samples-input tabular"
        data-testid="run-samples"
        role="spinbutton"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        maxLength={3}
        aria-valuemin={1}
        aria-valuemax={MAX_RUN_SAMPLES}
        aria-valuenow={samples ?? undefined}
        aria-invalid={problem !== null}
        aria-describedby={problem === null ? undefined : SAMPLES_PROBLEM_ID}
        value={text}
        onChange={(event) => change(event.target.value)}
        onBlur={() => {
          if (samples !== null) setText(String(samples));
        }}
        onKeyDown={(event) => {
          const current = samples ?? 1;
          let next: number;
          if (event.key === 'ArrowUp') next = current + 1;
          else if (event.key === 'ArrowDown') next = current - 1;
          else if (event.key === 'Home') next = 1;
          else if (event.key === 'End') next = MAX_RUN_SAMPLES;
          else return;
          event.preventDefault();
          change(String(Math.min(MAX_RUN_SAMPLES, Math.max(1, next))));
        }}
      />
    </label>
  );
}

/** The estimate's total and today's budget, beside the Run button. */
function EstimateTotal({ estimate }: { estimate: RunEstimate | null }) {
  if (estimate === null) return null;
  const { budget } = estimate;
  return (
    <span className="estimate-summary" data-testid="run-estimate">
      <span className="estimate-total tabular" data-testid="estimate-total" title={ESTIMATE_HINT}>
        est. {estimate.totalCostUsd > 0 ? '~' : ''}
        {formatUsd(estimate.totalCostUsd)}
        {estimate.unpricedModels.length > 0 && ' + unpriced'}
      </span>
      {budget.dailyBudgetUsd !== null && budget.exceedsByUsd === null && (
        <span className="estimate-budget tabular" data-testid="estimate-budget" title="Spent today (since local midnight) of the daily budget">
          today {formatUsd(budget.spentTodayUsd)} of {formatBudgetUsd(budget.dailyBudgetUsd)}
        </span>
      )}
    </span>
  );
}

let literalNoticeCache: { messages: AppState['messages']; notice: string | null } | null = null;

/**
 * What the draft's placeholders sent as written come to, when the draft is run, one sentence a
 * line (a string, so the store's shallow compare sees no change while it is the same); scanned
 * once per edit.
 */
function draftLiteralNotice(state: Pick<AppState, 'messages' | 'runVersions'>): string | null {
  if (!state.runVersions.includes('draft')) return null;
  if (literalNoticeCache?.messages !== state.messages) {
    const notices = literalPlaceholderNotices(findLiteralPlaceholders(state.messages));
    literalNoticeCache = { messages: state.messages, notice: notices.length > 0 ? notices.join('\n') : null };
  }
  const { notice } = literalNoticeCache;
  // Beside a saved version's notice, each says whose it is.
  return notice !== null && state.runVersions.length > 1 ? notice.replace(/^/gm, 'Draft: ') : notice;
}

/**
 * What the estimate says of the response format, a line per model (naming the version when the
 * batch runs several, and only some are concerned): `refusal`, the columns that would fail at
 * once on a request their provider would refuse (a format it does not have, a limit), with what
 * to do; `formatNotice`, the columns that run, taking the format otherwise than asked (Strict
 * off); `reasoningNotice`, likewise of the reasoning effort (a level sent as thinking on).
 */
function formatSupportNotices(estimate: RunEstimate, field: 'refusal' | 'formatNotice' | 'reasoningNotice'): string[] {
  const versions = new Set(estimate.cells.map((cell) => cell.version));
  const byTarget = new Map<string, { model: string; text: string; versions: Set<RunEstimate['cells'][number]['version']> }>();
  for (const cell of estimate.cells) {
    const text = cell[field];
    if (text === undefined) continue;
    const key = `${cell.providerId}\u0000${cell.model}`;
    const entry = byTarget.get(key) ?? { model: cell.model, text, versions: new Set() };
    entry.versions.add(cell.version);
    byTarget.set(key, entry);
  }
  return [...byTarget.values()].map(({ model, text, versions: concerned }) => {
    const which = concerned.size === versions.size ? '' : ` (${[...concerned].map((version) => (version === 'draft' ? 'the draft' : `v${version}`)).join(', ')})`;
    return field === 'refusal' ? `${model}${which} will fail at once. ${text}` : `${model}${which} will run, but ${text}`;
  });
}

interface EstimateNoticesProps {
  estimate: RunEstimate | null;
  error: string | null;
  samplesProblem: string | null;
  literalNotice: string | null;
}

/** What would stop or spoil a run, said before it is tried: missing or blank values, the budget, unknown prices, placeholders sent as written. */
function EstimateNotices({ estimate, error, samplesProblem, literalNotice }: EstimateNoticesProps) {
  const notices: { key: string; text: string; isSerious: boolean; id?: string; testId?: string }[] = [];
  if (samplesProblem !== null) notices.push({ key: 'samples', text: samplesProblem, isSerious: true, id: SAMPLES_PROBLEM_ID });
  if (error !== null) notices.push({ key: 'error', text: error, isSerious: false });
  // Told, not refused: literal braces are legitimate prompt text.
  // One line a sentence: a placeholder such as "{{unclosed" must not run into the next sentence.
  for (const [index, text] of (literalNotice?.split('\n') ?? []).entries()) notices.push({ key: `literal-${index}`, testId: 'literal', text, isSerious: false });
  if (estimate !== null) {
    for (const found of estimate.literalPlaceholders) {
      for (const [index, text] of literalPlaceholderNotices(found).entries()) {
        notices.push({ key: `literal-v${found.version}-${index}`, testId: `literal-v${found.version}`, text: `v${found.version}: ${text}`, isSerious: false });
      }
    }
    for (const [index, text] of formatSupportNotices(estimate, 'refusal').entries()) notices.push({ key: `format-${index}`, testId: 'format-refused', text, isSerious: true });
    // Told, not refused: the columns run, held to the schema all the same.
    for (const [index, text] of formatSupportNotices(estimate, 'formatNotice').entries()) notices.push({ key: `format-notice-${index}`, testId: 'format-notice', text, isSerious: false });
    // Told, not refused: the columns run, with the reasoning effort their models take.
    for (const [index, text] of formatSupportNotices(estimate, 'reasoningNotice').entries()) notices.push({ key: `reasoning-notice-${index}`, testId: 'reasoning-notice', text, isSerious: false });
    const { budget } = estimate;
    if (estimate.missingVariables.length > 0) {
      const missing = estimate.missingVariables;
      notices.push({ key: 'missing', text: `No value for ${missing.map((name) => `{{${name}}}`).join(', ')}: set ${missing.length === 1 ? 'it' : 'them'} in Variables`, isSerious: true });
    }
    // Told, not refused: a blank value may be meant.
    const blank = blankVariablesNotice(estimate.blankVariables);
    if (blank !== null) notices.push({ key: 'blank', text: blank, isSerious: false });
    if (budget.exceedsByUsd !== null && budget.dailyBudgetUsd !== null) {
      notices.push({
        key: 'budget',
        text: `Over today’s budget of ${formatBudgetUsd(budget.dailyBudgetUsd)} by ${formatUsd(budget.exceedsByUsd)} (${formatUsd(budget.spentTodayUsd)} spent so far)`,
        isSerious: true,
      });
    }
    if (estimate.unpricedModels.length > 0) {
      const its = estimate.unpricedModels.length === 1 ? 'its' : 'their';
      // With a budget, say what the budget cannot do: an unknown cost is not counted against it.
      const cost =
        budget.dailyBudgetUsd === null
          ? `${its} cost shows as unknown`
          : `${its} cost is unknown, and not counted against today’s budget of ${formatBudgetUsd(budget.dailyBudgetUsd)}`;
      notices.push({ key: 'unpriced', text: `No price for ${estimate.unpricedModels.join(', ')}: ${cost} (set one in Settings › Prices)`, isSerious: false });
    }
  }
  if (notices.length === 0) return null;
  return (
    <ul className="runs-notices" data-testid="estimate-notices">
      {notices.map((notice) => (
        <li key={notice.key} id={notice.id} className={notice.isSerious ? 'is-serious' : undefined} data-testid={`estimate-${notice.testId ?? notice.key}`}>
          <Icon name="warning" />
          {notice.text}
        </li>
      ))}
    </ul>
  );
}

function BatchHeader({ batch }: { batch: BatchView }) {
  const snapshots = useLiveRuns(batch.cells.map((cell) => cell.runId));
  const totals = batchTotals(batch.cells, snapshots, batch.replaced);
  const replaced = replacedText(batch.replaced);
  const isRunning = isBatchRunning(batch);
  const isCutOff = useWorkbench((state) => state.connection !== 'connected' && state.disconnectedAt !== null);
  // Cut off from the engine, running columns are not known to run, wait or retry: they are counted as what they are.
  const parts = [
    isCutOff && totals.counts.running > 0 && `${totals.counts.running} without connection`,
    !isCutOff && totals.counts.running > totals.queued + totals.retrying && `${totals.counts.running - totals.queued - totals.retrying} running`,
    !isCutOff && totals.queued > 0 && `${totals.queued} queued`,
    !isCutOff && totals.retrying > 0 && `${totals.retrying} waiting to retry`,
    totals.counts.ok > 0 && `${totals.counts.ok} done`,
    totals.counts.error > 0 && `${totals.counts.error} failed`,
    totals.counts.cancelled > 0 && `${totals.counts.cancelled} stopped`,
  ].filter(Boolean);
  return (
    <div className="batch-header" data-testid="batch-header">
      <span className="batch-title">{countOf(batch.cells.length, 'column')}</span>
      {batch.restoredFrom && (
        <span className="muted" data-testid="batch-ran-at" title="The last comparison of this prompt, as stored">
          ran {formatDate(batch.restoredFrom)}
        </span>
      )}
      <span className="muted" data-testid="batch-counts">
        {parts.join(' · ')}
      </span>
      {batch.isCacheBypassed && <span className="badge">cache bypassed</span>}
      <span className="spacer" />
      {(totals.savedUsd > 0 || totals.hasUnknownSaved) && (
        <span
          className="batch-saved tabular"
          data-testid="batch-saved"
          title={totals.hasUnknownSaved ? 'What the cache saved; the hits on models without a price saved an unknown amount, not counted' : 'What the cache saved'}
        >
          saved {totals.savedUsd > 0 ? formatUsd(totals.savedUsd) : ''}
          {totals.hasUnknownSaved && (totals.savedUsd > 0 ? ' + unknown' : 'unknown')}
        </span>
      )}
      <span className="batch-total tabular" data-testid="batch-total" data-estimated={totals.isEstimated} title={totals.isEstimated ? totalEstimateHint(isRunning) : 'What this comparison cost'}>
        Total {totals.isEstimated ? '~' : ''}
        {costText(totals.costUsd)}
        {totals.hasUnpriced ? ' + unpriced' : ''}
      </span>
      {replaced !== null && (
        <span className="muted tabular" data-testid="batch-replaced" title="Runs that a column’s “Run this column again” replaced were paid for: the total counts them, the columns no longer show them">
          {`· ${replaced}`}
        </span>
      )}
      {isRunning && <StopAllButton batchId={batch.batchId} isCutOff={isCutOff} />}
    </div>
  );
}

/**
 * "Stop all" in the batch header. It goes once the batch has ended; if it had the focus, the
 * focus moves to Run (which took Stop's place in the toolbar) instead of falling to the page.
 */
function StopAllButton({ batchId, isCutOff }: { batchId: number; isCutOff: boolean }) {
  const hasFocus = useRef(false);
  useEffect(
    () => () => {
      if (!hasFocus.current || (document.activeElement !== null && document.activeElement !== document.body)) return;
      document.querySelector<HTMLButtonElement>('[data-testid="run-button"]')?.focus();
    },
    [],
  );
  return (
    <button
      type="button"
      className="button button-small"
      data-testid="stop-all"
      disabled={isCutOff}
      title={isCutOff ? 'Cannot stop them from here while the workbench is out of reach' : undefined}
      onFocus={() => (hasFocus.current = true)}
      onBlur={() => (hasFocus.current = false)}
      onClick={() => void useWorkbench.getState().stopBatch(batchId)}
    >
      <Icon name="stop" /> Stop all
    </button>
  );
}

function Columns({ batch }: { batch: BatchView }) {
  const { cells } = batch;
  const isShowingVersion = new Set(cells.map((cell) => cell.version)).size > 1;
  const isShowingSample = new Set(cells.map((cell) => cell.sampleIndex)).size > 1;
  // A column may run again once the whole batch has ended.
  const retryBatchId = batch.done === null ? null : batch.batchId;
  return (
    <div className="run-columns" data-testid="run-columns" style={{ gridTemplateColumns: `repeat(${cells.length}, minmax(var(--column-min), 1fr))` }}>
      {cells.map((cell) => (
        <RunColumn key={cell.runId} cell={cell} isShowingVersion={isShowingVersion} isShowingSample={isShowingSample} retryBatchId={retryBatchId} />
      ))}
    </div>
  );
}

/** Props of `RunsPanel`. */
export interface RunsPanelProps {
  isMaximized: boolean;
  onToggleMaximized: () => void;
}

/** The runs panel of the open prompt. */
export function RunsPanel({ isMaximized, onToggleMaximized }: RunsPanelProps) {
  const { targets, providers, isCacheBypassed, estimate, estimateError, refusal, isWebHost, isStarting, batch, samplesProblem, formatProblem, literalNotice } = useWorkbench(
    useShallow((state) => {
      const batchId = state.currentPrompt ? state.latestBatchOf[state.currentPrompt.id] : undefined;
      return {
        targets: state.runTargets,
        providers: state.providers,
        isCacheBypassed: state.isCacheBypassed,
        estimate: state.runEstimate,
        estimateError: state.runEstimateError,
        refusal: state.runRefusal,
        isWebHost: state.appInfo?.host === 'web',
        isStarting: state.isStartingRun,
        batch: batchId === undefined ? undefined : state.batches[batchId],
        samplesProblem: runSamplesProblem(state),
        formatProblem: draftHeldRefusal(state),
        literalNotice: draftLiteralNotice(state),
      };
    }),
  );
  const isRunning = isBatchRunning(batch);
  const isCutOff = useWorkbench((state) => state.connection !== 'connected' && state.disconnectedAt !== null);
  const notConnected = useWorkbench(notConnectedText);
  return (
    <section className="runs-panel" data-testid="runs-panel" aria-label="Runs">
      <div className="runs-toolbar" data-testid="runs-toolbar">
        {/* First, so the chips after it, which grow and shrink with their estimates, never push it sideways. */}
        <ModelPicker />
        <ul className="chips target-chips" aria-label="Models to run on">
          {targets.map((target) => (
            <TargetChip
              key={`${target.providerId}:${target.model}`}
              target={target}
              provider={providers.find((provider) => provider.id === target.providerId)}
              estimate={estimate}
              isWebHost={isWebHost}
            />
          ))}
        </ul>
      </div>
      <div className="runs-toolbar runs-controls">
        <VersionChoice />
        <label className="check-label" title="Send every request even when the cache has its answer">
          <input type="checkbox" data-testid="bypass-cache" checked={isCacheBypassed} onChange={(event) => useWorkbench.getState().setCacheBypassed(event.target.checked)} />
          Bypass cache
        </label>
        <SamplesField problem={samplesProblem} />
        <span className="spacer" />
        <EstimateTotal estimate={estimate} />
        {isRunning && batch ? (
          <button
            type="button"
            className="button button-danger"
            data-testid="stop-batch"
            disabled={isCutOff}
            title={isCutOff ? 'Cannot stop them from here while the workbench is out of reach' : `Stop every column (${stopShortcutLabel()})`}
            onClick={() => void useWorkbench.getState().stopBatch(batch.batchId)}
          >
            <Icon name="stop" /> Stop <kbd>{stopShortcutLabel()}</kbd>
          </button>
        ) : (
          <button
            type="button"
            className="button button-primary"
            data-testid="run-button"
            disabled={isStarting || samplesProblem !== null || notConnected !== null}
            title={notConnected ?? samplesProblem ?? formatProblem ?? `Run on every model (${runShortcutLabel()})`}
            onClick={() => void useWorkbench.getState().startRun()}
          >
            <Icon name="play" /> Run <kbd>{runShortcutLabel()}</kbd>
          </button>
        )}
        {batch && (
          <IconButton icon={isMaximized ? 'collapse' : 'expand'} label={isMaximized ? 'Show the editor' : 'Maximize the runs'} testId="maximize-runs" onClick={onToggleMaximized} />
        )}
      </div>
      <EstimateNotices estimate={estimate} error={estimateError} samplesProblem={samplesProblem} literalNotice={literalNotice} />
      {refusal !== null && (
        <div className="run-refusal" role="alert" data-testid="run-refusal">
          <Icon name="warning" />
          <span className="run-refusal-text">{refusal}</span>
          <IconButton icon="close" label="Dismiss" onClick={() => useWorkbench.getState().dismissRunRefusal()} />
        </div>
      )}
      {batch ? (
        <>
          <BatchHeader batch={batch} />
          {/* Keyed by batch: a new comparison opens at its first column, not scrolled as far as the last one was. */}
          <Columns key={batch.batchId} batch={batch} />
        </>
      ) : (
        <div className="runs-empty" data-testid="runs-empty">
          {notConnected !== null ? (
            <p data-testid="runs-not-connected">{notConnected}.</p>
          ) : targets.length === 0 ? (
            <p>Add models with “+ Model”, then press {runShortcutLabel()} to run them side by side.</p>
          ) : (
            <p>Press {runShortcutLabel()} to run the draft on {countOf(targets.length, 'model')}.</p>
          )}
        </div>
      )}
    </section>
  );
}
