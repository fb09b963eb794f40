/**
 * Bad input the UI must survive: a malformed prompt file, a placeholder with no value, a
 * message of a megabyte, provider settings that cannot be saved (said in plain words, one
 * message per card at a time), and prices mistyped (each field's error at the field).
 */

import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { makeTempDir, startHost, type HostHandle } from './host';
import {
  addLmStudioEndpoint,
  createPrompt,
  editorText,
  expectDraftSaved,
  messageBlocks,
  openApp,
  openWorkspace,
  providerCard,
  replaceEditorText,
  saveVersion,
  setModelPrice,
} from './ui-support';

const REPO_PROMPTS = path.resolve(import.meta.dirname, '..', '..', 'prompts');

const BROKEN_FILE = [
  'name: Broken prompt',
  'description: Its second message has a role that does not exist.',
  'model: openai/gpt-4o-mini',
  'messages:',
  '  - role: system',
  '    content: Fine so far.',
  '  - role: wizard',
  '    content: This role is not allowed.',
  '',
].join('\n');

const BAD_CASE_FILE = [
  'name: Odd case',
  'model: openai/gpt-4o-mini',
  'messages:',
  '  - role: user',
  '    content: Tell me about {{topic}}.',
  'testData:',
  '  - topic: volcanoes',
  '  - just a string instead of a test case',
  '',
].join('\n');

const TYPO_FILE = [
  'name: Typo',
  'model: openai/gpt-4o-mini',
  'temperatur: 0.3',
  'responseFormat: json',
  'messages:',
  '  - role: user',
  '    content: Hi.',
  '',
].join('\n');

/** A test data key one letter off the prompt's variable: the case loads as written, with a note. */
const MISSPELT_VARIABLE_FILE = ['name: Quiz', 'model: openai/gpt-4o-mini', 'messages:', '  - role: user', '    content: Answer {{question}}.', 'testData:', '  - qestion: Why?', ''].join('\n');

const TAKEN_NAME_FILE = ['name: customer SUPPORT', 'model: openai/gpt-4o-mini', 'messages:', '  - role: user', '    content: Help me.', ''].join('\n');

/** The page's clipboard, typed here because the tests compile without the DOM library. */
interface ClipboardHolder {
  navigator: { clipboard: { writeText(text: string): Promise<void> } };
}

let host: HostHandle;
let openai: OpenAiServer | undefined;

test.afterEach(async () => {
  await host.stop();
  await openai?.close();
  openai = undefined;
});

test('a malformed prompt file is reported with file and line, apart from a test case left out of a file that loaded, a note on one that loaded whole and a prompt renamed; the others load', async ({ page }) => {
  const promptsDir = makeTempDir('prompts');
  fs.cpSync(REPO_PROMPTS, promptsDir, { recursive: true });
  fs.writeFileSync(path.join(promptsDir, 'broken.prompt.yml'), BROKEN_FILE);
  fs.writeFileSync(path.join(promptsDir, 'odd-case.prompt.yml'), BAD_CASE_FILE);
  fs.writeFileSync(path.join(promptsDir, 'typo.prompt.yml'), TYPO_FILE);
  fs.writeFileSync(path.join(promptsDir, 'support-copy.prompt.yml'), TAKEN_NAME_FILE);
  fs.writeFileSync(path.join(promptsDir, 'quiz.prompt.yml'), MISSPELT_VARIABLE_FILE);
  host = await startHost({ promptsDir });
  await openApp(page, host);

  const notice = page.getByTestId('problems-notice');
  await expect(notice).toBeVisible();
  // Files that were not loaded (counted as files, one of them with two problems), a test case left out of one that was, and a prompt renamed are told apart.
  await expect(notice.getByTestId('problems-title')).toHaveText([
    '3 problems in 2 prompt files — these files were not loaded',
    '1 test case or evaluator left out of a prompt file that was loaded',
    '1 note on a prompt file loaded whole, as written',
    '1 prompt loaded under another name, as its name was taken',
  ]);
  // The engine names the file by its folder and name; the line is the bad role's, the unknown key's, and the bad test case's.
  await expect(notice.getByTestId('problem')).toHaveText([
    /^(?:[\w.-]+\/)?broken\.prompt\.yml:7 messages\[1\]\.role: Unknown role "wizard"/,
    /^(?:[\w.-]+\/)?typo\.prompt\.yml:3 Unknown key "temperatur": did you mean modelParameters\.temperature\?$/,
    /^(?:[\w.-]+\/)?typo\.prompt\.yml:4 responseFormat: must be text, json_object or json_schema, not "json"$/,
    /^(?:[\w.-]+\/)?odd-case\.prompt\.yml:8 test 2 \(testData\[1\]\): A testData item must be a map of variable values, not text$/,
    /^(?:[\w.-]+\/)?quiz\.prompt\.yml:7 test 1 \(testData\[0\]\.qestion\): The prompt has no \{\{qestion\}\} variable: did you mean \{\{question\}\}\? A case with no value for it cannot run; the values were imported anyway$/,
    /^(?:[\w.-]+\/)?support-copy\.prompt\.yml:1 Named “customer SUPPORT 2”, as another prompt is named “Customer support”$/,
  ]);

  const names = await page.getByTestId('prompt-name').allInnerTexts();
  expect(names.toSorted()).toEqual(['Customer support', 'JSON extractor', 'Odd case', 'Quiz', 'Summarizer', 'customer SUPPORT 2']);

  await notice.getByTestId('dismiss-problems').click();
  await expect(notice).toBeHidden();
});

test('a placeholder without a value is flagged in the editor and the preview', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);
  await createPrompt(page, 'Typo');
  const system = messageBlocks(page).first();
  await replaceEditorText(page, system, 'Write about {{topic}} and {{topc}}.');
  await page.getByTestId('tab-variables').click();
  await page.locator('[data-testid="variable-field"][data-variable="topic"]').getByTestId('variable-input').fill('tides');

  // The preview marks the one without a value, and names it.
  await expect(page.getByTestId('preview-missing')).toHaveText(['{{topc}}']);
  await expect(page.getByTestId('preview-missing-summary')).toHaveText('Missing: topc');
  await expect(page.getByTestId('missing-count')).toHaveText('1');
  await expect(page.getByTestId('preview-text').first()).toHaveText('Write about tides and {{topc}}.');

  // The editor puts a warning squiggle under it, whose hover says what to do.
  const squiggle = system.locator('.squiggly-warning');
  await expect(squiggle).toHaveCount(1);
  await system.locator('.view-lines').getByText('{{topc}}', { exact: true }).hover();
  await expect(page.locator('.monaco-hover').filter({ hasText: "Variable 'topc' has no value — set it in Variables" })).toBeVisible();

  // A malformed placeholder is an error, not a warning.
  await replaceEditorText(page, system, 'Broken {{ 1topic }} here.');
  await expect(system.locator('.squiggly-error')).toHaveCount(1);
});

test('a 1 MB message edits, saves as a version and comes back whole', async ({ page, context }) => {
  host = await startHost();
  await openApp(page, host);
  await createPrompt(page, 'Huge');
  const system = messageBlocks(page).first();

  const line = 'The quick brown fox jumps over the lazy dog while {{animal}} watches. 0123456789\n';
  const text = line.repeat(Math.ceil((1024 * 1024) / line.length)).slice(0, 1024 * 1024);
  // Pasted, as a user would bring in a long document (CDP's insertText feeds Monaco as IME
  // input, which takes minutes for a megabyte and measures nothing of ours).
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((value) => (globalThis as unknown as ClipboardHolder).navigator.clipboard.writeText(value), text);
  await system.locator('.view-lines').click();
  await page.keyboard.press('Control+V');
  await expect(system.getByTestId('message-stats')).toHaveText('1,048,576 chars');

  // Typing at the end of a megabyte stays responsive.
  await page.keyboard.press('Control+End');
  const started = Date.now();
  await page.keyboard.type(' tail');
  await expect(system.getByTestId('message-stats')).toHaveText('1,048,581 chars');
  expect(Date.now() - started).toBeLessThan(5_000);
  await expectDraftSaved(page);

  await saveVersion(page, 'A megabyte');
  await page.reload();
  await expect(page.getByTestId('prompt-title')).toHaveText('Huge');
  await expect(messageBlocks(page).first().getByTestId('message-stats')).toHaveText('1,048,581 chars');
  await expect.poll(() => editorText(messageBlocks(page).first())).toContain('The quick brown fox');

  await page.getByTestId('tab-versions').click();
  await page.locator('[data-testid="version-row"][data-version="1"]').getByTestId('open-version').click();
  await expect(page.getByTestId('version-view')).toBeVisible();
  await expect(page.getByTestId('version-message-length')).toHaveText(['system 1,048,581 chars', 'user 0 chars']);
});

test('a provider card refuses bad fields in plain words, and shows only its latest action’s outcome', async ({ page }) => {
  openai = await startOpenAiServer();
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  const card = providerCard(page, 'OpenAI');
  const saveMessage = card.getByTestId('provider-message');
  const testError = card.getByTestId('test-error');

  // A bad base URL is named as the form names it, without the call behind it, under its field, which has the focus.
  const urlError = card.getByTestId('provider-url-error');
  await card.getByTestId('provider-url').fill('api.example.com/v1');
  await card.getByTestId('provider-save').click();
  await expect(urlError).toHaveText('Base URL must be an http:// or https:// URL');
  await expect(card.getByTestId('provider-url')).toBeFocused();
  await expect(card.getByTestId('provider-url')).toHaveAttribute('aria-invalid', 'true');
  await expect(saveMessage).toHaveCount(0);
  // Testing the same fields replaces the save's message with the test's own.
  await card.getByTestId('provider-test').click();
  await expect(testError).toHaveText('Base URL must be an http:// or https:// URL');
  await expect(urlError).toHaveCount(0);

  // Any variable but a key's is refused: its value would be sent as the key.
  const variableError = card.getByTestId('provider-key-variable-error');
  await card.getByTestId('provider-url').fill(openai.baseUrl);
  await card.getByTestId('provider-key-variable').fill('PATH');
  await card.getByTestId('provider-save').click();
  await expect(variableError).toHaveText('Only variables named like OPENAI_API_KEY (capitals, digits and _, ending in _API_KEY) can hold a key');
  await expect(card.getByTestId('provider-key-variable')).toBeFocused();
  await expect(testError).toHaveCount(0);
  // Typing in the field takes its refusal away.
  await page.keyboard.type('X');
  await expect(variableError).toHaveCount(0);
  await card.getByTestId('provider-test').click();
  await expect(testError).toHaveText('Only variables named like OPENAI_API_KEY (capitals, digits and _, ending in _API_KEY) can hold a key');
  expect(openai.requests).toHaveLength(0);

  // "Enter key" with nothing entered would save a provider that cannot run: refused under the key field.
  await card.getByRole('radio', { name: 'Enter key' }).click();
  await card.getByTestId('provider-save').click();
  await expect(card.getByTestId('provider-api-key-error')).toHaveText('Paste the key to keep, or choose where else the key comes from');
  await expect(card.getByTestId('provider-api-key')).toBeFocused();
  await expect(card.getByTestId('key-state')).toHaveText('OPENAI_API_KEY is set');
  await card.getByRole('radio', { name: 'Environment' }).click();
  await expect(card.getByTestId('provider-api-key-error')).toHaveCount(0);

  // Fixed, the save succeeds and the old test failure goes with it; a test that connects clears "Saved".
  await card.getByTestId('provider-key-variable').fill('OPENAI_API_KEY');
  await card.getByTestId('provider-save').click();
  await expect(saveMessage).toHaveText('Saved');
  await expect(testError).toHaveCount(0);
  await expect(card.getByTestId('key-state')).toHaveText('OPENAI_API_KEY is set');
  await card.getByTestId('provider-test').click();
  await expect(card.getByTestId('test-summary')).toHaveText(/^Connected in \d+ ms · 1 model$/);
  await expect(saveMessage).toHaveCount(0);

  // Ollama's host takes host:port as OLLAMA_HOST does, written back as the URL it dials; its card says "Host".
  const ollama = providerCard(page, 'Ollama');
  await ollama.getByTestId('provider-url').fill('ftp://gpu-box');
  await ollama.getByTestId('provider-save').click();
  await expect(ollama.getByTestId('provider-url-error')).toHaveText('Host must be an http:// or https:// URL, or host:port (127.0.0.1:11434)');
  await ollama.getByTestId('provider-url').fill('127.0.0.1:11500');
  await ollama.getByTestId('provider-save').click();
  await expect(ollama.getByTestId('provider-message')).toHaveText('Saved');
  await expect(ollama.getByTestId('provider-url')).toHaveValue('http://127.0.0.1:11500');
  await expect(ollama.locator('.provider-endpoint')).toHaveText('http://127.0.0.1:11500');
});

test('removing a provider asks first, saying what goes and what stays; Esc or Enter keeps it, Tab then Enter removes it', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);
  await addLmStudioEndpoint(page, 'http://127.0.0.1:9/v1');
  const dialog = page.getByTestId('remove-provider-dialog');
  // With no prices of its own, the dialog speaks of none.
  await providerCard(page, 'LM Studio').getByTestId('provider-remove').click();
  await expect(dialog.getByTestId('remove-provider-goes')).toHaveText('It has no custom prices nor an entered key; this cannot be undone.');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await setModelPrice(page, 'LM Studio', 'qwen2.5-7b-instruct', 1, 2);

  await providerCard(page, 'LM Studio').getByTestId('provider-remove').click();
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('.dialog-title')).toHaveText('Remove LM Studio?');
  await expect(dialog.locator('p')).toHaveText(['Its 1 custom price goes with it; this cannot be undone.', 'Its runs stay in History, under its name.']);
  await expect(dialog.getByTestId('dialog-cancel')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(providerCard(page, 'LM Studio')).toBeVisible();
  await expect(providerCard(page, 'LM Studio').getByTestId('provider-remove')).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(providerCard(page, 'LM Studio')).toHaveCount(0);
  await expect(page.getByTestId('toast').last()).toHaveText(/Removed LM Studio/);
});

test('the price editor says each wrong rate’s error at its field, all at once, the columns as wide as before; focus goes to the first; each error goes as its field is fixed; Enter saves, Escape cancels; exponent notation is named', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  const table = page.getByTestId('price-table');
  await table.getByTestId('price-provider').selectOption({ label: 'Anthropic' });
  const columnEdges = () => table.locator('thead th').evaluateAll((cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().left)));
  /** Each error shown in `row`: its field, its words, and the field in whose cell it sits. */
  const errorsIn = (row: typeof table) =>
    row.getByTestId('price-error').evaluateAll((errors) => errors.map((error) => [error.getAttribute('data-field'), error.textContent, error.closest('td')?.querySelector('input')?.getAttribute('data-testid')]));
  const haiku = table.locator('[data-testid="price-row"][data-model="claude-haiku-4-5"]');
  // Starting an edit moves no column (Save and Cancel take the room Edit had).
  await haiku.scrollIntoViewIfNeeded();
  const viewEdges = await columnEdges();
  await haiku.getByTestId('price-edit').click();
  await expect(haiku.getByTestId('rate-input')).toBeFocused();
  expect(await columnEdges()).toStrictEqual(viewEdges);

  // Three fields wrong: each says so at the field, at once; the first takes the focus.
  await haiku.getByTestId('rate-input').fill('');
  await haiku.getByTestId('rate-output').fill('five');
  await haiku.getByTestId('rate-cache-write').fill('1.25, 2.5 over 200k');
  // (A field grows with what is typed in it; the errors must not move a column.)
  let edges = await columnEdges();
  await haiku.getByTestId('rate-cache-write').press('Enter');
  await expect(haiku.getByTestId('price-error')).toHaveCount(3);
  expect(await errorsIn(haiku)).toEqual([
    ['input', 'Input is required', 'rate-input'],
    ['output', 'Output must be a number of dollars, 0 or more', 'rate-output'],
    ['cacheWrite', 'Cache write: write a tier as “6 above 200k” (dollars above an input size)', 'rate-cache-write'],
  ]);
  await expect(haiku.getByTestId('rate-input')).toBeFocused();
  await expect(haiku.getByTestId('rate-input')).toHaveAccessibleDescription('Input is required');
  expect(await columnEdges()).toEqual(edges);

  // Fixed one by one, each error goes with its own fix.
  await haiku.getByTestId('rate-input').fill('2');
  await expect(haiku.getByTestId('price-error')).toHaveCount(2);
  await haiku.getByTestId('rate-output').fill('5');
  expect(await errorsIn(haiku)).toEqual([['cacheWrite', 'Cache write: write a tier as “6 above 200k” (dollars above an input size)', 'rate-cache-write']]);
  // Enter with one still wrong: refused, the focus on it.
  await haiku.getByTestId('rate-output').press('Enter');
  await expect(haiku.getByTestId('rate-cache-write')).toBeFocused();
  await expect(haiku.getByTestId('price-source')).toHaveText('catalog');
  // Escape: the row as it was, no error, the focus back on its Edit.
  await page.keyboard.press('Escape');
  await expect(haiku.locator('td.tabular')).toHaveText(['$1', '$5', '$0.10', '$1.25']);
  await expect(haiku.getByTestId('price-error')).toHaveCount(0);
  await expect(haiku.getByTestId('price-edit')).toBeFocused();
  // From the keyboard again: Enter on Edit, a rate, Enter saves.
  await page.keyboard.press('Enter');
  await expect(haiku.getByTestId('rate-input')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('2');
  await page.keyboard.press('Enter');
  await expect(haiku.getByTestId('price-source')).toHaveText('yours');
  await expect(haiku.locator('td.tabular')).toHaveText(['$2', '$5', '$0.10', '$1.25']);
  await expect(haiku.getByTestId('price-edit')).toBeFocused();

  // A new price with no model id and wrong rates: every error at its field, the model id's first.
  const row = table.getByTestId('new-price-row');
  await row.getByTestId('rate-input').fill('x');
  edges = await columnEdges();
  await row.getByTestId('rate-input').press('Enter');
  await expect(row.getByTestId('price-error')).toHaveCount(3);
  expect(await errorsIn(row)).toEqual([
    ['model', 'Type the model id', 'new-price-model'],
    ['input', 'Input must be a number of dollars, 0 or more', 'rate-input'],
    ['output', 'Output is required', 'rate-output'],
  ]);
  await expect(row.getByTestId('new-price-model')).toBeFocused();
  expect(await columnEdges()).toEqual(edges);
  await page.keyboard.type('my-model');
  await expect(row.getByTestId('price-error')).toHaveCount(2);
  // Escape clears the row; nothing was added.
  await page.keyboard.press('Escape');
  expect(await Promise.all(['new-price-model', 'rate-input', 'rate-output'].map((field) => row.getByTestId(field).inputValue()))).toEqual(['', '', '']);
  await expect(row.getByTestId('price-error')).toHaveCount(0);
  await expect(table.locator('[data-testid="price-row"][data-model="my-model"]')).toHaveCount(0);

  // A rate in exponent notation is refused, saying so and how to write it; its error widens no column, Reasoning (the last rate) included.
  await table.getByTestId('price-every-rate').click();
  const columnBoxes = () => table.locator('thead th').evaluateAll((cells) => cells.map((cell) => [cell.textContent, Math.round(cell.getBoundingClientRect().left), Math.round(cell.getBoundingClientRect().width)]));
  await haiku.getByTestId('price-edit').click();
  await haiku.getByTestId('rate-reasoning').fill('1e3');
  const boxes = await columnBoxes();
  await haiku.getByTestId('rate-reasoning').press('Enter');
  expect(await errorsIn(haiku)).toEqual([['reasoning', 'Reasoning is in exponent notation (1e3): write it out in digits, as 1000', 'rate-reasoning']]);
  expect(await columnBoxes()).toEqual(boxes);
  await page.keyboard.press('Escape');
  await expect(haiku.getByTestId('price-reasoning')).toHaveText('= output');
});
