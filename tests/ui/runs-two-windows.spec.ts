/**
 * Two windows on one browser host: a batch started in one streams in the other too (the engine
 * tells every window with `run:started`), to the same final output and figures; the models and
 * the samples chosen in one window are what the next window opens with. A window opened while a
 * column runs again shows the stored comparison with that column streaming in its place. Settings
 * saved in one window (theme, daily budget, cache limits) show in the other at once, and so do
 * prices set, changed or removed (in the estimates and in Settings › Prices), also in a window
 * that was offline when they changed, once it is back. Two hosts
 * running at once, on two ports, keep apart in one browser.
 */

import { expect, test, type WebSocketRoute } from '@playwright/test';
import { formatUsd } from '../../shared/cost';
import type { RunChoices } from '../../shared/types';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { makeTempDir, startHost, type HostHandle } from './host';
import { addRunTarget, createPrompt, expectDraftSaved, messageBlocks, openApp, openWorkspace, providerCard, replaceEditorText, setModelPrice, setProviderUrl } from './ui-support';

const TOKENS = [' Tides', ' follow', ' the', ' moon', ' and', ' the', ' sun', '.'];

let openai: OpenAiServer;
let host: HostHandle;

test.afterEach(async () => {
  await host?.stop();
  await openai?.close();
});

test('a batch started in one window streams in the other; the next window opens with the same models and samples', async ({ context }) => {
  openai = await startOpenAiServer({ reply: { tokens: TOKENS, chunkDelayMs: 50 } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  const first = await context.newPage();
  await openApp(first, host);
  await openWorkspace(first, 'settings');
  await setProviderUrl(first, 'OpenAI', openai.baseUrl);
  await openWorkspace(first, 'prompts');
  await createPrompt(first, 'Shared');
  await replaceEditorText(first, messageBlocks(first).first(), 'Explain tides.');
  await expectDraftSaved(first);
  await addRunTarget(first, 'OpenAI', 'gpt-4o-mini');
  const samples = first.getByTestId('run-samples');
  await samples.focus();
  await first.keyboard.press('ArrowUp');
  await expect(samples).toHaveValue('2');

  // A second window, opened afterwards, on the same prompt.
  const second = await context.newPage();
  await openApp(second, host);
  await second.getByTestId('prompt-row').filter({ hasText: 'Shared' }).click();
  await expect(second.getByTestId('prompt-title')).toHaveText('Shared');
  await expect(second.getByTestId('target-chip')).toHaveText([/gpt-4o-mini/]);
  await expect(second.getByTestId('run-samples')).toHaveValue('2');
  await expect(second.getByTestId('run-column')).toHaveCount(0);

  // Ctrl+Enter in the first window: both show two columns streaming, then the same answers. The
  // server holds both streams after their second token until the second window has seen them running.
  let releaseStreams = (): void => undefined;
  const streamsHeld = new Promise<void>((resolve) => (releaseStreams = resolve));
  openai.script({ fault: { kind: 'pause', afterChunks: 2, until: streamsHeld } }, { fault: { kind: 'pause', afterChunks: 2, until: streamsHeld } });
  await first.bringToFront();
  await messageBlocks(first).first().click();
  await first.keyboard.press('Control+Enter');
  for (const page of [first, second]) {
    const columns = page.getByTestId('run-column');
    await expect(columns).toHaveCount(2);
    await expect(page.getByTestId('run-sample')).toHaveText(['#1', '#2']);
  }
  // The second window sees the text arrive while the server is still sending it.
  await expect(second.getByTestId('run-column').first()).toHaveAttribute('data-status', 'running');
  await expect(second.getByTestId('run-output').first()).toContainText('Tides follow');
  releaseStreams();
  for (const page of [first, second]) {
    for (const column of await page.getByTestId('run-column').all()) await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
    await expect(page.getByTestId('run-output')).toHaveText([TOKENS.join(''), TOKENS.join('')]);
    await expect(page.getByTestId('batch-counts')).toHaveText('2 done');
  }
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(2);

  // A column that failed runs again in its place, in every window. The first time, the server
  // stalls it, so a third window opens while it runs.
  openai.script({ fault: { kind: 'http-error', status: 400 } }, { fault: { kind: 'http-error', status: 400 } }, { fault: { kind: 'stall', afterChunks: 2 } });
  // Past the cache, which has both answers.
  await first.getByTestId('bypass-cache').check();
  await messageBlocks(first).first().click();
  await first.keyboard.press('Control+Enter');
  for (const page of [first, second]) await expect(page.getByTestId('batch-counts')).toHaveText('2 failed');
  const failedIds = await first.getByTestId('run-column').evaluateAll((columns) => columns.map((column) => column.getAttribute('data-run-id')));
  await first.getByTestId('run-column').nth(1).getByTestId('retry-run').click();
  await expect(first.getByTestId('run-column').nth(1)).toHaveAttribute('data-status', 'running');
  await expect(first.getByTestId('run-output').nth(1)).toHaveText(TOKENS.slice(0, 2).join(''));
  const stalledId = (await first.getByTestId('run-column').nth(1).getAttribute('data-run-id')) as string;
  expect(stalledId).not.toBe(failedIds[1]);
  // The third window shows the comparison as stored, the new run streaming in the column's place.
  const third = await context.newPage();
  await openApp(third, host);
  await third.getByTestId('prompt-row').filter({ hasText: 'Shared' }).click();
  await expect(third.getByTestId('batch-ran-at')).toBeVisible();
  await expect(third.getByTestId('run-column').nth(1)).toHaveAttribute('data-run-id', stalledId);
  await expect(third.getByTestId('run-column').nth(1)).toHaveAttribute('data-status', 'running');
  await expect(third.getByTestId('run-output').nth(1)).toHaveText(TOKENS.slice(0, 2).join(''));
  await expect(third.getByTestId('run-column').nth(0).getByTestId('retry-run')).toHaveCount(0);
  // Bypass cache is kept with the other choices: the new window's next run goes past the cache too, as its header says the last one did.
  await expect(third.getByTestId('batch-header')).toContainText('cache bypassed');
  await expect(third.getByTestId('bypass-cache')).toBeChecked();
  // Stopped in the first window, it stops in every window, and so does the comparison: both columns may run again.
  await first.getByTestId('run-column').nth(1).getByTestId('stop-run').click();
  for (const page of [first, second, third]) {
    await expect(page.getByTestId('run-column').nth(1)).toHaveAttribute('data-status', 'cancelled');
    await expect(page.getByTestId('batch-counts')).toHaveText('1 failed · 1 stopped');
    await expect(page.getByTestId('run-column').nth(0).getByTestId('retry-run')).toBeVisible();
    await expect(page.getByTestId('run-column').nth(1).getByTestId('retry-run')).toBeVisible();
  }
  // Run again from the third window, this time to the end.
  await third.getByTestId('run-column').nth(1).getByTestId('retry-run').click();
  for (const page of [first, second, third]) {
    await expect(page.getByTestId('run-column').nth(1)).not.toHaveAttribute('data-run-id', stalledId);
    await expect(page.getByTestId('run-column').nth(1)).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
    await expect(page.getByTestId('run-sample')).toHaveText(['#1', '#2']);
    await expect(page.getByTestId('run-column').nth(0)).toHaveAttribute('data-run-id', failedIds[0] as string);
    await expect(page.getByTestId('run-output').nth(1)).toHaveText(TOKENS.join(''));
    await expect(page.getByTestId('batch-counts')).toHaveText('1 done · 1 failed');
  }
});

test('settings saved in one window show in the other without a reload', async ({ context }) => {
  openai = await startOpenAiServer();
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  const first = await context.newPage();
  await openApp(first, host);
  await createPrompt(first, 'Budgeted');
  await replaceEditorText(first, messageBlocks(first).first(), 'Explain tides in a long and careful essay.');
  await expectDraftSaved(first);
  await addRunTarget(first, 'OpenAI', 'gpt-4o-mini');
  const second = await context.newPage();
  await openApp(second, host);
  await second.getByTestId('prompt-row').filter({ hasText: 'Budgeted' }).click();
  await expect(second.getByTestId('estimate-cell')).toHaveCount(1);
  await expect(second.getByTestId('estimate-budget')).toHaveCount(0);
  const themeOf = (page: typeof first) => page.locator('html').getAttribute('data-theme');
  const secondTheme = await themeOf(second);

  // The first window saves a budget far below this run's estimate, and the other theme.
  await first.bringToFront();
  await openWorkspace(first, 'settings');
  await first.getByTestId('budget-input').fill('0.000001');
  await first.getByTestId('budget-save').click();
  await expect(first.getByTestId('budget-message')).toHaveText('Saved: $0.000001 a day');
  const otherTheme = secondTheme === 'dark' ? 'light' : 'dark';
  await first.getByTestId(`theme-${otherTheme}`).click();

  // The second window, untouched: its estimate is over the new budget, and its theme follows.
  await expect(second.getByTestId('estimate-budget')).toHaveText(/^Over today’s budget of \$0\.000001 by /);
  await expect.poll(() => themeOf(second)).toBe(otherTheme);

  // A cache limit set in the second window is what the first one's Settings shows.
  await second.bringToFront();
  await openWorkspace(second, 'settings');
  await expect(second.getByTestId('budget-input')).toHaveValue('0.000001');
  await second.getByTestId('cache-limit-input').fill('64');
  await second.getByTestId('cache-limit-input').press('Enter');
  await expect(second.getByTestId('cache-limit-message')).toHaveText('Saved: 64 MB');
  await expect(first.getByTestId('cache-limit-input')).toHaveValue('64');
  await expect(first.getByTestId('cache-size')).toContainText('of 64 MB');
});

test('a price set, changed or removed in one window is what the other’s estimates and price list use, without a reload', async ({ context }) => {
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  const first = await context.newPage();
  await openApp(first, host);
  await createPrompt(first, 'Priced');
  await replaceEditorText(first, messageBlocks(first).first(), 'Explain tides in a long and careful essay.');
  await expectDraftSaved(first);
  await addRunTarget(first, 'OpenAI', 'gpt-4o');
  await addRunTarget(first, 'OpenAI', 'my-finetune');
  const chipCost = (model: string) => first.locator(`[data-testid="estimate-cell"][data-model="${model}"]`).getByTestId('estimate-cost');
  const input = first.locator('[data-testid="estimate-cell"][data-model="gpt-4o"]').getByTestId('estimate-input');
  await expect(input).toHaveText(/^~\d+ in$/);
  const inputTokens = Number((await input.innerText()).replace(/\D/g, ''));
  // No output to go by yet: the estimate is the input at the price in force.
  const costAt = (inputRate: number) => `~${formatUsd((inputTokens * inputRate) / 1e6)}`;
  await expect(chipCost('gpt-4o')).toHaveText(costAt(2.5));
  await expect(chipCost('my-finetune')).toHaveText('no price');

  // The second window prices both models, changes one price and removes both; the first, untouched, follows each step.
  const second = await context.newPage();
  await openApp(second, host);
  await openWorkspace(second, 'settings');
  await setModelPrice(second, 'OpenAI', 'gpt-4o', 5, 20);
  await expect(chipCost('gpt-4o')).toHaveText(costAt(5));
  await setModelPrice(second, 'OpenAI', 'my-finetune', 3, 4);
  await expect(chipCost('my-finetune')).toHaveText(costAt(3));
  const secondRow = (model: string) => second.locator(`[data-testid="price-row"][data-model="${model}"]`);
  await secondRow('gpt-4o').getByTestId('price-edit').click();
  await secondRow('gpt-4o').getByTestId('rate-input').fill('1');
  await secondRow('gpt-4o').getByTestId('price-save').click();
  await expect(secondRow('gpt-4o').getByTestId('price-input')).toHaveText('$1');
  await expect(chipCost('gpt-4o')).toHaveText(costAt(1));
  // Removed: back to the catalog’s price, and to none for a model the catalog does not know.
  await secondRow('gpt-4o').getByTestId('price-reset').click();
  await expect(secondRow('gpt-4o').getByTestId('price-source')).toHaveText('catalog');
  await expect(chipCost('gpt-4o')).toHaveText(costAt(2.5));
  await secondRow('my-finetune').getByTestId('price-reset').click();
  await expect(secondRow('my-finetune')).toHaveCount(0);
  await expect(chipCost('my-finetune')).toHaveText('no price');

  // Settings › Prices open in the second window shows a price the first sets and removes.
  await first.bringToFront();
  await openWorkspace(first, 'settings');
  await setModelPrice(first, 'OpenAI', 'gpt-4o', 7, 8);
  await expect(secondRow('gpt-4o').getByTestId('price-source')).toHaveText('yours');
  await expect(secondRow('gpt-4o').getByTestId('price-input')).toHaveText('$7');
  await first.locator('[data-testid="price-row"][data-model="gpt-4o"]').getByTestId('price-reset').click();
  await expect(secondRow('gpt-4o').getByTestId('price-source')).toHaveText('catalog');
  await expect(secondRow('gpt-4o').getByTestId('price-input')).toHaveText('$2.50');
});

test('a window offline when a price changed shows it in its open Settings › Prices and model list once it reconnects, without reopening them', async ({ context }) => {
  openai = await startOpenAiServer();
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  const first = await context.newPage();
  // The first window's link to the host goes through the test, which drops it, and refuses it until it lets it back.
  let isRefusing = false;
  let current: WebSocketRoute | null = null;
  await first.routeWebSocket(/\/bridge/, (socket) => {
    if (isRefusing) {
      socket.close({ code: 1011, reason: 'Host unreachable' });
      return;
    }
    current = socket;
    socket.connectToServer();
  });
  await openApp(first, host);
  await openWorkspace(first, 'settings');
  await setProviderUrl(first, 'OpenAI', openai.baseUrl);
  // Open in the first window: Test connection's models with their prices, and Settings › Prices at the catalog's.
  const card = providerCard(first, 'OpenAI');
  await card.getByTestId('provider-test').click();
  const modelPrice = card.locator('[data-testid="model-row"][data-model="gpt-4o-mini"]').getByTestId('model-price');
  await expect(modelPrice).toHaveText(/^\$[\d.]+ \/ \$[\d.]+$/);
  const catalogPrice = await modelPrice.innerText();
  const row = first.getByTestId('price-table').locator('[data-testid="price-row"][data-model="gpt-4o-mini"]');
  await expect(row.getByTestId('price-source')).toHaveText('catalog');

  isRefusing = true;
  await current!.close({ code: 1006, reason: 'Dropped' });
  await expect(first.getByTestId('connection-status')).toHaveText(/Offline|Connecting…/);
  // Meanwhile another window prices the model: the first hears nothing of it.
  const second = await context.newPage();
  await openApp(second, host);
  await openWorkspace(second, 'settings');
  await setModelPrice(second, 'OpenAI', 'gpt-4o-mini', 7, 8);
  expect([await row.getByTestId('price-source').innerText(), await modelPrice.innerText()]).toStrictEqual(['catalog', catalogPrice]);

  // Back: both show the new price, neither reopened.
  isRefusing = false;
  await first.bringToFront();
  await expect(first.getByTestId('connection-status')).toHaveText('Connected');
  await expect(row.getByTestId('price-source')).toHaveText('yours');
  await expect(row.getByTestId('price-input')).toHaveText('$7');
  await expect(modelPrice).toHaveText('$7 / $8');
});

test('a browser host started again on another port opens with the models, samples and bypass chosen before', async ({ browser }) => {
  openai = await startOpenAiServer();
  const dataDir = makeTempDir('choices');
  host = await startHost({ dataDir, env: { OPENAI_API_KEY: 'test-openai-key' } });
  const before = await browser.newContext();
  const page = await before.newPage();
  // The choices the engine announces it keeps (each window hears ‘settings:changed’), as models, samples and bypass.
  const kept: { models: string[]; samples: number; bypassCache: boolean }[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      const message = JSON.parse(String(payload)) as { type: string; name?: string; payload?: { runChoices?: RunChoices | null } };
      const choices = message.type === 'event' && message.name === 'settings:changed' ? message.payload?.runChoices : null;
      if (choices) kept.push({ models: choices.targets.map((target) => target.model), samples: choices.samples, bypassCache: choices.bypassCache });
    }),
  );
  await openApp(page, host);
  await createPrompt(page, 'Remembered');
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await addRunTarget(page, 'OpenAI', 'gpt-4.1-nano');
  await page.getByTestId('run-samples').fill('3');
  await page.getByTestId('bypass-cache').check();
  // The engine keeps them a moment after the last change: the window is closed once it has them all.
  await expect.poll(() => kept.at(-1)).toEqual({ models: ['gpt-4o-mini', 'gpt-4.1-nano'], samples: 3, bypassCache: true });
  await before.close();
  await host.stop();

  // Another port is another origin: its storage is empty, so the engine's copy stands in.
  host = await startHost({ dataDir, env: { OPENAI_API_KEY: 'test-openai-key' } });
  const after = await browser.newContext();
  try {
    const fresh = await after.newPage();
    await openApp(fresh, host);
    await fresh.getByTestId('prompt-row').filter({ hasText: 'Remembered' }).click();
    await expect(fresh.getByTestId('target-chip')).toHaveCount(2);
    await expect(fresh.locator('[data-testid="target-chip"][data-model="gpt-4.1-nano"]')).toBeVisible();
    await expect(fresh.getByTestId('run-samples')).toHaveValue('3');
    await expect(fresh.getByTestId('bypass-cache')).toBeChecked();
  } finally {
    await after.close();
  }
});

test('two browser hosts running at once each keep their own tab: a reload of the first still opens after the second was opened', async ({ context }) => {
  host = await startHost();
  const other = await startHost();
  try {
    const first = await context.newPage();
    await openApp(first, host);
    await createPrompt(first, 'On the first host');
    const second = await context.newPage();
    await openApp(second, other);
    await expect(second.getByTestId('prompt-row').filter({ hasText: 'On the first host' })).toHaveCount(0);

    // The address bar no longer holds the token, so each reload rests on its host's own cookie.
    for (const page of [first, second]) expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await first.reload();
    await expect(first.getByTestId('connection-status')).toHaveText('Connected');
    await expect(first.getByTestId('prompt-row').filter({ hasText: 'On the first host' })).toBeVisible();
    await second.reload();
    await expect(second.getByTestId('connection-status')).toHaveText('Connected');
    await expect(second.getByTestId('library-list')).toBeVisible();
  } finally {
    await other.stop();
  }
});
