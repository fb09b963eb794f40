/**
 * Prices per provider: the catalog's and the user's, per million tokens, each editable; a
 * model the catalog does not know gets a price of its own (else its runs show "no price").
 *
 * Every rate a run can be charged at has a column (input, output, cache reads, cache writes,
 * reasoning), tiers written out; the cache-write and reasoning columns show only when a model
 * in the list has such a rate, or when asked for ("All rates").
 */

import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PriceEntry, ResolvedPrice } from '../../../shared/types';
import { bridge } from '../../bridge/connection';
import { useWorkbench } from '../../store/workbench-store';
import { draftOf, EMPTY_DRAFT, errorsAfterChange, priceOf, withRatesOf, type DraftErrors, type PriceDraft } from './price-draft';
import { PRICE_LIST_LIMIT } from './pricing-slice';
import { priceChangeText, priceRatesText, priceSummary, RATE_NAMES, rateText, sourceLabel, type RateKey, type RateName } from './price-text';

/** A rate column of the table: the part of the price it shows and edits. */
interface RateColumn extends RateName {
  header: string;
  title: string;
  /** Whether the column shows even when no model in the list has the rate. */
  isAlwaysShown: boolean;
  inputLabel: string;
  inputTestId: string;
  cellTestId: string;
}

const TIER_HINT = 'tiers as “3, 6 above 200k”: the whole request at the rate of the largest input size it exceeds';

/** What each rate's column says and is known by, beside its name (`RATE_NAMES`, in the same order). */
const COLUMN_DETAILS: Record<RateKey, Omit<RateColumn, keyof RateName | 'header'>> = {
  input: { title: 'USD per million input tokens', isAlwaysShown: true, inputLabel: 'Input $ per 1M tokens', inputTestId: 'rate-input', cellTestId: 'price-input' },
  output: { title: 'USD per million output tokens (reasoning tokens too, unless the model has a reasoning rate)', isAlwaysShown: true, inputLabel: 'Output $ per 1M tokens', inputTestId: 'rate-output', cellTestId: 'price-output' },
  cachedInput: { title: 'USD per million input tokens read from the prompt cache; empty: the input rate', isAlwaysShown: true, inputLabel: 'Cached input $ per 1M tokens', inputTestId: 'rate-cached', cellTestId: 'price-cached' },
  cacheWrite: { title: 'USD per million input tokens written to the prompt cache; empty: the input rate', isAlwaysShown: false, inputLabel: 'Cache write $ per 1M tokens', inputTestId: 'rate-cache-write', cellTestId: 'price-cache-write' },
  reasoning: { title: 'USD per million reasoning tokens; empty: the output rate', isAlwaysShown: false, inputLabel: 'Reasoning $ per 1M tokens', inputTestId: 'rate-reasoning', cellTestId: 'price-reasoning' },
};

const RATE_COLUMNS: readonly RateColumn[] = RATE_NAMES.map((rate) => ({ ...rate, header: `${rate.name} / 1M`, ...COLUMN_DETAILS[rate.key] }));

/** Enter submits and Escape cancels, from any field of a row being edited. */
function rowKeys(onSubmit: () => void, onCancel: () => void): (event: KeyboardEvent) => void {
  return (event) => {
    // Enter that ends an input method's composition is the composition's.
    if (event.key === 'Enter' && !event.nativeEvent.isComposing) onSubmit();
    if (event.key === 'Escape') onCancel();
  };
}

/**
 * A row's refused save: `refuse` sends the focus to the row's first invalid field once the
 * errors show (after the render that marks them).
 */
function useFocusOnRefusal(): { rowRef: RefObject<HTMLTableRowElement | null>; refuse: () => void } {
  const rowRef = useRef<HTMLTableRowElement>(null);
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) rowRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);
  return { rowRef, refuse: () => setRefusals((count) => count + 1) };
}

/**
 * A field's error, under the field and as wide as its cell (it never widens the column). Read
 * out with its field, which takes the focus; a note that moves no focus is announced instead.
 */
function FieldError({ id, field, text, isAnnounced = false }: { id: string; field: string; text: string | undefined; isAnnounced?: boolean }) {
  if (text === undefined) return null;
  return (
    <span className="field-error cell-error" id={id} role={isAnnounced ? 'status' : undefined} data-testid="price-error" data-field={field}>
      {text}
    </span>
  );
}

interface RateInputsProps {
  columns: readonly RateColumn[];
  draft: PriceDraft;
  errors: DraftErrors;
  onChange: (draft: PriceDraft) => void;
  onKeyDown: (event: KeyboardEvent) => void;
  /** True when the inputs replace a row's figures (Edit): the first one takes the focus. */
  isFocusedOnMount?: boolean;
}

function RateInputs({ columns, draft, errors, onChange, onKeyDown, isFocusedOnMount = false }: RateInputsProps) {
  const id = useId();
  return (
    <>
      {columns.map((column, index) => {
        const error = errors[column.key];
        return (
          <td key={column.key} data-label={column.header}>
            <input
              className="rate-input"
              aria-label={column.inputLabel}
              aria-invalid={error !== undefined}
              aria-describedby={error === undefined ? undefined : `${id}-${column.key}`}
              data-testid={column.inputTestId}
              inputMode="decimal"
              spellCheck={false}
              title={`${column.title}; ${TIER_HINT}`}
              placeholder={column.fallback ?? undefined}
              value={draft[column.key]}
              onChange={(event) => onChange({ ...draft, [column.key]: event.target.value })}
              onKeyDown={onKeyDown}
              autoFocus={isFocusedOnMount && index === 0}
            />
            <FieldError id={`${id}-${column.key}`} field={column.key} text={error} />
          </td>
        );
      })}
    </>
  );
}

function PriceRow({ entry, columns }: { entry: PriceEntry; columns: readonly RateColumn[] }) {
  const [draft, setDraft] = useState<PriceDraft | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const { rowRef, refuse } = useFocusOnRefusal();
  const editButtonRef = useRef<HTMLButtonElement>(null);
  /** Set when editing ends with the focus in the row, so it goes back to Edit rather than to the page. */
  const isReturningFocus = useRef(false);
  useEffect(() => {
    if (draft !== null || !isReturningFocus.current) return;
    isReturningFocus.current = false;
    editButtonRef.current?.focus();
  }, [draft]);
  const stopEditing = () => {
    isReturningFocus.current = rowRef.current?.contains(document.activeElement) ?? false;
    setDraft(null);
    setErrors({});
  };
  const save = async () => {
    if (draft === null) return;
    const parsed = priceOf(draft, entry.price);
    if ('errors' in parsed) {
      setErrors(parsed.errors);
      return refuse();
    }
    const change = await useWorkbench.getState().overridePrice(entry.providerId, entry.model, parsed.price);
    if (change !== null) {
      stopEditing();
      useWorkbench.getState().showToast('info', priceChangeText(entry.model, 'saved', change));
    }
  };
  const reset = async () => {
    const change = await useWorkbench.getState().overridePrice(entry.providerId, entry.model, null);
    if (change !== null) useWorkbench.getState().showToast('info', priceChangeText(entry.model, 'reset', change));
  };
  const change = (next: PriceDraft) => {
    setDraft(next);
    setErrors(errorsAfterChange(errors, next, entry.price));
  };
  return (
    <tr ref={rowRef} data-testid="price-row" data-model={entry.model} className={draft ? 'is-editing' : undefined}>
      <td className="model-id" title={entry.name ?? undefined}>
        {entry.model}
      </td>
      {draft ? (
        <RateInputs columns={columns} draft={draft} errors={errors} onChange={change} onKeyDown={rowKeys(() => void save(), stopEditing)} isFocusedOnMount />
      ) : (
        columns.map((column) => {
          const rate = entry.price[column.key];
          return (
            <td key={column.key} className="tabular" data-testid={column.cellTestId} data-label={column.header}>
              {rate === null ? <span className="muted">{column.fallback}</span> : rateText(rate)}
            </td>
          );
        })
      )}
      <td data-label="Source">
        <span className={`badge source-${entry.source}`} data-testid="price-source" title={entry.source === 'override' && entry.catalogPrice ? `Catalog: ${priceRatesText(entry.catalogPrice)}` : undefined}>
          {sourceLabel(entry.source)}
        </span>
      </td>
      <td className="row-actions">
        {draft ? (
          <>
            <button type="button" className="link-button" data-testid="price-save" onClick={() => void save()}>
              Save
            </button>
            <button type="button" className="link-button is-quiet" onClick={stopEditing}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button ref={editButtonRef} type="button" className="link-button" data-testid="price-edit" onClick={() => setDraft(draftOf(entry.price))}>
              Edit
            </button>
            {entry.source === 'override' && (
              <button type="button" className="link-button is-quiet" data-testid="price-reset" title={entry.catalogPrice ? 'Back to the catalog price' : 'Remove your price'} onClick={() => void reset()}>
                {entry.catalogPrice ? 'Reset' : 'Remove'}
              </button>
            )}
          </>
        )}
        <ActionsSizer />
      </td>
    </tr>
  );
}

/**
 * The room of the widest actions a row can show (Save Cancel, Edit Remove), kept in every row
 * without being seen, so starting or ending an edit moves no column.
 */
function ActionsSizer() {
  return (
    <span className="row-actions-sizer" aria-hidden="true">
      <span>
        <span className="link-button">Save</span>
        <span className="link-button">Cancel</span>
      </span>
      <span>
        <span className="link-button">Edit</span>
        <span className="link-button">Remove</span>
      </span>
    </span>
  );
}

function NewPriceRow({ providerId, columns }: { providerId: number; columns: readonly RateColumn[] }) {
  const [model, setModel] = useState('');
  const [draft, setDraft] = useState<PriceDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<DraftErrors>({});
  /** What the model field says: that it is empty, or that Add again replaces the model's price. */
  const [modelNote, setModelNote] = useState<{ text: string; isError: boolean } | null>(null);
  /** The model whose own price the user was told Add would replace: a second Add replaces it. */
  const [replacing, setReplacing] = useState<string | null>(null);
  const { rowRef, refuse } = useFocusOnRefusal();
  const id = useId();
  const clear = () => {
    setModel('');
    setDraft(EMPTY_DRAFT);
    setErrors({});
    setModelNote(null);
    setReplacing(null);
  };
  const add = async () => {
    const modelId = model.trim();
    const parsed = priceOf(draft, null);
    // Every field's error at once: the model id's and each rate's.
    if (modelId === '' || 'errors' in parsed) {
      setModelNote(modelId === '' ? { text: 'Type the model id', isError: true } : null);
      setErrors('errors' in parsed ? parsed.errors : {});
      return refuse();
    }
    // A model that has a price already: the user's own is replaced only when asked twice; the catalog's gives way, and the toast says so.
    let current: ResolvedPrice | null = null;
    try {
      current = await bridge().call('pricing:resolve', { providerId, model: modelId });
    } catch {
      // Unknown then: the price is saved as asked.
    }
    if (current?.source === 'override' && replacing !== modelId) {
      setReplacing(modelId);
      return setModelNote({ text: `${modelId} has your price already (${priceSummary(current)} per 1M): Add again to replace it`, isError: false });
    }
    const change = await useWorkbench.getState().overridePrice(providerId, modelId, withRatesOf(parsed.price, current?.price ?? null));
    if (change !== null) {
      useWorkbench.getState().showToast('info', priceChangeText(modelId, current?.source === 'override' ? 'replaced' : 'added', change));
      clear();
    }
  };
  const onKeyDown = rowKeys(() => void add(), clear);
  return (
    <tr ref={rowRef} className="new-price-row" data-testid="new-price-row">
      <td>
        <input
          className="rate-input model-input"
          aria-label="Model id"
          aria-invalid={modelNote?.isError === true}
          aria-describedby={modelNote === null ? undefined : `${id}-model`}
          data-testid="new-price-model"
          placeholder="Price another model: its id"
          spellCheck={false}
          value={model}
          onChange={(event) => {
            setModel(event.target.value);
            setReplacing(null);
            if (modelNote !== null && (!modelNote.isError || event.target.value.trim() !== '')) setModelNote(null);
          }}
          onKeyDown={onKeyDown}
        />
        <FieldError id={`${id}-model`} field="model" text={modelNote?.text} isAnnounced={modelNote?.isError === false} />
      </td>
      <RateInputs
        columns={columns}
        draft={draft}
        errors={errors}
        onChange={(next) => {
          setDraft(next);
          setErrors(errorsAfterChange(errors, next, null));
        }}
        onKeyDown={onKeyDown}
      />
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
  /** Shows the rate columns no model in the list fills, to give a model such a rate. */
  const [isShowingEveryRate, setShowingEveryRate] = useState(false);
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
  const entries = list?.entries ?? [];
  const isFilled = (column: RateColumn) => column.isAlwaysShown || entries.some((entry) => entry.price[column.key] !== null);
  const hasHiddenRates = RATE_COLUMNS.some((column) => !isFilled(column));
  const columns = RATE_COLUMNS.filter((column) => isShowingEveryRate || isFilled(column));
  const isReasoningShown = columns.some((column) => column.key === 'reasoning');
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
        {(hasHiddenRates || isShowingEveryRate) && (
          <button
            type="button"
            className="link-button is-quiet"
            data-testid="price-every-rate"
            aria-pressed={isShowingEveryRate}
            title={isShowingEveryRate ? 'Hide the rate columns no model here has' : 'Show the rate columns no model here has, to give a model such a rate'}
            onClick={() => setShowingEveryRate(!isShowingEveryRate)}
          >
            {isShowingEveryRate ? 'Fewer rates' : 'All rates'}
          </button>
        )}
        <span className="spacer" />
        <span className="muted" title="Where catalog prices come from">
          {list?.catalog}
        </span>
      </div>
      {provider?.isLocal && <p className="field-note">{provider.label} is local: its models cost $0 unless you give one a price here.</p>}
      <table className="data-table is-stackable">
        <thead>
          <tr>
            <th>Model</th>
            {columns.map((column) => (
              <th key={column.key} title={column.title} data-testid="price-column">
                {column.header}
              </th>
            ))}
            <th>Source</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <NewPriceRow providerId={selected} columns={columns} />
          {entries.map((entry) => (
            <PriceRow key={entry.model} entry={entry} columns={columns} />
          ))}
        </tbody>
      </table>
      {list && list.entries.length === 0 && <p className="empty-hint">{query.trim() === '' ? 'No prices for this provider yet.' : `No model matches “${query.trim()}”.`}</p>}
      {list?.isTruncated && <p className="field-note">Showing the first {PRICE_LIST_LIMIT}; filter to find others.</p>}
      {!isReasoningShown && (
        <p className="field-note" data-testid="price-reasoning-note">
          Reasoning tokens are billed at the output rate: no price here has a reasoning rate of its own.
        </p>
      )}
    </div>
  );
}
