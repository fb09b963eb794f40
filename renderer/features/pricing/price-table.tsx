/**
 * Prices per provider: the catalog's and the user's, per million tokens, each editable; a
 * model the catalog does not know gets a price of its own (else its runs show "no price").
 */

import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelPrice, PriceEntry, ResolvedPrice } from '../../../shared/types';
import { bridge } from '../../bridge/connection';
import { useWorkbench } from '../../store/workbench-store';
import { PRICE_LIST_LIMIT } from './pricing-slice';
import { priceSummary, rateBase, rateText, sourceLabel } from './price-text';

/** The editable part of a price: flat input, output and cached-input rates per million tokens. */
interface PriceDraft {
  input: string;
  output: string;
  cachedInput: string;
}

/** Parses a rate typed in dollars per million tokens; null for empty, an error message when invalid. */
export function parseRate(text: string, label: string, isRequired: boolean): { value: number | null } | { error: string } {
  const trimmed = text.trim().replace(/^\$/, '');
  if (trimmed === '') return isRequired ? { error: `${label} is required` } : { value: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0) return { error: `${label} must be a number of dollars, 0 or more` };
  if (value > 1_000_000) return { error: `${label} is more than $1,000,000 per million tokens` };
  return { value };
}

/** The price a draft describes, keeping the parts it does not edit from `base`. */
export function priceOf(draft: PriceDraft, base: ModelPrice | null): { price: ModelPrice } | { error: string } {
  const input = parseRate(draft.input, 'Input', true);
  const output = parseRate(draft.output, 'Output', true);
  const cachedInput = parseRate(draft.cachedInput, 'Cached input', false);
  for (const part of [input, output, cachedInput]) if ('error' in part) return { error: part.error };
  return {
    price: {
      input: (input as { value: number }).value,
      output: (output as { value: number }).value,
      cachedInput: (cachedInput as { value: number | null }).value,
      cacheWrite: base?.cacheWrite ?? null,
      reasoning: base?.reasoning ?? null,
      perThousandRequests: base?.perThousandRequests ?? null,
    },
  };
}

function draftOf(price: ModelPrice | null): PriceDraft {
  const text = (value: number | null) => (value === null ? '' : String(value));
  return { input: text(rateBase(price?.input ?? null)), output: text(rateBase(price?.output ?? null)), cachedInput: text(rateBase(price?.cachedInput ?? null)) };
}

interface RateInputsProps {
  draft: PriceDraft;
  onChange: (draft: PriceDraft) => void;
  onSubmit: () => void;
  onCancel: () => void;
  /** True when the inputs replace a row's figures (Edit): the first one takes the focus. */
  isFocusedOnMount?: boolean;
}

function RateInputs({ draft, onChange, onSubmit, onCancel, isFocusedOnMount = false }: RateInputsProps) {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter') onSubmit();
    if (event.key === 'Escape') onCancel();
  };
  return (
    <>
      <td>
        <input className="rate-input" aria-label="Input $ per 1M tokens" data-testid="rate-input" inputMode="decimal" value={draft.input} onChange={(event) => onChange({ ...draft, input: event.target.value })} onKeyDown={onKeyDown} autoFocus={isFocusedOnMount} />
      </td>
      <td>
        <input className="rate-input" aria-label="Output $ per 1M tokens" data-testid="rate-output" inputMode="decimal" value={draft.output} onChange={(event) => onChange({ ...draft, output: event.target.value })} onKeyDown={onKeyDown} />
      </td>
      <td>
        <input className="rate-input" aria-label="Cached input $ per 1M tokens" data-testid="rate-cached" inputMode="decimal" placeholder="= input" value={draft.cachedInput} onChange={(event) => onChange({ ...draft, cachedInput: event.target.value })} onKeyDown={onKeyDown} />
      </td>
    </>
  );
}

function PriceRow({ entry }: { entry: PriceEntry }) {
  const [draft, setDraft] = useState<PriceDraft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    if (draft === null) return;
    const parsed = priceOf(draft, entry.price);
    if ('error' in parsed) return setError(parsed.error);
    const resolved = await useWorkbench.getState().overridePrice(entry.providerId, entry.model, parsed.price);
    if (resolved !== null) {
      setDraft(null);
      setError(null);
    }
  };
  return (
    <tr data-testid="price-row" data-model={entry.model} className={draft ? 'is-editing' : undefined}>
      <td className="model-id" title={entry.name ?? undefined}>
        {entry.model}
        {error && (
          <span className="field-error" role="alert" data-testid="price-error">
            {' '}
            {error}
          </span>
        )}
      </td>
      {draft ? (
        <RateInputs draft={draft} onChange={setDraft} onSubmit={() => void save()} onCancel={() => setDraft(null)} isFocusedOnMount />
      ) : (
        <>
          <td className="tabular" data-testid="price-input">
            {rateText(entry.price.input)}
          </td>
          <td className="tabular" data-testid="price-output">
            {rateText(entry.price.output)}
          </td>
          <td className="tabular">{entry.price.cachedInput === null ? <span className="muted">= input</span> : rateText(entry.price.cachedInput)}</td>
        </>
      )}
      <td>
        <span className={`badge source-${entry.source}`} data-testid="price-source" title={entry.source === 'override' && entry.catalogPrice ? `Catalog: ${rateText(entry.catalogPrice.input)} / ${rateText(entry.catalogPrice.output)}` : undefined}>
          {sourceLabel(entry.source)}
        </span>
      </td>
      <td className="row-actions">
        {draft ? (
          <>
            <button type="button" className="link-button" data-testid="price-save" onClick={() => void save()}>
              Save
            </button>
            <button type="button" className="link-button is-quiet" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button type="button" className="link-button" data-testid="price-edit" onClick={() => setDraft(draftOf(entry.price))}>
              Edit
            </button>
            {entry.source === 'override' && (
              <button type="button" className="link-button is-quiet" data-testid="price-reset" title={entry.catalogPrice ? 'Back to the catalog price' : 'Remove your price'} onClick={() => void useWorkbench.getState().overridePrice(entry.providerId, entry.model, null)}>
                {entry.catalogPrice ? 'Reset' : 'Remove'}
              </button>
            )}
          </>
        )}
      </td>
    </tr>
  );
}

function NewPriceRow({ providerId }: { providerId: number }) {
  const [model, setModel] = useState('');
  const [draft, setDraft] = useState<PriceDraft>({ input: '', output: '', cachedInput: '' });
  const [error, setError] = useState<string | null>(null);
  /** The model whose own price the user was told Add would replace: a second Add replaces it. */
  const [replacing, setReplacing] = useState<string | null>(null);
  const add = async () => {
    const id = model.trim();
    if (id === '') return setError('Type the model id');
    const parsed = priceOf(draft, null);
    if ('error' in parsed) return setError(parsed.error);
    // A model that has a price already: the user's own is replaced only when asked twice; the catalog's gives way, and the toast says so.
    let current: ResolvedPrice | null = null;
    try {
      current = await bridge().call('pricing:resolve', { providerId, model: id });
    } catch {
      // Unknown then: the price is saved as asked.
    }
    if (current?.source === 'override' && replacing !== id) {
      setReplacing(id);
      return setError(`${id} has your price already (${priceSummary(current)} per 1M): Add again to replace it`);
    }
    const resolved = await useWorkbench.getState().overridePrice(providerId, id, parsed.price);
    if (resolved !== null) {
      if (current?.source === 'catalog') useWorkbench.getState().showToast('info', `Your price for ${id} now stands in for the catalog’s (${priceSummary(current)} per 1M); Reset brings it back`);
      else if (current?.source === 'override') useWorkbench.getState().showToast('info', `Replaced your price for ${id} (it was ${priceSummary(current)} per 1M)`);
      setModel('');
      setDraft({ input: '', output: '', cachedInput: '' });
      setError(null);
      setReplacing(null);
    }
  };
  return (
    <tr className="new-price-row" data-testid="new-price-row">
      <td>
        <input
          className="rate-input model-input"
          aria-label="Model id"
          data-testid="new-price-model"
          placeholder="Price another model: its id"
          spellCheck={false}
          value={model}
          onChange={(event) => {
            setModel(event.target.value);
            setReplacing(null);
          }}
        />
        {error && (
          <span className="field-error" role="alert" data-testid="price-error">
            {' '}
            {error}
          </span>
        )}
      </td>
      <RateInputs draft={draft} onChange={setDraft} onSubmit={() => void add()} onCancel={() => setDraft({ input: '', output: '', cachedInput: '' })} />
      <td />
      <td className="row-actions">
        <button type="button" className="link-button" data-testid="new-price-add" onClick={() => void add()}>
          Add
        </button>
      </td>
    </tr>
  );
}

/** The prices section of settings. */
export function PriceTable() {
  const providers = useWorkbench((state) => state.providers);
  const [providerId, setProviderId] = useState<number | null>(null);
  const selected = providerId ?? providers[0]?.id ?? null;
  const { list, query } = useWorkbench(
    useShallow((state) => ({ list: selected === null ? undefined : state.priceLists[selected], query: selected === null ? '' : (state.priceQueries[selected] ?? '') })),
  );
  const [text, setText] = useState(query);
  const id = useId();
  useEffect(() => {
    if (selected !== null) void useWorkbench.getState().loadPrices(selected);
  }, [selected]);
  useEffect(() => setText(query), [selected, query]);
  useEffect(() => {
    if (selected === null || text === query) return undefined;
    const timer = setTimeout(() => void useWorkbench.getState().loadPrices(selected, text), 200);
    return () => clearTimeout(timer);
  }, [text, query, selected]);
  if (selected === null) return null;
  const provider = providers.find((item) => item.id === selected);
  return (
    <div className="price-table" data-testid="price-table">
      <div className="table-toolbar">
        <label htmlFor={`${id}-provider`} className="muted">
          Provider
        </label>
        <select id={`${id}-provider`} className="select" data-testid="price-provider" value={selected} onChange={(event) => setProviderId(Number(event.target.value))}>
          {providers.map((item) => (
            <option key={item.id} value={item.id}>
              {item.label}
            </option>
          ))}
        </select>
        <input type="search" className="table-filter" aria-label="Filter models" data-testid="price-filter" placeholder="Filter models" value={text} onChange={(event) => setText(event.target.value)} />
        <span className="spacer" />
        <span className="muted" title="Where catalog prices come from">
          {list?.catalog}
        </span>
      </div>
      {provider?.isLocal && <p className="field-note">{provider.label} is local: its models cost $0 unless you give one a price here.</p>}
      <table className="data-table">
        <thead>
          <tr>
            <th>Model</th>
            <th title="USD per million input tokens">Input / 1M</th>
            <th title="USD per million output tokens">Output / 1M</th>
            <th title="USD per million cached input tokens">Cached / 1M</th>
            <th>Source</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <NewPriceRow providerId={selected} />
          {list?.entries.map((entry) => (
            <PriceRow key={entry.model} entry={entry} />
          ))}
        </tbody>
      </table>
      {list && list.entries.length === 0 && <p className="empty-hint">{query.trim() === '' ? 'No prices for this provider yet.' : `No model matches “${query.trim()}”.`}</p>}
      {list?.isTruncated && <p className="field-note">Showing the first {PRICE_LIST_LIMIT}; filter to find others.</p>}
    </div>
  );
}
