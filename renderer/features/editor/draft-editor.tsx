/**
 * The centre of the window for the open draft: prompt name and description, then its messages.
 */

import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icons';
import { formatDate } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { notConnectedText } from '../status/not-connected';
import { saveShortcutLabel } from '../status/shortcuts';
import { MessageBlock } from './message-block';

function DescriptionField({ promptId, description }: { promptId: number; description: string }) {
  const [value, setValue] = useState(description);
  useEffect(() => setValue(description), [promptId, description]);
  return (
    <input
      className="description-input"
      data-testid="prompt-description"
      aria-label="Description"
      placeholder="Add a description…"
      value={value}
      maxLength={2000}
      onChange={(event) => setValue(event.target.value)}
      onBlur={() => void useWorkbench.getState().setDescription(value.trim())}
      onKeyDown={(event) => {
        if (event.key === 'Enter') event.currentTarget.blur();
        if (event.key === 'Escape') {
          setValue(description);
          requestAnimationFrame(() => event.currentTarget?.blur());
        }
      }}
    />
  );
}

/**
 * Shown when another window saved this prompt's draft over edits made here: nothing of this
 * window's is saved until the user chooses which draft to keep. Edits of a window that closed or
 * reloaded first (kept by the journal this window found) are said to be so, with their time.
 */
function DraftConflict() {
  const { isConflict, editedAt } = useWorkbench(
    useShallow((state) => ({ isConflict: state.saveState === 'conflict' && state.draftConflict !== null, editedAt: state.draftConflictEditedAt })),
  );
  if (!isConflict) return null;
  return (
    <div className="draft-conflict" role="alert" data-testid="draft-conflict">
      <Icon name="warning" className="problems-icon" />
      {editedAt === null ? (
        <p className="draft-conflict-text">
          This draft was changed in another window while you were editing it here, so your edits here are not saved. Use the other window’s draft (Undo
          brings yours back), or keep yours and replace the other window’s.
        </p>
      ) : (
        <p className="draft-conflict-text">
          The edits shown here were made in a window that closed or reloaded before they were saved (last edited {formatDate(editedAt)}), and the draft
          was changed in another window since. Use the saved draft (Undo brings these edits back), or keep these edits and replace it.
        </p>
      )}
      <div className="draft-conflict-actions">
        <button type="button" className="button button-small" data-testid="take-other-draft" onClick={() => useWorkbench.getState().takeOtherDraft()}>
          {editedAt === null ? 'Use the other window’s draft' : 'Use the saved draft'}
        </button>
        <button type="button" className="button button-small" data-testid="keep-my-draft" onClick={() => void useWorkbench.getState().keepMyDraft()}>
          {editedAt === null ? 'Keep mine' : 'Keep these edits'}
        </button>
      </div>
    </div>
  );
}

/** Says where the draft comes from and whether saving it would make a new version. */
export function draftDescription(baseVersion: number | null, latest: number | null, isDirty: boolean): string {
  if (baseVersion === null) return latest === null ? 'Draft · never saved' : `Draft${isDirty ? ` · differs from v${latest}` : ''}`;
  if (!isDirty) return `Draft · from v${baseVersion}`;
  return latest === null || latest === baseVersion ? `Draft · from v${baseVersion} · changed` : `Draft · from v${baseVersion} · differs from v${latest}`;
}

/** The draft editor. */
export function DraftEditor() {
  const { prompt, baseVersion, isDraftDirty, latest, notConnected } = useWorkbench(
    useShallow((state) => ({
      notConnected: notConnectedText(state),
      prompt: state.currentPrompt,
      baseVersion: state.baseVersion,
      isDraftDirty: state.isDraftDirty,
      latest: state.versions[0]?.number ?? null,
    })),
  );
  const keys = useWorkbench(useShallow((state) => state.messages.map((message) => message.key)));
  if (!prompt) return null;
  return (
    <div className="draft-editor" data-testid="draft-editor">
      <header className="editor-header">
        <div className="editor-title-row">
          <h1 className="prompt-title" data-testid="prompt-title" title="Rename in the library (F2)">
            {prompt.name}
          </h1>
          <span className="draft-badge" data-testid="draft-badge">
            {draftDescription(baseVersion, latest, isDraftDirty)}
          </span>
          <span className="spacer" />
          <button
            type="button"
            className="button button-small"
            data-testid="save-version"
            disabled={notConnected !== null}
            title={notConnected ?? `Save the draft as a new version (${saveShortcutLabel()})`}
            onClick={() => void useWorkbench.getState().openSaveDialog()}
          >
            Save version <kbd>{saveShortcutLabel()}</kbd>
          </button>
        </div>
        <DescriptionField promptId={prompt.id} description={prompt.description} />
      </header>
      <DraftConflict />
      <div className="message-list" data-testid="message-list">
        {keys.map((key, index) => (
          <MessageBlock key={key} messageKey={key} index={index} count={keys.length} />
        ))}
        {keys.length === 0 && <p className="empty-hint">This prompt has no messages yet.</p>}
        <button type="button" className="add-message" data-testid="add-message" onClick={() => useWorkbench.getState().addMessage()}>
          <Icon name="plus" /> Add message
        </button>
      </div>
    </div>
  );
}
