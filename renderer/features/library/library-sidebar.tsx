/**
 * The prompt library: search, create, and the list of prompts with their actions.
 */

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icons';
import { IconButton } from '../../components/icon-button';
import { useWorkbench } from '../../store/workbench-store';
import { PromptRow } from './prompt-row';

/** The id of the search box, for the focus shortcut. */
export const LIBRARY_SEARCH_ID = 'library-search';
/** Asks the sidebar to show the new-prompt field. */
export const NEW_PROMPT_EVENT = 'workbench:new-prompt';

/** The id of the sentence under the new-prompt field saying why its name was refused. */
const NEW_PROMPT_ERROR_ID = 'new-prompt-error';

function NewPromptInput({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const isSubmitting = useRef(false);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);
  const submit = async () => {
    const trimmed = name.trim();
    if (trimmed === '') {
      onDone();
      return;
    }
    if (isSubmitting.current) return;
    isSubmitting.current = true;
    const outcome = await useWorkbench.getState().createPrompt(trimmed);
    isSubmitting.current = false;
    // Refused (a name another prompt has...): the field stays, with what was typed and why.
    if (outcome.ok) onDone();
    else setError(outcome.message);
  };
  return (
    <div className={`new-prompt${error === null ? '' : ' has-error'}`}>
      <input
        ref={inputRef}
        className="new-prompt-input"
        data-testid="new-prompt-name"
        placeholder="Name of the new prompt"
        aria-label="Name of the new prompt"
        aria-invalid={error !== null}
        aria-describedby={error === null ? undefined : NEW_PROMPT_ERROR_ID}
        maxLength={200}
        value={name}
        onChange={(event) => {
          setName(event.target.value);
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') void submit();
          if (event.key === 'Escape') onDone();
        }}
        onBlur={() => {
          if (name.trim() === '') onDone();
        }}
      />
      {error === null ? (
        <span className="new-prompt-hint">Enter to create · Esc to cancel</span>
      ) : (
        <span className="field-error" id={NEW_PROMPT_ERROR_ID} role="alert" data-testid="new-prompt-error">
          {error}
        </span>
      )}
    </div>
  );
}

function focusRow(list: HTMLElement | null, delta: number | 'first' | 'last') {
  if (!list) return;
  const rows = [...list.querySelectorAll<HTMLElement>('[data-testid="prompt-row"]')];
  if (rows.length === 0) return;
  const current = rows.indexOf(document.activeElement as HTMLElement);
  const index =
    delta === 'first' ? 0 : delta === 'last' ? rows.length - 1 : Math.max(0, Math.min(rows.length - 1, (current === -1 ? -1 : current) + delta));
  rows[index].focus();
}

/** The left sidebar. */
export function LibrarySidebar() {
  const { prompts, query, isShowingArchived, isLoaded, currentId, renamingId, isDraftDirty, focusRequest } = useWorkbench(
    useShallow((state) => ({
      focusRequest: state.libraryFocus,
      prompts: state.prompts,
      query: state.libraryQuery,
      isShowingArchived: state.isShowingArchived,
      isLoaded: state.isLibraryLoaded,
      currentId: state.currentPrompt?.id ?? null,
      renamingId: state.renamingPromptId,
      isDraftDirty: state.isDraftDirty,
    })),
  );
  const [isCreating, setCreating] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const onNewPrompt = () => setCreating(true);
    window.addEventListener(NEW_PROMPT_EVENT, onNewPrompt);
    return () => window.removeEventListener(NEW_PROMPT_EVENT, onNewPrompt);
  }, []);

  useEffect(() => {
    if (focusRequest === null) return;
    const target = focusRequest.kind === 'row' ? listRef.current?.querySelector<HTMLElement>(`[data-prompt-id="${focusRequest.promptId}"]`) : document.getElementById(LIBRARY_SEARCH_ID);
    target?.focus();
    useWorkbench.getState().clearLibraryFocus();
  }, [focusRequest]);

  const onListKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.target instanceof HTMLInputElement) return;
    if (event.key === 'ArrowDown') focusRow(listRef.current, 1);
    else if (event.key === 'ArrowUp') focusRow(listRef.current, -1);
    else if (event.key === 'Home') focusRow(listRef.current, 'first');
    else if (event.key === 'End') focusRow(listRef.current, 'last');
    else return;
    event.preventDefault();
  };

  const hasSelectedRow = prompts.some((prompt) => prompt.id === currentId);

  return (
    <aside className="sidebar" data-testid="library" aria-label="Prompt library">
      <div className="sidebar-header">
        <span className="section-title">Prompts</span>
        <IconButton icon="plus" label="New prompt (Alt+N)" testId="new-prompt" onClick={() => setCreating(true)} />
      </div>
      <div className="search-box">
        <Icon name="search" className="search-icon" />
        <input
          id={LIBRARY_SEARCH_ID}
          type="search"
          className="search-input"
          data-testid="library-search"
          placeholder="Search prompts"
          aria-label="Search prompts"
          value={query}
          onChange={(event) => useWorkbench.getState().setLibraryQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') {
              event.preventDefault();
              focusRow(listRef.current, 'first');
            } else if (event.key === 'Enter' && prompts[0]) {
              void useWorkbench.getState().openPrompt(prompts[0].id, { focus: 'editor' });
            } else if (event.key === 'Escape' && query !== '') {
              useWorkbench.getState().setLibraryQuery('');
            }
          }}
        />
      </div>
      {isCreating && <NewPromptInput onDone={() => setCreating(false)} />}
      <ul ref={listRef} aria-label="Prompts" className="prompt-list" data-testid="library-list" onKeyDown={onListKeyDown}>
        {prompts.map((prompt, index) => (
          <PromptRow
            key={prompt.id}
            prompt={prompt}
            isSelected={prompt.id === currentId}
            isTabStop={prompt.id === currentId || (!hasSelectedRow && index === 0)}
            isRenaming={prompt.id === renamingId}
            isDirty={prompt.id === currentId && isDraftDirty}
          />
        ))}
      </ul>
      {isLoaded && prompts.length === 0 && (
        <p className="sidebar-empty" data-testid="library-empty">
          {query.trim() !== '' ? `No prompt matches “${query.trim()}”.` : 'No prompts yet. Create one with +.'}
        </p>
      )}
      <label className="sidebar-footer">
        <input
          type="checkbox"
          data-testid="show-archived"
          checked={isShowingArchived}
          onChange={(event) => useWorkbench.getState().setShowingArchived(event.target.checked)}
        />
        Show archived
      </label>
    </aside>
  );
}
