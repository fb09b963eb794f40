/**
 * "+ Model": picks a provider and one of its models (listed by "Test connection", or typed),
 * and adds it as a column. Enter adds and keeps the picker open for the next one; Esc closes.
 */

import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { ProviderSelect } from '../../components/provider-select';
import { useShallow } from 'zustand/react/shallow';
import { MAX_RUN_TARGETS } from '../../../shared/contract';
import { Icon } from '../../components/icons';
import { countOf, formatBytes } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { knownModels } from '../providers/providers-slice';

function PickerForm({ onClose }: { onClose: () => void }) {
  const { providers, tests, targetCount } = useWorkbench(
    useShallow((state) => ({ providers: state.providers, tests: state.providerTests, targetCount: state.runTargets.length })),
  );
  const [providerId, setProviderId] = useState<number | null>(() => providers[0]?.id ?? null);
  const [model, setModel] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const [isAbove, setIsAbove] = useState(false);
  const listId = useId();
  useEffect(() => inputRef.current?.focus(), []);
  // The runs toolbar sits low in the window (at its bottom when nothing ran yet): the picker opens upwards when it would not fit below.
  useLayoutEffect(() => {
    const popover = popoverRef.current;
    if (popover !== null && popover.getBoundingClientRect().bottom > window.innerHeight - 8) setIsAbove(true);
  }, []);

  const models = providerId === null ? [] : knownModels(tests, providerId);
  const test = providerId === null ? undefined : tests[providerId];
  const provider = providers.find((item) => item.id === providerId);

  const add = () => {
    const trimmed = model.trim();
    if (providerId === null) return setMessage('Add a provider in Settings first');
    if (trimmed === '') return setMessage('Type or pick a model id');
    const state = useWorkbench.getState();
    if (state.runTargets.some((target) => target.providerId === providerId && target.model === trimmed)) return setMessage('Already a column');
    if (state.runTargets.length >= MAX_RUN_TARGETS) return setMessage(`At most ${MAX_RUN_TARGETS} models`);
    state.addRunTarget({ providerId, model: trimmed });
    setModel('');
    setMessage(`Added ${trimmed}`);
    inputRef.current?.focus();
  };

  let listState = 'Not listed yet';
  if (test?.kind === 'testing') listState = 'Listing…';
  else if (test?.kind === 'failed') listState = test.message;
  else if (test?.kind === 'cancelled') listState = 'Listing cancelled';
  else if (test?.kind === 'done') listState = test.result.isOk ? countOf(test.result.models.length, 'model') : test.result.message;

  return (
    <div
      ref={popoverRef}
      className={`popover model-picker${isAbove ? ' is-above' : ''}`}
      role="dialog"
      aria-label="Add a model"
      data-testid="model-picker"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="form-field">
        <label htmlFor={`${listId}-provider`}>Provider</label>
        <ProviderSelect
          id={`${listId}-provider`}
          testId="picker-provider"
          value={providerId}
          onChange={(id) => {
            setProviderId(id);
            setMessage(null);
          }}
        />
      </div>
      <div className="form-field">
        <label htmlFor={`${listId}-model`}>
          Model <span className="field-hint">{countOf(targetCount, 'column')} so far</span>
        </label>
        <input
          ref={inputRef}
          id={`${listId}-model`}
          data-testid="picker-model"
          list={`${listId}-models`}
          placeholder={models[0]?.id ?? 'model id, e.g. gpt-4o-mini'}
          spellCheck={false}
          autoComplete="off"
          value={model}
          onChange={(event) => {
            setModel(event.target.value);
            setMessage(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
        <datalist id={`${listId}-models`}>
          {models.map((item) => (
            <option key={item.id} value={item.id}>
              {[item.label, item.sizeBytes === undefined ? null : formatBytes(item.sizeBytes), item.quantization].filter(Boolean).join(' · ')}
            </option>
          ))}
        </datalist>
      </div>
      <div className="picker-list-row">
        <button
          type="button"
          className="button button-small"
          data-testid="picker-list-models"
          disabled={providerId === null || test?.kind === 'testing'}
          onClick={() => providerId !== null && void useWorkbench.getState().testProvider(providerId)}
        >
          List models
        </button>
        <span className={`picker-list-state${test?.kind === 'failed' || (test?.kind === 'done' && !test.result.isOk) ? ' is-error' : ''}`} data-testid="picker-list-state" title={listState}>
          {provider ? listState : ''}
        </span>
      </div>
      <div className="picker-footer">
        <span className="muted" data-testid="picker-message">
          {message ?? 'Enter adds · Esc closes'}
        </span>
        <button type="button" className="button button-primary" data-testid="picker-add" onClick={add}>
          <Icon name="plus" /> Add
        </button>
      </div>
    </div>
  );
}

/** The "+ Model" button and its picker. */
export function ModelPicker() {
  const [isOpen, setOpen] = useState(false);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!isOpen) return undefined;
    const onPointerDown = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [isOpen]);
  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  return (
    <div className="popover-anchor" ref={wrapperRef}>
      <button
        ref={buttonRef}
        type="button"
        className="button button-small"
        data-testid="add-model"
        aria-expanded={isOpen}
        aria-haspopup="dialog"
        onClick={() => setOpen(!isOpen)}
      >
        <Icon name="plus" /> Model
      </button>
      {isOpen && <PickerForm onClose={close} />}
    </div>
  );
}
