/**
 * One prompt open in two windows of one browser host: an edit saved in one shows in the other
 * (which has no edits of its own) without a reload; when both have edits, the later save is
 * refused, the window says so, and each choice (take the other window's draft, with Undo; keep
 * mine) does what it says, so neither window's text is lost without the user choosing it.
 */

import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startHost, type HostHandle } from './host';
import {
  createPrompt,
  editorText,
  expectDraftSaved,
  focusedMessage,
  focusEditorEnd,
  holdBridgeMessages,
  libraryRow,
  messageBlocks,
  openApp,
  replaceEditorText,
  saveVersion,
  toastLines,
  watchForProblems,
} from './ui-support';

let host: HostHandle;

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async () => {
  await host.stop();
});

/** The texts of a window's messages, in order. */
async function messageTexts(page: Page): Promise<string[]> {
  const blocks = messageBlocks(page);
  const texts: string[] = [];
  for (let index = 0; index < (await blocks.count()); index += 1) texts.push(await editorText(blocks.nth(index)));
  return texts;
}

/**
 * Holds a window's autosaves on their way to the host while `isHolding`, as two windows typing
 * at once would have them cross: `release` sends them on, unchanged, to the real host.
 */
async function holdAutosaves(page: Page) {
  const held: string[] = [];
  const state = { isHolding: false, send: (_message: string) => undefined as void };
  await page.routeWebSocket(/\/bridge/, (socket) => {
    const server = socket.connectToServer();
    state.send = (message) => server.send(message);
    socket.onMessage((message) => {
      const call = JSON.parse(String(message)) as { channel?: string };
      if (state.isHolding && call.channel === 'drafts:save') held.push(String(message));
      else server.send(message);
    });
    server.onMessage((message) => socket.send(message));
  });
  return {
    held,
    hold: () => {
      state.isHolding = true;
    },
    release: () => {
      state.isHolding = false;
      for (const message of held.splice(0)) state.send(message);
    },
  };
}

test('an edit in one window shows in the other; when both edit, the later save is refused and the user chooses', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  const problems = [watchForProblems(first, host), watchForProblems(second, host)];
  const secondSaves = await holdAutosaves(second);
  await openApp(first, host);
  await createPrompt(first, 'Faults');
  await replaceEditorText(first, messageBlocks(first).nth(0), 'Tell me about faults please.');
  await replaceEditorText(first, messageBlocks(first).nth(1), 'Hi.');
  await expectDraftSaved(first);
  await openApp(second, host);
  await second.getByTestId('prompt-row').filter({ hasText: 'Faults' }).click();
  await expect(second.getByTestId('prompt-title')).toHaveText('Faults');
  await expect.poll(() => messageTexts(second)).toEqual(['Tell me about faults please.', 'Hi.']);

  // The first window types; the second, with no edits of its own, shows it without a reload.
  await first.bringToFront();
  await focusEditorEnd(first, messageBlocks(first).nth(0));
  await first.keyboard.type(' EDIT-FROM-A.');
  await expectDraftSaved(first);
  await expect.poll(() => messageTexts(second)).toEqual(['Tell me about faults please. EDIT-FROM-A.', 'Hi.']);
  await expectDraftSaved(second);

  /** Both windows type at once: the second's save reaches the host after the first's. */
  const typeInBoth = async (firstText: string, secondText: string) => {
    secondSaves.hold();
    await second.bringToFront();
    await focusEditorEnd(second, messageBlocks(second).nth(1));
    await second.keyboard.type(secondText);
    await expect.poll(() => secondSaves.held.length).toBeGreaterThan(0);
    await first.bringToFront();
    await focusEditorEnd(first, messageBlocks(first).nth(0));
    await first.keyboard.type(firstText);
    await expectDraftSaved(first);
    secondSaves.release();
    await expect(second.getByTestId('draft-conflict')).toContainText('This draft was changed in another window while you were editing it here');
    await expect(second.getByTestId('draft-status')).toHaveText('Not saved — changed in another window');
  };

  await typeInBoth(' A2', ' EDIT-FROM-B.');
  // Neither window lost anything: the first's text is the saved one, the second's is still on screen.
  expect({ first: await messageTexts(first), second: await messageTexts(second) }).toStrictEqual({
    first: ['Tell me about faults please. EDIT-FROM-A. A2', 'Hi.'],
    second: ['Tell me about faults please. EDIT-FROM-A.', 'Hi. EDIT-FROM-B.'],
  });
  await expectDraftSaved(first);
  // Typing on while it waits for the choice saves nothing.
  await second.bringToFront();
  await focusEditorEnd(second, messageBlocks(second).nth(1));
  await second.keyboard.type(' B2');
  await expect(second.getByTestId('draft-status')).toHaveText('Not saved — changed in another window');
  await expect.poll(() => messageTexts(first)).toEqual(['Tell me about faults please. EDIT-FROM-A. A2', 'Hi.']);

  // Choice one: the other window's draft. Undo brings the second window's own text back (and saves it).
  await second.getByTestId('take-other-draft').click();
  await expect(second.getByTestId('draft-conflict')).toHaveCount(0);
  await expect.poll(() => messageTexts(second)).toEqual(['Tell me about faults please. EDIT-FROM-A. A2', 'Hi.']);
  await expectDraftSaved(second);
  const toast = second.getByTestId('toast').filter({ hasText: 'Took the other window’s draft' });
  await toast.getByTestId('toast-action').click();
  await expect.poll(() => messageTexts(second)).toEqual(['Tell me about faults please. EDIT-FROM-A.', 'Hi. EDIT-FROM-B. B2']);
  await expectDraftSaved(second);
  await expect.poll(() => messageTexts(first)).toEqual(['Tell me about faults please. EDIT-FROM-A.', 'Hi. EDIT-FROM-B. B2']);

  // Choice two: keep mine. The second window's draft replaces the first's, which shows it.
  await typeInBoth(' A3', ' B3');
  await second.getByTestId('keep-my-draft').click();
  await expect(second.getByTestId('draft-conflict')).toHaveCount(0);
  await expectDraftSaved(second);
  const kept = ['Tell me about faults please. EDIT-FROM-A.', 'Hi. EDIT-FROM-B. B2 B3'];
  await expect.poll(() => messageTexts(second)).toEqual(kept);
  await expect.poll(() => messageTexts(first)).toEqual(kept);
  await expectDraftSaved(first);

  // A window opened now shows the draft kept.
  const third = await context.newPage();
  await openApp(third, host);
  await third.getByTestId('prompt-row').filter({ hasText: 'Faults' }).click();
  await expect.poll(() => messageTexts(third)).toEqual(kept);
  expect(problems.flatMap((problem) => problem())).toStrictEqual([]);
});

test('a window reading a message keeps its cursor there while the other window types into it, and its Undo keeps the other’s text', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  const problems = [watchForProblems(first, host), watchForProblems(second, host)];
  await openApp(first, host);
  await createPrompt(first, 'Tides');
  await replaceEditorText(first, messageBlocks(first).nth(0), 'Answer briefly.');
  await replaceEditorText(first, messageBlocks(first).nth(1), 'Tell me about tides.');
  await expectDraftSaved(first);
  await openApp(second, host);
  await libraryRow(second, 'Tides').click();
  await expect.poll(() => messageTexts(second)).toEqual(['Answer briefly.', 'Tell me about tides.']);

  // The second window has typed in the message (its own undo history there), then reads it, the cursor after "Tell ".
  await second.bringToFront();
  await focusEditorEnd(second, messageBlocks(second).nth(1));
  await second.keyboard.type(' Please.');
  await expectDraftSaved(second);
  await second.keyboard.press('Control+Home');
  for (let step = 0; step < 'Tell '.length; step += 1) await second.keyboard.press('ArrowRight');
  await expect.poll(() => messageTexts(first)).toEqual(['Answer briefly.', 'Tell me about tides. Please.']);

  // The first window types at the end of the same message; the second shows it, its cursor and keyboard where they were.
  await first.bringToFront();
  await focusEditorEnd(first, messageBlocks(first).nth(1));
  await first.keyboard.type(' And waves.');
  await expectDraftSaved(first);
  await expect.poll(() => messageTexts(second)).toEqual(['Answer briefly.', 'Tell me about tides. Please. And waves.']);
  await second.bringToFront();
  expect(await focusedMessage(second)).toBe(1);
  // Undo there does not take the other window’s text out (nor bring back what was there before it): what
  // it shows is the draft both windows have. Typed after it, a word lands where the cursor was.
  await second.keyboard.press('Control+Z');
  await second.keyboard.type('me, ');
  const expected = ['Answer briefly.', 'Tell me, me about tides. Please. And waves.'];
  await expect.poll(() => messageTexts(second)).toEqual(expected);
  await expectDraftSaved(second);
  await expect.poll(() => messageTexts(first)).toEqual(expected);
  expect(problems.flatMap((problem) => problem())).toStrictEqual([]);
});

/**
 * Two windows on a prompt with a saved v1 and a draft since; the second does not hear of the
 * first one’s edits, so its next save, Save version or Restore is based on an older draft.
 * `typeInFirst` types at the end of the first window’s user message and waits until it is saved.
 */
async function openUnheardWindows(context: BrowserContext) {
  const first = await context.newPage();
  const second = await context.newPage();
  const problems = [watchForProblems(first, host), watchForProblems(second, host)];
  await holdBridgeMessages(second, (name) => name === 'draft:changed');
  await openApp(first, host);
  await createPrompt(first, 'Tides');
  await replaceEditorText(first, messageBlocks(first).nth(1), 'Tell me about tides.');
  await expectDraftSaved(first);
  await saveVersion(first, 'first');
  await focusEditorEnd(first, messageBlocks(first).nth(1));
  await first.keyboard.type(' Briefly.');
  await expectDraftSaved(first);
  await openApp(second, host);
  await libraryRow(second, 'Tides').click();
  await expect.poll(() => messageTexts(second)).toEqual(['', 'Tell me about tides. Briefly.']);
  const typeInFirst = async (text: string) => {
    await first.bringToFront();
    await focusEditorEnd(first, messageBlocks(first).nth(1));
    await first.keyboard.type(text);
    await expectDraftSaved(first);
  };
  return { first, second, problems: () => problems.flatMap((problem) => problem()), typeInFirst };
}

test('a window without edits whose Save version or Restore comes after the other window’s edit shows that edit and says so', async ({ context }) => {
  const { first, second, problems, typeInFirst } = await openUnheardWindows(context);

  // Save version: no version of the text the second window had; the first window’s draft shows, for another try.
  await typeInFirst(' FROM-A.');
  await second.bringToFront();
  await second.keyboard.press('Control+S');
  await expect(second.getByTestId('version-note-input')).toBeFocused();
  await second.keyboard.type('from the second window');
  await second.keyboard.press('Enter');
  await expect(second.getByTestId('save-version-error')).toHaveText(
    'No version saved: this draft was just changed in another window, and shows here now. Check it, then save again.',
  );
  await expect.poll(() => messageTexts(second)).toEqual(['', 'Tell me about tides. Briefly. FROM-A.']);
  await second.keyboard.press('Escape');

  // Restore: the same, from the version open read-only; the draft comes back into view.
  await typeInFirst(' AGAIN.');
  await second.bringToFront();
  await second.getByTestId('tab-versions').click();
  await second.locator('[data-testid="version-row"][data-version="1"]').getByTestId('open-version').click();
  await second.getByTestId('restore-open-version').click();
  expect(await toastLines(second, 'v1 not restored')).toStrictEqual([
    'v1 not restored: this draft was just changed in another window, and shows here now. Restore again to replace it.',
  ]);
  await expect(second.getByTestId('draft-editor')).toBeVisible();
  await expect(second.getByTestId('draft-conflict')).toHaveCount(0);
  await expectDraftSaved(second);
  const latest = ['', 'Tell me about tides. Briefly. FROM-A. AGAIN.'];
  await expect.poll(() => messageTexts(second)).toEqual(latest);

  // Nothing was written over the first window’s draft, and only v1 is saved.
  await first.reload();
  await expect(first.getByTestId('prompt-title')).toHaveText('Tides');
  await first.getByTestId('tab-versions').click();
  await expect(first.getByTestId('version-row')).toHaveCount(1);
  expect(await messageTexts(first)).toStrictEqual(latest);
  expect(problems()).toStrictEqual([]);
});

test('while the draft is changed in another window, Save version and Restore say so and keep both windows’ text', async ({ context }) => {
  const { first, second, problems, typeInFirst } = await openUnheardWindows(context);
  await typeInFirst(' FROM-A.');
  await second.bringToFront();
  await focusEditorEnd(second, messageBlocks(second).nth(1));
  await second.keyboard.type(' FROM-B.');
  await expect(second.getByTestId('draft-status')).toHaveText('Not saved — changed in another window');
  await expect(second.getByTestId('draft-conflict')).toBeVisible();

  // Ctrl+S saves no version over the first window’s draft: it says why and what to do, at once.
  await second.keyboard.press('Control+S');
  expect(await toastLines(second, 'No version saved')).toStrictEqual([
    'No version saved: this draft was changed in another window. Choose which draft to keep, above the messages, then save again.',
  ]);
  await expect(second.getByTestId('save-version-dialog')).toHaveCount(0);

  // Restore, from the version open read-only, neither: the draft comes back into view with the choice to make.
  await second.getByTestId('tab-versions').click();
  await second.locator('[data-testid="version-row"][data-version="1"]').getByTestId('open-version').click();
  await expect(second.getByTestId('version-view')).toBeVisible();
  await second.getByTestId('restore-open-version').click();
  expect(await toastLines(second, 'v1 not restored')).toStrictEqual([
    'v1 not restored: this draft was changed in another window. Choose which draft to keep, above the messages, then restore again.',
  ]);
  await expect(second.getByTestId('draft-conflict')).toBeVisible();
  await expect(second.getByTestId('draft-status')).toHaveText('Not saved — changed in another window');

  // Nothing was saved or lost: one version, the first window’s draft, the second window’s text on its screen.
  await expect(second.getByTestId('version-row')).toHaveCount(1);
  await first.reload();
  await expect(first.getByTestId('prompt-title')).toHaveText('Tides');
  await first.getByTestId('tab-versions').click();
  await expect(first.getByTestId('version-row')).toHaveCount(1);
  expect({ first: await messageTexts(first), second: await messageTexts(second) }).toStrictEqual({
    first: ['', 'Tell me about tides. Briefly. FROM-A.'],
    second: ['', 'Tell me about tides. Briefly. FROM-B.'],
  });
  expect(problems()).toStrictEqual([]);
});

test('edits of a window closed before its choice was made are asked about in a later window, which says whose they are and when', async ({ context }) => {
  const { first, second, problems, typeInFirst } = await openUnheardWindows(context);
  await typeInFirst(' FROM-A.');
  await second.bringToFront();
  await focusEditorEnd(second, messageBlocks(second).nth(1));
  await second.keyboard.type(' FROM-B.');
  await expect(second.getByTestId('draft-conflict')).toBeVisible();
  // Closed before choosing: the browser keeps its text for this address, and the first window, reloaded, finds it.
  await second.close();
  await first.reload();
  await expect(first.getByTestId('prompt-title')).toHaveText('Tides');
  const question = first.getByTestId('draft-conflict');
  await expect(question.locator('.draft-conflict-text')).toHaveText(
    /^The edits shown here were made in a window that closed or reloaded before they were saved \(last edited [^)]*\d:\d\d[^)]*\), and the draft was changed in another window since\. Use the saved draft \(Undo brings these edits back\), or keep these edits and replace it\.$/,
  );
  expect(await question.getByRole('button').allInnerTexts()).toStrictEqual(['Use the saved draft', 'Keep these edits']);
  expect(await messageTexts(first)).toStrictEqual(['', 'Tell me about tides. Briefly. FROM-B.']);

  // The saved draft is the first window’s own; taken, nothing is asked of a window opened later.
  await question.getByTestId('take-other-draft').click();
  await expect(first.getByTestId('toast').filter({ hasText: 'Took the saved draft' })).toBeVisible();
  await expect.poll(() => messageTexts(first)).toEqual(['', 'Tell me about tides. Briefly. FROM-A.']);
  await expectDraftSaved(first);
  const third = await context.newPage();
  await openApp(third, host);
  await libraryRow(third, 'Tides').click();
  await expect.poll(() => messageTexts(third)).toEqual(['', 'Tell me about tides. Briefly. FROM-A.']);
  await expect(third.getByTestId('draft-conflict')).toHaveCount(0);
  expect(problems()).toStrictEqual([]);
});
