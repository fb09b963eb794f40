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

function Cache() {
  const stats = useWorkbench((state) => state.cacheStats);
  const [isConfirming, setConfirming] = useState(false);
  useEffect(() => {
    void useWorkbench.getState().loadCacheStats();
  }, []);
  const rows: [string, string, string][] = stats
    ? [
        ['Answers kept', formatNumber(stats.entries), 'entries'],
        ['Size', formatBytes(stats.sizeBytes), 'size'],
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
