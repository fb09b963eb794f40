/**
 * The modal dialogs share one shell, so they answer the keyboard alike: focus starts in the
 * dialog, Tab and Shift+Tab go round inside it (past disabled fields and buttons), Esc cancels
 * from anywhere in it (a click on its plain text included), and focus goes back to the opener
 * however the dialog closes (Esc, Cancel or a click beside it). While one is open, the window's
 * shortcuts wait for it.
 */

import { expect, test, type Locator, type Page } from '@playwright/test';
import { startHost, type HostHandle } from './host';
import { addLmStudioEndpoint, createPrompt, openApp, openWorkspace, pressIsIntercepted, providerCard } from './ui-support';

let host: HostHandle;

test.afterEach(async () => {
  await host.stop();
});

/** The test id of what has the focus ("body" when nothing does); the tests compile without the DOM library. */
function focusedTestId(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const element = document.activeElement;
    if (element === null || element === document.body) return 'body';
    return element.getAttribute('data-testid') ?? element.tagName.toLowerCase();
  })()`);
}

async function pressAndRecord(page: Page, key: string, times: number): Promise<string[]> {
  const focused: string[] = [];
  for (let index = 0; index < times; index++) {
    await page.keyboard.press(key);
    focused.push(await focusedTestId(page));
  }
  return focused;
}

/** Where focus goes in a dialog, and where it goes back to, as a person finds it. */
interface DialogWalk {
  onOpen: string;
  tab: string[];
  shiftTab: string[];
  afterEscape: string;
  afterEscapeFromTitle: string;
  afterCancel: string | null;
  afterClickBeside: string;
}

/**
 * Opens a dialog through `open` again and again, and walks it: Tab and Shift+Tab one more time
 * than it has stops, Esc, a click on its title and Esc, Cancel, and a click on the backdrop.
 */
async function walkDialog(page: Page, dialog: Locator, open: () => Promise<void>, stops: number): Promise<DialogWalk> {
  const reopen = async () => {
    await open();
    await expect(dialog).toBeVisible();
  };
  const closed = async () => {
    await expect(dialog).toBeHidden();
    return focusedTestId(page);
  };
  await reopen();
  const onOpen = await focusedTestId(page);
  const tab = await pressAndRecord(page, 'Tab', stops + 1);
  await page.keyboard.press('Escape');
  const afterEscape = await closed();

  await reopen();
  const shiftTab = await pressAndRecord(page, 'Shift+Tab', stops + 1);
  await page.keyboard.press('Escape');
  await closed();

  await reopen();
  await dialog.locator('.dialog-title').click();
  await page.keyboard.press('Escape');
  const afterEscapeFromTitle = await closed();

  let afterCancel: string | null = null;
  await reopen();
  if ((await dialog.getByTestId('dialog-cancel').count()) > 0) {
    await dialog.getByTestId('dialog-cancel').click();
    afterCancel = await closed();
    await reopen();
  }
  // Beside the dialog, low on the left: the backdrop over the activity bar.
  await page.mouse.click(8, 700);
  const afterClickBeside = await closed();
  return { onOpen, tab, shiftTab, afterEscape, afterEscapeFromTitle, afterCancel, afterClickBeside };
}

test('every dialog keeps the keyboard inside while open, cancels with Esc from anywhere in it and gives focus back to its opener', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);

  // Save version: its note is its only field.
  await createPrompt(page, 'Dialog keys');
  const saveDialog = page.getByTestId('save-version-dialog');
  expect(await walkDialog(page, saveDialog, () => page.getByTestId('save-version').click(), 1)).toEqual({
    onOpen: 'version-note-input',
    tab: ['version-note-input', 'version-note-input'],
    shiftTab: ['version-note-input', 'version-note-input'],
    afterEscape: 'save-version',
    afterEscapeFromTitle: 'save-version',
    afterCancel: null,
    afterClickBeside: 'save-version',
  });

  // Approve: the gate's threshold is disabled until the gate is on.
  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  await page.getByTestId('tab-versions').click();
  const versionRow = page.locator('[data-testid="version-row"][data-version="2"]');
  const openApprove = async () => {
    await versionRow.hover();
    await versionRow.getByTestId('approve-version').click();
  };
  const approveDialog = page.getByTestId('approve-dialog');
  expect(await walkDialog(page, approveDialog, openApprove, 4)).toEqual({
    onOpen: 'approval-note-input',
    tab: ['gate-toggle', 'dialog-cancel', 'approve-confirm', 'approval-note-input', 'gate-toggle'],
    shiftTab: ['approve-confirm', 'dialog-cancel', 'gate-toggle', 'approval-note-input', 'approve-confirm'],
    afterEscape: 'approve-version',
    afterEscapeFromTitle: 'approve-version',
    afterCancel: 'approve-version',
    afterClickBeside: 'approve-version',
  });
  // With a gate that cannot pass (no eval yet), the threshold takes a stop and Approve, disabled, none.
  await openApprove();
  await approveDialog.getByTestId('gate-toggle').check();
  await expect(approveDialog.getByTestId('approve-confirm')).toBeDisabled();
  expect(await pressAndRecord(page, 'Tab', 4)).toEqual(['gate-threshold', 'dialog-cancel', 'approval-note-input', 'gate-toggle']);
  await page.keyboard.press('Escape');
  await expect(approveDialog).toBeHidden();

  // Import: no Enter to submit (its pasted cases take Enter), but the same keyboard otherwise.
  // With no judge in Settings, its judge is unticked: the provider and model wait, out of the way.
  await openWorkspace(page, 'evals');
  const importDialog = page.getByTestId('import-dialog');
  expect(await walkDialog(page, importDialog, () => page.getByTestId('open-import').click(), 8)).toEqual({
    onOpen: 'import-file',
    tab: ['import-text', 'import-format', 'import-append', 'import-replace', 'import-judge-check', 'dialog-cancel', 'import-submit', 'import-file', 'import-text'],
    shiftTab: ['import-submit', 'dialog-cancel', 'import-judge-check', 'import-replace', 'import-append', 'import-format', 'import-text', 'import-file', 'import-submit'],
    afterEscape: 'open-import',
    afterEscapeFromTitle: 'open-import',
    afterCancel: 'open-import',
    afterClickBeside: 'open-import',
  });

  // A confirmation of what cannot be undone: focus starts on the safe choice, Cancel.
  await addLmStudioEndpoint(page, 'http://127.0.0.1:9/v1');
  const confirmDialog = page.getByTestId('remove-provider-dialog');
  const openConfirm = () => providerCard(page, 'LM Studio').getByTestId('provider-remove').click();
  expect(await walkDialog(page, confirmDialog, openConfirm, 2)).toEqual({
    onOpen: 'dialog-cancel',
    tab: ['confirm-button', 'dialog-cancel', 'confirm-button'],
    shiftTab: ['confirm-button', 'dialog-cancel', 'confirm-button'],
    afterEscape: 'provider-remove',
    afterEscapeFromTitle: 'provider-remove',
    afterCancel: 'provider-remove',
    afterClickBeside: 'provider-remove',
  });
  // Enter as it opens keeps the provider, as does Enter after a click on its words; only Tab to Remove, then Enter, removes.
  await openConfirm();
  await page.keyboard.press('Enter');
  await expect(confirmDialog).toBeHidden();
  await openConfirm();
  await confirmDialog.locator('.dialog-body p').last().click();
  await page.keyboard.press('Enter');
  await expect(confirmDialog).toBeVisible();
  await page.keyboard.press('Escape');
  expect({ focused: await focusedTestId(page), providers: await providerCard(page, 'LM Studio').count() }).toEqual({ focused: 'provider-remove', providers: 1 });
});

/** What the window's shortcuts could have done behind a dialog: the screen as it is, and where the focus is. */
async function behindTheDialog(page: Page) {
  return {
    focused: await focusedTestId(page),
    dialogs: await page.locator('[aria-modal="true"]').count(),
    workspace: await page.locator('[data-testid^="nav-"][aria-current="page"]').getAttribute('data-testid'),
    toasts: await page.getByTestId('toast').count(),
    runRefusals: await page.getByTestId('run-refusal').count(),
    newPromptInputs: await page.getByTestId('new-prompt-name').count(),
  };
}

test('while a dialog is open, the window’s shortcuts wait for it, and neither Ctrl+S nor Ctrl+P reaches the browser', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);
  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  await page.getByTestId('tab-versions').click();
  const versionRow = page.locator('[data-testid="version-row"][data-version="2"]');
  await versionRow.hover();
  await versionRow.getByTestId('approve-version').click();
  await expect(page.getByTestId('approval-note-input')).toBeFocused();

  // Save a version, run, search the library, a new prompt, the History workspace: none of them, behind the dialog.
  // Nor the browser's Save page and Print.
  expect({ save: await pressIsIntercepted(page, 'Control+S'), search: await pressIsIntercepted(page, 'Control+P') }).toEqual({ save: true, search: true });
  for (const keys of ['Control+Enter', 'Alt+N', 'Control+Shift+H']) await page.keyboard.press(keys);
  expect(await behindTheDialog(page)).toEqual({ focused: 'approval-note-input', dialogs: 1, workspace: 'nav-prompts', toasts: 0, runRefusals: 0, newPromptInputs: 0 });

  // Closed, the dialog gives the keyboard back to the window.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('approve-dialog')).toBeHidden();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-refusal')).toHaveText(/Add a model to run on first/);
  await page.keyboard.press('Control+Shift+H');
  await expect(page.getByTestId('nav-history')).toHaveAttribute('aria-current', 'page');
});
