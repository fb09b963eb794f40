/**
 * The Response format of the Model tab: JSON schema is picked, a schema typed into its editor;
 * while it does not parse its problem shows under it and Ctrl+Enter and Ctrl+S are refused saying
 * why, with nothing sent or saved; fixed, the run goes out with the schema as `response_format` to an
 * OpenAI-compatible server, history shows it, and Ctrl+S saves a version that keeps it. Schema text
 * that does not parse is kept through a reload and a switch of prompts, the status bar saying so.
 */

import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startAnthropicServer, type AnthropicServer } from '../fixtures/anthropic-server';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { startHost, type HostHandle } from './host';
import { useTheme } from './layout-support';
import {
  addLmStudioEndpoint,
  addRunTarget,
  createPrompt,
  editorText,
  expectDraftSaved,
  libraryRow,
  messageBlocks,
  openApp,
  openWorkspace,
  replaceEditorText,
  runColumn,
  saveVersion,
  setProviderUrl,
} from './ui-support';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const MODEL = 'qwen2.5-7b-instruct';
const SCHEMA = { type: 'object', properties: { name: { type: 'string' }, habitat: { type: 'string' } }, required: ['name', 'habitat'], additionalProperties: false };
/** The schema with the comma after "properties" left out. */
const BROKEN = JSON.stringify(SCHEMA).replace('}},"required"', '}} "required"');

let openai: OpenAiServer;
let anthropic: AnthropicServer | undefined;
let host: HostHandle;

test.afterEach(async () => {
  await host?.stop();
  await Promise.all([openai?.close(), anthropic?.close()]);
  anthropic = undefined;
});

/** Lets Monaco repaint (a theme switch recolours its text a frame later) before a picture. */
async function settle(page: Page) {
  await page.waitForTimeout(300);
  await page.mouse.move(0, 899);
}

/** The schema editor of the Model tab. */
function schemaEditor(page: Page): Locator {
  return page.getByTestId('schema-editor');
}

test('a JSON schema typed in the Model tab is refused while broken, then sent with the run and kept by the saved version', async ({ page }) => {
  openai = await startOpenAiServer({ apiKey: null, models: [MODEL], reply: { tokens: ['{"name": "Otter", ', '"habitat": "rivers"}'] } });
  host = await startHost();
  await openApp(page, host);
  await addLmStudioEndpoint(page, openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Animals');
  await replaceEditorText(page, messageBlocks(page).first(), 'Describe an otter.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'LM Studio', MODEL);

  await page.getByTestId('tab-model').click();
  const format = page.getByTestId('response-format');
  await expect(format).toHaveValue('text');
  await expect(format.locator('option')).toHaveText(['Text', 'JSON object', 'JSON schema']);
  await format.selectOption({ label: 'JSON schema' });
  await expect(schemaEditor(page)).toBeVisible();
  await page.getByTestId('schema-name').fill('animal');

  // A schema that does not parse: said under the editor, and the run is refused before anything is sent.
  await replaceEditorText(page, schemaEditor(page), BROKEN);
  const problem = `Line 1, column ${BROKEN.indexOf('"required"') + 1}: Expected ',' or '}' after property value`;
  await expect(page.getByTestId('schema-error')).toHaveText(problem);
  await page.keyboard.press('Control+Enter');
  const refusal = `The response format cannot be sent: ${problem}. Fix it under Response format in the Model tab, or choose Text`;
  await expect(page.getByTestId('run-refusal')).toHaveText(refusal);
  await expect(page.getByTestId('run-button')).toHaveAttribute('title', refusal);
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(0);
  // Nor is it saved as a version: the dialog says why and stays open.
  await page.keyboard.press('Control+S');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('save-version-error')).toHaveText(refusal);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('save-version-dialog')).toBeHidden();
  await settle(page);
  await page.screenshot({ path: path.join(SHOTS, 'model-response-format-light.png') });
  await useTheme(page, 'dark');
  await settle(page);
  await page.screenshot({ path: path.join(SHOTS, 'model-response-format-dark.png') });
  await useTheme(page, 'light');

  // With the Model tab closed the run is still refused, and back in it the text is as typed.
  await page.getByTestId('run-refusal').getByRole('button', { name: 'Dismiss' }).click();
  await page.getByTestId('tab-variables').click();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-refusal')).toHaveText(refusal);
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(0);
  await page.getByTestId('tab-model').click();
  await expect(page.getByTestId('schema-error')).toHaveText(problem);

  // Fixed: the problem and the refusal go, and the run sends the schema.
  await replaceEditorText(page, schemaEditor(page), JSON.stringify(SCHEMA));
  await expect(page.getByTestId('schema-error')).toBeHidden();
  await expect(page.getByTestId('run-refusal')).toBeHidden();
  await expectDraftSaved(page);
  await page.keyboard.press('Control+Enter');
  const column = runColumn(page, MODEL);
  await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  const sent = openai.requestsTo('/v1/chat/completions').map((request) => (request.body as { response_format?: unknown }).response_format);
  expect(sent).toStrictEqual([{ type: 'json_schema', json_schema: { name: 'animal', schema: SCHEMA, strict: true } }]);

  // Ctrl+S: the version keeps the format and its schema.
  await saveVersion(page, 'Answers as JSON');
  await page.getByTestId('tab-versions').click();
  await page.locator('[data-testid="version-row"][data-version="1"]').getByTestId('open-version').click();
  const view = page.getByTestId('version-view');
  await expect(view).toBeVisible();
  await expect.poll(async () => (await editorText(view)).split('\n').find((line) => line.startsWith('response format:'))).toBe('response format: JSON schema “animal”');
  // The draft goes back to Text; restoring v1 brings its schema back into the editor.
  await page.getByTestId('close-version').click();
  await page.getByTestId('tab-model').click();
  await format.selectOption({ label: 'Text' });
  await expect(schemaEditor(page)).toBeHidden();
  await expectDraftSaved(page);
  await page.getByTestId('tab-versions').click();
  await page.locator('[data-testid="version-row"][data-version="1"]').getByTestId('restore-version').click();
  await page.getByTestId('tab-model').click();
  await expect(format).toHaveValue('json_schema');
  await expect(page.getByTestId('schema-name')).toHaveValue('animal');
  await expect.poll(async () => (await editorText(schemaEditor(page))).split('\n').slice(0, 7)).toStrictEqual(JSON.stringify(SCHEMA, null, 2).split('\n').slice(0, 7));

  // History says what the run was sent with.
  await openWorkspace(page, 'history');
  await page.getByTestId('history-row').first().click();
  const formatRow = page.getByTestId('run-detail').getByTestId('detail-parameters').locator('.stats-row').filter({ has: page.locator('dt', { hasText: /^Response format$/ }) });
  await expect(formatRow.locator('dd')).toHaveText('JSON schema “animal”');
});

test('schema text that does not parse is kept through a reload and a switch to another prompt, and the status bar says it is not saved', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Other');
  await createPrompt(page, 'Animals');
  await page.getByTestId('tab-model').click();
  await page.getByTestId('response-format').selectOption({ label: 'JSON schema' });
  await expectDraftSaved(page);

  const status = page.getByTestId('draft-status');
  // JSON, but not an object: the status bar says so as the editor does, not that it does not parse.
  await replaceEditorText(page, schemaEditor(page), '[1,2]');
  await expect(page.getByTestId('schema-error')).toHaveText('The schema must be a JSON object ({ … }), such as { "type": "object", "properties": { … } }');
  await expect(status).toHaveText('Schema not saved — it is not a JSON object');

  // Short, so the editor shows it on one line.
  const broken = '{"type": "object" "properties": {}}';
  await replaceEditorText(page, schemaEditor(page), broken);
  const problem = `Line 1, column ${broken.indexOf('"properties"') + 1}: Expected ',' or '}' after property value`;
  await expect(page.getByTestId('schema-error')).toHaveText(problem);
  await expect(status).toHaveText('Schema not saved — it is not a JSON object');

  // What the editor and the status bar show, once the prompt is open again.
  const shown = async () => ({ text: (await editorText(schemaEditor(page))).replace(/\n/g, ''), problem: await page.getByTestId('schema-error').textContent(), status: await status.textContent() });
  const expected = { text: broken, problem, status: 'Schema not saved — it is not a JSON object' };
  await page.reload();
  await expect(page.getByTestId('prompt-title')).toHaveText('Animals');
  await page.getByTestId('tab-model').click();
  await expect(page.getByTestId('schema-error')).toBeVisible();
  await expect.poll(shown).toStrictEqual(expected);

  await libraryRow(page, 'Other').click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Other');
  await expect(schemaEditor(page)).toBeHidden();
  await expectDraftSaved(page);
  await libraryRow(page, 'Animals').click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Animals');
  await expect(page.getByTestId('schema-error')).toBeVisible();
  await expect.poll(shown).toStrictEqual(expected);

  // Fixed: saved, and a reload shows the schema that parses.
  await replaceEditorText(page, schemaEditor(page), JSON.stringify(SCHEMA));
  await expect(page.getByTestId('schema-error')).toBeHidden();
  await expectDraftSaved(page);
  await page.reload();
  await page.getByTestId('tab-model').click();
  await expect.poll(async () => (await editorText(schemaEditor(page))).split('\n').slice(0, 3)).toStrictEqual(JSON.stringify(SCHEMA, null, 2).split('\n').slice(0, 3));
  await expect(page.getByTestId('schema-error')).toBeHidden();
  await expectDraftSaved(page);
});

test('a schema name the rule refuses is kept through a reload with its problem, a version is refused for it, and once fixed it is saved', async ({ page }) => {
  host = await startHost();
  await openApp(page, host);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Animals');
  await page.getByTestId('tab-model').click();
  await page.getByTestId('response-format').selectOption({ label: 'JSON schema' });
  await expectDraftSaved(page);

  const name = page.getByTestId('schema-name');
  await name.fill('animal card');
  const rule = 'The schema name must be 1 to 64 ASCII letters, digits, _ or -';
  const nameError = page.getByTestId('param-schemaName').getByTestId('field-error');
  const status = page.getByTestId('draft-status');
  const shown = async () => ({ name: await name.inputValue(), problem: await nameError.textContent(), status: await status.textContent() });
  const expected = { name: 'animal card', problem: rule, status: 'Schema name not saved — it is not allowed' };
  await expect.poll(shown).toStrictEqual(expected);

  // A reload brings the name back as typed, with its problem; a new version is refused for it, the Model tab closed or not.
  await page.reload();
  await expect(page.getByTestId('prompt-title')).toHaveText('Animals');
  await page.getByTestId('tab-model').click();
  await expect(nameError).toBeVisible();
  await expect.poll(shown).toStrictEqual(expected);
  await page.getByTestId('tab-variables').click();
  await page.keyboard.press('Control+S');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('save-version-error')).toHaveText(`The response format cannot be sent: ${rule}. Fix it under Response format in the Model tab, or choose Text`);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('save-version-dialog')).toBeHidden();

  // A letter outside ASCII is refused by the same rule, which names the letters it takes.
  await page.getByTestId('tab-model').click();
  await name.fill('é');
  await expect.poll(shown).toStrictEqual({ ...expected, name: 'é' });
  await expect(page.getByTestId('param-schemaName')).toContainText('ASCII letters, digits, _ or -');

  // Fixed: saved, and a reload shows the name the draft has.
  await name.fill('animal_card');
  await expect(nameError).toBeHidden();
  await expectDraftSaved(page);
  await page.reload();
  await page.getByTestId('tab-model').click();
  await expect(name).toHaveValue('animal_card');
  await expect(nameError).toBeHidden();
  await expectDraftSaved(page);
});

test('Strict unticked beside the schema name sends strict: false, and History says the run’s schema was not strict', async ({ page }) => {
  openai = await startOpenAiServer({ apiKey: null, models: [MODEL], reply: { tokens: ['{"answer": "Otter"}'] } });
  host = await startHost();
  await openApp(page, host);
  await addLmStudioEndpoint(page, openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Animals');
  await replaceEditorText(page, messageBlocks(page).first(), 'Name an animal.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'LM Studio', MODEL);

  await page.getByTestId('tab-model').click();
  await page.getByTestId('response-format').selectOption({ label: 'JSON schema' });
  const strict = page.getByTestId('schema-strict');
  await expect(strict).toBeChecked();
  await strict.uncheck();
  await expectDraftSaved(page);
  await page.keyboard.press('Control+Enter');
  await expect(runColumn(page, MODEL)).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  const sent = openai.requestsTo('/v1/chat/completions').map((request) => (request.body as { response_format?: { json_schema?: { name?: string; strict?: boolean } } }).response_format?.json_schema);
  expect(sent.map((schema) => [schema?.name, schema?.strict])).toStrictEqual([['response', false]]);

  // Kept by the draft through a reload, and said by History.
  await page.reload();
  await page.getByTestId('tab-model').click();
  await expect(page.getByTestId('schema-strict')).not.toBeChecked();
  await openWorkspace(page, 'history');
  await page.getByTestId('history-row').first().click();
  const formatRow = page.getByTestId('run-detail').getByTestId('detail-parameters').locator('.stats-row').filter({ has: page.locator('dt', { hasText: /^Response format$/ }) });
  await expect(formatRow.locator('dd')).toHaveText('JSON schema “response”, not strict');
});

test('a JSON object format on an Anthropic model is said on its chip and in the notices before the run; Run still runs the other columns', async ({ page }) => {
  openai = await startOpenAiServer({ apiKey: null, models: [MODEL], reply: { tokens: ['{"name": "Otter"}'] } });
  const claude = await startAnthropicServer();
  anthropic = claude;
  host = await startHost({ env: { ANTHROPIC_API_KEY: 'test-anthropic-key' } });
  await openApp(page, host);
  await addLmStudioEndpoint(page, openai.baseUrl);
  await setProviderUrl(page, 'Anthropic', claude.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Animals');
  await replaceEditorText(page, messageBlocks(page).first(), 'Describe an otter as JSON.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'LM Studio', MODEL);
  await addRunTarget(page, 'Anthropic', 'claude-haiku-4-5');
  const chip = (model: string) => page.locator(`[data-testid="target-chip"][data-model="${model}"]`);
  await expect(chip('claude-haiku-4-5').getByTestId('estimate-cost')).toHaveText(/^~\$0\.0+[1-9]/);
  await expect(page.getByTestId('estimate-refused')).toHaveCount(0);
  // The local model costs $0: the total is Claude’s cost.
  const claudeCost = await chip('claude-haiku-4-5').getByTestId('estimate-cost').innerText();
  await expect(page.getByTestId('estimate-total')).toHaveText(`est. ${claudeCost}`);

  await page.getByTestId('tab-model').click();
  await page.getByTestId('response-format').selectOption({ label: 'JSON object' });
  await expectDraftSaved(page);
  const refusal = 'Anthropic has no JSON object mode: set the prompt’s Response format to JSON schema (the shape the answer must have), or to Text and ask for JSON in the messages';
  // Said before Run is pressed: on the chip of the model it concerns, and as a notice saying what to do.
  const marker = chip('claude-haiku-4-5').getByTestId('estimate-refused');
  await expect(marker).toHaveText('no JSON object mode');
  await expect(marker).toHaveAttribute('title', refusal);
  await expect(page.getByTestId('estimate-refused')).toHaveCount(1);
  await expect(page.getByTestId('estimate-format-refused')).toHaveText([`claude-haiku-4-5 will fail at once. ${refusal}`]);
  // Nothing is sent, so nothing is counted or costs anything: not on the chip, not in the total.
  await expect(chip('claude-haiku-4-5').getByTestId('estimate-cell')).toHaveText('no JSON object mode · $0.00');
  await expect(page.getByTestId('estimate-total')).toHaveText('est. $0.00');

  // Run still runs the other column; the Anthropic one fails as it said, sending nothing.
  await page.getByTestId('run-button').click();
  await expect(runColumn(page, MODEL)).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(runColumn(page, 'claude-haiku-4-5')).toHaveAttribute('data-status', 'error');
  expect(claude.requestsTo('/v1/messages')).toHaveLength(0);
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('run-status')).toHaveText('Not sent');
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('run-error')).toHaveText(refusal);

  // JSON schema instead: nothing to say any more.
  await page.getByTestId('response-format').selectOption({ label: 'JSON schema' });
  await expectDraftSaved(page);
  await expect(page.getByTestId('estimate-refused').or(page.getByTestId('estimate-format-refused'))).toHaveCount(0);

  // Beside a saved version that Claude takes, the draft it refuses adds nothing to Claude’s figures or the total.
  await saveVersion(page, 'schema');
  await page.getByTestId('run-version-1').click();
  await page.getByTestId('run-version-draft').click();
  await expect(page.getByTestId('run-version-draft')).toHaveAttribute('aria-pressed', 'false');
  await expect(chip('claude-haiku-4-5').getByTestId('estimate-cost')).toHaveText(/^~\$0\.0+[1-9]/);
  const versionOnly = await chip('claude-haiku-4-5').getByTestId('estimate-cell').innerText();
  const versionCost = await chip('claude-haiku-4-5').getByTestId('estimate-cost').innerText();
  await page.getByTestId('response-format').selectOption({ label: 'JSON object' });
  await expectDraftSaved(page);
  await page.getByTestId('run-version-draft').click();
  await expect(page.getByTestId('estimate-format-refused')).toHaveText([`claude-haiku-4-5 (the draft) will fail at once. ${refusal}`]);
  await expect(chip('claude-haiku-4-5').getByTestId('estimate-cell')).toHaveText(versionOnly.replace(' · ', ' · no JSON object mode · '));
  await expect(page.getByTestId('estimate-total')).toHaveText(`est. ${versionCost}`);

  // History says the refused run was not sent: no provider’s error, no usage nor estimate of one.
  await openWorkspace(page, 'history');
  const row = page.getByTestId('history-row').filter({ hasText: 'claude-haiku-4-5' });
  await expect(row.getByTestId('history-status')).toHaveAttribute('title', 'Not sent');
  await row.click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('run-status')).toHaveText('Not sent');
  await expect(detail.getByTestId('detail-error')).toHaveText(`not sent ${refusal}`);
  await expect(detail.getByTestId('detail-not-sent')).toHaveText('Nothing was sent to Anthropic, so nothing was used or charged.');
  await expect(detail.getByTestId('detail-usage').or(detail.getByTestId('detail-cost'))).toHaveCount(0);
  await expect(detail.getByTestId('figure-input').getByTestId('figure-value')).toHaveText('–');
});

test('a JSON object format with no JSON in the messages is said on the OpenAI chip and in the notices before the run, and the run sends nothing; mentioning JSON clears it', async ({ page }) => {
  openai = await startOpenAiServer({ reply: { tokens: ['{"name": "Otter"}'] } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Animals');
  await replaceEditorText(page, messageBlocks(page).first(), 'Describe an otter.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  const chip = page.locator('[data-testid="target-chip"][data-model="gpt-4o-mini"]');
  await page.getByTestId('tab-model').click();
  await page.getByTestId('response-format').selectOption({ label: 'JSON object' });
  await expectDraftSaved(page);
  const refusal = 'OpenAI’s JSON object mode needs the word JSON in the messages: mention JSON in a message (for example “Answer in JSON.”)';
  const marker = chip.getByTestId('estimate-refused');
  await expect(marker).toHaveText('no “JSON” in the messages');
  await expect(marker).toHaveAttribute('title', refusal);
  await expect(chip.getByTestId('estimate-cell')).toHaveText('no “JSON” in the messages · $0.00');
  await expect(page.getByTestId('estimate-format-refused')).toHaveText([`gpt-4o-mini will fail at once. ${refusal}`]);
  await expect(page.getByTestId('estimate-format-refused')).toHaveClass(/is-serious/);

  await page.getByTestId('run-button').click();
  await expect(runColumn(page, 'gpt-4o-mini')).toHaveAttribute('data-status', 'error');
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('run-error')).toHaveText(refusal);
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(0);

  // Said in the message: nothing to say any more.
  await replaceEditorText(page, messageBlocks(page).first(), 'Describe an otter as json.');
  await expectDraftSaved(page);
  await expect(chip.getByTestId('estimate-cost')).toHaveText(/^~\$0\.0+[1-9]/);
  await expect(page.getByTestId('estimate-refused').or(page.getByTestId('estimate-format-refused'))).toHaveCount(0);
});

test('Strict off on an Anthropic model is said on its chip and in the notices before the run; the column still runs, saying it again', async ({ page }) => {
  const claude = await startAnthropicServer();
  anthropic = claude;
  host = await startHost({ env: { ANTHROPIC_API_KEY: 'test-anthropic-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'Anthropic', claude.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Animals');
  await replaceEditorText(page, messageBlocks(page).first(), 'Describe an otter as JSON.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'Anthropic', 'claude-haiku-4-5');
  const chip = page.locator('[data-testid="target-chip"][data-model="claude-haiku-4-5"]');
  await page.getByTestId('tab-model').click();
  await page.getByTestId('response-format').selectOption({ label: 'JSON schema' });
  await expectDraftSaved(page);
  // Strict, as Claude always is: nothing to say.
  await expect(chip.getByTestId('estimate-cost')).toBeVisible();
  const said = page.getByTestId('estimate-always-strict').or(page.getByTestId('estimate-format-notice'));
  await expect(said).toHaveCount(0);

  // Unticked: said before Run is pressed, on the model’s chip and as a notice, and not as a refusal.
  await page.getByTestId('schema-strict').uncheck();
  await expectDraftSaved(page);
  const notice = 'Strict off has no effect: Anthropic always holds the answer to the schema';
  const marker = chip.getByTestId('estimate-always-strict');
  await expect(marker).toHaveText('always strict');
  await expect(marker).toHaveAttribute('title', notice);
  await expect(page.getByTestId('estimate-format-notice')).toHaveText([`claude-haiku-4-5 will run, but ${notice}`]);
  await expect(page.getByTestId('estimate-format-notice')).not.toHaveClass(/is-serious/);
  await expect(page.getByTestId('estimate-refused').or(page.getByTestId('estimate-format-refused'))).toHaveCount(0);

  // The column runs, and its notice says the same.
  await page.getByTestId('run-button').click();
  await expect(runColumn(page, 'claude-haiku-4-5')).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('run-notice')).toHaveText([notice]);
  expect(claude.requestsTo('/v1/messages')).toHaveLength(1);

  // Ticked again: nothing to say any more.
  await page.getByTestId('schema-strict').check();
  await expectDraftSaved(page);
  await expect(said).toHaveCount(0);
});
