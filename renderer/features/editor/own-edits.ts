/**
 * Message texts this window's own actions put into the draft from outside the message's editor
 * (a variable rename, its Undo): each editor takes such a text as an undoable edit, where text
 * written in another window replaces its undo history (see `takeTextFromElsewhere`).
 */

/** The text each message is to get from an action of this window, by message key. */
const pending = new Map<string, string>();

/** Says that `content` is about to reach the store for message `key` from this window's own action. */
export function expectOwnEdit(key: string, content: string): void {
  pending.set(key, content);
}

/** Whether `content`, reaching the store for message `key`, comes from this window's own action; the expectation is used up either way. */
export function takeOwnEdit(key: string, content: string): boolean {
  const expected = pending.get(key);
  pending.delete(key);
  return expected === content;
}
