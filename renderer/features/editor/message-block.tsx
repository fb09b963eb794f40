/**
 * One message of the draft: its role, its editor, and the buttons to move or remove it.
 */

import { memo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MESSAGE_ROLES, type MessageRole } from '../../../shared/types';
import { IconButton } from '../../components/icon-button';
import { assertNever } from '../../../shared/assert-never';
import { countOf } from '../../lib/format';
import { useWorkbench } from '../../store/workbench-store';
import { TemplateEditor } from './template-editor';

function placeholderFor(role: MessageRole): string {
  switch (role) {
    case 'system':
      return 'System instructions — type {{ to insert a variable';
    case 'user':
      return 'User message — type {{ to insert a variable';
    case 'assistant':
      return 'Example assistant reply';
    default:
      return assertNever(role, 'role');
  }
}

/** Props of `MessageBlock`. */
export interface MessageBlockProps {
  messageKey: string;
  index: number;
  count: number;
}

/** A message block of the editor. */
export const MessageBlock = memo(function MessageBlock({ messageKey, index, count }: MessageBlockProps) {
  const { role, length } = useWorkbench(
    useShallow((state) => {
      const message = state.messages.find((item) => item.key === messageKey);
      return { role: message?.role ?? 'user', length: message?.content.length ?? 0 };
    }),
  );
  // Only the first text matters to the editor; later text comes from the editor itself.
  const [initialValue] = useState(() => useWorkbench.getState().messages.find((item) => item.key === messageKey)?.content ?? '');
  const actions = useWorkbench.getState();
  return (
    <section className={`message-block role-${role}`} data-testid="message-block" data-role={role} aria-label={`${role} message ${index + 1}`}>
      <header className="message-header">
        <select
          className="role-select"
          data-testid="message-role"
          aria-label="Role"
          value={role}
          onChange={(event) => actions.setMessageRole(messageKey, event.target.value as MessageRole)}
        >
          {MESSAGE_ROLES.map((item) => (
            <option key={item} value={item}>
              {item}
            </option>
          ))}
        </select>
        <span className="message-stats" data-testid="message-stats">
          {countOf(length, 'char')}
        </span>
        <span className="spacer" />
        <IconButton icon="arrow-up" label="Move up" testId="message-up" isDisabled={index === 0} onClick={() => actions.moveMessage(messageKey, -1)} />
        <IconButton icon="arrow-down" label="Move down" testId="message-down" isDisabled={index === count - 1} onClick={() => actions.moveMessage(messageKey, 1)} />
        <IconButton icon="trash" label="Remove message" testId="message-remove" onClick={() => actions.removeMessage(messageKey)} />
      </header>
      <TemplateEditor messageKey={messageKey} initialValue={initialValue} placeholder={placeholderFor(role)} ariaLabel={`${role} message ${index + 1}`} />
    </section>
  );
});
