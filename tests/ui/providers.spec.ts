/**
 * Settings › Providers as a user meets it: names two providers may not share (a preset added
 * twice gets a free one, a taken name is refused under the name field), and a provider added,
 * renamed or removed in one window shows so in every other, and a key lost with a restart of
 * the browser host is said before and after a run. Ollama’s Keep loaded is checked under its
 * field, kept with the provider and sent with every chat request; so are a provider’s time
 * limits, which its runs’ columns say they wait against.
 */

import { expect, test } from '@playwright/test';
import { startOllamaServer, type OllamaServer } from '../fixtures/ollama-server';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { makeTempDir, startHost, type HostHandle } from './host';
import { addLmStudioEndpoint, addRunTarget, createPrompt, expectDraftSaved, holdBridgeMessages, messageBlocks, openApp, openWorkspace, providerCard, replaceEditorText, runColumn } from './ui-support';

let host: HostHandle;
let openai: OpenAiServer | undefined;
let ollama: OllamaServer | undefined;

test.afterEach(async () => {
  await host?.stop();
  await openai?.close();
  await ollama?.close();
  openai = undefined;
  ollama = undefined;
});

test('a preset added twice gets a free name; a name another provider has is refused under the name field', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  const newCard = page.locator('[data-testid="provider-card"][data-provider="new"]');
  const lmStudio = page.locator('[data-testid="add-endpoint"][data-preset="LM Studio"]');

  await lmStudio.click();
  await expect(newCard.getByTestId('provider-label')).toHaveValue('LM Studio');
  await newCard.getByTestId('provider-save').click();
  await expect(providerCard(page, 'LM Studio')).toBeVisible();
  await lmStudio.click();
  await expect(newCard.getByTestId('provider-label')).toHaveValue('LM Studio 2');
  await newCard.getByTestId('provider-url').fill('http://127.0.0.1:1235/v1');
  await newCard.getByTestId('provider-save').click();
  await expect(providerCard(page, 'LM Studio 2')).toBeVisible();

  // Renamed to a built-in provider's name, in another case: refused, said under the name, nothing saved.
  const second = providerCard(page, 'LM Studio 2');
  await second.getByTestId('provider-label').fill(' ollama ');
  await second.getByTestId('provider-save').click();
  await expect(second.getByTestId('provider-label-error')).toHaveText('A provider named “Ollama” already exists: give this one another name');
  await expect(second.getByTestId('provider-label')).toHaveAttribute('aria-invalid', 'true');
  await expect(second.getByTestId('provider-message')).toHaveCount(0);
  await page.reload();
  await openWorkspace(page, 'settings');
  await expect(page.getByTestId('provider-card')).toHaveCount(5);
  await expect(page.locator('[data-testid="provider-card"] .provider-name')).toHaveText(['OpenAI', 'Anthropic', 'Ollama', 'LM Studio', 'LM Studio 2']);

  // Typing a new name clears the refusal; a free one saves.
  await second.getByTestId('provider-label').fill('Ollama');
  await second.getByTestId('provider-save').click();
  await expect(second.getByTestId('provider-label-error')).toBeVisible();
  await second.getByTestId('provider-label').fill('LM Studio (laptop)');
  await expect(second.getByTestId('provider-label-error')).toHaveCount(0);
  await second.getByTestId('provider-save').click();
  await expect(providerCard(page, 'LM Studio (laptop)').getByTestId('provider-message')).toHaveText('Saved');
});

test('a provider added, renamed or removed in one window shows so in the other at once: settings, model picker and run chips', async ({ context }) => {
  openai = await startOpenAiServer({ apiKey: null, models: ['qwen2.5-7b-instruct'] });
  host = await startHost();
  const first = await context.newPage();
  await openApp(first, host);
  await addLmStudioEndpoint(first, openai.baseUrl);
  await openWorkspace(first, 'prompts');
  await createPrompt(first, 'Shared');
  await replaceEditorText(first, messageBlocks(first).first(), 'Explain tides.');
  await expectDraftSaved(first);
  await addRunTarget(first, 'LM Studio', 'qwen2.5-7b-instruct');

  const second = await context.newPage();
  await openApp(second, host);
  await second.getByTestId('prompt-row').filter({ hasText: 'Shared' }).click();
  const chip = second.locator('[data-testid="target-chip"][data-model="qwen2.5-7b-instruct"]');
  await expect(chip.locator('.target-provider')).toHaveText('LM Studio');

  // Renamed in the first window: the second window's chip and picker say the new name.
  await first.bringToFront();
  await openWorkspace(first, 'settings');
  await providerCard(first, 'LM Studio').getByTestId('provider-label').fill('LM Studio (desk)');
  await providerCard(first, 'LM Studio').getByTestId('provider-save').click();
  await expect(providerCard(first, 'LM Studio (desk)').getByTestId('provider-message')).toHaveText('Saved');
  await second.bringToFront();
  await expect(chip.locator('.target-provider')).toHaveText('LM Studio (desk)');
  await second.getByTestId('add-model').click();
  await expect(second.getByTestId('picker-provider').locator('option')).toHaveText(['OpenAI', 'Anthropic', 'Ollama', 'LM Studio (desk)']);
  await second.keyboard.press('Escape');

  // Removed in the first window: the second window's chip goes, and so does its card.
  await first.bringToFront();
  await providerCard(first, 'LM Studio (desk)').getByTestId('provider-remove').click();
  await first.getByTestId('remove-provider-dialog').getByTestId('confirm-button').click();
  await expect(providerCard(first, 'LM Studio (desk)')).toHaveCount(0);
  await second.bringToFront();
  await expect(second.getByTestId('target-chip')).toHaveCount(0);
  await expect(second.getByTestId('runs-empty')).toHaveText(/Add models with “\+ Model”/);
  await openWorkspace(second, 'settings');
  await expect(second.locator('[data-testid="provider-card"] .provider-name')).toHaveText(['OpenAI', 'Anthropic', 'Ollama']);

  // Added in the second window: the first window's settings show it.
  await second.locator('[data-testid="add-endpoint"][data-preset="vLLM"]').click();
  await second.locator('[data-testid="provider-card"][data-provider="new"]').getByTestId('provider-save').click();
  await expect(providerCard(second, 'vLLM')).toBeVisible();
  await first.bringToFront();
  await expect(first.locator('[data-testid="provider-card"] .provider-name')).toHaveText(['OpenAI', 'Anthropic', 'Ollama', 'vLLM']);
});

test('an endpoint’s key entered for the session is gone after the browser host restarts: its chip says “no key” and why, and the failed run says the key was lost', async ({ page }) => {
  openai = await startOpenAiServer({ apiKey: 'gsk-entered', models: ['llama-3.3-70b-versatile'] });
  const dataDir = makeTempDir('lost-key');
  host = await startHost({ dataDir });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await page.locator('[data-testid="add-endpoint"][data-preset="Custom endpoint"]').click();
  const card = page.locator('[data-testid="provider-card"][data-provider="new"]');
  await card.getByTestId('provider-label').fill('Groq');
  await card.getByTestId('provider-url').fill(openai.baseUrl);
  await card.getByTestId('key-source-secret-store').click();
  await card.getByTestId('provider-api-key').fill('gsk-entered');
  await card.getByTestId('provider-save').click();
  await expect(providerCard(page, 'Groq').getByTestId('key-state')).toHaveText('key entered');
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Keyed');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say something.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'Groq', 'llama-3.3-70b-versatile');
  const chip = page.locator('[data-testid="estimate-cell"][data-model="llama-3.3-70b-versatile"]');
  await expect(chip.getByTestId('estimate-input')).toHaveText(/^~[\d,]+ in$/);
  await expect(chip.getByTestId('estimate-no-key')).toHaveCount(0);

  const port = Number(new URL(host.url).port);
  await host.stop();
  host = await startHost({ dataDir, port });
  await openApp(page, host);
  await page.getByTestId('prompt-row').filter({ hasText: 'Keyed' }).click();
  await expect(chip.getByTestId('estimate-no-key')).toHaveText('no key');
  await expect(chip.getByTestId('estimate-no-key')).toHaveAttribute(
    'title',
    'Groq needs an API key to run, which is not set: a key entered in the browser host lasts only until the host stops. Enter it again in Settings › Providers.',
  );
  await page.getByTestId('run-button').click();
  await expect(runColumn(page, 'llama-3.3-70b-versatile').getByTestId('run-error')).toHaveText(
    'Groq asks for an API key (401), and none is set: the key entered earlier was lost when the workbench restarted (it keeps entered keys only until it stops): enter it again in Settings › Providers',
  );
});

test('Groq and OpenRouter start on entering a key; Test connection can be cancelled while connecting; Remove says only what it knows', async ({ page }) => {
  // The connection holds the answers of two calls until the test lets them through: "Test connection", and the count of a provider's own prices the Remove dialog asks for.
  const held = await holdBridgeMessages(
    page,
    (name) => name === 'providers:test' || name === 'pricing:list:5000',
    (call) => (call.channel === 'pricing:list' ? `${call.channel}:${(call.input as { limit?: number }).limit}` : call.channel),
  );
  const release = held.release;
  host = await startHost();
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  const newCard = page.locator('[data-testid="provider-card"][data-provider="new"]');
  const keySource = newCard.locator('[data-testid^="key-source-"][aria-checked="true"]');
  const startsOn: Record<string, string | null> = {};
  for (const preset of ['Groq', 'OpenRouter', 'LM Studio']) {
    await page.locator(`[data-testid="add-endpoint"][data-preset="${preset}"]`).click();
    startsOn[preset] = await keySource.getAttribute('data-testid');
    await newCard.getByRole('button', { name: 'Cancel' }).click();
  }
  expect(startsOn).toStrictEqual({ Groq: 'key-source-secret-store', OpenRouter: 'key-source-secret-store', 'LM Studio': 'key-source-none' });

  await page.locator('[data-testid="add-endpoint"][data-preset="Groq"]').click();
  await expect(newCard.getByTestId('provider-api-key')).toBeVisible();
  await newCard.getByTestId('provider-api-key').fill('gsk-typed');
  await newCard.getByTestId('provider-save').click();
  const groq = providerCard(page, 'Groq');
  await expect(groq.getByTestId('key-state')).toHaveText('key entered');

  // While "Connecting…", the button cancels the test; the answer that comes later changes nothing.
  const testButton = groq.getByTestId('provider-test');
  const width = async () => (await testButton.boundingBox())?.width;
  const idleWidth = await width();
  await testButton.click();
  await expect(groq.locator('.test-result')).toHaveText('Connecting…');
  await expect(testButton).toHaveAccessibleName('Cancel test');
  expect(await width()).toBe(idleWidth);
  await expect.poll(() => held.has('providers:test')).toBe(true);
  await testButton.press('Enter');
  await expect(groq.getByTestId('test-cancelled')).toHaveText('Test cancelled');
  await expect(testButton).toHaveAccessibleName('Test connection');
  await expect(testButton).toBeFocused();
  await release('providers:test');
  await expect(groq.getByTestId('test-error')).toHaveCount(0);
  await expect(groq.getByTestId('test-cancelled')).toBeVisible();
  // Tested again (no longer held), it answers.
  await testButton.click();
  await expect(groq.getByTestId('test-error')).toBeVisible();
  await expect(groq.getByTestId('test-cancelled')).toHaveCount(0);

  // Until its prices are counted, the Remove dialog says nothing of them.
  await page.locator('[data-testid="add-endpoint"][data-preset="LM Studio"]').click();
  await newCard.getByTestId('provider-save').click();
  await providerCard(page, 'LM Studio').getByTestId('provider-remove').click();
  const goes = page.getByTestId('remove-provider-dialog').getByTestId('remove-provider-goes');
  await expect(goes).toHaveText('This cannot be undone.');
  await release('pricing:list:5000');
  await expect(goes).toHaveText('It has no custom prices nor an entered key; this cannot be undone.');
  await page.keyboard.press('Escape');
  await groq.getByTestId('provider-remove').click();
  await expect(goes).toHaveText('The key entered for it goes with it; this cannot be undone.');
  await page.keyboard.press('Escape');
});

test('removing a provider that judges test cases’ checks says which prompts lose their judge, before it is done', async ({ page }) => {
  host = await startHost({ dataDir: makeTempDir('judged') });
  await openApp(page, host);
  await addLmStudioEndpoint(page, 'http://127.0.0.1:9/v1');
  await openWorkspace(page, 'prompts');
  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  await openWorkspace(page, 'evals');
  const view = page.getByTestId('evals-view');
  await view.getByTestId('add-case').click();
  await view.getByTestId('open-defaults').click();
  const panel = view.getByTestId('case-panel');
  await panel.getByTestId('assertion-add-type').selectOption({ label: 'LLM judge' });
  await panel.getByTestId('assertion-add').click();
  await panel.getByTestId('assertion-rubric').fill('Summarizes in three bullets.');
  await panel.getByTestId('assertion-judge-provider').selectOption({ label: 'LM Studio' });
  await panel.getByTestId('assertion-judge-model').fill('qwen2.5-7b-instruct');
  await page.keyboard.press('Control+S');
  await expect(view.getByTestId('suite-unsaved')).toHaveCount(0);

  await openWorkspace(page, 'settings');
  await providerCard(page, 'LM Studio').getByTestId('provider-remove').click();
  const dialog = page.getByTestId('remove-provider-dialog');
  await expect(dialog.getByTestId('remove-provider-judged')).toHaveText(
    '1 judged check in the test cases of “Summarizer” uses it as judge: it cannot be graded, nor exported with its judge, until you give it another.',
  );
  await page.keyboard.press('Escape');
});

test('Ollama’s Keep loaded: 15m unless set, a value Ollama would refuse is refused under the field, a saved one is kept and sent with each run', async ({ page }) => {
  ollama = await startOllamaServer();
  host = await startHost({ env: { OLLAMA_HOST: ollama.url } });
  await openApp(page, host);
  await createPrompt(page, 'Local');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say hello.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'Ollama', 'llama3.2:latest');
  // Past the response cache, so each run reaches Ollama.
  await page.getByTestId('bypass-cache').check();
  const run = async () => {
    const before = ollama?.requestsTo('/api/chat').length ?? 0;
    await messageBlocks(page).first().click();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => ollama?.requestsTo('/api/chat').length).toBe(before + 1);
    await expect(runColumn(page, 'llama3.2:latest')).toHaveAttribute('data-status', 'ok');
    return (ollama?.requestsTo('/api/chat').at(-1)?.body as { keep_alive?: unknown } | undefined)?.keep_alive;
  };
  // Unset, it is Ollama’s 15 minutes, as the field says.
  expect(await run()).toBe('15m');

  await openWorkspace(page, 'settings');
  const card = providerCard(page, 'Ollama');
  const field = card.getByTestId('provider-keep-alive');
  await expect(field).toHaveValue('');
  await expect(field).toHaveAttribute('placeholder', '15m');
  await expect(card.getByTestId('provider-keep-alive-hint')).toHaveText('How long Ollama keeps a model in memory after a run: 5m, 1h, seconds (3600), 0 to free it at once, -1 to keep it. Empty: 15m.');
  // A value Ollama would refuse: said under the field, which keeps focus, and nothing is saved.
  await field.fill('5 minutes');
  await card.getByTestId('provider-save').click();
  await expect(card.getByTestId('provider-keep-alive-error')).toHaveText(
    'Keep loaded must be a duration such as 5m, 1h or 90s, a number of seconds, 0 to unload the model after each run, or -1 to keep it loaded',
  );
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();
  await expect(card.getByTestId('provider-message')).toHaveCount(0);
  // Typing clears the refusal; 0 (free the memory after each run) saves, and the next run asks for it.
  await field.fill('0');
  await expect(card.getByTestId('provider-keep-alive-error')).toHaveCount(0);
  await card.getByTestId('provider-save').click();
  await expect(card.getByTestId('provider-message')).toHaveText('Saved');
  await page.reload();
  await openWorkspace(page, 'settings');
  await expect(providerCard(page, 'Ollama').getByTestId('provider-keep-alive')).toHaveValue('0');
  await openWorkspace(page, 'prompts');
  expect(await run()).toBe(0);
});

test('time limits: an OpenAI-compatible endpoint’s fields show a cloud API’s defaults for a host on the internet and a local server’s for one on this machine, as the base URL is typed', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  const newCard = page.locator('[data-testid="provider-card"][data-provider="new"]');
  const url = newCard.getByTestId('provider-url');
  const placeholders = (card = newCard) =>
    Promise.all(['provider-first-output-limit', 'provider-stall-limit', 'provider-total-limit'].map((testId) => card.getByTestId(testId).getAttribute('placeholder')));
  const typeUrl = async (text: string) => {
    await url.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  };
  const shown: Record<string, (string | null)[]> = {};

  await page.locator('[data-testid="add-endpoint"][data-preset="OpenRouter"]').click();
  shown.openRouter = await placeholders();
  await typeUrl('http://127.0.0.1:1234/v1');
  shown.typedLmStudio = await placeholders();
  await newCard.getByRole('button', { name: 'Cancel' }).click();

  await page.locator('[data-testid="add-endpoint"][data-preset="LM Studio"]').click();
  shown.lmStudio = await placeholders();
  await typeUrl('http://192.168.1.20:1234/v1');
  shown.typedLan = await placeholders();
  await typeUrl('https://openrouter.ai/api/v1');
  shown.typedOpenRouter = await placeholders();
  // Saved (and read back after a reload), it keeps the defaults of its host.
  await newCard.getByTestId('provider-save').click();
  await page.reload();
  await openWorkspace(page, 'settings');
  shown.saved = await placeholders(providerCard(page, 'LM Studio'));

  expect(shown).toStrictEqual({
    openRouter: ['3m', '2m', '15m'],
    typedLmStudio: ['5m', '5m', '30m'],
    lmStudio: ['5m', '5m', '30m'],
    typedLan: ['5m', '5m', '30m'],
    typedOpenRouter: ['3m', '2m', '15m'],
    saved: ['3m', '2m', '15m'],
  });
});

test('time limits: each field shows its kind’s default, a bad value is refused under its field, a saved one is kept and is what a run’s column says it waits against', async ({ page }) => {
  ollama = await startOllamaServer();
  host = await startHost({ env: { OLLAMA_HOST: ollama.url } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  const card = providerCard(page, 'Ollama');
  const fields = [card.getByTestId('provider-first-output-limit'), card.getByTestId('provider-stall-limit'), card.getByTestId('provider-total-limit')];
  const [firstOutput, , total] = fields;
  // Empty: Ollama’s defaults, shown as the placeholders.
  for (const field of fields) await expect(field).toHaveValue('');
  expect(await Promise.all(fields.map((field) => field.getAttribute('placeholder')))).toStrictEqual(['5m', '5m', '30m']);
  await expect(card.getByTestId('provider-time-limits-hint')).toHaveText(
    'How long a run waits for its first token, then for more once the answer began, and in all, retries included: 90s, 3m, 1h or seconds. Empty: the default shown.',
  );

  // Not a duration: said under the field, which takes the focus, and nothing is saved.
  await firstOutput.fill('soon');
  await card.getByTestId('provider-save').click();
  await expect(card.getByTestId('provider-first-output-limit-error')).toHaveText('First token limit must be a duration such as 90s, 3m or 1h, or a number of seconds');
  await expect(firstOutput).toHaveAttribute('aria-invalid', 'true');
  await expect(firstOutput).toBeFocused();
  await expect(card.getByTestId('provider-message')).toHaveCount(0);
  // Longer than the total it would run under (Ollama’s 30 minutes, as the total is empty): refused too.
  await firstOutput.fill('40m');
  await expect(card.getByTestId('provider-first-output-limit-error')).toHaveCount(0);
  await card.getByTestId('provider-save').click();
  await expect(card.getByTestId('provider-first-output-limit-error')).toHaveText(
    'First token limit is longer than the total limit (30m, the default): set a shorter first token limit, or a longer total',
  );
  // A slow local model: 20 minutes for its first token, two hours in all.
  await firstOutput.fill('20m');
  await total.fill('2h');
  await card.getByTestId('provider-save').click();
  await expect(card.getByTestId('provider-message')).toHaveText('Saved');
  await page.reload();
  await openWorkspace(page, 'settings');
  expect(await Promise.all(fields.map((field) => field.inputValue()))).toStrictEqual(['20m', '', '2h']);

  // A run waiting for its first token says the provider’s limit, as does the window reloaded while it waits.
  let release = () => {};
  ollama.script({ fault: { kind: 'pause', afterChunks: 0, until: new Promise<void>((resolve) => {
    release = resolve;
  }) } });
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Slow model');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say hello.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'Ollama', 'llama3.2:latest');
  await page.keyboard.press('Control+Enter');
  const output = runColumn(page, 'llama3.2:latest').getByTestId('run-output');
  await expect(output).toHaveAttribute('data-placeholder', 'Waiting for the first token… (gives up after 20 min)');
  await page.reload();
  await expect(output).toHaveAttribute('data-placeholder', 'Waiting for the first token… (gives up after 20 min)');
  release();
  await expect(runColumn(page, 'llama3.2:latest')).toHaveAttribute('data-status', 'ok');
});
