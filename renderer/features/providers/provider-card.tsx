/**
 * One provider in settings: its name, endpoint and where its key comes from, editable in place;
 * "Test connection" lists its models (Ollama's with size and quantization) with their prices.
 */

import { useEffect, useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { assertNever } from '../../../shared/assert-never';
import { isKeyVariableName, unreadKeyVariableText } from '../../../shared/key-variable';
import { providerNameKey } from '../../../shared/provider-name';
import { DEFAULT_KEEP_ALIVE, MAX_KEEP_ALIVE_LENGTH } from '../../../shared/ollama-keep-alive';
import { capitalized } from '../../../shared/sentence';
import { defaultTimeLimits, durationText, MAX_TIME_LIMIT_LENGTH, type TimeLimitName } from '../../../shared/time-limits';
import type { KeySource, ProviderKind, ProviderModel, ProviderSettings } from '../../../shared/types';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { SegmentedRadioGroup, type RadioChoice } from '../../components/segmented-radio-group';
import { countOf, formatBytes, formatNumber } from '../../lib/format';
import { bridge } from '../../bridge/connection';
import { useWorkbench } from '../../store/workbench-store';
import { priceKey } from '../pricing/pricing-slice';
import { priceSummary } from '../pricing/price-text';
import { NEW_PROVIDER_ID, type ProviderInput } from './providers-slice';

/** A kind as people call it. */
export function kindLabel(kind: ProviderKind): string {
  switch (kind) {
    case 'openai':
      return 'OpenAI';
    case 'anthropic':
      return 'Anthropic';
    case 'ollama':
      return 'Ollama';
    case 'openai-compatible':
      return 'OpenAI-compatible';
    default:
      return assertNever(kind, 'provider kind');
  }
}

/** What the base URL field is called and what it defaults to, by kind. */
function urlHint(kind: ProviderKind): { label: string; placeholder: string } {
  switch (kind) {
    case 'openai':
      return { label: 'Base URL', placeholder: 'https://api.openai.com/v1 (default)' };
    case 'anthropic':
      return { label: 'Base URL', placeholder: 'https://api.anthropic.com (default)' };
    case 'ollama':
      return { label: 'Host', placeholder: 'http://127.0.0.1:11434 (default, or OLLAMA_HOST)' };
    case 'openai-compatible':
      return { label: 'Base URL', placeholder: 'http://127.0.0.1:1234/v1' };
    default:
      return assertNever(kind, 'provider kind');
  }
}

/** Where a key comes from, as the card offers it. */
const KEY_SOURCES: RadioChoice<KeySource>[] = [
  { value: 'environment', label: 'Environment', testId: 'key-source-environment' },
  { value: 'secret-store', label: 'Enter key', testId: 'key-source-secret-store' },
  { value: 'none', label: 'No key', testId: 'key-source-none' },
];

/** What Settings call Ollama's `keep_alive`. */
const KEEP_ALIVE_LABEL = 'Keep loaded';

/** The time limit fields, in the order the card shows them: the limit each sets, its form field and label. */
const TIME_LIMIT_FIELDS: readonly { name: TimeLimitName; field: 'firstOutputLimit' | 'stallLimit' | 'totalLimit'; label: string; testId: string }[] = [
  { name: 'firstOutputMs', field: 'firstOutputLimit', label: 'First token limit', testId: 'provider-first-output-limit' },
  { name: 'stallMs', field: 'stallLimit', label: 'Stall limit', testId: 'provider-stall-limit' },
  { name: 'totalMs', field: 'totalLimit', label: 'Total limit', testId: 'provider-total-limit' },
];

/** The form's fields. */
interface ProviderForm {
  label: string;
  baseUrl: string;
  keySource: KeySource;
  keyVariable: string;
  apiKey: string;
  isLocal: boolean;
  /** Ollama's Keep loaded as written; empty for the default. */
  keepAlive: string;
  /** The time limits as written ("90s", "3m"); empty for the default (`defaultTimeLimits`). */
  firstOutputLimit: string;
  stallLimit: string;
  totalLimit: string;
}

/** A saved time limit as its field shows it; empty for the default. */
function limitField(ms: number | null): string {
  return ms === null ? '' : durationText(ms);
}

function formOf(provider: ProviderSettings): ProviderForm {
  return {
    label: provider.label,
    baseUrl: provider.baseUrl ?? '',
    keySource: provider.keySource,
    keyVariable: provider.keyVariable ?? '',
    apiKey: '',
    isLocal: provider.isLocal,
    keepAlive: provider.keepAlive ?? '',
    firstOutputLimit: limitField(provider.timeLimits.firstOutputMs),
    stallLimit: limitField(provider.timeLimits.stallMs),
    totalLimit: limitField(provider.timeLimits.totalMs),
  };
}

function inputOf(kind: ProviderKind, form: ProviderForm): Omit<ProviderInput, 'id'> {
  const input: Omit<ProviderInput, 'id'> = {
    kind,
    label: form.label.trim(),
    baseUrl: form.baseUrl.trim() === '' ? null : form.baseUrl.trim(),
    isLocal: form.isLocal,
    firstOutputLimit: form.firstOutputLimit.trim() || null,
    stallLimit: form.stallLimit.trim() || null,
    totalLimit: form.totalLimit.trim() || null,
  };
  if (kind === 'ollama') return { ...input, keepAlive: form.keepAlive.trim() === '' ? null : form.keepAlive.trim() };
  if (form.keySource === 'secret-store' && form.apiKey.trim() !== '') return { ...input, apiKey: form.apiKey.trim() };
  if (form.keySource === 'environment') return { ...input, keySource: 'environment', keyVariable: form.keyVariable.trim() || null };
  return { ...input, keySource: form.keySource };
}

function KeyState({ provider }: { provider: ProviderSettings }) {
  switch (provider.keySource) {
    case 'none':
      return <span className="muted">no key</span>;
    case 'environment':
      // A name saved before only _API_KEY names were allowed: the engine does not read it, and says so here.
      if (provider.keyVariable !== null && !isKeyVariableName(provider.keyVariable)) {
        return (
          <span className="key-missing" data-testid="key-state">
            {unreadKeyVariableText(provider.keyVariable)}
          </span>
        );
      }
      return (
        <span className={provider.hasKey ? 'key-ok' : 'key-missing'} data-testid="key-state">
          {provider.keyVariable} {provider.hasKey ? 'is set' : 'is not set'}
        </span>
      );
    case 'secret-store':
      return (
        <span className={provider.hasKey ? 'key-ok' : 'key-missing'} data-testid="key-state">
          {provider.hasKey ? 'key entered' : 'key missing — enter it again'}
        </span>
      );
    default:
      return assertNever(provider.keySource, 'key source');
  }
}

/** The facts a provider's model list gives (Ollama: size, quantization, context; OpenAI: none): only those get a column. */
interface ModelColumns {
  size: boolean;
  quantization: boolean;
  context: boolean;
}

function ModelRow({ providerId, model, columns }: { providerId: number; model: ProviderModel; columns: ModelColumns }) {
  const price = useWorkbench((state) => state.resolvedPrices[priceKey(providerId, model.id)]);
  const isTarget = useWorkbench((state) => state.runTargets.some((target) => target.providerId === providerId && target.model === model.id));
  return (
    <tr data-testid="model-row" data-model={model.id}>
      <td className="model-id" title={model.label}>
        {model.id}
        {model.canThink && (
          <span className="badge model-thinks" data-testid="model-thinks" title="Thinks before answering: the Reasoning parameter applies">
            thinks
          </span>
        )}
      </td>
      {columns.size && <td className="tabular" data-label="Size">{model.sizeBytes === undefined ? '' : formatBytes(model.sizeBytes)}</td>}
      {columns.quantization && <td data-label="Quant.">{model.quantization ?? ''}</td>}
      {columns.context && <td className="tabular" data-label="Context">{model.contextLength === undefined ? '' : formatNumber(model.contextLength)}</td>}
      <td className={`tabular${price?.price === null ? ' is-unpriced' : ''}`} data-testid="model-price" data-label="Price in / out per 1M">
        {providerId === NEW_PROVIDER_ID ? 'save to see' : price === undefined ? '…' : priceSummary(price)}
      </td>
      <td className="model-actions">
        {providerId !== NEW_PROVIDER_ID && (
          // Not disabled once in the runs: a disabled button would drop the keyboard's focus to the page.
          <button
            type="button"
            className="link-button"
            aria-disabled={isTarget}
            data-testid="model-add-target"
            onClick={() => {
              if (!isTarget) useWorkbench.getState().addRunTarget({ providerId, model: model.id });
            }}
          >
            {isTarget ? 'in runs' : 'add to runs'}
          </button>
        )}
      </td>
    </tr>
  );
}

function TestResult({ testId }: { testId: number }) {
  const test = useWorkbench((state) => state.providerTests[testId]);
  const [isShowingAll, setShowingAll] = useState(false);
  if (test === undefined) return null;
  if (test.kind === 'testing') return <p className="test-result muted">Connecting…</p>;
  if (test.kind === 'cancelled') {
    return (
      <p className="test-result muted" data-testid="test-cancelled">
        Test cancelled
      </p>
    );
  }
  if (test.kind === 'failed') {
    return (
      <p className="test-result is-error" role="alert" data-testid="test-error">
        {test.message}
      </p>
    );
  }
  const { result } = test;
  if (!result.isOk) {
    return (
      <p className="test-result is-error" role="alert" data-testid="test-error">
        {result.message}
      </p>
    );
  }
  const shown = isShowingAll ? result.models : result.models.slice(0, 12);
  const columns: ModelColumns = {
    size: result.models.some((model) => model.sizeBytes !== undefined),
    quantization: result.models.some((model) => model.quantization !== undefined),
    context: result.models.some((model) => model.contextLength !== undefined),
  };
  return (
    <div className="test-result" data-testid="test-models">
      <p className="test-summary is-ok" data-testid="test-summary">
        Connected in {formatNumber(result.latencyMs)} ms · {countOf(result.models.length, 'model')}
      </p>
      {result.models.length > 0 && (
        <table className="data-table models-table is-stackable">
          <thead>
            <tr>
              <th>Model</th>
              {columns.size && <th>Size</th>}
              {columns.quantization && <th>Quant.</th>}
              {columns.context && <th>Context</th>}
              <th title="USD per million input / output tokens">Price in / out per 1M</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((model) => (
              <ModelRow key={model.id} providerId={testId} model={model} columns={columns} />
            ))}
          </tbody>
        </table>
      )}
      {result.models.length > shown.length && (
        <button type="button" className="link-button" onClick={() => setShowingAll(true)}>
          Show all {formatNumber(result.models.length)}
        </button>
      )}
    </div>
  );
}

/** What goes with a provider removed: its own prices (counted, so the dialog never speaks of prices it has none of) and an entered key. */
function RemovedWithProvider({ providerId, hasEnteredKey }: { providerId: number; hasEnteredKey: boolean }) {
  const [priceCount, setPriceCount] = useState<number | null>(null);
  useEffect(() => {
    let isCurrent = true;
    bridge()
      .call('pricing:list', { providerId, limit: 5000 })
      .then((list) => {
        if (isCurrent) setPriceCount(list.entries.filter((entry) => entry.source === 'override').length);
      })
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [providerId]);
  // Until the prices are counted, only what is known is said.
  if (priceCount === null) {
    return <p data-testid="remove-provider-goes">{hasEnteredKey ? 'The key entered for it goes with it; this' : 'This'} cannot be undone.</p>;
  }
  const gone = [priceCount > 0 ? `Its ${countOf(priceCount, 'custom price')}` : null, hasEnteredKey ? 'the key entered for it' : null].filter((part) => part !== null);
  const isOne = gone.length === 1 && (hasEnteredKey || priceCount === 1);
  const sentence = gone.join(' and ');
  return (
    <p data-testid="remove-provider-goes">
      {gone.length === 0 ? 'It has no custom prices nor an entered key; ' : `${capitalized(sentence)} ${isOne ? 'goes' : 'go'} with it; `}this cannot be undone.
    </p>
  );
}

/** The test cases' checks this provider judges, which a removal leaves without a judge (said only when there are some). */
function JudgedChecksNotice({ providerId }: { providerId: number }) {
  const [judged, setJudged] = useState<{ checkCount: number; promptNames: string[] } | null>(null);
  useEffect(() => {
    let isCurrent = true;
    bridge()
      .call('providers:judgedChecks', { id: providerId })
      .then((found) => {
        if (isCurrent) setJudged(found);
      })
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [providerId]);
  if (judged === null || judged.checkCount === 0) return null;
  const shown = judged.promptNames.slice(0, 3).map((name) => `“${name}”`);
  const prompts = judged.promptNames.length > 3 ? `${shown.join(', ')} and ${judged.promptNames.length - 3} more` : shown.join(judged.promptNames.length === 2 ? ' and ' : ', ');
  return (
    <p className="confirm-warning" data-testid="remove-provider-judged">
      {countOf(judged.checkCount, 'judged check')} in the test cases of {prompts} {judged.checkCount === 1 ? 'uses it as judge: it' : 'use it as judge: they'} cannot be graded, nor
      exported with {judged.checkCount === 1 ? 'its' : 'their'} judge, until you give {judged.checkCount === 1 ? 'it' : 'them'} another.
    </p>
  );
}

/** Says that removing the provider clears Settings → Judge, when it is that judge's (said only then). */
function SettingsJudgeNotice({ providerId, label }: { providerId: number; label: string }) {
  const judge = useWorkbench((state) => state.judge);
  if (judge?.providerId !== providerId) return null;
  return (
    <p className="confirm-warning" data-testid="remove-provider-settings-judge">
      It is the judge in Settings → Judge ({label} · {judge.model}): that setting is cleared, and imports then report the checks other tools leave to a model
      until you choose another judge there.
    </p>
  );
}

/** The fields a refusal of a save is shown under, by the path the engine names. */
type CardField = 'label' | 'baseUrl' | 'keyVariable' | 'apiKey' | 'keepAlive' | 'firstOutputLimit' | 'stallLimit' | 'totalLimit';
const CARD_FIELDS: readonly string[] = ['label', 'baseUrl', 'keyVariable', 'apiKey', 'keepAlive', 'firstOutputLimit', 'stallLimit', 'totalLimit'] satisfies CardField[];

/** A refusal of one field, under it (announced when it appears). */
function FieldError({ id, testId, text }: { id: string; testId: string; text: string | undefined }) {
  if (text === undefined) return null;
  return (
    <span className="field-error" id={id} role="alert" data-testid={testId}>
      {text}
    </span>
  );
}

/** Props of `ProviderCard`. */
export interface ProviderCardProps {
  /** The saved provider; absent for one being added. */
  provider?: ProviderSettings;
  /** For a new provider: its first fields. */
  initial?: { kind: ProviderKind; label: string; baseUrl: string; keySource: KeySource; isLocal: boolean };
  /** For a new provider: called once it is saved or given up. */
  onDone?: () => void;
}

/** A provider's card. */
export function ProviderCard({ provider, initial, onDone }: ProviderCardProps) {
  const id = useId();
  const kind = provider?.kind ?? initial?.kind ?? 'openai-compatible';
  const testId = provider?.id ?? NEW_PROVIDER_ID;
  const saved = useMemo<ProviderForm>(
    () =>
      provider
        ? formOf(provider)
        : {
            label: initial?.label ?? '',
            baseUrl: initial?.baseUrl ?? '',
            keySource: initial?.keySource ?? 'none',
            keyVariable: '',
            apiKey: '',
            isLocal: initial?.isLocal ?? false,
            keepAlive: '',
            firstOutputLimit: '',
            stallLimit: '',
            totalLimit: '',
          },
    [provider, initial],
  );
  const [form, setForm] = useState<ProviderForm>(saved);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  /** A save's refusal of one field (a name taken, a URL that is none...), shown under that field. */
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<CardField, string>>>({});
  const labelError = fieldErrors.label ?? null;
  const [isSaving, setSaving] = useState(false);
  const [isConfirmingRemove, setConfirmingRemove] = useState(false);
  // One test at a time: while one connects, its button cancels it.
  const isTesting = useWorkbench((state) => state.providerTests[testId]?.kind === 'testing');
  useEffect(() => setForm(saved), [saved]);
  const { isWebHost } = useWorkbench(useShallow((state) => ({ isWebHost: state.appInfo?.host === 'web' })));
  // A database from before names were checked may hold two providers of one name: said, so the user renames one.
  const sharedName = useWorkbench((state) => {
    if (provider === undefined) return null;
    const twin = state.providers.find((other) => other.id !== provider.id && providerNameKey(other.label) === providerNameKey(provider.label));
    return twin === undefined ? null : `Another provider is also called “${twin.label}”: rename one, so runs and messages can tell them apart`;
  });

  const isDirty = provider === undefined || JSON.stringify({ ...form, apiKey: '' }) !== JSON.stringify({ ...saved, apiKey: '' }) || form.apiKey.trim() !== '';
  const update = (patch: Partial<ProviderForm>) => {
    setForm({ ...form, ...patch });
    setMessage(null);
    // A field changed loses its refusal; another key source, those of the key and its variable too.
    const isTouched = (field: string) => field in patch || ('keySource' in patch && (field === 'apiKey' || field === 'keyVariable'));
    if (Object.keys(fieldErrors).some(isTouched)) setFieldErrors(Object.fromEntries(Object.entries(fieldErrors).filter(([field]) => !isTouched(field))));
  };

  // The card says how its latest action went, once: a save clears an earlier test's failure, a test the save's message.
  const labels = { baseUrl: urlHint(kind).label, keepAlive: KEEP_ALIVE_LABEL, ...Object.fromEntries(TIME_LIMIT_FIELDS.map(({ field, label }) => [field, label])) };
  const save = async () => {
    setSaving(true);
    setMessage(null);
    setFieldErrors({});
    useWorkbench.getState().forgetProviderTest(testId);
    const outcome = await useWorkbench.getState().saveProvider({ ...(provider ? { id: provider.id } : {}), ...inputOf(kind, form) }, labels);
    setSaving(false);
    if (!outcome.ok) {
      const field = outcome.field;
      if (field !== null && CARD_FIELDS.includes(field)) {
        setFieldErrors({ [field]: outcome.message });
        // Focus goes to the field to fix (the name, the URL...), as it would in any form.
        document.getElementById(`${id}-${field}`)?.focus();
      } else setMessage({ kind: 'error', text: outcome.message });
      return;
    }
    setMessage({ kind: 'info', text: 'Saved' });
    setForm(formOf(outcome.provider));
    onDone?.();
  };

  const test = async () => {
    const fields = isDirty ? inputOf(kind, form) : undefined;
    setMessage(null);
    setFieldErrors({});
    const result = await useWorkbench.getState().testProvider(testId, fields, labels);
    // A provider not saved yet has no prices of its own until it is.
    if (result?.isOk && testId !== NEW_PROVIDER_ID) void useWorkbench.getState().resolvePrices(testId, result.models.slice(0, 100).map((model) => model.id));
  };

  const url = urlHint(kind);
  // The defaults follow where the server is, as the base URL is typed: a cloud API's, or a local server's.
  const defaultLimits = defaultTimeLimits(kind, form.baseUrl.trim() || (provider?.endpoint ?? ''));
  const standardVariable = kind === 'openai' ? 'OPENAI_API_KEY' : kind === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'MY_API_KEY';
  return (
    <section className="provider-card" data-testid="provider-card" data-provider={provider?.label ?? 'new'} data-kind={kind} aria-label={provider?.label ?? 'New provider'}>
      <header className="provider-card-header">
        <span className="provider-name">{provider?.label ?? 'New endpoint'}</span>
        <span className="badge">{kindLabel(kind)}</span>
        {provider?.isBuiltIn && <span className="badge">built in</span>}
        {form.isLocal && <span className="badge badge-ok">local · $0</span>}
        <span className="spacer" />
        {provider && <KeyState provider={provider} />}
        {provider && <span className="provider-endpoint muted" title="Where requests go">{provider.endpoint}</span>}
      </header>
      {/* A form: Enter in any of its fields saves the card, as Save does. */}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (isDirty && !isSaving) void save();
        }}
      >
        <div className="provider-fields">
          <div className={`form-field${labelError === null ? '' : ' has-error'}`}>
            <label htmlFor={`${id}-label`}>Name</label>
            <input
              id={`${id}-label`}
              data-testid="provider-label"
              value={form.label}
              maxLength={200}
              aria-invalid={labelError !== null}
              aria-describedby={labelError !== null || sharedName !== null ? `${id}-label-note` : undefined}
              onChange={(event) => update({ label: event.target.value })}
            />
            {labelError !== null ? (
              <span className="field-error" id={`${id}-label-note`} role="alert" data-testid="provider-label-error">
                {labelError}
              </span>
            ) : (
              sharedName !== null && (
                <span className="field-error" id={`${id}-label-note`} data-testid="provider-label-shared">
                  {sharedName}
                </span>
              )
            )}
          </div>
          <div className={`form-field provider-url${fieldErrors.baseUrl === undefined ? '' : ' has-error'}`}>
            <label htmlFor={`${id}-baseUrl`}>{url.label}</label>
            <input
              id={`${id}-baseUrl`}
              data-testid="provider-url"
              placeholder={url.placeholder}
              spellCheck={false}
              value={form.baseUrl}
              aria-invalid={fieldErrors.baseUrl !== undefined}
              aria-describedby={fieldErrors.baseUrl === undefined ? undefined : `${id}-baseUrl-note`}
              onChange={(event) => update({ baseUrl: event.target.value })}
            />
            <FieldError id={`${id}-baseUrl-note`} testId="provider-url-error" text={fieldErrors.baseUrl} />
          </div>
          {kind === 'ollama' && (
            <div className={`form-field provider-keep-alive${fieldErrors.keepAlive === undefined ? '' : ' has-error'}`}>
              <label htmlFor={`${id}-keepAlive`}>{KEEP_ALIVE_LABEL}</label>
              <input
                id={`${id}-keepAlive`}
                data-testid="provider-keep-alive"
                placeholder={DEFAULT_KEEP_ALIVE}
                spellCheck={false}
                maxLength={MAX_KEEP_ALIVE_LENGTH}
                value={form.keepAlive}
                aria-invalid={fieldErrors.keepAlive !== undefined}
                aria-describedby={`${id}-keepAlive-${fieldErrors.keepAlive === undefined ? 'hint' : 'note'}`}
                onChange={(event) => update({ keepAlive: event.target.value })}
              />
              {fieldErrors.keepAlive === undefined ? (
                <span className="field-note" id={`${id}-keepAlive-hint`} data-testid="provider-keep-alive-hint">
                  How long Ollama keeps a model in memory after a run: 5m, 1h, seconds (3600), 0 to free it at once, -1 to keep it. Empty: {DEFAULT_KEEP_ALIVE}.
                </span>
              ) : (
                <FieldError id={`${id}-keepAlive-note`} testId="provider-keep-alive-error" text={fieldErrors.keepAlive} />
              )}
            </div>
          )}
          {kind !== 'ollama' && (
            <fieldset className="key-fields">
              <legend>API key</legend>
              <SegmentedRadioGroup
                label="Where the key comes from"
                className="key-source"
                choices={KEY_SOURCES}
                value={form.keySource}
                onChange={(source) => update({ keySource: source, ...(source === 'environment' && form.keyVariable === '' ? { keyVariable: standardVariable } : {}) })}
              />
              {form.keySource === 'environment' && (
                <>
                  <input
                    id={`${id}-keyVariable`}
                    aria-label="Environment variable"
                    data-testid="provider-key-variable"
                    className="key-input"
                    placeholder={standardVariable}
                    spellCheck={false}
                    value={form.keyVariable}
                    aria-invalid={fieldErrors.keyVariable !== undefined}
                    aria-describedby={fieldErrors.keyVariable === undefined ? undefined : `${id}-keyVariable-note`}
                    onChange={(event) => update({ keyVariable: event.target.value })}
                  />
                  <FieldError id={`${id}-keyVariable-note`} testId="provider-key-variable-error" text={fieldErrors.keyVariable} />
                </>
              )}
              {form.keySource === 'secret-store' && (
                <>
                  <input
                    id={`${id}-apiKey`}
                    type="password"
                    aria-label="API key"
                    data-testid="provider-api-key"
                    aria-invalid={fieldErrors.apiKey !== undefined}
                    aria-describedby={fieldErrors.apiKey === undefined ? undefined : `${id}-apiKey-note`}
                    className="key-input"
                    autoComplete="off"
                    placeholder={provider?.keySource === 'secret-store' && provider.hasKey ? '•••••••• (kept; type to replace)' : 'Paste the key'}
                    value={form.apiKey}
                    onChange={(event) => update({ apiKey: event.target.value })}
                  />
                  <FieldError id={`${id}-apiKey-note`} testId="provider-api-key-error" text={fieldErrors.apiKey} />
                  <p className="field-note" data-testid="key-note">
                    {isWebHost
                      ? 'The browser host keeps an entered key in memory for this session only: it is never written to disk, and you enter it again after a restart. Environment variables last.'
                      : 'Kept encrypted by the operating system’s keychain, never in the database, logs or exports.'}
                  </p>
                </>
              )}
            </fieldset>
          )}
          <div className="time-limits" role="group" aria-label="Time limits" aria-describedby={`${id}-time-limits-hint`}>
            {TIME_LIMIT_FIELDS.map(({ name, field, label, testId: fieldTestId }) => (
              <div key={field} className={`form-field${fieldErrors[field] === undefined ? '' : ' has-error'}`}>
                <label htmlFor={`${id}-${field}`}>{label}</label>
                <input
                  id={`${id}-${field}`}
                  data-testid={fieldTestId}
                  placeholder={durationText(defaultLimits[name])}
                  spellCheck={false}
                  maxLength={MAX_TIME_LIMIT_LENGTH}
                  value={form[field]}
                  aria-invalid={fieldErrors[field] !== undefined}
                  aria-describedby={fieldErrors[field] === undefined ? undefined : `${id}-${field}-note`}
                  onChange={(event) => update({ [field]: event.target.value })}
                />
              </div>
            ))}
            {/* Under the three, the width of the card: a refusal that compares two limits is a sentence long. */}
            {TIME_LIMIT_FIELDS.map(({ field, testId: fieldTestId }) => (
              <FieldError key={field} id={`${id}-${field}-note`} testId={`${fieldTestId}-error`} text={fieldErrors[field]} />
            ))}
            <p className="field-note" id={`${id}-time-limits-hint`} data-testid="provider-time-limits-hint">
              How long a run waits for its first token, then for more once the answer began, and in all, retries included: 90s, 3m, 1h or seconds. Empty: the default shown.
            </p>
          </div>
          <label className="check-label" title="Local models cost nothing: runs are priced at $0 unless you set a price">
            <input type="checkbox" data-testid="provider-local" checked={form.isLocal} onChange={(event) => update({ isLocal: event.target.checked })} />
            Local (runs cost $0)
          </label>
        </div>
        <div className="provider-actions">
          <button type="submit" className="button button-primary" data-testid="provider-save" disabled={!isDirty || isSaving}>
            {provider ? 'Save' : 'Add'}
          </button>
          {/* While it connects, the same button stops it (the 15 s wait a host that never answers would take). */}
          <button
            type="button"
            className="button"
            data-testid="provider-test"
            onClick={() => (isTesting ? useWorkbench.getState().cancelProviderTest(testId) : void test())}
          >
            {/* Both labels take the one cell, the hidden one keeping its room: the button's width never changes. */}
            <span className="swap-label">
              <span className={isTesting ? undefined : 'is-hidden'}>Cancel test</span>
              <span className={isTesting ? 'is-hidden' : undefined}>Test connection</span>
            </span>
          </button>
          {provider && !provider.isBuiltIn && (
            <button type="button" className="button button-quiet" data-testid="provider-remove" onClick={() => setConfirmingRemove(true)}>
              Remove…
            </button>
          )}
          {provider && isConfirmingRemove && (
            <ConfirmDialog
              title={
                <>
                  Remove <strong>{provider.label}</strong>?
                </>
              }
              confirmLabel="Remove"
              testId="remove-provider-dialog"
              onCancel={() => setConfirmingRemove(false)}
              onConfirm={() => {
                setConfirmingRemove(false);
                void useWorkbench.getState().removeProvider(provider.id);
              }}
            >
              <RemovedWithProvider providerId={provider.id} hasEnteredKey={provider.keySource === 'secret-store'} />
              <p>Its runs stay in History, under its name.</p>
              <JudgedChecksNotice providerId={provider.id} />
              <SettingsJudgeNotice providerId={provider.id} label={provider.label} />
            </ConfirmDialog>
          )}
          {!provider && (
            <button type="button" className="button button-quiet" onClick={onDone}>
              Cancel
            </button>
          )}
          {message && (
            <span className={message.kind === 'error' ? 'form-error' : 'form-ok'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="provider-message">
              {message.text}
            </span>
          )}
          {isDirty && provider && !message && <span className="muted">Unsaved changes · Test uses them</span>}
        </div>
      </form>
      <TestResult testId={testId} />
    </section>
  );
}
