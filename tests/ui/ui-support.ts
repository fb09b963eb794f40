/**
 * Helpers for UI tests: open the app on a host, and read and type in Monaco as a user would.
 */

import { expect, type Locator, type Page } from '@playwright/test';
import type { HostHandle } from './host';

/**
 * Collects what must never happen on a page: console errors and warnings, page errors, CSP
 * violations, and requests that leave the host (Monaco must work offline).
 */
export function watchForProblems(page: Page, host: HostHandle): () => string[] {
  const problems: string[] = [];
  const origin = new URL(host.url).origin;
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`remote request: ${url}`);
  });
  page.on('requestfailed', (request) => problems.push(`failed request: ${request.url()}`));
  return () => problems;
}

/** Opens the workbench served by `host` and waits until it is connected with its library loaded. */
export async function openApp(page: Page, host: HostHandle): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  // The list itself shows before its prompts come (it fills the sidebar, empty): a row, or the
  // words for an empty library, say they did.
  await expect(page.getByTestId('prompt-row').or(page.getByTestId('library-empty')).first()).toBeVisible();
}

/** Answers and events of the bridge a test holds back (see `holdBridgeMessages`). */
export interface BridgeHold {
  /** True while a message of that name is held. */
  has(name: string): boolean;
  /** Waits until a message of that name is held, then lets it and every later one of that name through. */
  release(name: string): Promise<void>;
}

/**
 * Routes the page's bridge connection through the test, which holds back the messages from the
 * host for which `shouldHold` says so, until `release`: a moment between two messages made long.
 * A message is named by its event's name, or by the channel of the call it answers (`nameOf`
 * may name a call otherwise, e.g. by its input). Call before the page opens the app.
 */
export async function holdBridgeMessages(
  page: Page,
  shouldHold: (name: string) => boolean,
  nameOf: (call: { channel: string; input: unknown }) => string = (call) => call.channel,
): Promise<BridgeHold> {
  const held = new Map<string, (() => void)[]>();
  const released = new Set<string>();
  await page.routeWebSocket(/\/bridge/, (socket) => {
    const server = socket.connectToServer();
    const names = new Map<number, string>();
    socket.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id: number; channel: string; input: unknown };
      names.set(call.id, nameOf(call));
      server.send(message);
    });
    server.onMessage((message) => {
      const reply = JSON.parse(String(message)) as { type: string; id?: number; name?: string };
      const name = reply.type === 'result' && reply.id !== undefined ? names.get(reply.id) : reply.name;
      if (name !== undefined && !released.has(name) && shouldHold(name)) held.set(name, [...(held.get(name) ?? []), () => socket.send(message)]);
      else socket.send(message);
    });
  });
  return {
    has: (name) => held.has(name),
    release: async (name) => {
      await expect.poll(() => held.has(name)).toBe(true);
      released.add(name);
      for (const send of held.get(name) ?? []) send();
      held.delete(name);
    },
  };
}

/** The message blocks of the draft editor. */
export function messageBlocks(page: Page): Locator {
  return page.getByTestId('message-block');
}

/** The position of the message whose editor has the keyboard; -1 when none has it. */
export function focusedMessage(page: Page): Promise<number> {
  return page.evaluate<number>(`(() => {
    const block = document.activeElement?.closest('.monaco-editor')?.closest('[data-testid="message-block"]');
    return block ? [...document.querySelectorAll('[data-testid="message-block"]')].indexOf(block) : -1;
  })()`);
}

/** The visible text of a Monaco editor (non-breaking spaces as spaces). */
export async function editorText(editor: Locator): Promise<string> {
  const text = await editor.locator('.view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Puts the cursor at the end of a message editor's text. */
export async function focusEditorEnd(page: Page, block: Locator): Promise<void> {
  await block.locator('.view-lines').first().click();
  await page.keyboard.press('Control+End');
}

/** Replaces a message editor's text by typing, key by key. */
export async function replaceEditorText(page: Page, block: Locator, text: string): Promise<void> {
  await block.locator('.view-lines').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/** Waits until the status bar says the draft is saved. */
export async function expectDraftSaved(page: Page): Promise<void> {
  await expect(page.getByTestId('draft-status')).toHaveText('Draft saved');
}

/** Saves the draft as a version through Ctrl+S and the note dialog. */
export async function saveVersion(page: Page, note: string): Promise<void> {
  await page.keyboard.press('Control+S');
  const dialog = page.getByTestId('save-version-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('version-note-input')).toBeFocused();
  await page.keyboard.type(note);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
}

/** The library row of the prompt called `name` exactly. */
export function libraryRow(page: Page, name: string): Locator {
  return page.getByTestId('prompt-row').filter({ has: page.getByTestId('prompt-name').getByText(name, { exact: true }) });
}

/** Creates a prompt through the sidebar and waits for it to open. */
export async function createPrompt(page: Page, name: string): Promise<void> {
  await page.getByTestId('new-prompt').click();
  await page.getByTestId('new-prompt-name').fill(name);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prompt-title')).toHaveText(name);
}

/** The version numbers and notes the Versions tab lists, newest first. */
export async function listedVersions(page: Page): Promise<string[]> {
  await page.getByTestId('tab-versions').click();
  const rows = page.getByTestId('version-row');
  const count = await rows.count();
  const result: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const row = rows.nth(index);
    result.push(`v${await row.getAttribute('data-version')} ${await row.getByTestId('version-note').innerText()}`);
  }
  return result;
}

/** Switches the window to a workspace through the activity bar. */
export async function openWorkspace(page: Page, workspace: 'prompts' | 'evals' | 'history' | 'release' | 'settings'): Promise<void> {
  await page.getByTestId(`nav-${workspace}`).click();
  await expect(page.getByTestId(`nav-${workspace}`)).toHaveAttribute('aria-current', 'page');
}

/**
 * Presses `keys` and says whether the window kept the browser's own action from happening (its
 * "Save page" dialog for Ctrl+S, say): whether the key press was default-prevented.
 */
export async function pressIsIntercepted(page: Page, keys: string): Promise<boolean> {
  await page.evaluate(() => {
    const probe = globalThis as unknown as KeyProbe;
    probe.interceptedKey = null;
    probe.keyListener = (event) => {
      // The modifiers go down first, and nothing is meant to stop them.
      if (!['Control', 'Shift', 'Alt', 'Meta'].includes(event.key)) probe.interceptedKey = event.defaultPrevented;
    };
    // On the window in the capture phase, after the app: its stopPropagation cannot hide the press from this listener.
    probe.addEventListener('keydown', probe.keyListener, true);
  });
  await page.keyboard.press(keys);
  return page.evaluate(() => {
    const probe = globalThis as unknown as KeyProbe;
    if (probe.keyListener) probe.removeEventListener('keydown', probe.keyListener, true);
    return probe.interceptedKey === true;
  });
}

type KeyListener = (event: { key: string; defaultPrevented: boolean }) => void;

/** The page's window as `pressIsIntercepted` uses it (the tests' types know no DOM). */
interface KeyProbe {
  interceptedKey: boolean | null;
  keyListener?: KeyListener;
  addEventListener(type: 'keydown', listener: KeyListener, capture: boolean): void;
  removeEventListener(type: 'keydown', listener: KeyListener, capture: boolean): void;
}

/** The settings card of a provider, by its name. */
export function providerCard(page: Page, label: string): Locator {
  return page.locator(`[data-testid="provider-card"][data-provider="${label}"]`);
}

/** Points a provider at `url` (base URL or Ollama host) in Settings and saves it. */
export async function setProviderUrl(page: Page, label: string, url: string): Promise<void> {
  const card = providerCard(page, label);
  await card.getByTestId('provider-url').fill(url);
  await card.getByTestId('provider-save').click();
  await expect(card.getByTestId('provider-message')).toHaveText('Saved');
}

/** The lines of the latest toast that says `start`, as shown. */
export async function toastLines(page: Page, start: string): Promise<string[]> {
  const message = page.getByTestId('toast').filter({ hasText: start }).last().locator('.toast-message');
  await expect(message).toBeVisible();
  return (await message.innerText()).split('\n');
}

/** Gives a model of a provider a flat price in Settings (USD per million input and output tokens). */
export async function setModelPrice(page: Page, providerLabel: string, model: string, input: number, output: number): Promise<void> {
  const table = page.getByTestId('price-table');
  await table.getByTestId('price-provider').selectOption({ label: providerLabel });
  const row = table.getByTestId('new-price-row');
  await row.getByTestId('new-price-model').fill(model);
  await row.getByTestId('rate-input').fill(String(input));
  await row.getByTestId('rate-output').fill(String(output));
  await row.getByTestId('new-price-add').click();
  await expect(table.locator(`[data-testid="price-row"][data-model="${model}"]`).getByTestId('price-source')).toHaveText('yours');
}

/** Adds an OpenAI-compatible endpoint from the "LM Studio" preset, pointed at `baseUrl`, in Settings. */
export async function addLmStudioEndpoint(page: Page, baseUrl: string): Promise<void> {
  await openWorkspace(page, 'settings');
  await page.locator('[data-testid="add-endpoint"][data-preset="LM Studio"]').click();
  const card = page.locator('[data-testid="provider-card"][data-provider="new"]');
  await card.getByTestId('provider-url').fill(baseUrl);
  await card.getByTestId('provider-save').click();
  await expect(providerCard(page, 'LM Studio')).toBeVisible();
}

/** Adds a model column through "+ Model" in the runs panel. */
export async function addRunTarget(page: Page, providerLabel: string, model: string): Promise<void> {
  // From the keyboard: "+ Model" leads its row, but a chip's estimate arriving a moment later can
  // still wrap the row and move the whole toolbar, between Playwright's aim and its click.
  await page.getByTestId('add-model').focus();
  await page.keyboard.press('Enter');
  const picker = page.getByTestId('model-picker');
  await expect(picker).toBeVisible();
  // Whole in the window (it opens upwards from a toolbar low in it), and the page did not scroll to show it.
  const box = await picker.boundingBox();
  expect((box?.y ?? -1) >= 0 && (box?.y ?? 0) + (box?.height ?? 0) <= (page.viewportSize()?.height ?? 0)).toBe(true);
  expect(await page.evaluate<number>('document.scrollingElement?.scrollTop ?? 0')).toBe(0);
  await picker.getByTestId('picker-provider').selectOption({ label: providerLabel });
  await picker.getByTestId('picker-model').fill(model);
  await picker.getByTestId('picker-model').press('Enter');
  await expect(page.locator(`[data-testid="target-chip"][data-model="${model}"]`)).toBeVisible();
  await picker.getByTestId('picker-model').press('Escape');
  await expect(picker).toBeHidden();
}

/** The run column of a model. */
export function runColumn(page: Page, model: string): Locator {
  return page.locator(`[data-testid="run-column"][data-model="${model}"]`);
}

/** What a run column shows in figures, as text, with "~" where it marks an estimate. */
export async function columnFigures(column: Locator): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  for (const name of ['input', 'output', 'cost', 'ttft', 'speed', 'elapsed']) {
    figures[name] = (await column.getByTestId(`figure-${name}`).getByTestId('figure-value').innerText()).trim();
  }
  return figures;
}
