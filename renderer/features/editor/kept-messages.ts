/**
 * Message editors that outlive a switch to another prompt, so coming back keeps each message's
 * undo history, cursor and scroll: every message's Monaco model lives at a path named by its key
 * (the editor keeps the model when it unmounts), and the keys of the prompts left last are kept
 * here. Reopening such a prompt whose messages are still as they were left reuses their keys, and
 * so their models; a prompt changed meanwhile (another window, an import) gets new ones.
 *
 * Models of messages that are gone (removed, replaced by a restore, or of a prompt pushed out of
 * the list) are disposed.
 */

import type { MessageRole } from '../../../shared/types';

/** A message as the draft holds it (a copy of `EditorMessage`, to keep this module below the slice). */
interface KeptMessage {
  key: string;
  role: MessageRole;
  content: string;
}

/** How many prompts left keep their editors; the oldest left goes first. */
const KEPT_PROMPTS = 12;

/** The messages of the prompts left, by prompt id, oldest first. */
const kept = new Map<number, KeptMessage[]>();

/** What disposes a message's model, set by the editor module once Monaco has loaded. */
let disposeModel: (key: string) => void = () => undefined;

/** The path of a message's model. */
export function messageModelPath(key: string): string {
  return `inmemory://workbench/message/${key}`;
}

/** Registers how to dispose a message's model (Monaco loads lazily, so the editor hands it in). */
export function setModelDisposer(dispose: (key: string) => void): void {
  disposeModel = dispose;
}

/** Keeps the messages of a prompt being left, pushing out the prompt left longest ago. */
export function keepMessages(promptId: number, messages: readonly KeptMessage[]): void {
  kept.delete(promptId);
  kept.set(promptId, messages.map((message) => ({ ...message })));
  while (kept.size > KEPT_PROMPTS) {
    const [oldest, gone] = kept.entries().next().value as [number, KeptMessage[]];
    kept.delete(oldest);
    for (const message of gone) disposeModel(message.key);
  }
}

/**
 * The kept messages of a prompt being opened, if its content is still what they hold (same
 * roles and texts in the same order); they are no longer kept: the prompt is open again.
 */
export function takeKeptMessages(promptId: number, messages: readonly { role: MessageRole; content: string }[]): KeptMessage[] | null {
  const left = kept.get(promptId);
  if (left === undefined) return null;
  kept.delete(promptId);
  const isSame = left.length === messages.length && left.every((message, index) => message.role === messages[index].role && message.content === messages[index].content);
  if (isSame) return left;
  for (const message of left) disposeModel(message.key);
  return null;
}

/** Whether a message's model is kept for a prompt left. */
export function isKeptMessage(key: string): boolean {
  for (const messages of kept.values()) if (messages.some((message) => message.key === key)) return true;
  return false;
}
