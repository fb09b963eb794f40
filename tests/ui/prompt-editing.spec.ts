/**
 * Editing a prompt end to end: messages with a variable in Monaco, the rendered preview, two
 * versions saved with Ctrl+S, their diff, and restoring the first into the draft.
 */

import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startHost, type HostHandle } from './host';
import {
  createPrompt,
  editorText,
  expectDraftSaved,
  focusEditorEnd,
  libraryRow,
  listedVersions,
  messageBlocks,
  openApp,
  openWorkspace,
  pressIsIntercepted,
  replaceEditorText,
  saveVersion,
  watchForProblems,
} from './ui-support';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

let host: HostHandle;

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async () => {
  await host.stop();
});

test('write, preview, version, diff and restore a prompt', async ({ page }) => {
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await createPrompt(page, 'Explainer');

  // The new prompt opens with a system and a user message; the system editor has the focus.
  const blocks = messageBlocks(page);
  await expect(blocks).toHaveCount(2);
  await expect(blocks.nth(0)).toHaveAttribute('data-role', 'system');
  await expect(blocks.nth(1)).toHaveAttribute('data-role', 'user');

  await replaceEditorText(page, blocks.nth(0), 'You are a patient teacher of {{topic}}.');
  await replaceEditorText(page, blocks.nth(1), 'Explain {{topic}} to a beginner.');
  await expect.poll(() => editorText(blocks.nth(0))).toBe('You are a patient teacher of {{topic}}.');
  await expect.poll(() => editorText(blocks.nth(1))).toBe('Explain {{topic}} to a beginner.');

  // The variable appears in the Variables tab, flagged until it has a value.
  await page.getByTestId('tab-variables').click();
  const field = page.locator('[data-testid="variable-field"][data-variable="topic"]');
  await expect(field).toHaveClass(/is-missing/);
  await expect(page.getByTestId('preview-missing').first()).toHaveText('{{topic}}');
  await field.getByTestId('variable-input').fill('tide pools');
  await expect(page.getByTestId('preview-text')).toHaveText([
    'You are a patient teacher of tide pools.',
    'Explain tide pools to a beginner.',
  ]);
  await expect(page.getByTestId('preview-missing')).toHaveCount(0);
  await expectDraftSaved(page);

  await saveVersion(page, 'First cut');
  await expect(page.getByTestId('version-status')).toHaveText('Latest v1');

  await focusEditorEnd(page, blocks.nth(1));
  await page.keyboard.type(' Use one everyday analogy.');
  await expect.poll(() => editorText(blocks.nth(1))).toBe('Explain {{topic}} to a beginner. Use one everyday analogy.');
  await saveVersion(page, 'Ask for an analogy');
  await expect(page.getByTestId('version-status')).toHaveText('Latest v2');
  expect(await listedVersions(page)).toEqual(['v2 Ask for an analogy', 'v1 First cut']);
  // Saved, not approved: no badge, and none says "draft" beside the working draft.
  await expect(page.getByTestId('version-list').locator('.badge')).toHaveCount(0);
  await expect(page.getByTestId('version-list')).not.toContainText(/\bdraft\b/i);

  // Saving again without a change says so at once, without asking for a note first.
  await page.keyboard.press('Control+S');
  await expect(page.getByTestId('toast').filter({ hasText: 'No changes since v2' })).toHaveText('No changes since v2 — nothing to save');
  await expect(page.getByTestId('save-version-dialog')).toBeHidden();

  // Compare v1 and v2: the diff shows the changed line.
  await page.getByRole('checkbox', { name: 'Compare v1' }).check();
  await page.getByRole('checkbox', { name: 'Compare v2' }).check();
  await page.getByTestId('compare-versions').click();
  const diff = page.getByTestId('diff-editor');
  await expect(diff).toBeVisible();
  // Lines wrap in the diff, so compare the text with whitespace folded.
  const sideText = async (side: 'original' | 'modified') =>
    (await editorText(diff.locator(`.editor.${side}`))).replace(/\s+/g, ' ');
  await expect.poll(() => sideText('modified')).toContain('## user Explain {{topic}} to a beginner. Use one everyday analogy.');
  expect(await sideText('original')).toContain('## user Explain {{topic}} to a beginner.');
  expect(await sideText('original')).not.toContain('analogy');
  // The change is marked as an insertion on the new side.
  await expect(diff.locator('.editor.modified .char-insert').first()).toBeVisible();

  // Restoring v1 over an edited draft of v2 and undoing it brings back the text and its base, v2.
  const edited = 'Explain {{topic}} to a beginner. Use one everyday analogy. Keep it short.';
  await page.getByTestId('close-compare').click();
  await focusEditorEnd(page, messageBlocks(page).nth(1));
  await page.keyboard.type(' Keep it short.');
  await expectDraftSaved(page);
  await expect(page.getByTestId('draft-badge')).toHaveText('Draft · from v2 · changed');
  await page.locator('[data-testid="version-row"][data-version="1"]').getByTestId('restore-version').click();
  await expect(page.getByTestId('draft-badge')).toHaveText('Draft · from v1 · differs from v2');
  await page.getByTestId('toast-action').filter({ hasText: 'Undo' }).click();
  await expect.poll(() => editorText(messageBlocks(page).nth(1))).toBe(edited);
  await expect(page.getByTestId('draft-badge')).toHaveText('Draft · from v2 · changed');
  await expectDraftSaved(page);
  // The engine has the base back too: a reload says the same.
  await page.reload();
  await expect.poll(() => editorText(messageBlocks(page).nth(1))).toBe(edited);
  await expect(page.getByTestId('draft-badge')).toHaveText('Draft · from v2 · changed');

  // Restore v1 into the draft: the editor shows v1's text again.
  await page.getByTestId('tab-versions').click();
  await page.locator('[data-testid="version-row"][data-version="1"]').getByTestId('restore-version').click();
  await expect(page.getByTestId('draft-editor')).toBeVisible();
  await expect.poll(() => editorText(messageBlocks(page).nth(1))).toBe('Explain {{topic}} to a beginner.');
  await expect.poll(() => editorText(messageBlocks(page).nth(0))).toBe('You are a patient teacher of {{topic}}.');
  await expect(page.getByTestId('draft-badge')).toHaveText('Draft · from v1 · differs from v2');

  // A reload shows the restored draft, so it was saved, not just shown.
  await page.reload();
  await expect(page.getByTestId('prompt-title')).toHaveText('Explainer');
  await expect.poll(() => editorText(messageBlocks(page).nth(1))).toBe('Explain {{topic}} to a beginner.');

  // Ctrl+S never reaches the browser's "Save page", in whichever workspace it is pressed.
  const intercepted: Record<string, boolean> = {};
  for (const workspace of ['history', 'release', 'settings', 'evals', 'prompts'] as const) {
    await openWorkspace(page, workspace);
    intercepted[workspace] = await pressIsIntercepted(page, 'Control+S');
  }
  expect(intercepted).toEqual({ history: true, release: true, settings: true, evals: true, prompts: true });
  // In Prompts it asked for a note to save the restored draft as v3.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('save-version-dialog')).toBeHidden();

  // Placeholders that are not variables are sent as written: the preview, the runs panel and the
  // save dialog say so (calmly: literal braces are legitimate text), instead of "All variables set".
  await replaceEditorText(page, messageBlocks(page).nth(1), 'Explain {{topic}} {{a b}} {{9num}} {{{topic}}} {{über}}');
  // The editor colours them as the parser reads them: the three malformed ones underlined, the variable inside extra braces as a variable.
  const lines = messageBlocks(page).nth(1).locator('.view-lines');
  await expect(lines.locator('span.mtku')).toHaveText(['{{', '{{', '{{']);
  await expect(lines.locator('span.mtkb')).toHaveText(['{{topic}}', '{{topic}}']);
  await page.getByTestId('tab-variables').click();
  const literal = [
    '3 placeholders are not variables and are sent as written: {{a b}}, {{9num}}, {{über}}',
    '{{{topic}}} keeps its extra braces: the value is sent inside them',
  ];
  await expect(page.getByTestId('preview-literal').locator('li')).toHaveText(literal);
  await expect(page.getByTestId('preview-status')).toHaveText('Some placeholders are sent as written');
  await expect(page.getByTestId('preview-status')).toHaveClass(/is-warning/);
  // In the runs panel, a line a sentence.
  await expect(page.getByTestId('estimate-literal')).toHaveText(literal);
  await page.keyboard.press('Control+S');
  await expect(page.getByTestId('save-version-literal').locator('li')).toHaveText(literal);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('save-version-dialog')).toBeHidden();

  // All of it ran offline under the page's CSP, the diff worker included, without a complaint.
  expect(problems()).toEqual([]);
});

test('identical text wraps at the same points on both sides of a version diff', async ({ page }) => {
  await openApp(page, host);
  await createPrompt(page, 'Weather');
  const ask =
    'You are a careful assistant who answers questions about the weather in plain words, never using jargon, always naming the source of each figure you quote, and keeping every answer under one hundred words unless asked for more.';
  await replaceEditorText(page, messageBlocks(page).nth(1), ask);
  await expectDraftSaved(page);
  await saveVersion(page, 'One');
  await focusEditorEnd(page, messageBlocks(page).nth(1));
  await page.keyboard.type(' Then ask one question back.');
  await expectDraftSaved(page);
  await saveVersion(page, 'Two');

  await page.getByTestId('tab-versions').click();
  await page.getByRole('checkbox', { name: 'Compare v1' }).check();
  await page.getByRole('checkbox', { name: 'Compare v2' }).check();
  await page.getByTestId('compare-versions').click();
  const diff = page.getByTestId('diff-editor');
  await expect(diff.locator('.editor.modified .char-insert').first()).toBeVisible();
  // The rows of each side from top to bottom; the sides are aligned, so the same row is the same place.
  const rows = (side: 'original' | 'modified') =>
    diff.locator(`.editor.${side} .view-lines .view-line`).evaluateAll((lines) =>
      lines
        .map((line) => ({ top: Number.parseFloat((line as unknown as { style: { top: string } }).style.top), text: (line.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((first, second) => first.top - second.top)
        .map((row) => row.text),
    );
  const original = await rows('original');
  const modified = await rows('modified');
  // The long line wraps, and up to the row where v2 goes on, both sides break it at the same words.
  const lastShared = original.findIndex((row) => row.endsWith('unless asked for more.'));
  expect(lastShared).toBeGreaterThan(original.findIndex((row) => row.startsWith('You are a careful assistant')) + 2);
  expect(modified.slice(0, lastShared)).toEqual(original.slice(0, lastShared));
});

test('a prompt opened again keeps its undo history, unless another window changed it meanwhile', async ({ page, browser }) => {
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await createPrompt(page, 'Keeps undo');
  const user = messageBlocks(page).nth(1);
  await replaceEditorText(page, user, 'Summarize the ticket.');
  await focusEditorEnd(page, user);
  await page.keyboard.type(' Briefly.');
  await expectDraftSaved(page);

  // Away to another prompt and back: Ctrl+Z still undoes the last edit, and the draft follows.
  await createPrompt(page, 'Other prompt');
  await replaceEditorText(page, messageBlocks(page).nth(1), 'Something else.');
  await expectDraftSaved(page);
  await libraryRow(page, 'Keeps undo').click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Keeps undo');
  await expect.poll(() => editorText(messageBlocks(page).nth(1))).toBe('Summarize the ticket. Briefly.');
  await focusEditorEnd(page, messageBlocks(page).nth(1));
  await page.keyboard.press('Control+Z');
  await expect.poll(() => editorText(messageBlocks(page).nth(1))).toBe('Summarize the ticket.');
  await expectDraftSaved(page);
  await page.keyboard.press('Control+Shift+Z');
  await expect.poll(() => editorText(messageBlocks(page).nth(1))).toBe('Summarize the ticket. Briefly.');
  await expectDraftSaved(page);

  // Changed in another window while this one was elsewhere: the text shown is the new one, not the kept editor's.
  await libraryRow(page, 'Other prompt').click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Other prompt');
  const other = await browser.newPage();
  try {
    await openApp(other, host);
    await libraryRow(other, 'Keeps undo').click();
    await expect(other.getByTestId('prompt-title')).toHaveText('Keeps undo');
    await replaceEditorText(other, messageBlocks(other).nth(1), 'Written in the second window.');
    await expectDraftSaved(other);
  } finally {
    await other.close();
  }
  await libraryRow(page, 'Keeps undo').click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Keeps undo');
  await expect.poll(() => editorText(messageBlocks(page).nth(1))).toBe('Written in the second window.');
  // Its undo history starts here: Ctrl+Z does not bring back the other window's earlier text.
  await focusEditorEnd(page, messageBlocks(page).nth(1));
  await page.keyboard.press('Control+Z');
  await expect.poll(() => editorText(messageBlocks(page).nth(1))).toBe('Written in the second window.');
  expect(problems()).toStrictEqual([]);
});

test('Tab moves on from a message instead of typing into it; Ctrl+] and Ctrl+[ indent and outdent', async ({ page }) => {
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await createPrompt(page, 'Tabbing');
  const [system, user] = [messageBlocks(page).nth(0), messageBlocks(page).nth(1)];
  await replaceEditorText(page, system, 'Be brief.');
  const isInEditor = (block: typeof system) => block.locator('.monaco-editor').evaluate((editor) => editor.contains(editor.ownerDocument.activeElement));
  expect(await isInEditor(system)).toBe(true);

  // Tab leaves the editor for the next control, a few more reach the next message: nothing typed.
  await page.keyboard.press('Tab');
  expect(await isInEditor(system)).toBe(false);
  for (let press = 0; press < 10 && !(await isInEditor(user)); press += 1) await page.keyboard.press('Tab');
  expect(await isInEditor(user)).toBe(true);
  await expect.poll(() => editorText(system)).toBe('Be brief.');
  // And Shift+Tab comes back the same way.
  for (let press = 0; press < 10 && !(await isInEditor(system)); press += 1) await page.keyboard.press('Shift+Tab');
  expect(await isInEditor(system)).toBe(true);
  await expect.poll(() => editorText(system)).toBe('Be brief.');

  // Indenting is a shortcut away.
  await page.keyboard.press('Control+BracketRight');
  await expect.poll(() => editorText(system)).toBe('  Be brief.');
  await page.keyboard.press('Control+BracketLeft');
  await expect.poll(() => editorText(system)).toBe('Be brief.');
  // With the variable suggestions open, Tab still takes the one picked.
  await replaceEditorText(page, user, 'Explain {{topic}}.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Again {{');
  await expect(page.locator('.suggest-widget.visible')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect.poll(() => editorText(user)).toBe('Explain {{topic}}.\nAgain {{topic}}');
  expect(await isInEditor(user)).toBe(true);
  await expectDraftSaved(page);
  expect(problems()).toStrictEqual([]);
});

test('find and replace in a one-line message: the widget fits in the editor, its buttons are Monaco’s own, and Escape gives the line back its height', async ({ page }) => {
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await createPrompt(page, 'Finder');
  const user = messageBlocks(page).nth(1);
  await replaceEditorText(page, user, 'Explain the tides to a {{persona}}.');
  const editor = user.getByTestId('message-editor');
  const oneLine = await editor.boundingBox();
  const header = await user.locator('.message-header').boundingBox();

  for (const theme of ['light', 'dark'] as const) {
    await page.getByTestId(`theme-${theme}`).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await focusEditorEnd(page, user);
    // From the keyboard, the pointer out of the way (its tooltips open where it rests).
    await page.mouse.move(0, 0);
    await page.keyboard.press('Control+H');
    const widget = user.locator('.find-widget');
    await expect(widget).toHaveClass(/\bvisible\b/);

    // The widget, its replace input and buttons included, lies inside the editor; the header above is its own.
    const outside = () =>
      page.evaluate<string[]>(`(() => {
        const block = document.querySelectorAll('[data-testid="message-block"]')[1];
        const box = block.querySelector('[data-testid="message-editor"]').getBoundingClientRect();
        const widget = block.querySelector('.find-widget');
        const parts = [widget, widget.querySelector('.replace-part .monaco-findInput'), ...widget.querySelectorAll('.replace-part .button')];
        return parts.filter((part) => {
          const partBox = part.getBoundingClientRect();
          return partBox.top < box.top || partBox.left < box.left || partBox.bottom > box.bottom || partBox.right > box.right;
        }).map((part) => part.className);
      })()`);
    await expect.poll(outside).toStrictEqual([]);
    const opened = await editor.boundingBox();
    const isHeaderCovered = () =>
      page.evaluate<boolean>(`(() => {
        const header = document.querySelectorAll('[data-testid="message-block"]')[1].querySelector('.message-header');
        const box = header.getBoundingClientRect();
        return [0.05, 0.5, 0.95].some((x) => !header.contains(document.elementFromPoint(box.left + box.width * x, box.top + box.height / 2)));
      })()`);
    expect(await isHeaderCovered()).toBe(false);

    // Each button is drawn as Monaco draws it: an icon, with no frame of the app’s own buttons across it.
    const frames = await page.evaluate<string[]>(`[...document.querySelectorAll('[data-testid="message-block"]')[1].querySelectorAll('.find-widget .button')].map((button) => getComputedStyle(button).borderTopWidth)`);
    expect(new Set(frames)).toStrictEqual(new Set(['0px']));

    // Typing in it moves nothing.
    await page.keyboard.type('persona');
    await page.keyboard.press('Tab');
    await expect(widget.locator('.replace-part textarea')).toBeFocused();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('role');
    await expect(widget.locator('.matchesCount')).toHaveText('1 of 1');
    expect(await editor.boundingBox()).toStrictEqual(opened);
    expect(await user.locator('.message-header').boundingBox()).toStrictEqual(header);
    expect(await outside()).toStrictEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `find-replace-${theme}.png`), clip: { x: (oneLine?.x ?? 0) - 16, y: (header?.y ?? 0) - 16, width: (oneLine?.width ?? 0) + 32, height: 150 } });

    // Escape gives the message back its one-line height.
    await page.keyboard.press('Escape');
    await expect(widget).not.toHaveClass(/\bvisible\b/);
    await expect.poll(() => editor.boundingBox()).toStrictEqual(oneLine);
  }
  expect(problems()).toStrictEqual([]);
});
