/**
 * Runs that cannot go through, each with a message that says why: an unreachable provider, a
 * wrong key, an unknown model (the other columns carry on), a missing variable, no model to run on
 * (said until one is added) and a blown daily budget (the run is refused before anything is sent).
 */

import net from 'node:net';
import { expect, test } from '@playwright/test';
import { startAnthropicServer, type AnthropicServer } from '../fixtures/anthropic-server';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { startHost, type HostHandle } from './host';
import {
  addRunTarget,
  createPrompt,
  expectDraftSaved,
  messageBlocks,
  openApp,
  openWorkspace,
  providerCard,
  replaceEditorText,
  runColumn,
  setModelPrice,
  setProviderUrl,
} from './ui-support';

let host: HostHandle;
let openai: OpenAiServer;
let anthropic: AnthropicServer | undefined;

test.afterEach(async () => {
  await host?.stop();
  await Promise.all([openai?.close(), anthropic?.close()]);
  anthropic = undefined;
});

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An Anthropic model the server does not know, with a name longer than a chip has room for. */
const UNKNOWN = 'claude-nope-1-fine-tuned-for-release-notes-experimental-2026-11-24';

test('an unreachable provider, a wrong key and an unknown model each say so; the other columns carry on', async ({ page }) => {
  openai = await startOpenAiServer();
  anthropic = await startAnthropicServer();
  const deadPort = await closedPort();
  host = await startHost({ env: { OPENAI_API_KEY: 'not-the-key', ANTHROPIC_API_KEY: 'test-anthropic-key' } });
  await openApp(page, host);

  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await setProviderUrl(page, 'Anthropic', anthropic.baseUrl);
  await setProviderUrl(page, 'Ollama', `http://127.0.0.1:${deadPort}`);

  // "Test connection" names the problem and what to check.
  await providerCard(page, 'OpenAI').getByTestId('provider-test').click();
  await expect(providerCard(page, 'OpenAI').getByTestId('test-error')).toHaveText('OpenAI rejected the API key (401): check OPENAI_API_KEY');
  await providerCard(page, 'Ollama').getByTestId('provider-test').click();
  await expect(providerCard(page, 'Ollama').getByTestId('test-error')).toHaveText(
    `Could not reach Ollama at http://127.0.0.1:${deadPort}: connection refused (is the server running?)`,
  );
  await providerCard(page, 'Anthropic').getByTestId('provider-test').click();
  await expect(providerCard(page, 'Anthropic').getByTestId('test-summary')).toHaveText(/^Connected in \d+ ms · 2 models$/);

  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Failures');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say hello.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await addRunTarget(page, 'Anthropic', 'claude-haiku-4-5');
  await addRunTarget(page, 'Anthropic', UNKNOWN);
  await addRunTarget(page, 'Ollama', 'llama3.2:latest');
  // A long model name is cut short in its chip, which keeps its row, and is whole in its tooltip.
  const longChip = page.locator(`[data-testid="target-chip"][data-model="${UNKNOWN}"]`);
  await expect(longChip.getByTestId('target-model')).toHaveAttribute('title', UNKNOWN);
  const name = await longChip.getByTestId('target-model').evaluate((element) => ({ shown: element.clientWidth, whole: element.scrollWidth }));
  expect([name.shown < name.whole, name.shown < (await page.getByTestId('runs-toolbar').evaluate((element) => element.clientWidth)) / 3]).toEqual([true, true]);
  await page.getByTestId('run-button').click();

  await expect(runColumn(page, 'claude-haiku-4-5')).toHaveAttribute('data-status', 'ok');
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('run-output')).toHaveText('Hello, side by side!');
  for (const model of ['gpt-4o-mini', UNKNOWN, 'llama3.2:latest']) {
    await expect(runColumn(page, model)).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  }
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('run-error')).toHaveText('OpenAI rejected the API key (401): check OPENAI_API_KEY');
  await expect(runColumn(page, UNKNOWN).getByTestId('run-error')).toHaveText(`Model '${UNKNOWN}' not found at ${anthropic.baseUrl}`);
  // Connection failures are retried before the column gives up, and it says so.
  await expect(runColumn(page, 'llama3.2:latest').getByTestId('run-error')).toHaveText(
    `Could not reach Ollama at http://127.0.0.1:${deadPort}: connection refused (is the server running?); gave up after 3 attempts`,
  );
  await expect(page.getByTestId('batch-counts')).toHaveText('1 done · 3 failed');
  // A failure that got nothing back counted nothing and was charged nothing: a dash, not a $0.00 that reads as a free run.
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('figure-input').getByTestId('figure-value')).toHaveText('–');
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('figure-cost').getByTestId('figure-value')).toHaveText('–');
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('figure-cost')).toHaveAttribute(
    'title',
    'Cost of this run: –\nNothing was charged: the run failed before the model produced or counted anything',
  );

  // The right key, entered once, fixes OpenAI; the browser host says it keeps it for the session only.
  await openWorkspace(page, 'settings');
  const card = providerCard(page, 'OpenAI');
  await card.getByTestId('key-source-secret-store').click();
  await expect(card.getByTestId('key-note')).toContainText('for this session only');
  await card.getByTestId('provider-api-key').fill('test-openai-key');
  await card.getByTestId('provider-save').click();
  await expect(card.getByTestId('key-state')).toHaveText('key entered');
  await card.getByTestId('provider-test').click();
  await expect(card.getByTestId('test-summary')).toHaveText(/^Connected in \d+ ms · 1 model$/);
  await expect(card.getByTestId('model-row')).toHaveCount(1);
  // OpenAI's list says nothing of sizes, quantization or context: no empty columns for them.
  await expect(card.locator('.models-table th')).toHaveText(['Model', 'Price in / out per 1M', '']);

  // Back in the runs, the failed column runs again in its place; the others stay as they were.
  await openWorkspace(page, 'prompts');
  const claudeRunId = await runColumn(page, 'claude-haiku-4-5').getAttribute('data-run-id');
  const failedRunId = await runColumn(page, 'gpt-4o-mini').getAttribute('data-run-id');
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('retry-run')).toHaveCount(0);
  const chats = () => openai.requestsTo('/v1/chat/completions').length;
  const before = chats();
  const totalBefore = await page.getByTestId('batch-total').innerText();
  await runColumn(page, 'gpt-4o-mini').getByTestId('retry-run').click();
  await expect(runColumn(page, 'gpt-4o-mini')).toHaveAttribute('data-status', 'ok');
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('run-output')).toHaveText('Hello, side by side!');
  await expect(runColumn(page, 'gpt-4o-mini')).not.toHaveAttribute('data-run-id', failedRunId as string);
  expect(chats()).toBe(before + 1);
  await expect(page.getByTestId('run-model')).toHaveText(['gpt-4o-mini', 'claude-haiku-4-5', UNKNOWN, 'llama3.2:latest']);
  await expect(runColumn(page, 'claude-haiku-4-5')).toHaveAttribute('data-run-id', claudeRunId as string);
  await expect(page.getByTestId('batch-counts')).toHaveText('2 done · 2 failed');
  await expect(page.getByTestId('run-button')).toBeVisible();
  // Its cost joins the comparison's total.
  await expect(page.getByTestId('batch-total')).not.toHaveText(totalBefore);
  const totalAfter = await page.getByTestId('batch-total').innerText();
  const retriedRunId = await runColumn(page, 'gpt-4o-mini').getAttribute('data-run-id');

  // Reloaded, the window opens the prompt with its last comparison as stored: the retried column in its place.
  await page.reload();
  await expect(page.getByTestId('batch-ran-at')).toHaveText(/^ran /);
  await expect(page.getByTestId('run-model')).toHaveText(['gpt-4o-mini', 'claude-haiku-4-5', UNKNOWN, 'llama3.2:latest']);
  await expect(runColumn(page, 'gpt-4o-mini')).toHaveAttribute('data-run-id', retriedRunId as string);
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('run-output')).toHaveText('Hello, side by side!');
  await expect(runColumn(page, 'claude-haiku-4-5')).toHaveAttribute('data-run-id', claudeRunId as string);
  await expect(runColumn(page, UNKNOWN).getByTestId('run-error')).toHaveText(`Model '${UNKNOWN}' not found at ${anthropic.baseUrl}`);
  await expect(page.getByTestId('batch-counts')).toHaveText('2 done · 2 failed');
  await expect(page.getByTestId('batch-total')).toHaveText(totalAfter);
  await expect(page.getByTestId('run-column').locator('[data-estimated="true"]')).toHaveCount(0);

  // A column can still run again in its place, and again after failing again.
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const before = await runColumn(page, UNKNOWN).getAttribute('data-run-id');
    await runColumn(page, UNKNOWN).getByTestId('retry-run').click();
    await expect(runColumn(page, UNKNOWN)).not.toHaveAttribute('data-run-id', before as string);
    await expect(runColumn(page, UNKNOWN)).toHaveAttribute('data-status', 'error');
    await expect(runColumn(page, UNKNOWN).getByTestId('run-error')).toHaveText(`Model '${UNKNOWN}' not found at ${anthropic.baseUrl}`);
  }
  await expect(page.getByTestId('toast')).toHaveCount(0);
  await expect(page.getByTestId('batch-counts')).toHaveText('2 done · 2 failed');
});

test('a missing variable refuses the run and names it; a blown budget refuses it saying by how much', async ({ page }) => {
  openai = await startOpenAiServer();
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await setModelPrice(page, 'OpenAI', 'gpt-4o-mini', 1000, 2000);
  await openWorkspace(page, 'prompts');

  await createPrompt(page, 'Needs values');
  await replaceEditorText(page, messageBlocks(page).first(), 'Write about {{topic}} for {{audience}}.');
  await page.getByTestId('tab-variables').click();
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await expect(page.getByTestId('estimate-missing')).toHaveText('No value for {{topic}}, {{audience}}: set them in Variables');
  await page.locator('[data-testid="variable-field"][data-variable="audience"]').getByTestId('variable-input').fill('children');

  // Said before running, and refused when tried; nothing reaches the provider.
  await expect(page.getByTestId('estimate-missing')).toHaveText('No value for {{topic}}: set it in Variables');
  await messageBlocks(page).first().locator('.view-lines').click();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-refusal')).toHaveText('Cannot run: the variable has no value: {{topic}}');
  await expect(page.getByTestId('runs-empty')).toBeVisible();
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(0);

  // With a value it would run (the refusal goes with the missing value), but the daily budget is far too small for this price.
  await page.locator('[data-testid="variable-field"][data-variable="topic"]').getByTestId('variable-input').fill('tides');
  await expect(page.getByTestId('run-refusal')).toBeHidden();
  await expectDraftSaved(page);
  await openWorkspace(page, 'settings');
  await page.getByTestId('budget-input').fill('0.001');
  await page.getByTestId('budget-save').click();
  await expect(page.getByTestId('budget-message')).toHaveText('Saved: $0.001 a day');
  // Beside the budget, today's spending as the budget check counts it: nothing has run yet.
  await expect(page.getByTestId('budget-spent')).toHaveText('Spent today: $0.00 of $0.001');
  await openWorkspace(page, 'prompts');
  await expect(page.getByTestId('estimate-missing')).toBeHidden();
  await expect(page.getByTestId('estimate-budget')).toHaveText(/^Over today’s budget of \$0\.001 by \$0\.\d+ \(\$0\.00 spent so far\)$/);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-refusal')).toHaveText(/^This batch would go over today’s budget of \$0\.001 by \$0\.\d+: \$0\.00 spent so far today, and the batch is estimated at \$0\.\d+$/);
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(0);

  // Without the budget it runs; the refusal under the old budget is gone as soon as the budget changed.
  await openWorkspace(page, 'settings');
  await page.getByTestId('budget-clear').click();
  await expect(page.getByTestId('budget-message')).toHaveText('No budget');
  await openWorkspace(page, 'prompts');
  await expect(page.getByTestId('run-refusal')).toBeHidden();
  await page.getByTestId('run-button').click();
  await expect(runColumn(page, 'gpt-4o-mini')).toHaveAttribute('data-status', 'ok');
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(1);

  // The cache has the answer now, and the estimate says so; once the cache is cleared, it costs again.
  await expect(page.getByTestId('estimate-cost')).toHaveText('cached $0');
  await openWorkspace(page, 'settings');
  // The run is in today's spending now, without a budget to compare it with.
  await expect(page.getByTestId('budget-spent')).toHaveText(/^Spent today: \$\d+\.\d\d$/);
  await expect(page.getByTestId('budget-spent')).not.toHaveText('Spent today: $0.00');
  // Asked in a dialog that says what goes and opens on Cancel: Enter keeps the cache.
  await page.getByTestId('cache-clear').click();
  const clearDialog = page.getByTestId('cache-clear-dialog');
  await expect(clearDialog).toContainText(/^Clear the response cache\?1 answer \([\d.]+ [kK]?B\) goes, with the hit rate and savings counted since the start: the next identical request is sent to its provider again\.Runs stay in History, with their outputs\./);
  await expect(clearDialog.getByTestId('dialog-cancel')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(clearDialog).toBeHidden();
  await expect(page.getByTestId('cache-clear')).toBeFocused();
  await expect(page.getByTestId('cache-entries')).toHaveText('1');
  await page.getByTestId('cache-clear').click();
  await clearDialog.getByTestId('confirm-button').click();
  await expect(page.getByTestId('toast').last()).toHaveText(/Cleared the response cache/);
  await openWorkspace(page, 'prompts');
  await expect(page.getByTestId('estimate-cost')).toHaveText(/^~\$\d/);
});

test('with a daily budget set, a model without a price is said not to count against it, and still runs', async ({ page }) => {
  openai = await startOpenAiServer({ models: ['gpt-4o-mini', 'house-model-7b'] });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Unpriced');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say hello.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'house-model-7b');
  await expect(page.getByTestId('estimate-unpriced')).toHaveText('No price for house-model-7b: its cost shows as unknown (set one in Settings › Prices)');

  await openWorkspace(page, 'settings');
  await page.getByTestId('budget-input').fill('1');
  await page.getByTestId('budget-save').click();
  await expect(page.getByTestId('budget-message')).toHaveText(/^Saved: \$1(\.00)? a day$/);
  await openWorkspace(page, 'prompts');
  await expect(page.getByTestId('estimate-unpriced')).toHaveText(
    /^No price for house-model-7b: its cost is unknown, and not counted against today’s budget of \$1(\.00)? \(set one in Settings › Prices\)$/,
  );
  // Told, not refused: the budget cannot say this run goes over it.
  await page.getByTestId('run-button').click();
  await expect(runColumn(page, 'house-model-7b')).toHaveAttribute('data-status', 'ok');
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(1);
});

test('a value of only spaces is said, calmly, in the variables and the runs panel, and the run goes with it', async ({ page }) => {
  openai = await startOpenAiServer();
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');

  await createPrompt(page, 'Blank values');
  await replaceEditorText(page, messageBlocks(page).first(), 'Write about {{topic}} for {{audience}}.');
  await page.getByTestId('tab-variables').click();
  const field = (name: string) => page.locator(`[data-testid="variable-field"][data-variable="${name}"]`);
  await field('topic').getByTestId('variable-input').fill('tides');
  await field('audience').getByTestId('variable-input').fill('   ');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');

  // Not "All variables set": the field, the preview and the runs panel say which value is blank, none refuses it.
  await expect(field('audience').getByTestId('variable-blank')).toHaveText('only spaces');
  await expect(field('topic').getByTestId('variable-blank')).toHaveCount(0);
  await expect(page.getByTestId('preview-status')).toHaveText('Some values are only spaces');
  await expect(page.getByTestId('preview-blank')).toHaveText('{{audience}} holds only spaces: it is sent blank');
  await expect(page.getByTestId('estimate-blank')).toHaveText('{{audience}} holds only spaces: it is sent blank');
  await expect(page.getByTestId('estimate-blank')).not.toHaveClass(/is-serious/);
  await page.getByTestId('run-button').click();
  await expect(runColumn(page, 'gpt-4o-mini')).toHaveAttribute('data-status', 'ok');
  expect(openai.requestsTo('/v1/chat/completions').map((request) => (request.body as { messages: unknown[] }).messages)).toStrictEqual([
    [{ role: 'system', content: 'Write about tides for    .' }],
  ]);

  // A value with text in it clears every word of it.
  await field('audience').getByTestId('variable-input').fill('sailors');
  await expect(page.getByTestId('preview-status')).toHaveText('All variables set');
  await expect(page.getByTestId('estimate-blank')).toBeHidden();
});

test('Ctrl+Enter with no model says to add one, and that alert goes once a model is added with + Model', async ({ page }) => {
  openai = await startOpenAiServer();
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'No model yet');
  await replaceEditorText(page, messageBlocks(page).first(), 'Name an animal.');
  await expectDraftSaved(page);

  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-refusal')).toHaveText('Add a model to run on first (+ Model).');
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await expect(page.getByTestId('run-refusal')).toBeHidden();
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(0);
});
