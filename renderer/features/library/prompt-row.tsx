/**
 * One prompt in the library: name, version count and latest version, with its actions.
 */

import { memo, type KeyboardEvent } from 'react';
import type { PromptSummary } from '../../../shared/types';
import { IconButton } from '../../components/icon-button';
import { InlineRename } from '../../components/inline-rename';
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

/** The prompt’s name typed over in its row (F2, double-click or Rename). */
function RenameInput({ prompt }: { prompt: PromptSummary }) {
  return (
    <InlineRename
      name={prompt.name}
      label="Prompt name"
      testId="rename-input"
      errorTestId="rename-error"
      maxLength={200}
      isInRow
      commit={async (typed) => {
        // A blank name gives up, as Escape does.
        if (typed.trim() === '') return null;
        // Refused (a name another prompt has...): said under the field, which stays open with what was typed; Esc gives up.
        const outcome = await useWorkbench.getState().renamePrompt(prompt.id, typed);
        return outcome.ok ? null : outcome.message;
      }}
      onDone={() => {
        // renamePrompt closes the field once renamed (unless another row is renaming by then); a blank name and Escape close it here.
        const state = useWorkbench.getState();
        if (state.renamingPromptId === prompt.id) state.startRenaming(null);
        // Give the row its focus back so the keyboard stays in the list.
        requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-prompt-id="${prompt.id}"]`)?.focus());
      }}
    />
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
