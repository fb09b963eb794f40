/**
 * Model: the model id, sampling parameters and response format of the draft, validated as they
 * are typed.
 *
 * A field keeps its own text while it is invalid, so a half-typed number (or schema) is never
 * thrown away; the draft only takes values that pass the same bounds the engine checks.
 */

import { Editor, type OnMount } from '@monaco-editor/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { assertNever } from '../../../shared/assert-never';
import { REASONING_EFFORTS } from '../../../shared/contract';
import type { ModelParameters, ReasoningEffort, ResponseFormat, ResponseFormatKind } from '../../../shared/types';
import { IconButton } from '../../components/icon-button';
import type { monaco } from '../../monaco/monaco-api';
import { JSON_LANGUAGE, setJsonMarker } from '../../monaco/json-language';
import { useWorkbench } from '../../store/workbench-store';
import { BLOCK_EDITOR_OPTIONS } from '../editor/editor-options';
import { useMonacoTheme } from '../settings/use-theme';
import { NUMBER_RULES, parseNumberParameter, type NumberParameter } from './parameter-text';
import { readSchemaText, schemaNameProblem, STARTER_SCHEMA, STARTER_SCHEMA_NAME, unparsedSchemaProblem } from './response-format-text';

/**
 * A number parameter. Text its rule refuses is kept by the draft slice (`refusedParameters`,
 * in the journal too) while the draft keeps the last value allowed, so it is shown again, with
 * its problem, after a tab switch or a reload; runs of the draft are refused meanwhile.
 */
function NumberField({ name, value, refused, promptId }: { name: NumberParameter; value: number | undefined; refused: string | undefined; promptId: number | null }) {
  const rule = NUMBER_RULES[name];
  const [text, setText] = useState(refused ?? (value === undefined ? '' : String(value)));
  useEffect(() => {
    // Only an outside change (another prompt, a restore) replaces the text: "0." stays as typed.
    setText((current) => {
      if (refused !== undefined) return refused;
      const parsed = parseNumberParameter(current, rule);
      if ('value' in parsed && parsed.value === value) return current;
      return value === undefined ? '' : String(value);
    });
  }, [promptId, value, refused, rule]);
  const parsed = parseNumberParameter(text, rule);
  const error = 'error' in parsed ? parsed.error : null;
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
          const next = parseNumberParameter(event.target.value, rule);
          if ('error' in next) useWorkbench.getState().setRefusedParameter(name, event.target.value);
          else useWorkbench.getState().setParameter(name, next.value);
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

/** The choices of the Response format select, in its order. */
const FORMAT_KINDS: { kind: ResponseFormatKind; label: string }[] = [
  { kind: 'text', label: 'Text' },
  { kind: 'json_object', label: 'JSON object' },
  { kind: 'json_schema', label: 'JSON schema' },
];

/** The schema editor's height for its text's: it grows with it from a few lines, then scrolls. */
function schemaHeight(contentHeight: number): number {
  return Math.min(360, Math.max(120, contentHeight));
}

/** The schema as the editor shows it. */
function schemaText(schema: Record<string, unknown>): string {
  return JSON.stringify(schema, null, 2);
}

const SCHEMA_EDITOR_OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  ...BLOCK_EDITOR_OPTIONS,
  ariaLabel: 'JSON schema of the answer',
  matchBrackets: 'always',
  folding: true,
};

/** Marks where a schema's text fails to parse, if it does. */
function markSchemaProblem(model: monaco.editor.ITextModel): void {
  const result = readSchemaText(model.getValue());
  setJsonMarker(model, result.ok || result.place === null ? null : { message: result.problem, ...result.place });
}

/**
 * The JSON schema of a `json_schema` format: a Monaco editor (JSON colouring, the parse problem
 * marked), its problem under it. While the text does not parse, the draft keeps the last schema
 * that did and runs of the draft are refused (`responseFormatProblem`); the text itself is kept
 * apart (`unparsedSchema`), and shown again when the prompt is opened again.
 */
function SchemaEditor({ text, promptId, problem }: { text: string; promptId: number | null; problem: string | null }) {
  const theme = useMonacoTheme();
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [initial] = useState(text);
  const [height, setHeight] = useState(() => schemaHeight(initial.split('\n').length * 20 + 16));

  const onMount = useCallback<OnMount>((editor) => {
    editorRef.current = editor;
    const model = editor.getModel();
    if (!model) return;
    markSchemaProblem(model);
    editor.onDidContentSizeChange((event) => {
      if (event.contentHeightChanged) setHeight(schemaHeight(event.contentHeight));
    });
    editor.onDidChangeModelContent(() => {
      markSchemaProblem(model);
      useWorkbench.getState().setSchemaText(model.getValue());
    });
  }, []);

  useEffect(() => {
    // Only an outside change (a restore, another window) replaces the text: what is typed stays as typed.
    const model = editorRef.current?.getModel();
    if (!model || model.getValue() === text) return;
    const current = readSchemaText(model.getValue());
    const shown = readSchemaText(text);
    if (current.ok && shown.ok && JSON.stringify(current.schema) === JSON.stringify(shown.schema)) return;
    model.setValue(text);
  }, [text]);

  return (
    <div className={`form-field${problem ? ' has-error' : ''}`} data-testid="schema-field">
      <span className="field-label" id="schema-editor-label">
        Schema <span className="field-hint">JSON Schema of the answer</span>
      </span>
      <div className="schema-editor" style={{ height }} data-testid="schema-editor" aria-labelledby="schema-editor-label">
        <Editor
          path={`schema-${promptId ?? 'none'}.json`}
          defaultValue={initial}
          defaultLanguage={JSON_LANGUAGE}
          theme={theme}
          options={SCHEMA_EDITOR_OPTIONS}
          onMount={onMount}
          loading={<div className="editor-loading" />}
        />
      </div>
      {problem && (
        <span className="field-error" data-testid="schema-error">
          {problem}
        </span>
      )}
    </div>
  );
}

/**
 * The Response format select, and for a JSON schema its name and schema. A name the rule refuses
 * and schema text that does not parse are kept by the draft slice (`refusedSchemaName`,
 * `unparsedSchema`), which also says why the format cannot be sent.
 */
function ResponseFormatField({
  format,
  unparsedSchema,
  refusedSchemaName,
  promptId,
}: {
  format: ResponseFormat | undefined;
  unparsedSchema: string | null;
  refusedSchemaName: string | null;
  promptId: number | null;
}) {
  const kind: ResponseFormatKind = format?.type ?? 'text';
  const schemaFormat = format?.type === 'json_schema' ? format : null;
  const schemaProblem = useMemo(() => unparsedSchemaProblem(unparsedSchema), [unparsedSchema]);
  const nameProblem = schemaFormat === null || refusedSchemaName === null ? null : schemaNameProblem(refusedSchemaName);

  const choose = (next: ResponseFormatKind) => {
    const { setResponseFormat } = useWorkbench.getState();
    switch (next) {
      case 'text':
        return setResponseFormat(undefined);
      case 'json_object':
        return setResponseFormat({ type: 'json_object' });
      case 'json_schema':
        return setResponseFormat({ type: 'json_schema', name: STARTER_SCHEMA_NAME, schema: STARTER_SCHEMA });
      default:
        return assertNever(next, 'response format');
    }
  };

  return (
    <>
      <div className="form-field" data-testid="param-responseFormat">
        <label htmlFor="param-responseFormat">
          Response format <span className="field-hint">{kind === 'json_object' ? 'any JSON object; ask for JSON in the messages too' : kind === 'json_schema' ? 'JSON held to the schema' : 'plain text'}</span>
        </label>
        <select id="param-responseFormat" className="select" data-testid="response-format" value={kind} onChange={(event) => choose(event.target.value as ResponseFormatKind)}>
          {FORMAT_KINDS.map((item) => (
            <option key={item.kind} value={item.kind}>
              {item.label}
            </option>
          ))}
        </select>
      </div>
      {schemaFormat !== null && (
        <>
          <div className="schema-name-row">
            <div className={`form-field${nameProblem ? ' has-error' : ''}`} data-testid="param-schemaName">
              <label htmlFor="param-schemaName">
                Schema name <span className="field-hint">ASCII letters, digits, _ or -</span>
              </label>
              <input
                id="param-schemaName"
                data-testid="schema-name"
                spellCheck={false}
                value={refusedSchemaName ?? schemaFormat.name}
                aria-invalid={nameProblem !== null}
                onChange={(event) => useWorkbench.getState().setSchemaName(event.target.value)}
              />
              {nameProblem && (
                <span className="field-error" data-testid="field-error">
                  {nameProblem}
                </span>
              )}
            </div>
            <label
              className="check-label schema-strict"
              title="On: the answer is held to the schema (OpenAI’s strict mode, which wants every property required and additionalProperties false). Off: the schema guides the answer but is not enforced. Anthropic and Ollama always hold the answer to it."
            >
              <input
                type="checkbox"
                data-testid="schema-strict"
                checked={schemaFormat.isStrict !== false}
                onChange={(event) => useWorkbench.getState().setResponseFormat({ type: 'json_schema', name: schemaFormat.name, schema: schemaFormat.schema, ...(!event.target.checked && { isStrict: false }) })}
              />
              Strict
            </label>
          </div>
          <SchemaEditor key={promptId ?? 'none'} text={unparsedSchema ?? schemaText(schemaFormat.schema)} promptId={promptId} problem={schemaProblem} />
        </>
      )}
    </>
  );
}

/** The Model tab. */
export function ModelPanel() {
  const { model, parameters, responseFormat, unparsedSchema, refusedSchemaName, refusedParameters, promptId } = useWorkbench(
    useShallow((state) => ({
      model: state.model,
      parameters: state.parameters as ModelParameters,
      responseFormat: state.responseFormat,
      unparsedSchema: state.unparsedSchema,
      refusedSchemaName: state.refusedSchemaName,
      refusedParameters: state.refusedParameters,
      promptId: state.currentPrompt?.id ?? null,
    })),
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
        <NumberField name="temperature" value={parameters.temperature} refused={refusedParameters.temperature} promptId={promptId} />
        <NumberField name="topP" value={parameters.topP} refused={refusedParameters.topP} promptId={promptId} />
      </div>
      <NumberField name="maxTokens" value={parameters.maxTokens} refused={refusedParameters.maxTokens} promptId={promptId} />
      <ReasoningField value={parameters.reasoningEffort} />
      <StopSequences stop={parameters.stop ?? []} />
      <div className="panel-subheader">
        <span className="section-title">Output</span>
      </div>
      <ResponseFormatField format={responseFormat} unparsedSchema={unparsedSchema} refusedSchemaName={refusedSchemaName} promptId={promptId} />
    </div>
  );
}
