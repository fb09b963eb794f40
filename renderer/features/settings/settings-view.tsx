/**
 * Settings: providers (keys, endpoints, "Test connection"), prices, the daily budget and the
 * response cache, as one scrolling page with a section index.
 */

import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatUsd } from '../../../shared/cost';
import { isLoopbackHost } from '../../lib/urls';
import { formatBytes, formatDate, formatNumber, formatPercent } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { PriceTable } from '../pricing/price-table';
import { ProviderCard } from '../providers/provider-card';

/** Well-known OpenAI-compatible servers, to start a new endpoint from. */
const PRESETS: { label: string; baseUrl: string }[] = [
  { label: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' },
  { label: 'llama.cpp server', baseUrl: 'http://127.0.0.1:8080/v1' },
  { label: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1' },
  { label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1' },
  { label: 'Groq', baseUrl: 'https://api.groq.com/openai/v1' },
  { label: 'Custom endpoint', baseUrl: '' },
];

const SECTIONS = [
  { id: 'settings-providers', label: 'Providers' },
  { id: 'settings-prices', label: 'Prices' },
  { id: 'settings-budget', label: 'Daily budget' },
  { id: 'settings-cache', label: 'Response cache' },
];

function Providers() {
  const providers = useWorkbench((state) => state.providers);
  const [adding, setAdding] = useState<{ label: string; baseUrl: string } | null>(null);
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
            initial={{ kind: 'openai-compatible', label: adding.label, baseUrl: adding.baseUrl, isLocal: isLoopbackHost(adding.baseUrl) }}
            onDone={() => setAdding(null)}
          />
        )}
      </div>
      {!adding && (
        <div className="add-provider">
          <span className="muted">Add an OpenAI-compatible endpoint:</span>
          {PRESETS.map((preset) => (
            <button key={preset.label} type="button" className="button button-small" data-testid="add-endpoint" data-preset={preset.label} onClick={() => setAdding(preset)}>
              {preset.label}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

function Budget() {
  const budget = useWorkbench((state) => state.dailyBudgetUsd);
  const [text, setText] = useState(budget === null ? '' : String(budget));
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const id = useId();
  useEffect(() => setText(budget === null ? '' : String(budget)), [budget]);
  const save = async (value: string) => {
    const trimmed = value.trim().replace(/^\$/, '');
    const amount = trimmed === '' ? null : Number(trimmed);
    if (amount !== null && (!Number.isFinite(amount) || amount < 0 || amount > 1_000_000)) {
      setMessage({ kind: 'error', text: 'The budget is a number of dollars, 0 or more' });
      return;
    }
    const error = await useWorkbench.getState().setDailyBudget(amount);
    setMessage(error === null ? { kind: 'info', text: amount === null ? 'No budget' : `Saved: ${formatUsd(amount)} a day` } : { kind: 'error', text: error });
  };
  return (
    <section className="settings-section" id="settings-budget" aria-labelledby="settings-budget-title">
      <h2 id="settings-budget-title">Daily budget</h2>
      <p className="section-note">A run that would take today’s spending (since local midnight) over the budget is refused, saying by how much. Cached answers and local models cost nothing.</p>
      <div className="inline-form">
        <label htmlFor={`${id}-budget`}>USD per day</label>
        <input
          id={`${id}-budget`}
          className="budget-input"
          data-testid="budget-input"
          inputMode="decimal"
          placeholder="no budget"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setMessage(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') void save(text);
          }}
        />
        <button type="button" className="button" data-testid="budget-save" onClick={() => void save(text)}>
          Save
        </button>
        {budget !== null && (
          <button type="button" className="button button-quiet" data-testid="budget-clear" onClick={() => void save('')}>
            Remove budget
          </button>
        )}
        {message && (
          <span className={message.kind === 'error' ? 'form-error' : 'form-ok'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="budget-message">
            {message.text}
          </span>
        )}
      </div>
    </section>
  );
}

/** The largest cache limit the engine takes: 1 TB. */
const MAXIMUM_CACHE_LIMIT_MB = 1_048_576;

/** Reads a cache limit typed in MB ("50", "50 MB"); null for empty (no limit), an error message when out of range. */
function parseCacheLimit(text: string): { limitMb: number | null } | { error: string } {
  const trimmed = text.trim().replace(/\s*mb$/i, '');
  if (trimmed === '') return { limitMb: null };
  const limitMb = Number(trimmed);
  if (!Number.isFinite(limitMb)) return { error: 'The cache limit is a number of MB' };
  // The engine's own words, so the UI and a refused call say the same.
  if (limitMb < 1) return { error: 'The cache limit is at least 1 MB' };
  if (limitMb > MAXIMUM_CACHE_LIMIT_MB) return { error: 'The cache limit is at most 1,048,576 MB (1 TB)' };
  return { limitMb };
}

function CacheLimit() {
  const limit = useWorkbench((state) => state.cacheLimitMb);
  const [text, setText] = useState(limit === null ? '' : String(limit));
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const id = useId();
  useEffect(() => setText(limit === null ? '' : String(limit)), [limit]);
  const save = async (value: string) => {
    const parsed = parseCacheLimit(value);
    if ('error' in parsed) {
      setMessage({ kind: 'error', text: parsed.error });
      return;
    }
    const error = await useWorkbench.getState().setCacheLimit(parsed.limitMb);
    setMessage(error === null ? { kind: 'info', text: parsed.limitMb === null ? 'No limit' : `Saved: ${formatNumber(parsed.limitMb)} MB` } : { kind: 'error', text: error });
  };
  return (
    <>
      <div className="inline-form">
        <label htmlFor={`${id}-cache-limit`}>Size limit, MB</label>
        <input
          id={`${id}-cache-limit`}
          className="budget-input"
          data-testid="cache-limit-input"
          inputMode="decimal"
          placeholder="no limit"
          aria-describedby={`${id}-cache-limit-note`}
          aria-invalid={message?.kind === 'error'}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setMessage(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') void save(text);
          }}
        />
        <button type="button" className="button" data-testid="cache-limit-save" onClick={() => void save(text)}>
          Save
        </button>
        {limit !== null && (
          <button type="button" className="button button-quiet" data-testid="cache-limit-clear" onClick={() => void save('')}>
            Remove limit
          </button>
        )}
        {message && (
          <span className={message.kind === 'error' ? 'form-error' : 'form-ok'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="cache-limit-message">
            {message.text}
          </span>
        )}
      </div>
      <p className="section-note" id={`${id}-cache-limit-note`}>
        Past the limit, the answers used longest ago go first. Empty: no limit.
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
    void state.loadCacheLimit();
  }, []);
  const rows: [string, string, string][] = stats
    ? [
        ['Answers kept', formatNumber(stats.entries), 'entries'],
        ['Size', stats.limitBytes === null ? formatBytes(stats.sizeBytes) : `${formatBytes(stats.sizeBytes)} of ${formatBytes(stats.limitBytes)}`, 'size'],
        ['Hit rate', stats.hitRate === null ? 'no lookups yet' : `${formatPercent(stats.hitRate)} (${formatNumber(stats.hits)} of ${formatNumber(stats.lookups)})`, 'hit-rate'],
        ['Saved', formatUsd(stats.savedUsd), 'saved'],
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
        {isConfirming ? (
          <>
            <span>Forget every cached answer?</span>
            <button
              type="button"
              className="button button-danger"
              data-testid="cache-clear-confirm"
              onClick={() => {
                setConfirming(false);
                void useWorkbench.getState().clearCache();
              }}
            >
              Clear the cache
            </button>
            <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="button" data-testid="cache-clear" disabled={stats === null || stats.entries === 0} onClick={() => setConfirming(true)}>
            Clear…
          </button>
        )}
      </div>
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
        {SECTIONS.map((section) => (
          <button key={section.id} type="button" className="index-link" onClick={() => document.getElementById(section.id)?.scrollIntoView({ block: 'start' })}>
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
        <Cache />
      </div>
    </div>
  );
}
