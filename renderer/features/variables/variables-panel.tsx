/**
 * Variables: one field per variable the messages use, values no message uses, and a live
 * preview of the rendered messages with missing values flagged.
 */

import { memo, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { collectVariables, findBlankVariables, findLiteralPlaceholders, isEmptyMessage, renderMessages, scanTemplate } from '../../../shared/template';
import type { PromptMessage } from '../../../shared/types';
import { IconButton } from '../../components/icon-button';
import { InlineRename } from '../../components/inline-rename';
import { countOf, formatNumber } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { blankVariablesNotice, literalPlaceholderNotices } from './literal-placeholder-text';

/** How much of each rendered message the preview shows. */
const PREVIEW_LIMIT = 20_000;

/** Props of `VariableField`. */
interface VariableFieldProps {
  name: string;
  value: string | undefined;
  /** True when its pencil is to take the focus back: the field was just renamed to this name, or given up. */
  isPencilFocusAsked: boolean;
  /** Asks for the pencil of `name` to take the focus once its field shows (under a new name, a new field). */
  askPencilFocus: (name: string | null) => void;
}

function VariableField({ name, value, isPencilFocusAsked, askPencilFocus }: VariableFieldProps) {
  const [isRenaming, setRenaming] = useState(false);
  const pencilRef = useRef<HTMLButtonElement>(null);
  /** The name it was renamed to, for the focus to follow it. */
  const renamedTo = useRef<string | null>(null);
  useEffect(() => {
    if (isRenaming || !isPencilFocusAsked) return;
    askPencilFocus(null);
    // Back where the keyboard was, unless a click put it somewhere on purpose (a click elsewhere renames too).
    const focused = document.activeElement;
    if (focused === null || focused === document.body) pencilRef.current?.focus();
  }, [isRenaming, isPencilFocusAsked, askPencilFocus]);
  const isMissing = value === undefined;
  const isBlank = value !== undefined && value !== '' && value.trim() === '';
  const rows = Math.min(6, Math.max(1, (value ?? '').split('\n').length));
  return (
    <div className={`variable-field${isMissing ? ' is-missing' : ''}${isBlank ? ' is-blank' : ''}`} data-testid="variable-field" data-variable={name}>
      {isRenaming ? (
        // Enter (or leaving the field) renames it in every message, Escape gives up; a name refused keeps the field open saying why.
        <div className="variable-rename">
          <InlineRename
            name={name}
            label={`New name of {{${name}}}`}
            testId="variable-rename-input"
            errorTestId="variable-rename-error"
            className="variable-rename-input"
            spellCheck={false}
            commit={(typed) => {
              const refusal = useWorkbench.getState().renameVariable(name, typed);
              // renameVariable takes the name trimmed.
              if (refusal === null) renamedTo.current = typed.trim();
              return refusal;
            }}
            onDone={() => {
              askPencilFocus(renamedTo.current ?? name);
              renamedTo.current = null;
              setRenaming(false);
            }}
          />
        </div>
      ) : (
        <div className="variable-head">
          <label className="variable-name" htmlFor={`variable-${name}`}>
            <span className="variable-braces">{'{{'}</span>
            {name}
            <span className="variable-braces">{'}}'}</span>
            {isMissing && <span className="variable-flag">no value</span>}
            {isBlank && (
              <span className="variable-flag" data-testid="variable-blank" title="Its value is only spaces: it counts as set and is sent blank">
                only spaces
              </span>
            )}
          </label>
          <IconButton
            ref={pencilRef}
            icon="pencil"
            label={`Rename {{${name}}} in every message`}
            testId="rename-variable"
            onClick={() => setRenaming(true)}
          />
        </div>
      )}
      <textarea
        id={`variable-${name}`}
        className="variable-input"
        data-testid="variable-input"
        rows={rows}
        placeholder="Value"
        spellCheck={false}
        value={value ?? ''}
        onChange={(event) => useWorkbench.getState().setVariable(name, event.target.value)}
      />
    </div>
  );
}

function highlightMissing(text: string, missing: ReadonlySet<string>): ReactNode[] {
  const parts: ReactNode[] = [];
  let cursor = 0;
  for (const placeholder of scanTemplate(text).placeholders) {
    if (!missing.has(placeholder.name)) continue;
    parts.push(text.slice(cursor, placeholder.start));
    parts.push(
      <mark key={placeholder.start} className="missing-variable" data-testid="preview-missing" title={`'${placeholder.name}' has no value`}>
        {text.slice(placeholder.start, placeholder.end)}
      </mark>,
    );
    cursor = placeholder.end;
  }
  parts.push(text.slice(cursor));
  return parts;
}

const Preview = memo(function Preview({ messages, variables }: { messages: PromptMessage[]; variables: Record<string, string> }) {
  const result = useMemo(() => renderMessages(messages, variables), [messages, variables]);
  const missing = useMemo(() => new Set(result.missing), [result]);
  const literalNotices = useMemo(() => literalPlaceholderNotices(findLiteralPlaceholders(messages)), [messages]);
  const blankNotice = useMemo(() => blankVariablesNotice(findBlankVariables(messages, variables)), [messages, variables]);
  return (
    <section className="preview" data-testid="preview" aria-label="Preview">
      <div className="panel-subheader">
        <span className="section-title">Preview</span>
        {result.missing.length > 0 ? (
          <span className="preview-status is-warning" data-testid="preview-missing-summary">
            Missing: {result.missing.join(', ')}
          </span>
        ) : literalNotices.length > 0 || blankNotice !== null ? (
          <span className="preview-status is-warning" data-testid="preview-status">
            {literalNotices.length > 0 ? 'Some placeholders are sent as written' : 'Some values are only spaces'}
          </span>
        ) : (
          <span className="preview-status" data-testid="preview-status">
            All variables set
          </span>
        )}
      </div>
      {literalNotices.length > 0 && (
        <ul className="preview-notices" data-testid="preview-literal">
          {literalNotices.map((notice) => (
            <li key={notice}>{notice}</li>
          ))}
        </ul>
      )}
      {blankNotice !== null && (
        <ul className="preview-notices" data-testid="preview-blank">
          <li>{blankNotice}</li>
        </ul>
      )}
      {result.messages.length === 0 && <p className="empty-hint">Nothing to preview.</p>}
      {result.messages.map((message, index) => {
        const isLong = message.content.length > PREVIEW_LIMIT;
        const text = isLong ? message.content.slice(0, PREVIEW_LIMIT) : message.content;
        return (
          <div key={index} className="preview-message" data-testid="preview-message" data-role={message.role}>
            <div className="preview-role">{message.role}</div>
            <pre className="preview-text" data-testid="preview-text">
              {highlightMissing(text, missing)}
              {isEmptyMessage(message) && <span className="muted">(empty: not sent)</span>}
            </pre>
            {isLong && (
              <div className="preview-more">… {formatNumber(message.content.length - PREVIEW_LIMIT)} more characters</div>
            )}
          </div>
        );
      })}
    </section>
  );
});

/** The Variables tab. */
export function VariablesPanel() {
  const { messages, variables } = useWorkbench(
    useShallow((state) => ({ messages: state.messages, variables: state.variables })),
  );
  // Typing in a large message must not wait for the preview.
  const deferredMessages = useDeferredValue(messages);
  const promptMessages = useMemo(
    () => deferredMessages.map(({ role, content }): PromptMessage => ({ role, content })),
    [deferredMessages],
  );
  const used = useMemo(() => collectVariables(promptMessages), [promptMessages]);
  const unused = Object.keys(variables).filter((name) => !used.includes(name));
  // Here, not in the field: a renamed variable's field is a new one, shown once the deferred messages catch up.
  const [pencilFocusName, setPencilFocusName] = useState<string | null>(null);

  return (
    <div className="variables-panel" data-testid="variables-panel">
      <div className="panel-subheader">
        <span className="section-title">Variables</span>
        <span className="muted">{countOf(used.length, 'variable')}</span>
      </div>
      {used.length === 0 && <p className="empty-hint">No variables yet. Write {'{{name}}'} in a message to add one.</p>}
      <div className="variable-list">
        {used.map((name) => (
          <VariableField
            key={name}
            name={name}
            value={Object.hasOwn(variables, name) ? variables[name] : undefined}
            isPencilFocusAsked={pencilFocusName === name}
            askPencilFocus={setPencilFocusName}
          />
        ))}
      </div>
      {unused.length > 0 && (
        <div className="unused-variables" data-testid="unused-variables">
          <div className="panel-subheader">
            <span className="section-title">Unused values</span>
          </div>
          {unused.map((name) => (
            <div key={name} className="unused-row" data-testid="unused-variable" data-variable={name}>
              <span className="variable-name">{name}</span>
              <span className="unused-value" title={variables[name]}>
                {variables[name]}
              </span>
              <IconButton icon="close" label={`Remove the value of ${name}`} testId="remove-unused" onClick={() => useWorkbench.getState().setVariable(name, null)} />
            </div>
          ))}
        </div>
      )}
      <Preview messages={promptMessages} variables={variables} />
    </div>
  );
}
