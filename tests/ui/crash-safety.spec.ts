/**
 * A crash loses nothing that the status bar called saved: kill the host with SIGKILL right
 * after "Draft saved", start a new one on the same data folder, and find the draft and every
 * version intact, in a database that passes SQLite's integrity check.
 */

import Database from 'better-sqlite3';
import path from 'node:path';
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';
import { makeTempDir, startHost, type HostHandle } from './host';
import { startOpenAiServer } from '../fixtures/openai-server';
import {
  addRunTarget,
  createPrompt,
  editorText,
  expectDraftSaved,
  focusEditorEnd,
  listedVersions,
  messageBlocks,
  openApp,
  openWorkspace,
  replaceEditorText,
  runColumn,
  saveVersion,
  setProviderUrl,
  toastLines,
} from './ui-support';

let hosts: HostHandle[] = [];

test.afterEach(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  hosts = [];
});

/**
 * Answers every autosave (`drafts:save`) on the page's first bridge connection with `error`, the
 * rest passing through; later connections (after a reload) are healthy. Returns how many
 * connections there have been.
 */
async function refuseFirstConnectionSaves(page: Page, error: { code: string; message: string }): Promise<() => number> {
  let connections = 0;
  await page.routeWebSocket(/\/bridge/, (socket) => {
    const isBroken = ++connections === 1;
    const server = socket.connectToServer();
    socket.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id: number; channel: string };
      if (isBroken && call.channel === 'drafts:save') socket.send(JSON.stringify({ type: 'result', id: call.id, ok: false, error }));
      else server.send(message);
    });
    server.onMessage((message) => socket.send(message));
  });
  return () => connections;
}

test('a draft saved before SIGKILL survives, with all versions and an intact database', async ({ page }) => {
  const dataDir = makeTempDir('crash');
  const first = await startHost({ dataDir });
  hosts.push(first);
  await openApp(page, first);

  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Summarizer');
  const versionsBefore = await listedVersions(page);
  expect(versionsBefore.length).toBeGreaterThanOrEqual(1);

  const user = messageBlocks(page).last();
  await focusEditorEnd(page, user);
  await page.keyboard.type('\nSaved as a version before the crash.');
  await saveVersion(page, 'Before the crash');
  await focusEditorEnd(page, user);
  await page.keyboard.type('\nOnly in the draft when the host died.');
  await expectDraftSaved(page);
  await expect.poll(() => editorText(user)).toContain('Only in the draft when the host died.');
  const draftBefore = await editorText(user);
  const versionsSaved = await listedVersions(page);
  expect(versionsSaved).toEqual([`v${versionsBefore.length + 1} Before the crash`, ...versionsBefore]);

  await first.kill();
  await expect(page.getByTestId('connection-status')).not.toHaveText('Connected');
  // Typing while the host is gone is kept, and the status bar says it is not saved.
  await focusEditorEnd(page, user);
  await page.keyboard.type(' Typed while offline.');
  await expect(page.getByTestId('draft-status')).toHaveText('Offline — not saved');
  await expect.poll(() => editorText(user)).toBe(`${draftBefore} Typed while offline.`);

  const second = await startHost({ dataDir });
  hosts.push(second);
  await openApp(page, second);
  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Summarizer');
  await expect.poll(() => editorText(messageBlocks(page).last())).toBe(draftBefore);
  expect(await listedVersions(page)).toEqual(versionsSaved);

  await second.stop();
  hosts = [];
  const database = new Database(path.join(dataDir, 'workbench.sqlite'), { readonly: true });
  try {
    expect(database.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    database.close();
  }
});

test('edits the host could not save come back after the window is reloaded', async ({ page, browser }) => {
  const host = await startHost();
  hosts.push(host);
  // The first page's connection answers every autosave with 'unavailable', as a host that
  // went away would; the reloaded page's connection is healthy.
  await refuseFirstConnectionSaves(page, { code: 'unavailable', message: 'The host went away' });
  await openApp(page, host);
  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  const user = messageBlocks(page).last();
  await focusEditorEnd(page, user);
  await page.keyboard.type('\nTyped while nothing could be saved.');
  await expect(page.getByTestId('draft-status')).toHaveText('Offline — not saved');
  await expect(page.getByTestId('draft-status')).toHaveAttribute('title', /^Not saved yet: the browser keeps these edits for this address/);
  await expect.poll(() => editorText(user)).toContain('Typed while nothing could be saved.');
  const typed = await editorText(user);

  await page.reload();
  await expect(page.getByTestId('prompt-title')).toHaveText('Summarizer');
  await expect.poll(() => editorText(messageBlocks(page).last())).toBe(typed);
  await expectDraftSaved(page);

  // The engine has it now: a browser with no local copy sees the same draft.
  const other = await browser.newContext();
  try {
    const fresh = await other.newPage();
    await openApp(fresh, host);
    await fresh.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
    await expect.poll(() => editorText(messageBlocks(fresh).last())).toBe(typed);
  } finally {
    await other.close();
  }
});

test('a draft the database refuses is kept: the status bar and one toast say why, and a reload saves it once the database takes it', async ({ page }) => {
  const host = await startHost();
  hosts.push(host);
  // The first page's connection answers every autosave as an engine whose database failed in use
  // (its words, code 'storage'); the reloaded page's connection is healthy again.
  const said =
    'The database /data/workbench.sqlite is damaged (SQLite says “database disk image is malformed”). Close Prompt Workbench, then restore the file from a backup, ' +
    'or move it aside (with any workbench.sqlite-wal and -shm files beside it) and start again to begin with an empty database, or set WORKBENCH_DATA_DIR to another data folder.';
  const connections = await refuseFirstConnectionSaves(page, { code: 'storage', message: said });
  await openApp(page, host);
  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Summarizer');
  const user = messageBlocks(page).last();
  await focusEditorEnd(page, user);
  await page.keyboard.type('\nTyped while the database was failing.');
  await expect(page.getByTestId('draft-status')).toHaveText(`Not saved — ${said}`);
  await expect(page.getByTestId('draft-status')).toHaveAttribute('title', said);
  // The long message ends in "…" in the status bar, which keeps the theme switch in view.
  expect(await page.getByTestId('draft-status').locator('.status-text').evaluate((text) => text.scrollWidth > text.clientWidth)).toBe(true);
  await expect(page.getByTestId('theme-switch')).toBeInViewport({ ratio: 1 });
  expect(await toastLines(page, 'Draft not saved')).toStrictEqual([`Draft not saved: ${said}`]);
  // The next edit tries again; the same failure does not stack another toast.
  await page.keyboard.type(' More.');
  await expect.poll(() => editorText(user)).toContain('Typed while the database was failing. More.');
  await expect.poll(connections).toBe(1);
  await expect(page.getByTestId('draft-status')).toHaveText(`Not saved — ${said}`);
  await expect(page.getByTestId('toast').filter({ hasText: 'Draft not saved' })).toHaveCount(1);
  const typed = await editorText(user);

  // Nothing typed is lost: the browser kept it, and the reloaded window saves it.
  await page.reload();
  await expect(page.getByTestId('prompt-title')).toHaveText('Summarizer');
  await expect.poll(() => editorText(messageBlocks(page).last())).toBe(typed);
  await expectDraftSaved(page);
});

test('a dropped connection comes back by itself and saves what was typed meanwhile', async ({ page, browser }) => {
  const host = await startHost();
  hosts.push(host);
  let isRefusing = false;
  let current: WebSocketRoute | null = null;
  await page.routeWebSocket(/\/bridge/, (socket) => {
    if (isRefusing) {
      socket.close({ code: 1011, reason: 'Host unreachable' });
      return;
    }
    current = socket;
    socket.connectToServer();
  });
  await openApp(page, host);
  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Summarizer');

  isRefusing = true;
  await current!.close({ code: 1006, reason: 'Dropped' });
  await expect(page.getByTestId('connection-status')).toHaveText(/Offline|Connecting…/);

  const user = messageBlocks(page).last();
  await focusEditorEnd(page, user);
  await page.keyboard.type('\nTyped while the connection was down.');
  await expect(page.getByTestId('draft-status')).toHaveText('Offline — not saved');
  await expect.poll(() => editorText(user)).toContain('Typed while the connection was down.');
  const typed = await editorText(user);

  isRefusing = false;
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await expectDraftSaved(page);

  const other = await browser.newContext();
  try {
    const fresh = await other.newPage();
    await openApp(fresh, host);
    await fresh.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
    await expect.poll(() => editorText(messageBlocks(fresh).last())).toBe(typed);
  } finally {
    await other.close();
  }
});

test('a run streaming when the host is killed: the column says the link is gone, then comes back with what it had streamed', async ({ page }) => {
  const openai = await startOpenAiServer({ reply: { tokens: Array.from({ length: 60 }, (_, index) => ` word${index}`), chunkDelayMs: 100 } });
  try {
    const dataDir = makeTempDir('crash-run');
    const first = await startHost({ dataDir, env: { OPENAI_API_KEY: 'test-openai-key' } });
    hosts.push(first);
    await openApp(page, first);
    await openWorkspace(page, 'settings');
    await setProviderUrl(page, 'OpenAI', openai.baseUrl);
    await openWorkspace(page, 'prompts');
    await createPrompt(page, 'Killed mid-run');
    await replaceEditorText(page, messageBlocks(page).first(), 'Count slowly.');
    await expectDraftSaved(page);
    await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
    await page.keyboard.press('Control+Enter');
    const column = runColumn(page, 'gpt-4o-mini');
    // Long enough for the engine to have stored what streamed (about every second).
    await expect(column.getByTestId('run-output')).toContainText('word20');

    await first.kill();
    // Cut off, the column does not pretend the run goes on: its clock stops, and it cannot be stopped from here.
    await expect(column.getByTestId('run-status')).toHaveText('No connection');
    await expect(column.getByTestId('stop-run')).toBeDisabled();
    await expect(page.getByTestId('stop-all')).toBeDisabled();
    await expect(page.getByTestId('stop-batch')).toBeDisabled();
    await expect(page.getByTestId('batch-counts')).toHaveText('1 without connection');
    const frozen = await column.getByTestId('figure-elapsed').getByTestId('figure-value').innerText();
    await page.waitForTimeout(600);
    await expect(column.getByTestId('figure-elapsed').getByTestId('figure-value')).toHaveText(frozen);
    await expect(page.getByTestId('connection-status')).toHaveText('Offline: the host is not running');
    // Should it come back at another port, this page says what it cannot carry there.
    await expect(page.getByTestId('connection-status')).toHaveAttribute('title', /another address \(another port\), open the one it printed, but copy any unsaved edits/);

    // Started again where it ran, with a new token: this page can never get back in, and says where to go.
    const port = Number(new URL(first.url).port);
    const second = await startHost({ dataDir, port, env: { OPENAI_API_KEY: 'test-openai-key' } });
    hosts.push(second);
    await expect(page.getByTestId('connection-status')).toHaveText('Offline: the host was restarted', { timeout: 15_000 });
    await expect(page.getByTestId('connection-status')).toHaveAttribute('title', /open the address it printed/);

    // At its new address the run is back, ended, with everything it had streamed by the last second before the kill.
    await openApp(page, second);
    await page.getByTestId('prompt-row').filter({ hasText: 'Killed mid-run' }).click();
    const restored = runColumn(page, 'gpt-4o-mini');
    await expect(restored).toHaveAttribute('data-status', 'error');
    // Not "Failed": nothing went wrong with the request; the app stopped under it.
    await expect(restored.getByTestId('run-status')).toHaveText('Interrupted');
    await expect(restored.getByTestId('run-output')).toContainText('word10');
    await expect(restored).toContainText('The app stopped before this run finished');
    await expect(restored.getByTestId('figure-output')).toHaveAttribute('data-estimated', 'true');
    await expect(restored.getByTestId('figure-output').getByTestId('figure-value')).not.toHaveText(/^~?0$/);
    // History says the same, in the list and in the run it opens.
    await openWorkspace(page, 'history');
    await expect(page.getByTestId('history-status')).toHaveAttribute('aria-label', 'Interrupted');
    await page.getByTestId('history-row').first().click();
    await expect(page.getByTestId('run-detail').getByTestId('run-status')).toHaveText('Interrupted');
  } finally {
    await openai.close();
  }
});

test('while the host is down, Save version and Run say why they cannot act, and so do their shortcuts', async ({ page }) => {
  const dataDir = makeTempDir('offline-actions');
  const first = await startHost({ dataDir });
  hosts.push(first);
  await openApp(page, first);
  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Summarizer');
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await expect(page.getByTestId('runs-empty')).toHaveText('Press Ctrl+Enter to run the draft on 1 model.');
  await expect(page.getByTestId('save-version')).toBeEnabled();

  await first.kill();
  await expect(page.getByTestId('connection-status')).toHaveText('Offline: the host is not running');
  const why = 'Not connected: the workbench host is not running';
  const offline = async () => ({
    save: [await page.getByTestId('save-version').isDisabled(), await page.getByTestId('save-version').getAttribute('title')],
    run: [await page.getByTestId('run-button').isDisabled(), await page.getByTestId('run-button').getAttribute('title')],
    hint: await page.getByTestId('runs-empty').innerText(),
  });
  await expect.poll(offline).toEqual({ save: [true, why], run: [true, why], hint: `${why}.` });

  // The shortcuts say the same in a toast, rather than nothing.
  await focusEditorEnd(page, messageBlocks(page).last());
  await page.keyboard.type(' Typed offline.');
  await page.keyboard.press('Control+S');
  await expect(page.getByTestId('toast')).toHaveText([why]);
  await expect(page.getByTestId('save-version-dialog')).toBeHidden();
  await page.getByTestId('toast').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('toast')).toHaveCount(0);
  await focusEditorEnd(page, messageBlocks(page).last());
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('toast')).toHaveText([why]);
  await expect(page.getByTestId('run-refusal')).toBeHidden();

  // Started again with a new token, this page cannot get back in: they say where to go instead.
  const second = await startHost({ dataDir, port: Number(new URL(first.url).port) });
  hosts.push(second);
  await expect(page.getByTestId('connection-status')).toHaveText('Offline: the host was restarted', { timeout: 15_000 });
  const restarted = 'Not connected: the workbench host was restarted; open the address it printed';
  await expect.poll(offline).toEqual({ save: [true, restarted], run: [true, restarted], hint: `${restarted}.` });

  // At its address, both work again.
  await openApp(page, second);
  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  await expect(page.getByTestId('save-version')).toBeEnabled();
  await expect(page.getByTestId('run-button')).toBeEnabled();
});

test('in Evals, while the host is down, Save and Run eval say why they cannot act, and so do their shortcuts', async ({ page }) => {
  const first = await startHost({ dataDir: makeTempDir('offline-evals') });
  hosts.push(first);
  await openApp(page, first);
  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Summarizer');
  await openWorkspace(page, 'evals');
  const view = page.getByTestId('evals-view');
  await view.getByTestId('add-case').click();
  await expect(view.getByTestId('suite-unsaved')).toBeVisible();
  await expect(view.getByTestId('save-suite')).toBeEnabled();

  await first.kill();
  await expect(page.getByTestId('connection-status')).toHaveText('Offline: the host is not running');
  const why = 'Not connected: the workbench host is not running';
  await expect(view.getByTestId('save-suite')).toBeDisabled();
  await expect(view.getByTestId('save-suite')).toHaveAttribute('title', why);
  await page.keyboard.press('Control+S');
  await expect(page.getByTestId('toast')).toHaveText([why]);
  // What was typed stays, unsaved, for when the host is back.
  await expect(view.getByTestId('suite-unsaved')).toBeVisible();
  await page.getByTestId('toast').getByRole('button', { name: 'Dismiss' }).click();

  await view.getByTestId('evals-tab-results').click();
  await expect(view.getByTestId('start-eval')).toBeDisabled();
  await expect(view.getByTestId('start-eval')).toHaveAttribute('title', why);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('toast')).toHaveText([why]);
});
