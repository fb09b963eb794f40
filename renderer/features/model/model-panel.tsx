/**
 * Model: the model id and sampling parameters of the draft, validated as they are typed.
 *
 * A field keeps its own text while it is invalid, so a half-typed number is never thrown away;
 * the draft only takes values that pass the same bounds the engine checks.
 */

import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { REASONING_EFFORTS } from '../../../shared/contract';
import type { ModelParameters, ReasoningEffort } from '../../../shared/types';
import { IconButton } from '../../components/icon-button';
import { useWorkbench } from '../../store/workbench-store';

type NumberParameter = 'temperature' | 'maxTokens' | 'topP';

interface NumberRule {
  label: string;
  hint: string;
  min: number;
  max: number;
  isInteger: boolean;
  step: number;
}

const RULES: Record<NumberParameter, NumberRule> = {
  temperature: { label: 'Temperature', hint: '0 – 2', min: 0, max: 2, isInteger: false, step: 0.1 },
  maxTokens: { label: 'Max tokens', hint: 'whole number ≥ 1', min: 1, max: 10_000_000, isInteger: true, step: 1 },
  topP: { label: 'Top-p', hint: '0 – 1', min: 0, max: 1, isInteger: false, step: 0.05 },
};

/** Parses a parameter field; empty means "provider default". */
export function parseNumberParameter(text: string, rule: NumberRule): { value: number | undefined } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: undefined };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: `${rule.label} must be a number` };
  if (rule.isInteger && !Number.isInteger(value)) return { error: `${rule.label} must be a whole number` };
  if (value < rule.min || value > rule.max) return { error: `${rule.label} must be between ${rule.min} and ${rule.max}` };
  return { value };
}

function NumberField({ name, value, promptId }: { name: NumberParameter; value: number | undefined; promptId: number | null }) {
  const rule = RULES[name];
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // Only an outside change (another prompt, a restore) replaces the text: "0." stays as typed.
    setText((current) => {
      const parsed = parseNumberParameter(current, rule);
      if ('value' in parsed && parsed.value === value) return current;
      setError(null);
      return value === undefined ? '' : String(value);
    });
  }, [promptId, value, rule]);
  return (
    <div className={`form-field${error ? ' has-error' : ''}`} data-testid={`param-${name}`}>
      <label htmlFor={`param-${name}`}>
        {rule.label} <span className="field-hint">{rule.hint}</span>
      </label>
      <input
        id={`param-${name}`}
        inputMode={rule.isInteger ? 'numeric' : 'decimal'}
        placeholder="default"
        value={text}
        aria-invalid={error !== null}
        aria-describedby={error ? `param-${name}-error` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          const parsed = parseNumberParameter(event.target.value, rule);
          if ('error' in parsed) {
            setError(parsed.error);
          } else {
            setError(null);
            useWorkbench.getState().setParameter(name, parsed.value);
          }
        }}
      />
      {error && (
        <span className="field-error" id={`param-${name}-error`} data-testid="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** What the Reasoning select calls each effort; `none` reads as "Off" because that is what it does. */
const EFFORT_LABELS: Record<ReasoningEffort, string> = { none: 'Off', low: 'Low', medium: 'Medium', high: 'High' };

function ReasoningField({ value }: { value: ReasoningEffort | undefined }) {
  return (
    <div className="form-field" data-testid="param-reasoningEffort">
      <label htmlFor="param-reasoningEffort">
        Reasoning <span className="field-hint">for thinking models</span>
      </label>
      <select
        id="param-reasoningEffort"
        className="select"
        value={value ?? ''}
        onChange={(event) => {
          // '' is "Model default": the key is dropped so the request leaves the model to decide.
          const selected = REASONING_EFFORTS.find((effort) => effort === event.target.value);
          useWorkbench.getState().setParameter('reasoningEffort', selected);
        }}
      >
        <option value="">Model default</option>
        {REASONING_EFFORTS.map((effort) => (
          <option key={effort} value={effort}>
            {EFFORT_LABELS[effort]}
          </option>
        ))}
      </select>
    </div>
  );
}

function StopSequences({ stop }: { stop: string[] }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    if (text === '') return;
    if (text.length > 200) return setError('A stop sequence is at most 200 characters');
    if (stop.length >= 16) return setError('At most 16 stop sequences');
    if (stop.includes(text)) return setError('Already in the list');
    setError(null);
    setText('');
    useWorkbench.getState().setParameter('stop', [...stop, text]);
  };
  const remove = (item: string) => {
    const next = stop.filter((value) => value !== item);
    useWorkbench.getState().setParameter('stop', next.length > 0 ? next : undefined);
  };
  return (
    <div className={`form-field${error ? ' has-error' : ''}`} data-testid="param-stop">
      <label htmlFor="param-stop">
        Stop sequences <span className="field-hint">Enter to add</span>
      </label>
      {stop.length > 0 && (
        <ul className="chips">
          {stop.map((item) => (
            <li key={item} className="chip" data-testid="stop-chip">
              <code>{JSON.stringify(item).slice(1, -1)}</code>
              <IconButton icon="close" label={`Remove ${JSON.stringify(item)}`} onClick={() => remove(item)} />
            </li>
          ))}
        </ul>
      )}
      <input
        id="param-stop"
        placeholder="e.g. ###"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            add();
          }
        }}
      />
      {error && (
        <span className="field-error" data-testid="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

function ModelIdField({ model, promptId }: { model: string; promptId: number | null }) {
  const [text, setText] = useState(model);
  useEffect(() => setText((current) => (current.trim() === model ? current : model)), [promptId, model]);
  const error = text.trim() === '' ? null : text.length > 200 ? 'At most 200 characters' : /\s/.test(text.trim()) ? 'A model id has no spaces' : null;
  return (
    <div className={`form-field${error ? ' has-error' : ''}`}>
      <label htmlFor="param-model">
        Model <span className="field-hint">provider/model</span>
      </label>
      <input
        id="param-model"
        data-testid="model-id"
        placeholder="openai/gpt-4o-mini"
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          const value = event.target.value.trim();
          if (value.length <= 200 && !/\s/.test(value)) useWorkbench.getState().setModelId(value);
        }}
      />
      {error && (
        <span className="field-error" data-testid="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** The Model tab. */
export function ModelPanel() {
  const { model, parameters, promptId } = useWorkbench(
    useShallow((state) => ({ model: state.model, parameters: state.parameters as ModelParameters, promptId: state.currentPrompt?.id ?? null })),
  );
  return (
    <div className="model-panel" data-testid="model-panel">
      <div className="panel-subheader">
        <span className="section-title">Model</span>
      </div>
      <ModelIdField model={model} promptId={promptId} />
      <div className="panel-subheader">
        <span className="section-title">Parameters</span>
        <span className="muted">empty = provider default</span>
      </div>
      <div className="form-grid">
        <NumberField name="temperature" value={parameters.temperature} promptId={promptId} />
        <NumberField name="topP" value={parameters.topP} promptId={promptId} />
      </div>
      <NumberField name="maxTokens" value={parameters.maxTokens} promptId={promptId} />
      <ReasoningField value={parameters.reasoningEffort} />
      <StopSequences stop={parameters.stop ?? []} />
    </div>
  );
}
