/**
 * The compact editor of a list of assertions: per assertion its type, its own fields, and what
 * every type shares (label, weight, threshold, negation); add and remove. A problem the engine
 * would refuse is said under the assertion as soon as it is typed.
 */

import { useEffect, useId, useState } from 'react';
import { ProviderSelect } from '../../components/provider-select';
import { assertNever } from '../../../shared/assert-never';
import { MAX_ASSERTIONS } from '../../../shared/contract';
import { ASSERTION_TYPES, type Assertion, type AssertionType } from '../../../shared/eval-types';
import type { RunTarget } from '../../../shared/types';
import { Icon } from '../../components/icons';
import { IconButton } from '../../components/icon-button';
import { useWorkbench } from '../../store/workbench-store';
import { assertionOfType, assertionTypeLabel, defaultThreshold } from './assertion-text';
import { assertionProblem, JUDGE_PROVIDER_REMOVED_PROBLEM } from './case-rows';

/** Reads a number field: empty is "not set", anything else must be a finite number. */
function parseNumber(text: string): number | undefined | null {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** A number input that keeps what is typed (a lone "0." say) and reports only numbers. */
function NumberField({
  label,
  value,
  placeholder,
  onChange,
  testId,
  className,
}: {
  label: string;
  value: number | undefined;
  placeholder?: string;
  onChange: (value: number | undefined) => void;
  testId: string;
  className?: string;
}) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  useEffect(() => {
    // An outside change (another type picked) shows; our own parse of the same text does not reformat it.
    if (parseNumber(text) !== value) setText(value === undefined ? '' : String(value));
  }, [value]);
  const parsed = parseNumber(text);
  return (
    <label className={`assertion-field${className ? ` ${className}` : ''}`}>
      <span className="assertion-field-label">{label}</span>
      <input
        className="assertion-input tabular"
        inputMode="decimal"
        data-testid={testId}
        aria-invalid={parsed === null}
        placeholder={placeholder}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          const next = parseNumber(event.target.value);
          if (next !== null) onChange(next);
        }}
      />
    </label>
  );
}

/** A textarea of values, one per line; blank lines are dropped from the values, not from what is typed. */
function LinesField({ label, values, onChange, testId }: { label: string; values: string[]; onChange: (values: string[]) => void; testId: string }) {
  const [text, setText] = useState(values.join('\n'));
  useEffect(() => {
    const shown = text.split('\n').filter((line) => line !== '');
    if (JSON.stringify(shown) !== JSON.stringify(values)) setText(values.join('\n'));
  }, [values]);
  return (
    <label className="assertion-field is-wide">
      <span className="assertion-field-label">{label}</span>
      <textarea
        className="assertion-textarea"
        rows={Math.min(5, Math.max(2, values.length + 1))}
        data-testid={testId}
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          onChange(event.target.value.split('\n').filter((line) => line !== ''));
        }}
      />
    </label>
  );
}

function TextField({
  label,
  value,
  placeholder,
  onChange,
  testId,
  isMono = false,
  isSharingRow = false,
}: {
  label: string;
  value: string;
  placeholder?: string;
  onChange: (value: string) => void;
  testId: string;
  isMono?: boolean;
  /** Leaves room on its row for a small field after it. */
  isSharingRow?: boolean;
}) {
  return (
    <label className={`assertion-field ${isSharingRow ? 'is-grow' : 'is-wide'}`}>
      <span className="assertion-field-label">{label}</span>
      <input className={`assertion-input${isMono ? ' mono' : ''}`} data-testid={testId} spellCheck={false} placeholder={placeholder} value={value} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}

/** True when `assertion` is an LLM judge, the providers are known, and none is its judge's: it was removed (ids are never given out twice). */
function useIsJudgeProviderRemoved(assertion: Assertion): boolean {
  return useWorkbench(
    (state) => assertion.type === 'llm-judge' && state.isProvidersLoaded && !state.providers.some((provider) => provider.id === assertion.judge.providerId),
  );
}

function JudgeField({ judge, isRemoved, onChange }: { judge: RunTarget; isRemoved: boolean; onChange: (judge: RunTarget) => void }) {
  const id = useId();
  return (
    <div className="assertion-judge">
      <label className="assertion-field">
        <span className="assertion-field-label">Judge provider</span>
        <ProviderSelect
          className="select assertion-select"
          testId="assertion-judge-provider"
          value={judge.providerId}
          missingLabel="Removed provider"
          problemId={isRemoved ? `${id}-provider-problem` : undefined}
          onChange={(providerId) => onChange({ ...judge, providerId })}
        />
      </label>
      <label className="assertion-field is-wide" htmlFor={`${id}-model`}>
        <span className="assertion-field-label">Judge model</span>
        <input id={`${id}-model`} className="assertion-input" data-testid="assertion-judge-model" spellCheck={false} placeholder="e.g. gpt-4o-mini" value={judge.model} onChange={(event) => onChange({ ...judge, model: event.target.value })} />
      </label>
      {isRemoved && (
        <p className="assertion-problem" id={`${id}-provider-problem`} role="alert" data-testid="assertion-judge-problem">
          {JUDGE_PROVIDER_REMOVED_PROBLEM}
        </p>
      )}
    </div>
  );
}

/** The fields of an assertion's own type. */
function TypeFields({ assertion, isJudgeRemoved, onChange }: { assertion: Assertion; isJudgeRemoved: boolean; onChange: (next: Assertion) => void }) {
  switch (assertion.type) {
    case 'equals':
    case 'similarity':
      return (
        <TextField
          label="Value"
          value={assertion.value ?? ''}
          placeholder="empty: the case’s expected output"
          testId="assertion-value"
          onChange={(value) => onChange({ ...assertion, value: value === '' ? undefined : value })}
        />
      );
    case 'contains':
    case 'icontains':
    case 'starts-with':
      return <TextField label="Text" value={assertion.value} testId="assertion-value" onChange={(value) => onChange({ ...assertion, value })} />;
    case 'contains-any':
    case 'contains-all':
      return (
        <>
          <LinesField label="Values, one per line" values={assertion.values} testId="assertion-values" onChange={(values) => onChange({ ...assertion, values })} />
          <label className="check-label">
            <input type="checkbox" checked={assertion.isCaseInsensitive === true} onChange={(event) => onChange({ ...assertion, isCaseInsensitive: event.target.checked || undefined })} />
            ignore case
          </label>
        </>
      );
    case 'regex':
      return (
        <>
          <TextField label="Pattern" value={assertion.pattern} isMono isSharingRow testId="assertion-pattern" onChange={(pattern) => onChange({ ...assertion, pattern })} />
          <label className="assertion-field">
            <span className="assertion-field-label">Flags</span>
            <input className="assertion-input mono is-short" data-testid="assertion-flags" spellCheck={false} placeholder="i" value={assertion.flags ?? ''} onChange={(event) => onChange({ ...assertion, flags: event.target.value === '' ? undefined : event.target.value })} />
          </label>
        </>
      );
    case 'is-json':
      return <span className="muted assertion-note">The output must parse as JSON.</span>;
    case 'json-schema':
      return (
        <label className="assertion-field is-wide">
          <span className="assertion-field-label">JSON Schema</span>
          <textarea className="assertion-textarea mono" rows={4} data-testid="assertion-schema" spellCheck={false} value={assertion.schema} onChange={(event) => onChange({ ...assertion, schema: event.target.value })} />
        </label>
      );
    case 'word-count':
    case 'char-count':
      return (
        <>
          <NumberField label="Min" value={assertion.min} testId="assertion-min" onChange={(min) => onChange({ ...assertion, min })} />
          <NumberField label="Max" value={assertion.max} testId="assertion-max" onChange={(max) => onChange({ ...assertion, max })} />
        </>
      );
    case 'latency':
      return <NumberField label="At most (ms)" value={assertion.maxMs} testId="assertion-max-ms" onChange={(maxMs) => onChange({ ...assertion, maxMs: maxMs ?? 0 })} />;
    case 'cost':
      return <NumberField label="At most (USD)" value={assertion.maxUsd} testId="assertion-max-usd" onChange={(maxUsd) => onChange({ ...assertion, maxUsd: maxUsd ?? 0 })} />;
    case 'llm-judge':
      return (
        <>
          <label className="assertion-field is-wide">
            <span className="assertion-field-label">Rubric</span>
            <textarea
              className="assertion-textarea"
              rows={3}
              data-testid="assertion-rubric"
              placeholder="What a good answer does, e.g. “Answers the question politely and in under 50 words.”"
              value={assertion.rubric}
              onChange={(event) => onChange({ ...assertion, rubric: event.target.value })}
            />
          </label>
          <JudgeField judge={assertion.judge} isRemoved={isJudgeRemoved} onChange={(judge) => onChange({ ...assertion, judge })} />
        </>
      );
    default:
      return assertNever(assertion, 'assertion');
  }
}

/** The judge a new LLM-judge check starts with: the one in Settings, else the first model of the runs panel. */
function useStartingJudge(): RunTarget | null {
  return useWorkbench((state) => state.judge ?? state.runTargets[0] ?? null);
}

function AssertionItem({ assertion, index, onChange, onRemove }: { assertion: Assertion; index: number; onChange: (next: Assertion) => void; onRemove: () => void }) {
  const judge = useStartingJudge();
  const problem = assertionProblem(assertion);
  const isJudgeRemoved = useIsJudgeProviderRemoved(assertion);
  return (
    <li className={`assertion-item${problem === null && !isJudgeRemoved ? '' : ' has-problem'}`} data-testid="assertion-item" data-type={assertion.type}>
      <div className="assertion-head">
        <span className="assertion-index tabular">{index + 1}</span>
        <select
          className="select assertion-select"
          aria-label={`Type of check ${index + 1}`}
          data-testid="assertion-type"
          value={assertion.type}
          onChange={(event) => onChange(assertionOfType(event.target.value as AssertionType, assertion, judge))}
        >
          {ASSERTION_TYPES.map((type) => (
            <option key={type} value={type}>
              {assertionTypeLabel(type)}
            </option>
          ))}
        </select>
        <label className="check-label" title="Passes when the check fails, and the other way round">
          <input type="checkbox" data-testid="assertion-negate" checked={assertion.isNegated === true} onChange={(event) => onChange({ ...assertion, isNegated: event.target.checked || undefined })} />
          negate
        </label>
        <span className="spacer" />
        <IconButton icon="trash" label={`Remove check ${index + 1}`} testId="assertion-remove" onClick={onRemove} />
      </div>
      <div className="assertion-fields">
        <TypeFields assertion={assertion} isJudgeRemoved={isJudgeRemoved} onChange={onChange} />
      </div>
      <div className="assertion-fields is-common">
        <label className="assertion-field is-wide">
          <span className="assertion-field-label">Label</span>
          <input className="assertion-input" data-testid="assertion-label" placeholder="shown in results" value={assertion.label ?? ''} onChange={(event) => onChange({ ...assertion, label: event.target.value === '' ? undefined : event.target.value })} />
        </label>
        <NumberField label="Weight" className="is-short" value={assertion.weight} placeholder="1" testId="assertion-weight" onChange={(weight) => onChange({ ...assertion, weight })} />
        <NumberField
          label="Threshold"
          className="is-short"
          value={assertion.threshold}
          placeholder={String(defaultThreshold(assertion.type))}
          testId="assertion-threshold"
          onChange={(threshold) => onChange({ ...assertion, threshold })}
        />
      </div>
      {problem !== null && (
        <p className="assertion-problem" role="alert" data-testid="assertion-problem">
          {problem}
        </p>
      )}
    </li>
  );
}

/** Props of `AssertionEditor`. */
export interface AssertionEditorProps {
  assertions: Assertion[];
  onChange: (assertions: Assertion[]) => void;
  testId: string;
}

/** Every assertion of a case (or of the defaults), editable. */
export function AssertionEditor({ assertions, onChange, testId }: AssertionEditorProps) {
  const judge = useStartingJudge();
  const [typeToAdd, setTypeToAdd] = useState<AssertionType>('contains');
  return (
    <div className="assertion-editor" data-testid={testId}>
      {assertions.length > 0 && (
        <ol className="assertion-list">
          {assertions.map((assertion, index) => (
            <AssertionItem
              key={index}
              assertion={assertion}
              index={index}
              onChange={(next) => onChange(assertions.map((item, itemIndex) => (itemIndex === index ? next : item)))}
              onRemove={() => onChange(assertions.filter((_, itemIndex) => itemIndex !== index))}
            />
          ))}
        </ol>
      )}
      <div className="assertion-add">
        <select className="select assertion-select" aria-label="Type of the check to add" data-testid="assertion-add-type" value={typeToAdd} onChange={(event) => setTypeToAdd(event.target.value as AssertionType)}>
          {ASSERTION_TYPES.map((type) => (
            <option key={type} value={type}>
              {assertionTypeLabel(type)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button-small"
          data-testid="assertion-add"
          disabled={assertions.length >= MAX_ASSERTIONS}
          title={assertions.length >= MAX_ASSERTIONS ? `At most ${MAX_ASSERTIONS} checks` : undefined}
          onClick={() => onChange([...assertions, assertionOfType(typeToAdd, {}, judge)])}
        >
          <Icon name="plus" /> Add check
        </button>
      </div>
    </div>
  );
}
