/**
 * One prompt in the library: name, version count and latest version, with its actions.
 */

import { memo, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { PromptSummary } from '../../../shared/types';
import { IconButton } from '../../components/icon-button';
import { countOf } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { LibraryApprovalMark } from '../release/approval-marks';
import { duplicateShortcutLabel, hasCommandModifier, isMac } from '../status/shortcuts';

/** Props of `PromptRow`. */
export interface PromptRowProps {
  prompt: PromptSummary;
  isSelected: boolean;
  /** True for the one row Tab stops on (the selected one, else the first). */
  isTabStop: boolean;
  isRenaming: boolean;
  /** True when this is the open prompt and its draft differs from its latest version. */
  isDirty: boolean;
}

/** Delete alone, or ⌘⌫ on a Mac (whose Delete key is Backspace), as Finder moves a file to the bin. */
function isArchiveKey(event: globalThis.KeyboardEvent): boolean {
  if (event.key === 'Delete') return !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
  return event.key === 'Backspace' && isMac() && hasCommandModifier(event) && !event.shiftKey;
}

function RenameInput({ prompt }: { prompt: PromptSummary }) {
  const [value, setValue] = useState(prompt.name);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const isDone = useRef(false);
  const errorId = useId();
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);
  const finish = async (isCommit: boolean) => {
    if (isDone.current) return;
    isDone.current = true;
    const state = useWorkbench.getState();
    if (isCommit && value.trim() !== '') {
      const outcome = await state.renamePrompt(prompt.id, value);
      if (!outcome.ok) {
        // Refused (a name another prompt has...): the field stays open with what was typed and why; Esc gives up.
        isDone.current = false;
        setError(outcome.message);
        return;
      }
    } else {
      state.startRenaming(null);
    }
    // Give the row its focus back so the keyboard stays in the list.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-prompt-id="${prompt.id}"]`)?.focus());
  };
  return (
    <>
      <input
        ref={inputRef}
        className="rename-input"
        data-testid="rename-input"
        aria-label="Prompt name"
        aria-invalid={error !== null}
        aria-describedby={error === null ? undefined : errorId}
        value={value}
        maxLength={200}
        onChange={(event) => {
          setValue(event.target.value);
          setError(null);
        }}
        onClick={(event) => event.stopPropagation()}
        onDoubleClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          event.stopPropagation();
          if (event.key === 'Enter') void finish(true);
          if (event.key === 'Escape') void finish(false);
        }}
        onBlur={() => void finish(true)}
      />
      {error !== null && (
        <span className="field-error rename-error" id={errorId} role="alert" data-testid="rename-error">
          {error}
        </span>
      )}
    </>
  );
}

/** A row of the library list. */
export const PromptRow = memo(function PromptRow({ prompt, isSelected, isTabStop, isRenaming, isDirty }: PromptRowProps) {
  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>) => {
    const state = useWorkbench.getState();
    const native = event.nativeEvent;
    if (event.key === 'F2') {
      state.startRenaming(prompt.id);
    } else if (event.key === 'Enter' || event.key === ' ') {
      // Enter and Space on one of the row's buttons (Rename, Duplicate, Archive) press that button.
      if (event.target !== event.currentTarget) return;
      void state.openPrompt(prompt.id, { focus: event.key === 'Enter' ? 'editor' : 'none' });
    } else if (isArchiveKey(native)) {
      // Archived rows (under "Show archived") are not archived twice; Unarchive is their button.
      if (prompt.isArchived) return;
      void state.setArchived(prompt.id, true);
    } else if (hasCommandModifier(native) && !event.shiftKey && event.key.toLowerCase() === 'd') {
      void state.duplicatePrompt(prompt.id);
    } else {
      return;
    }
    event.preventDefault();
  };
  const versions = prompt.versionCount === 0 ? 'No versions' : `${countOf(prompt.versionCount, 'version')} · v${prompt.latestVersion}`;
  return (
    // A list item, not a listbox option: an option's content is presentational, and its buttons would be lost to a screen reader.
    <li
      aria-current={isSelected ? 'true' : undefined}
      tabIndex={isTabStop ? 0 : -1}
      className={`prompt-row${isSelected ? ' is-selected' : ''}${prompt.isArchived ? ' is-archived' : ''}`}
      data-testid="prompt-row"
      data-prompt-id={prompt.id}
      onClick={() => void useWorkbench.getState().openPrompt(prompt.id)}
      onDoubleClick={() => useWorkbench.getState().startRenaming(prompt.id)}
      onKeyDown={onKeyDown}
    >
      <div className="prompt-row-main">
        {isRenaming ? (
          <RenameInput prompt={prompt} />
        ) : (
          <span className="prompt-row-name" data-testid="prompt-name" title={prompt.name}>
            {prompt.name}
          </span>
        )}
        <span className="prompt-row-meta">
          {isDirty && <span className="dirty-dot" title="The draft has changes not saved as a version" data-testid="dirty-dot" />}
          {prompt.isArchived && <span className="badge">Archived</span>}
          <LibraryApprovalMark promptId={prompt.id} />
          <span data-testid="prompt-versions">{versions}</span>
        </span>
      </div>
      {!isRenaming && (
        <div className="prompt-row-actions" onClick={(event) => event.stopPropagation()} onDoubleClick={(event) => event.stopPropagation()}>
          <IconButton icon="pencil" label="Rename (F2)" testId="rename-prompt" onClick={() => useWorkbench.getState().startRenaming(prompt.id)} />
          <IconButton icon="copy" label={`Duplicate (${duplicateShortcutLabel()})`} testId="duplicate-prompt" onClick={() => void useWorkbench.getState().duplicatePrompt(prompt.id)} />
          {prompt.isArchived ? (
            <IconButton icon="unarchive" label="Unarchive" testId="unarchive-prompt" onClick={() => void useWorkbench.getState().setArchived(prompt.id, false)} />
          ) : (
            <IconButton icon="archive" label={`Archive (${isMac() ? '⌘⌫' : 'Delete'})`} testId="archive-prompt" onClick={() => void useWorkbench.getState().setArchived(prompt.id, true)} />
          )}
        </div>
      )}
    </li>
  );
});
