/**
 * Settings: providers (keys, endpoints, "Test connection"), prices, the daily budget, the judge
 * of imported model-graded checks and the response cache, as one scrolling page with a section
 * index.
 */

import { useEffect, useId, useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ProviderSelect } from '../../components/provider-select';
import { useShallow } from 'zustand/react/shallow';
import { formatBudgetUsd, formatUsd } from '../../../shared/cost';
import { isLocalServer } from '../../../shared/local-server';
import { freeProviderName } from '../../../shared/provider-name';
import type { KeySource } from '../../../shared/types';
import { cacheSavedText } from '../cache/cache-text';
import { formatBytes, formatDate, formatNumber, formatPercent } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { PriceTable } from '../pricing/price-table';
import { ProviderCard } from '../providers/provider-card';
import { parseBudget, parseCacheLimit, parseMaxAge, type LimitReading } from './limit-text';

/** Well-known OpenAI-compatible servers, to start a new endpoint from; the hosted ones always need a key, so they start on entering it. */
const PRESETS: { label: string; baseUrl: string; keySource: KeySource }[] = [
  { label: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1', keySource: 'none' },
  { label: 'llama.cpp server', baseUrl: 'http://127.0.0.1:8080/v1', keySource: 'none' },
  { label: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1', keySource: 'none' },
  { label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', keySource: 'secret-store' },
  { label: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', keySource: 'secret-store' },
  { label: 'Custom endpoint', baseUrl: '', keySource: 'none' },
];

/** The id of the first link of the section index, where the keyboard lands when Settings opens by its shortcut. */
export const SETTINGS_START_ID = 'settings-start';

const SECTIONS = [
  { id: 'settings-providers', label: 'Providers' },
  { id: 'settings-prices', label: 'Prices' },
  { id: 'settings-budget', label: 'Daily budget' },
  { id: 'settings-judge', label: 'Judge' },
  { id: 'settings-cache', label: 'Response cache' },
];

function Providers() {
  const providers = useWorkbench((state) => state.providers);
  const [adding, setAdding] = useState<(typeof PRESETS)[number] | null>(null);
  return (
    <section className="settings-section" id="settings-providers" aria-labelledby="settings-providers-title">
      <h2 id="settings-providers-title">Providers</h2>
      <p className="section-note">
        Keys come from environment variables (OPENAI_API_KEY, ANTHROPIC_API_KEY) or are entered here; they never reach the database, logs or
        exports. Ollama needs no key.
      </p>
      <div className="provider-list">
        {providers.map((provider) => (
          <ProviderCard key={provider.id} provider={provider} />
        ))}
        {adding && (
          <ProviderCard
            initial={{ kind: 'openai-compatible', label: adding.label, baseUrl: adding.baseUrl, keySource: adding.keySource, isLocal: isLocalServer('openai-compatible', adding.baseUrl) }}
            onDone={() => setAdding(null)}
          />
        )}
      </div>
      {!adding && (
        <div className="add-provider">
          <span className="muted">Add an OpenAI-compatible endpoint:</span>
          {PRESETS.map((preset) => (
            <button
              key={preset.label}
              type="button"
              className="button button-small"
              data-testid="add-endpoint"
              data-preset={preset.label}
              // A second LM Studio starts as "LM Studio 2": two providers may not share a name.
              onClick={() => setAdding({ ...preset, label: freeProviderName(preset.label, providers.map((provider) => provider.label)) })}
            >
              {preset.label}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

/** What `LimitField` needs: how to read its text, save a value, and say what was saved. */
interface LimitFieldProps {
  /** Prefix of the test ids (`<name>-input`, `-save`, `-clear`, `-message`). */
  name: string;
  label: string;
  placeholder: string;
  removeLabel: string;
  /** The saved value; null for none. */
  value: number | null;
  /** The value typed, null for empty, or why it cannot be. */
  parse: (text: string) => LimitReading;
  /** Saves; resolves to the engine's error, or null. */
  save: (value: number | null) => Promise<string | null>;
  /** The confirmation once `value` is saved. */
  savedText: (value: number | null) => string;
  /** The id of a note describing the field. */
  describedBy?: string;
}

/** A saved limit as its field shows it: whole numbers grouped as the app writes them ("1,024"), fractions as saved ("0.001"). */
function limitText(value: number | null): string {
  if (value === null) return '';
  return Number.isInteger(value) ? formatNumber(value) : String(value);
}

/** A number with "none" as empty: typed, saved with Enter or Save, removed, with its message beside it. */
function LimitField({ name, label, placeholder, removeLabel, value, parse, save, savedText, describedBy }: LimitFieldProps) {
  const [text, setText] = useState(limitText(value));
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const id = useId();
  useEffect(() => setText(limitText(value)), [value]);
  const commit = async (typed: string) => {
    const parsed = parse(typed);
    if ('error' in parsed) {
      setMessage({ kind: 'error', text: parsed.error });
      return;
    }
    const error = await save(parsed.value);
    setMessage(error === null ? { kind: 'info', text: savedText(parsed.value) } : { kind: 'error', text: error });
  };
  return (
    <div className="inline-form">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        className="budget-input"
        data-testid={`${name}-input`}
        inputMode="decimal"
        placeholder={placeholder}
        aria-describedby={describedBy}
        aria-invalid={message?.kind === 'error'}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setMessage(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') void commit(text);
        }}
      />
      <button type="button" className="button" data-testid={`${name}-save`} onClick={() => void commit(text)}>
        Save
      </button>
      {value !== null && (
        <button type="button" className="button button-quiet" data-testid={`${name}-clear`} onClick={() => void commit('')}>
          {removeLabel}
        </button>
      )}
      {message && (
        <span className={message.kind === 'error' ? 'form-error' : 'form-ok'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid={`${name}-message`}>
          {message.text}
        </span>
      )}
    </div>
  );
}

function Budget() {
  const { budget, spent } = useWorkbench(useShallow((state) => ({ budget: state.dailyBudgetUsd, spent: state.spentTodayUsd })));
  useEffect(() => {
    void useWorkbench.getState().loadSpentToday();
  }, []);
  return (
    <section className="settings-section" id="settings-budget" aria-labelledby="settings-budget-title">
      <h2 id="settings-budget-title">Daily budget</h2>
      <p className="section-note">A run that would take today’s spending (since local midnight) over the budget is refused, saying by how much. Cached answers and local models cost nothing.</p>
      {spent !== null && (
        <p className="budget-spent" data-testid="budget-spent">
          Spent today: <span className="tabular">{formatUsd(spent)}</span>
          {budget !== null && (
            <>
              {' '}
              of <span className="tabular">{formatBudgetUsd(budget)}</span>
              {spent > budget ? ' (over the budget: runs that cost anything are refused until midnight)' : ''}
            </>
          )}
        </p>
      )}
      <LimitField
        name="budget"
        label="USD per day"
        placeholder="no budget"
        removeLabel="Remove budget"
        value={budget}
        parse={parseBudget}
        save={(amount) => useWorkbench.getState().setDailyBudget(amount)}
        savedText={(amount) => (amount === null ? 'No budget' : `Saved: ${formatBudgetUsd(amount)} a day`)}
      />
    </section>
  );
}

/** The model that grades the checks files leave to a model grader, when they are read without one chosen. */
function JudgeSetting() {
  const { judge, providers } = useWorkbench(useShallow((state) => ({ judge: state.judge, providers: state.providers })));
  const [providerId, setProviderId] = useState(judge?.providerId ?? providers[0]?.id ?? 0);
  const [model, setModel] = useState(judge?.model ?? '');
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const id = useId();
  useEffect(() => {
    if (judge === null) return;
    setProviderId(judge.providerId);
    setModel(judge.model);
  }, [judge]);
  const save = async (next: { providerId: number; model: string } | null) => {
    if (next !== null && next.model === '') {
      setMessage({ kind: 'error', text: 'Name the judge model (gpt-4o-mini, say), or remove the judge' });
      return;
    }
    const error = await useWorkbench.getState().setJudge(next);
    if (error !== null) setMessage({ kind: 'error', text: error });
    else if (next === null) setMessage({ kind: 'info', text: 'No judge: such checks are reported and left out' });
    else setMessage({ kind: 'info', text: `Saved: ${providers.find((provider) => provider.id === next.providerId)?.label ?? 'provider'} · ${next.model}` });
  };
  return (
    <section className="settings-section" id="settings-judge" aria-labelledby="settings-judge-title">
      <h2 id="settings-judge-title">Judge</h2>
      <p className="section-note">
        Checks other tools grade with a model (GitHub Models’ github/coherence, fluency, relevance and groundedness, its llm evaluators, promptfoo’s
        llm-rubric) become LLM judges graded by this model when a folder is imported into the library and when <code>workbench eval</code> runs a file
        without <code>--judge</code>. Import starts with it. Without a judge they are reported and left out.
      </p>
      <div className="inline-form">
        <label htmlFor={`${id}-provider`}>Provider</label>
        <ProviderSelect
          id={`${id}-provider`}
          testId="judge-provider"
          value={providerId}
          onChange={(chosen) => {
            setProviderId(chosen);
            setMessage(null);
          }}
        />
        <label htmlFor={`${id}-model`}>Model</label>
        <input
          id={`${id}-model`}
          className="judge-model-input"
          data-testid="judge-model"
          spellCheck={false}
          placeholder="e.g. gpt-4o-mini"
          aria-invalid={message?.kind === 'error'}
          value={model}
          onChange={(event) => {
            setModel(event.target.value);
            setMessage(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') void save({ providerId, model: model.trim() });
          }}
        />
        <button type="button" className="button" data-testid="judge-save" onClick={() => void save({ providerId, model: model.trim() })}>
          Save
        </button>
        {judge !== null && (
          <button type="button" className="button button-quiet" data-testid="judge-clear" onClick={() => void save(null)}>
            Remove judge
          </button>
        )}
        {message && (
          <span className={message.kind === 'error' ? 'form-error' : 'form-ok'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="judge-message">
            {message.text}
          </span>
        )}
      </div>
    </section>
  );
}

function CacheLimit() {
  const limit = useWorkbench((state) => state.cacheLimitMb);
  const maxAgeDays = useWorkbench((state) => state.cacheMaxAgeDays);
  const noteId = useId();
  return (
    <>
      <LimitField
        name="cache-limit"
        label="Size limit, MB"
        placeholder="no limit"
        removeLabel="Remove limit"
        value={limit}
        parse={parseCacheLimit}
        save={(limitMb) => useWorkbench.getState().setCacheLimit(limitMb)}
        savedText={(limitMb) => (limitMb === null ? 'No limit' : `Saved: ${formatNumber(limitMb)} MB`)}
        describedBy={noteId}
      />
      <LimitField
        name="cache-age"
        label="Expire after, days"
        placeholder="never"
        removeLabel="Never expire"
        value={maxAgeDays}
        parse={parseMaxAge}
        save={(days) => useWorkbench.getState().setCacheMaxAge(days)}
        savedText={(days) => (days === null ? 'Answers never expire' : `Saved: ${formatNumber(days)} ${days === 1 ? 'day' : 'days'}`)}
        describedBy={noteId}
      />
      <p className="section-note" id={noteId}>
        Past the size limit, the answers used longest ago go first. An answer older than its age is asked for again (a model behind
        the same name changes). Empty: no limit.
      </p>
    </>
  );
}

function Cache() {
  const stats = useWorkbench((state) => state.cacheStats);
  const [isConfirming, setConfirming] = useState(false);
  useEffect(() => {
    const state = useWorkbench.getState();
    void state.loadCacheStats();
  }, []);
  const rows: [string, string, string][] = stats
    ? [
        ['Answers kept', formatNumber(stats.entries), 'entries'],
        ['Size', stats.limitBytes === null ? formatBytes(stats.sizeBytes) : `${formatBytes(stats.sizeBytes)} of ${formatBytes(stats.limitBytes)}`, 'size'],
        ['Hit rate', stats.hitRate === null ? 'no lookups yet' : `${formatPercent(stats.hitRate)} (${formatNumber(stats.hits)} of ${formatNumber(stats.lookups)})`, 'hit-rate'],
        ['Saved', cacheSavedText(stats), 'saved'],
        ['Since', stats.clearedAt === null ? 'the start' : formatDate(stats.clearedAt), 'since'],
      ]
    : [];
  return (
    <section className="settings-section" id="settings-cache" aria-labelledby="settings-cache-title">
      <h2 id="settings-cache-title">Response cache</h2>
      <p className="section-note">
        The same request (provider, model, rendered messages, parameters, sample) is answered from the cache at once and costs nothing. Errors are never
        cached. Tick “Bypass cache” in the runs panel to send a request anyway.
      </p>
      <dl className="stats-list" data-testid="cache-stats">
        {rows.map(([label, value, name]) => (
          <div key={name} className="stats-row">
            <dt>{label}</dt>
            <dd className="tabular" data-testid={`cache-${name}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <CacheLimit />
      <div className="inline-form">
        <button type="button" className="button" data-testid="cache-clear" disabled={stats === null || stats.entries === 0} onClick={() => setConfirming(true)}>
          Clear…
        </button>
      </div>
      {isConfirming && stats !== null && (
        <ConfirmDialog
          title="Clear the response cache?"
          confirmLabel="Clear the cache"
          testId="cache-clear-dialog"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void useWorkbench.getState().clearCache();
          }}
        >
          <p>
            {formatNumber(stats.entries)} {stats.entries === 1 ? 'answer' : 'answers'} ({formatBytes(stats.sizeBytes)}) {stats.entries === 1 ? 'goes' : 'go'}, with the hit rate and savings counted since{' '}
            {stats.clearedAt === null ? 'the start' : formatDate(stats.clearedAt)}: the next identical request is sent to its provider again.
          </p>
          <p>Runs stay in History, with their outputs.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The settings workspace. */
export function SettingsView() {
  const { host } = useWorkbench(useShallow((state) => ({ host: state.appInfo?.host ?? null })));
  return (
    <div className="settings-view workspace-page" data-testid="settings-view">
      <nav className="settings-index" aria-label="Settings sections">
        <span className="section-title">Settings</span>
        {SECTIONS.map((section, index) => (
          <button
            key={section.id}
            id={index === 0 ? SETTINGS_START_ID : undefined}
            type="button"
            className="index-link"
            onClick={() => document.getElementById(section.id)?.scrollIntoView({ block: 'start' })}
          >
            {section.label}
          </button>
        ))}
        {host === 'web' && <p className="index-note">Browser host: keys entered here last until it stops.</p>}
      </nav>
      <div className="settings-body">
        <Providers />
        <section className="settings-section" id="settings-prices" aria-labelledby="settings-prices-title">
          <h2 id="settings-prices-title">Prices</h2>
          <p className="section-note">USD per million tokens. Your prices replace the catalog’s; a model with no price shows “no price” and its cost as unknown, never $0.</p>
          <PriceTable />
        </section>
        <Budget />
        <JudgeSetting />
        <Cache />
      </div>
    </div>
  );
}
