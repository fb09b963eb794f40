/**
 * Evals end to end in the real renderer: a CSV of 20 cases imported through the file input (a
 * bad row reported by row and field), a default check added in the case editor and saved with
 * Ctrl+S, then 2 versions x 2 models run against the OpenAI fixture, whose answers depend on
 * the request: v1's system message makes gpt-4o-mini name the refund policy, v2's does not, so
 * 12 cases that pass on v1 fail on v2. The grid, the summaries, a failing cell's reason, the
 * regressions (baseline v1) and the trend are read as a user reads them; screenshots of both
 * themes go to docs/screenshots/.
 */

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { formatUsd } from '../../shared/cost';
import { startOpenAiServer, type OpenAiChatRequest, type OpenAiServer } from '../fixtures/openai-server';
import { makeTempDir, startHost, type HostHandle } from './host';
import { layoutProblems, overlaps } from './layout-support';
import {
  addLmStudioEndpoint,
  createPrompt,
  editorText,
  expectDraftSaved,
  holdBridgeMessages,
  messageBlocks,
  openApp,
  openWorkspace,
  providerCard,
  replaceEditorText,
  saveVersion,
  setModelPrice,
  setProviderUrl,
  watchForProblems,
} from './ui-support';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

const V1_SYSTEM = 'You help customers. Always mention the refund policy.';
const V2_SYSTEM = 'You help customers. Keep it short.';
const POLICY_ANSWER = 'Happy to help with that. Our refund policy covers it.';
const SHORT_ANSWER = 'Happy to help with that.';

/** The 20 questions: the first 8 ask about refunds, so every answer to them names the policy. */
const QUESTIONS = [
  'Can I get a refund for order 1001?',
  'How long does a refund take?',
  'Is shipping refunded too?',
  'My refund has not arrived',
  'Refund to a different card?',
  'Partial refund for a broken item?',
  'Do gift cards get a refund?',
  'Refund after 30 days?',
  'Where is my parcel?',
  'Can I change my address?',
  'Do you ship to Norway?',
  'How do I reset my password?',
  'Can I pay by invoice?',
  'Is there a student discount?',
  'How do I cancel my plan?',
  'Can I talk to a person?',
  'Why was I charged twice?',
  'Do you have a mobile app?',
  'Can I pause my subscription?',
  'How do I export my data?',
];

/** The fixture's rule: the policy is named when the question is about refunds, or v1 asks gpt-4o-mini to. */
function answerFor(request: OpenAiChatRequest): string {
  const system = request.messages.find((message) => message.role === 'system')?.content ?? '';
  const question = request.messages.findLast((message) => message.role === 'user')?.content ?? '';
  const namesPolicy = /refund/i.test(question) || (system.includes('refund policy') && request.model === 'gpt-4o-mini');
  return namesPolicy ? POLICY_ANSWER : SHORT_ANSWER;
}

/** A judge's verdict: coherent when the answer names the policy, half-way when it does not. */
function judgeVerdict(request: OpenAiChatRequest): string {
  const material = request.messages.findLast((message) => message.role === 'user')?.content ?? '';
  return material.includes('refund policy') ? '{"reason": "One clear, connected answer.", "score": 0.9}' : '{"reason": "Short but leaves the question hanging.", "score": 0.5}';
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV a user would bring: 20 good rows and one whose checks are incomplete. */
function casesCsv(): string {
  const rows = QUESTIONS.map((question, index) => [`Case ${index + 1}`, question, POLICY_ANSWER, index < 8 ? 'refunds' : 'general', '']);
  rows.push(['Broken row', 'Anything else?', '', 'general', '[{"type":"contains"}]']);
  return ['description,question,expected,tags,assert', ...rows.map((row) => row.map(csvCell).join(','))].join('\n') + '\n';
}

/** The flat test price: $1 per million input tokens, $2 per million output. */
const CELL_COST = (100 * 1 + 10 * 2) / 1_000_000;

let openai: OpenAiServer;
let host: HostHandle;

/** The fixture (each reply's tokens `chunkDelayMs` apart) and a host with no prompts. */
async function startAll(chunkDelayMs = 0) {
  openai = await startOpenAiServer({
    models: ['gpt-4o-mini', 'gpt-4.1-nano'],
    reply: { usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 }, chunkDelayMs },
    replyFor: (request) => ({ tokens: (request.body.response_format === undefined ? answerFor(request) : judgeVerdict(request)).match(/\s*\S+/g) ?? [] }),
  });
  host = await startHost({ promptsDir: makeTempDir('eval-prompts'), env: { OPENAI_API_KEY: 'test-openai-key' } });
  fs.mkdirSync(SHOTS, { recursive: true });
}

test.afterEach(async () => {
  await host?.stop();
  await openai?.close();
});

async function writePromptVersions(page: Page) {
  await createPrompt(page, 'Refund helper');
  const blocks = messageBlocks(page);
  await replaceEditorText(page, blocks.nth(0), V1_SYSTEM);
  await replaceEditorText(page, blocks.nth(1), '{{question}}');
  await expect.poll(() => editorText(blocks.nth(1))).toBe('{{question}}');
  await expectDraftSaved(page);
  await saveVersion(page, 'Names the policy');
  await replaceEditorText(page, blocks.nth(0), V2_SYSTEM);
  await expect.poll(() => editorText(blocks.nth(0))).toBe(V2_SYSTEM);
  await expectDraftSaved(page);
  await saveVersion(page, 'Shorter');
}

/** The app with OpenAI on the fixture and the two-version prompt written, in its evals workspace. */
async function openEvalsOfNewPrompt(page: Page): Promise<{ problems: () => string[]; view: Locator }> {
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await writePromptVersions(page);
  await page.getByTestId('nav-evals').click();
  return { problems, view: page.getByTestId('evals-view') };
}

/** Adds a model through the "+ Model" picker of the evals form. */
async function addEvalModel(view: Locator, model: string) {
  await view.getByTestId('add-model').click();
  const picker = view.getByTestId('model-picker');
  await picker.getByTestId('picker-provider').selectOption({ label: 'OpenAI' });
  await picker.getByTestId('picker-model').fill(model);
  await picker.getByTestId('picker-model').press('Enter');
  await expect(view.locator(`[data-testid="eval-target-chip"][data-model="${model}"]`)).toBeVisible();
  await picker.getByTestId('picker-model').press('Escape');
  await expect(picker).toBeHidden();
}

/** What the summary table says, a row per version x model. */
async function summaryTable(view: Locator): Promise<string[][]> {
  return view.getByTestId('summary-row').evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim())),
  );
}

/** Closes the toasts (saved versions...) so screenshots show the view; none may be an error. */
async function dismissToasts(page: Page) {
  await expect(page.locator('[data-testid="toast"][data-kind="error"]')).toHaveCount(0);
  const toasts = page.getByTestId('toast');
  while ((await toasts.count()) > 0) await toasts.first().getByRole('button', { name: 'Dismiss' }).click();
}

async function useTheme(page: Page, theme: 'light' | 'dark') {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

test('import 20 cases, run 2 versions x 2 models, read the grid, summaries, a failing cell and the regressions', async ({ page }) => {
  await startAll();
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await setModelPrice(page, 'OpenAI', 'gpt-4o-mini', 1, 2);
  await setModelPrice(page, 'OpenAI', 'gpt-4.1-nano', 1, 2);
  await openWorkspace(page, 'prompts');
  await writePromptVersions(page);

  // The evals workspace of the open prompt: no cases yet.
  await page.getByTestId('nav-evals').click();
  const view = page.getByTestId('evals-view');
  await expect(view.getByTestId('evals-prompt').locator('option:checked')).toHaveText('Refund helper');
  await expect(view.getByTestId('no-cases')).toBeVisible();

  // Import through the real file input: the format is guessed from the name, the bad row reported.
  await view.getByTestId('open-import').click();
  const dialog = page.getByTestId('import-dialog');
  // A file saved as Latin-1 is refused at its line, not read with "�" for its accents.
  await dialog.getByTestId('import-file').setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: Buffer.from('question,expected\nCafé?,Oui\n', 'latin1') });
  await expect(dialog.getByTestId('import-error')).toHaveText('latin1.csv, line 2: The file is not UTF-8 text (perhaps Latin-1 or Windows-1252): save it as UTF-8 and import it again');
  await dialog.getByTestId('import-file').setInputFiles({ name: 'support-cases.csv', mimeType: 'text/csv', buffer: Buffer.from(casesCsv()) });
  await expect(dialog.getByTestId('import-error')).toHaveCount(0);
  await expect(dialog.getByTestId('import-format')).toHaveValue('csv');
  await expect(dialog.getByTestId('import-format-note')).toHaveText('CSV, from the file’s name');
  await expect(dialog.getByTestId('import-file-note')).toContainText('support-cases.csv');
  await dialog.getByTestId('import-submit').click();
  await expect(dialog).toBeHidden();
  await expect(view.getByTestId('import-summary')).toHaveText('20 cases imported, 1 problem');
  // The wording of the reason is the parser's; the line (the header, 20 cases, then this one) and field are what the user acts on.
  await expect(view.getByTestId('import-problem')).toHaveText([/^Line 22 · assert\[0\]\.value \S.+/]);
  await expect(view.getByTestId('case-count')).toHaveText('20 cases');
  await expect(view.getByTestId('case-heading')).toHaveText(['Description', '{{question}}', 'Expected output', 'Tags', 'Checks']);
  const firstRow = view.getByTestId('case-row').first();
  await expect(firstRow.getByTestId('case-var-question')).toHaveValue(QUESTIONS[0]);
  await expect(firstRow.getByTestId('case-tags')).toHaveValue('refunds');

  // Every case must name the refund policy: a default check, added in the editor, saved with Ctrl+S.
  await view.getByTestId('open-defaults').click();
  const panel = view.getByTestId('case-panel');
  await panel.getByTestId('assertion-add-type').selectOption({ label: 'contains (any case)' });
  await panel.getByTestId('assertion-add').click();
  await expect(panel.getByTestId('assertion-problem')).toHaveText('value: Give the text to look for');
  await panel.getByTestId('assertion-value').fill('refund policy');
  await expect(panel.getByTestId('assertion-problem')).toHaveCount(0);
  await expect(view.getByTestId('suite-unsaved')).toBeVisible();
  await page.keyboard.press('Control+S');
  await expect(view.getByTestId('suite-unsaved')).toHaveCount(0);
  await expect(view.getByTestId('open-defaults')).toHaveText('Default checks 1');

  // Keyboard in the table: ↓ moves to the same column of the next case, whose panel opens.
  await firstRow.getByTestId('case-var-question').click();
  await page.keyboard.press('ArrowDown');
  await expect(view.getByTestId('case-row').nth(1).getByTestId('case-var-question')).toBeFocused();
  await expect(panel.getByTestId('case-panel-title')).toHaveText('Case 2');
  await expect(panel.getByTestId('panel-var-question')).toHaveValue(QUESTIONS[1]);

  // A check of this case alone: answers stay under 20 words.
  const caseChecks = panel.getByTestId('case-assertions');
  await caseChecks.getByTestId('assertion-add-type').selectOption({ label: 'word count' });
  await caseChecks.getByTestId('assertion-add').click();
  await caseChecks.getByTestId('assertion-min').fill('');
  await caseChecks.getByTestId('assertion-max').fill('20');
  await expect(caseChecks.getByTestId('assertion-problem')).toHaveCount(0);
  await expect(view.getByTestId('case-row').nth(1).getByTestId('case-checks')).toHaveText('1 + defaults');
  await expect(view.getByTestId('case-row').nth(1).getByTestId('case-checks')).toHaveAttribute('title', '1 own check + 1 default: edit them in the panel');
  await expect(view.getByTestId('evals-tab-cases').getByTestId('cases-tab-unsaved')).toBeVisible();
  await page.keyboard.press('Control+S');
  await expect(view.getByTestId('suite-unsaved')).toHaveCount(0);

  await dismissToasts(page);
  await useTheme(page, 'light');
  await page.mouse.move(0, 899);
  await page.screenshot({ path: path.join(SHOTS, 'evals-cases-light.png') });
  await useTheme(page, 'dark');
  await page.screenshot({ path: path.join(SHOTS, 'evals-cases-dark.png') });
  await useTheme(page, 'light');

  // The run form: both versions, two models, v1 as the baseline.
  await view.getByTestId('evals-tab-results').click();
  await addEvalModel(view, 'gpt-4o-mini');
  await addEvalModel(view, 'gpt-4.1-nano');
  await expect(view.getByTestId('eval-version-2')).toHaveAttribute('aria-pressed', 'true');
  await view.getByTestId('eval-version-1').click();
  await view.getByTestId('eval-baseline').selectOption({ label: 'v1' });
  await expect(view.getByTestId('eval-plan')).toHaveText('80 cells (20 × 2 × 2)');
  await view.getByTestId('start-eval').click();

  const progress = view.getByTestId('eval-progress');
  await expect(progress.getByTestId('eval-status')).toHaveText('Done', { timeout: 60_000 });
  await expect(progress.getByTestId('eval-done')).toHaveText('80/80 done');
  await expect(progress.getByTestId('eval-passed')).toHaveText('✓ 44 passed');
  await expect(progress.getByTestId('eval-failed')).toHaveText('✗ 36 failed');
  await expect(progress.getByTestId('eval-errors')).toHaveText('! 0 errors');
  await expect(progress.getByTestId('eval-cost')).toHaveText(formatUsd(80 * CELL_COST));
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(80);

  // The summaries: pass rate, score, failures, cost, per case, latency and tokens per column.
  const columnCost = formatUsd(20 * CELL_COST);
  const perCase = formatUsd(CELL_COST);
  const rows = await summaryTable(view);
  expect(rows.map((row) => [...row.slice(0, 7), row[8]])).toEqual([
    ['v1', 'gpt-4o-mini', '100% 20/20', '1.00', '0 / 0', columnCost, perCase, '2,000 → 200'],
    ['v1', 'gpt-4.1-nano', '40% 8/20', '0.40', '12 / 0', columnCost, perCase, '2,000 → 200'],
    ['v2', 'gpt-4o-mini', '40% 8/20', '0.40', '12 / 0', columnCost, perCase, '2,000 → 200'],
    ['v2', 'gpt-4.1-nano', '40% 8/20', '0.40', '12 / 0', columnCost, perCase, '2,000 → 200'],
  ]);
  const duration = String.raw`(\d+ ms|\d+\.\d+ s)`;
  for (const row of rows) expect(row[7]).toMatch(new RegExp(`^${duration} / ${duration}$`));

  // The grid: a column per version x model with its pass rate; the 12 regressions first, flagged.
  const grid = view.getByTestId('results-grid');
  await expect(grid.getByTestId('grid-heading-rate')).toHaveText(['100% pass · 20/20', '40% pass · 8/20', '40% pass · 8/20', '40% pass · 8/20']);
  await expect(grid.getByTestId('regression-count')).toHaveText('12 regressions');
  const gridRows = grid.getByTestId('grid-row');
  await expect(gridRows.first()).toHaveAttribute('data-position', '9');
  await expect(gridRows.first().getByTestId('regression-flag')).toHaveText('↓ regression');
  await expect(gridRows.first().getByTestId('regression-flag')).toHaveAttribute('title', 'Passes on v1 on gpt-4o-mini, fails on v2 on gpt-4o-mini');
  await expect(gridRows.first().getByTestId('grid-cell-word')).toHaveText(['pass', 'fail', 'fail', 'fail']);
  await expect(gridRows.first().getByTestId('grid-cell-score')).toHaveText(['1.00', '0.00', '0.00', '0.00']);
  const flagged = await gridRows.evaluateAll((elements) => elements.map((row) => `${row.getAttribute('data-position')}:${row.querySelector('[data-testid="regression-flag"]') ? 'R' : '-'}`));
  expect(flagged.slice(0, 14)).toEqual(['9:R', '10:R', '11:R', '12:R', '13:R', '14:R', '15:R', '16:R', '17:R', '18:R', '19:R', '20:R', '1:-', '2:-']);

  // The regressed cell opened: its check's verdict and reason, the output, the diff against expected.
  const firstCells = gridRows.first().getByTestId('grid-cell');
  await firstCells.nth(2).click();
  const cell = view.getByTestId('cell-detail');
  await expect(cell.getByTestId('cell-title')).toHaveText('Case #9v2 · gpt-4o-mini');
  await expect(cell.getByTestId('cell-verdict')).toHaveText('✗ fail · 0.00');
  await expect(cell.getByTestId('assertion-verdict')).toHaveText(['fail']);
  await expect(cell.getByTestId('assertion-name')).toHaveText(['contains (any case) “refund policy”']);
  await expect(cell.getByTestId('assertion-reason')).toHaveText(['Output does not contain "refund policy", in any case']);
  await expect(cell.getByTestId('cell-output')).toHaveText(SHORT_ANSWER);
  await expect(cell.getByTestId('cell-diff').locator('.monaco-diff-editor')).toBeVisible();

  // The keyboard opens cells too: ← ← to v1 on the same model, Enter; → → back, Enter.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(cell.getByTestId('cell-title')).toHaveText('Case #9v1 · gpt-4o-mini');
  await expect(cell.getByTestId('cell-verdict')).toHaveText('✓ pass · 1.00');
  await expect(cell.getByTestId('cell-output')).toHaveText(POLICY_ANSWER);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(cell.getByTestId('cell-title')).toHaveText('Case #9v2 · gpt-4o-mini');

  // Case 2 has a check of its own, after the default one.
  const case2 = gridRows.filter({ has: page.locator('[data-testid="grid-case-text"]', { hasText: /^Case 2$/ }) });
  await case2.getByTestId('grid-cell').nth(3).click();
  await expect(cell.getByTestId('assertion-name')).toHaveText(['contains (any case) “refund policy”', 'word count ≤ 20']);
  await expect(cell.getByTestId('assertion-verdict')).toHaveText(['pass', 'pass']);
  await firstCells.nth(2).click();
  await expect(cell.getByTestId('cell-title')).toHaveText('Case #9v2 · gpt-4o-mini');

  // The trend across versions: one line per model, a point per version.
  const trend = view.getByTestId('trend-chart');
  await expect(trend.getByTestId('trend-plot')).toHaveAttribute('data-points', '4');
  await expect(trend.locator('.recharts-legend-item-text')).toHaveText(['gpt-4o-mini', 'gpt-4.1-nano']);
  await expect(trend.locator('.recharts-line-dots circle, .recharts-line-dot')).toHaveCount(4);
  // Lines that meet (both 40% at v2) stay apart by their dashes, in the legend too.
  await expect(trend.locator('path.recharts-line-curve').nth(0)).not.toHaveAttribute('stroke-dasharray', /\d/);
  await expect(trend.locator('path.recharts-line-curve').nth(1)).toHaveAttribute('stroke-dasharray', '7 4');
  await expect(trend.locator('.recharts-legend-icon').nth(1)).toHaveAttribute('stroke-dasharray', '7 4');
  // Pointed at, a version's points say which eval each comes from.
  await trend.locator('.recharts-line-dots circle, .recharts-line-dot').nth(1).hover({ force: true });
  await expect(trend.locator('.trend-tooltip')).toContainText(/v2.*gpt-4o-mini\s*:\s*40% \(eval #\d+\)/s);
  await page.mouse.move(0, 0);

  // The past evals list has this one; after a reload the view opens it again, from the database.
  await expect(view.getByTestId('eval-item')).toHaveCount(1);
  await expect(view.getByTestId('eval-item').first()).toContainText('44/80 passed');
  await page.reload();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await page.getByTestId('nav-evals').click();
  await view.getByTestId('evals-tab-results').click();
  await expect(view.getByTestId('eval-item').first()).toHaveAttribute('aria-current', 'true');
  await expect(view.getByTestId('results-grid').getByTestId('grid-heading-rate')).toHaveText(['100% pass · 20/20', '40% pass · 8/20', '40% pass · 8/20', '40% pass · 8/20']);
  await expect(view.getByTestId('regression-count')).toHaveText('12 regressions');
  await view.getByTestId('grid-row').first().getByTestId('grid-cell').nth(2).click();
  await expect(cell.getByTestId('cell-verdict')).toHaveText('✗ fail · 0.00');

  await dismissToasts(page);
  await page.mouse.move(0, 899);
  await page.screenshot({ path: path.join(SHOTS, 'evals-results-light.png') });
  await useTheme(page, 'dark');
  await page.screenshot({ path: path.join(SHOTS, 'evals-results-dark.png') });

  expect(problems()).toEqual([]);
});

test('a thousand pasted cases stay virtualized and keyboard-editable; export; an eval cancelled and resumed runs only what was left', async ({ page }) => {
  await startAll(60);
  const { problems, view } = await openEvalsOfNewPrompt(page);

  // 1,000 cases pasted as CSV: the table renders only the rows in view.
  const pasted = ['description,question', ...Array.from({ length: 1000 }, (_, index) => `Bulk ${index + 1},Question number ${index + 1}?`)].join('\n');
  await view.getByTestId('open-import').click();
  const dialog = page.getByTestId('import-dialog');
  await dialog.getByTestId('import-text').fill(pasted);
  await dialog.getByTestId('import-submit').click();
  await expect(view.getByTestId('import-summary')).toHaveText('1,000 cases imported');
  await expect(view.getByTestId('case-count')).toHaveText('1,000 cases');
  expect(await view.getByTestId('case-row').count()).toBeLessThan(60);
  await view.getByTestId('case-table').evaluate((element) => (element.scrollTop = element.scrollHeight));
  const last = view.locator('[data-testid="case-row"]').filter({ has: page.locator('[data-testid="case-description"][value="Bulk 1000"]') });
  await expect(last.getByTestId('case-var-question')).toHaveValue('Question number 1000?');
  expect(await view.getByTestId('case-row').count()).toBeLessThan(60);

  // Keys: Alt+Enter adds a case below, Ctrl+D duplicates it, Alt+Delete deletes; Ctrl+S saves.
  await last.getByTestId('case-var-question').click();
  await page.keyboard.press('Alt+Enter');
  await expect(view.getByTestId('case-count')).toHaveText('1,001 cases');
  await page.keyboard.type('Typed in a new row?');
  await page.keyboard.press('Control+D');
  await expect(view.getByTestId('case-count')).toHaveText('1,002 cases');
  await expect(view.getByTestId('case-panel').getByTestId('case-panel-title')).toHaveText('Case 1002');
  await expect(view.getByTestId('case-panel').getByTestId('panel-var-question')).toHaveValue('Typed in a new row?');
  await page.keyboard.press('Alt+Delete');
  await expect(view.getByTestId('case-count')).toHaveText('1,001 cases');
  await expect(view.getByTestId('suite-unsaved')).toBeVisible();

  // A reload before saving loses nothing: the edits come back, still unsaved.
  await page.reload();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await page.getByTestId('nav-evals').click();
  await expect(page.locator('[data-testid="toast"][data-kind="info"]')).toHaveText(/Restored your unsaved edits to the test cases/);
  await expect(view.getByTestId('case-count')).toHaveText('1,001 cases');
  await expect(view.getByTestId('suite-unsaved')).toBeVisible();
  await view.getByTestId('case-table').evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect(view.locator('[data-testid="case-row"]').last().getByTestId('case-var-question')).toHaveValue('Typed in a new row?');
  await view.locator('[data-testid="case-row"]').last().getByTestId('case-var-question').click();
  await page.keyboard.press('Control+S');
  await expect(view.getByTestId('suite-unsaved')).toHaveCount(0);

  // Export as JSONL: a line per case, the typed one last.
  await view.getByTestId('export-format').selectOption({ label: 'JSONL' });
  const [download] = await Promise.all([page.waitForEvent('download'), view.getByTestId('export-cases').click()]);
  expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
  const lines = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(lines).toHaveLength(1001);
  expect(JSON.stringify(JSON.parse(lines[0]))).toContain('Question number 1?');
  expect(JSON.stringify(JSON.parse(lines[1000]))).toContain('Typed in a new row?');

  // Replace them all with the 20 cases, then run v2 on one model, one request at a time.
  await view.getByTestId('open-import').click();
  await dialog.getByTestId('import-file').setInputFiles({ name: 'support-cases.csv', mimeType: 'text/csv', buffer: Buffer.from(casesCsv()) });
  await dialog.getByTestId('import-replace').click();
  await dialog.getByTestId('import-submit').click();
  await expect(view.getByTestId('case-count')).toHaveText('20 cases');
  await view.getByTestId('evals-tab-results').click();
  await addEvalModel(view, 'gpt-4o-mini');
  await view.getByTestId('eval-concurrency').fill('1');
  await expect(view.getByTestId('eval-plan')).toHaveText('20 cells (20 × 1 × 1)');
  await view.getByTestId('start-eval').click();

  // Cancel part-way, from the keyboard: finished cells stay, the rest can be resumed.
  const progress = view.getByTestId('eval-progress');
  await expect.poll(async () => Number((await progress.getByTestId('eval-done').innerText()).split('/')[0])).toBeGreaterThanOrEqual(3);
  await expect(progress.getByTestId('cancel-eval')).toHaveAttribute('title', /\(Ctrl\+\.\)$/);
  await page.keyboard.press('Control+.');
  await expect(progress.getByTestId('eval-status')).toHaveText('Cancelled');
  const doneText = await progress.getByTestId('eval-done').innerText();
  const doneBefore = Number(doneText.split('/')[0]);
  expect(doneBefore).toBeLessThan(20);
  await expect(view.locator('[data-testid="grid-cell"][data-status="passed"], [data-testid="grid-cell"][data-status="failed"]')).toHaveCount(doneBefore);
  // The summary's rate is of the finished cases, and says how many are not (it read "100% 5/20").
  const rate = view.getByTestId('summary-pass-rate');
  await expect(rate).toHaveText(new RegExp(`^[\\d.]+% \\d+/${doneBefore} · ${20 - doneBefore} not finished$`));
  await expect(rate).toHaveAttribute('title', new RegExp(`^\\d+ of ${doneBefore} finished cases? passed; ${20 - doneBefore} cases? stopped or not run yet$`));
  const requestsBefore = openai.requestsTo('/v1/chat/completions').length;
  await progress.getByTestId('resume-eval').click();
  await expect(progress.getByTestId('eval-status')).toHaveText('Done', { timeout: 60_000 });
  await expect(progress.getByTestId('eval-done')).toHaveText('20/20 done');
  await expect(rate).toHaveText(/^[\d.]+% \d+\/20$/);
  await expect(progress.getByTestId('resume-eval')).toHaveCount(0);
  expect(openai.requestsTo('/v1/chat/completions').length - requestsBefore).toBe(20 - doneBefore);
  await expect(view.getByTestId('eval-item')).toHaveCount(1);

  expect(problems()).toEqual([]);
});

test('a .prompt.yml whose evaluators a model grades: reported without a judge, graded by the one chosen at import', async ({ page }) => {
  await startAll();
  const { problems, view } = await openEvalsOfNewPrompt(page);
  const file = {
    name: 'refund-helper.prompt.yml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(
      [
        'testData:',
        // Two refund questions (every answer names the policy) and one that is not.
        ...[QUESTIONS[0], QUESTIONS[1], QUESTIONS[8]].map((question) => `  - question: "${question}"`),
        'evaluators:',
        '  - name: Polite',
        '    string: { contains: help }',
        '  - name: Coherent',
        '    uses: github/coherence',
      ].join('\n'),
    ),
  };

  // Without a judge the coherence check is reported, and the string check imports.
  await view.getByTestId('open-import').click();
  const dialog = page.getByTestId('import-dialog');
  await dialog.getByTestId('import-file').setInputFiles(file);
  await expect(dialog.getByTestId('import-format')).toHaveValue('prompt-yml');
  await expect(dialog.getByTestId('import-judge-model')).toBeDisabled();
  await dialog.getByTestId('import-submit').click();
  await expect(dialog).toBeHidden();
  // Its evaluator became a default check, which the summary says applies to every case.
  await expect(view.getByTestId('import-summary')).toHaveText('3 cases imported, 1 default check added (applied to every case), 1 problem');
  await expect(view.getByTestId('import-problem')).toHaveText([/^Evaluator 2 \(evaluators\[1\]\.uses\) "Coherent" \(github\/coherence\) is graded by a model: choose a judge to import it/]);
  await expect(view.getByTestId('open-defaults')).toHaveText('Default checks 1');

  // Again, replacing, with gpt-4o-mini as the judge: nothing to report, two default checks.
  await view.getByTestId('open-import').click();
  await dialog.getByTestId('import-file').setInputFiles(file);
  await dialog.getByTestId('import-replace').click();
  await dialog.getByTestId('import-judge-check').check();
  await dialog.getByTestId('import-judge-provider').selectOption({ label: 'OpenAI' });
  await dialog.getByTestId('import-judge-model').fill('');
  await dialog.getByTestId('import-submit').click();
  await expect(dialog.getByTestId('import-error')).toHaveText('Name the judge model, or untick “Grade model-graded checks with”');
  await dialog.getByTestId('import-judge-model').fill('gpt-4o-mini');
  await expect(dialog.getByTestId('import-error')).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, 'evals-import-judge-light.png') });
  await dialog.getByTestId('import-submit').click();
  await expect(dialog).toBeHidden();
  await expect(view.getByTestId('import-summary')).toHaveText('3 cases imported, 2 default checks from the file (applied to every case)');
  await expect(view.getByTestId('case-count')).toHaveText('3 cases');
  await view.getByTestId('open-defaults').click();
  const panel = view.getByTestId('case-panel');
  await expect(panel.getByTestId('assertion-judge-model')).toHaveValue('gpt-4o-mini');
  await expect(panel.getByTestId('assertion-rubric')).toHaveValue(/^Coherence: the output reads as one connected/);

  // v1 on gpt-4o-mini names the policy every time; gpt-4.1-nano only for refunds, so the judge fails its parcel answer.
  await view.getByTestId('evals-tab-results').click();
  await addEvalModel(view, 'gpt-4o-mini');
  await addEvalModel(view, 'gpt-4.1-nano');
  await view.getByTestId('eval-version-1').click();
  await view.getByTestId('eval-version-2').click();
  await expect(view.getByTestId('eval-plan')).toHaveText('6 cells (3 × 1 × 2)');
  await view.getByTestId('start-eval').click();
  const progress = view.getByTestId('eval-progress');
  await expect(progress.getByTestId('eval-status')).toHaveText('Done', { timeout: 60_000 });
  await expect(progress.getByTestId('eval-passed')).toHaveText('✓ 5 passed');
  await expect(progress.getByTestId('eval-failed')).toHaveText('✗ 1 failed');
  // Six answers and six verdicts.
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(12);
  const grid = view.getByTestId('results-grid');
  const failing = grid.getByTestId('grid-row').filter({ has: page.locator('[data-testid="grid-cell-word"]', { hasText: 'fail' }) });
  await expect(failing).toHaveCount(1);
  await failing.getByTestId('grid-cell').filter({ has: page.locator('[data-testid="grid-cell-word"]', { hasText: 'fail' }) }).click();
  const cell = view.getByTestId('cell-detail');
  await expect(cell.getByTestId('assertion-name')).toHaveText(['Polite', 'Coherent']);
  await expect(cell.getByTestId('assertion-verdict')).toHaveText(['pass', 'fail']);
  await expect(cell.getByTestId('assertion-reason').nth(1)).toHaveText('Judge score 0.50 (threshold 0.70): Short but leaves the question hanging.');
  // With their Judge column, the figures fit their box beside the chart: every column whole, none under the chart.
  await expect(view.getByTestId('summary-judge-cost')).toHaveCount(2);
  const summaries = view.getByTestId('eval-summaries');
  expect(await summaries.evaluate((box) => `${box.scrollWidth} in ${box.clientWidth}`)).toBe(await summaries.evaluate((box) => `${box.clientWidth} in ${box.clientWidth}`));
  expect(await layoutProblems(summaries.locator('th, td'), { within: '[data-testid="eval-summaries"]' })).toEqual([]);
  expect(await overlaps(view.locator('.results-top > *'))).toEqual([]);

  // A judge set in Settings is where Import starts (and what the library and the CLI use).
  await openWorkspace(page, 'settings');
  const judgeSection = page.locator('#settings-judge');
  await judgeSection.getByTestId('judge-provider').selectOption({ label: 'OpenAI' });
  await judgeSection.getByTestId('judge-save').click();
  await expect(judgeSection.getByTestId('judge-message')).toHaveText('Name the judge model (gpt-4o-mini, say), or remove the judge');
  await judgeSection.getByTestId('judge-model').fill('gpt-4.1-nano');
  await judgeSection.getByTestId('judge-model').press('Enter');
  await expect(judgeSection.getByTestId('judge-message')).toHaveText('Saved: OpenAI · gpt-4.1-nano');
  await judgeSection.scrollIntoViewIfNeeded();
  await dismissToasts(page);
  await page.screenshot({ path: path.join(SHOTS, 'settings-judge-light.png') });
  await page.reload();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await page.getByTestId('nav-evals').click();
  await view.getByTestId('open-import').click();
  await dialog.getByTestId('import-format').selectOption('prompt-yml');
  await expect(dialog.getByTestId('import-judge-check')).toBeChecked();
  await expect(dialog.getByTestId('import-judge-model')).toHaveValue('gpt-4.1-nano');
  await expect(dialog.getByTestId('import-judge-provider').locator('option:checked')).toHaveText('OpenAI');

  // A JSONL export from a machine with a Groq provider: none here, so the judge in Settings grades its check, and the report says so.
  await dialog.getByTestId('import-file').setInputFiles({
    name: 'from-a-teammate.tests.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(
      `${JSON.stringify({ vars: { question: QUESTIONS[0] }, assert: [{ type: 'llm-judge', rubric: 'Names the policy.', judge: { provider: 'Groq', kind: 'openai-compatible', model: 'llama-3.1-8b' } }] })}\n`,
    ),
  });
  await expect(dialog.getByTestId('import-format')).toHaveValue('jsonl');
  await expect(dialog.getByTestId('import-judge-check')).toBeChecked();
  await dialog.getByTestId('import-submit').click();
  await expect(dialog).toBeHidden();
  await expect(view.getByTestId('import-problem')).toHaveText([
    'Line 1 · assert[0].judge The judge "Groq · llama-3.1-8b" is not configured here: the check was imported to be graded by the judge in Settings, OpenAI · gpt-4.1-nano',
  ]);
  expect(problems()).toEqual([]);
});

test('an LLM judge check starts from Settings → Judge; once its provider is removed, the check says so and Run eval refuses before asking any model', async ({ page }) => {
  await startAll();
  const { problems, view } = await openEvalsOfNewPrompt(page);
  await addLmStudioEndpoint(page, 'http://127.0.0.1:9/v1');
  const judgeSection = page.locator('#settings-judge');
  await judgeSection.getByTestId('judge-provider').selectOption({ label: 'LM Studio' });
  await judgeSection.getByTestId('judge-model').fill('judge-mini');
  await judgeSection.getByTestId('judge-model').press('Enter');
  await expect(judgeSection.getByTestId('judge-message')).toHaveText('Saved: LM Studio · judge-mini');

  await page.getByTestId('nav-evals').click();
  await view.getByTestId('open-import').click();
  const dialog = page.getByTestId('import-dialog');
  await dialog.getByTestId('import-file').setInputFiles({ name: 'cases.csv', mimeType: 'text/csv', buffer: Buffer.from(`question\n${QUESTIONS[0]}\n`) });
  await dialog.getByTestId('import-submit').click();
  await expect(dialog).toBeHidden();
  await view.getByTestId('open-defaults').click();
  const panel = view.getByTestId('case-panel');
  await panel.getByTestId('assertion-add-type').selectOption({ label: 'LLM judge' });
  await panel.getByTestId('assertion-add').click();
  // The judge in Settings, not the first provider with no model.
  await expect(panel.getByTestId('assertion-judge-provider').locator('option:checked')).toHaveText('LM Studio');
  await expect(panel.getByTestId('assertion-judge-model')).toHaveValue('judge-mini');
  await panel.getByTestId('assertion-rubric').fill('The answer is polite.');
  await panel.getByTestId('assertion-label').fill('Polite');
  await expect(panel.getByTestId('assertion-problem')).toHaveCount(0);
  await page.keyboard.press('Control+S');
  await expect(view.getByTestId('suite-unsaved')).toHaveCount(0);

  // The removal says the judge in Settings goes too.
  await openWorkspace(page, 'settings');
  await providerCard(page, 'LM Studio').getByTestId('provider-remove').click();
  const removal = page.getByTestId('remove-provider-dialog');
  await expect(removal.getByTestId('remove-provider-settings-judge')).toHaveText(
    'It is the judge in Settings → Judge (LM Studio · judge-mini): that setting is cleared, and imports then report the checks other tools leave to a model until you choose another judge there.',
  );
  await removal.getByTestId('confirm-button').click();
  await expect(providerCard(page, 'LM Studio')).toHaveCount(0);

  // The check shows its judge as gone, and nothing chose another for it.
  await page.getByTestId('nav-evals').click();
  await view.getByTestId('evals-tab-cases').click();
  await view.getByTestId('open-defaults').click();
  await expect(panel.getByTestId('assertion-judge-provider').locator('option:checked')).toHaveText('Removed provider');
  await expect(panel.getByTestId('assertion-judge-provider')).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByTestId('assertion-judge-problem')).toHaveText('The judge’s provider was removed: choose another');
  await expect(panel.getByTestId('assertion-judge-model')).toHaveValue('judge-mini');
  // The suite's problem list says it too, and where; an unrelated edit still saves, the problem stays listed.
  await expect(view.getByTestId('suite-judge-problems')).toHaveText('A check has no judge: Run eval is refused until it has one.');
  await expect(view.getByTestId('suite-problem')).toHaveText(['Default checks assertion 1: The judge’s provider was removed: choose another']);
  await view.getByTestId('case-row').first().getByTestId('case-tags').fill('refunds, polite');
  await page.keyboard.press('Control+S');
  await expect(view.getByTestId('suite-unsaved')).toHaveCount(0);
  await expect(view.getByTestId('suite-problem')).toHaveText(['Default checks assertion 1: The judge’s provider was removed: choose another']);

  await view.getByTestId('evals-tab-results').click();
  await addEvalModel(view, 'gpt-4o-mini');
  await view.getByTestId('start-eval').click();
  await expect(view.getByTestId('eval-refusal')).toHaveText(
    'Check 1 (“Polite”) in the default checks of “Refund helper” has no judge: its provider was removed in Settings › Providers. Choose another judge for it in Evals › Test cases, then run the eval',
  );
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(0);

  // Another judge chosen, the check is whole again.
  await view.getByTestId('evals-tab-cases').click();
  await view.getByTestId('open-defaults').click();
  await panel.getByTestId('assertion-judge-provider').selectOption({ label: 'OpenAI' });
  await expect(panel.getByTestId('assertion-judge-problem')).toHaveCount(0);
  await expect(view.getByTestId('suite-problems')).toHaveCount(0);
  await panel.getByTestId('assertion-judge-model').fill('gpt-4.1-nano');
  await page.keyboard.press('Control+S');
  await expect(view.getByTestId('suite-unsaved')).toHaveCount(0);

  // The answer comes, the judge refuses it (401): a check it could not grade leaves the cell, and the mean, without a score.
  openai.script({}, { fault: { kind: 'http-error', status: 401 } });
  await view.getByTestId('evals-tab-results').click();
  await view.getByTestId('start-eval').click();
  const progress = view.getByTestId('eval-progress');
  await expect(progress.getByTestId('eval-status')).toHaveText('Done', { timeout: 60_000 });
  await expect(progress.getByTestId('eval-errors')).toHaveText('! 1 error');
  const cell = view.getByTestId('grid-cell');
  await expect(cell.getByTestId('grid-cell-word')).toHaveText('error');
  await expect(cell.getByTestId('grid-cell-score')).toHaveCount(0);
  await expect(view.getByTestId('summary-score')).toHaveText('–');
  await cell.click();
  await expect(view.getByTestId('cell-detail').getByTestId('assertion-score')).toHaveText('not graded');
  const answered = (await view.getByTestId('cell-detail').getByTestId('cell-open-run').textContent()) ?? 'none';

  // Retry errors asks the judge alone again, about the same answer.
  const isAnswer = (request: { body: unknown }) => (request.body as { response_format?: unknown }).response_format === undefined;
  await progress.getByTestId('retry-errors').click();
  await expect(progress.getByTestId('eval-passed')).toHaveText('✓ 1 passed', { timeout: 60_000 });
  await expect(view.getByTestId('summary-score')).toHaveText('0.90');
  await cell.click();
  await expect(view.getByTestId('cell-detail').getByTestId('assertion-score')).toHaveText('0.90');
  expect([openai.requestsTo('/v1/chat/completions').filter(isAnswer).length, openai.requestsTo('/v1/chat/completions').length]).toStrictEqual([1, 3]);
  await expect(view.getByTestId('cell-detail').getByTestId('cell-open-run')).toHaveText(answered);
  // The column's costs are what it spent over both tries, as the eval's are, and the headers say so.
  await expect(progress.getByTestId('eval-cost')).toHaveText(`${await view.getByTestId('summary-cost').textContent()} + judge ${await view.getByTestId('summary-judge-cost').textContent()}`);
  const heading = (text: string) => view.getByTestId('eval-summaries').locator('th', { hasText: text });
  expect([await heading('Cost').getAttribute('title'), await heading('Per case').getAttribute('title'), await heading('Judge').getAttribute('title')]).toStrictEqual([
    'What this column’s runs spent, every try counted (Resume, Retry errors); the judges apart. The columns add up to the eval’s cost',
    'Cost over the finished cases: what each case spent on runs, every try counted; the judges apart',
    'What this column’s LLM judges spent, every try counted, apart from the runs',
  ]);
  expect(problems()).toEqual([]);
});

test('an eval says Done together with its final summaries, not while they are still being read', async ({ page }) => {
  // The connection holds the news that the eval is done until the test has seen it open and
  // running, then the reads of its results that follow, until the test lets them through: the
  // moment between the two made long.
  let isDone = false;
  const held = await holdBridgeMessages(page, (name) => name === 'eval:done' || (isDone && name === 'evals:get'));
  await startAll();
  const { problems, view } = await openEvalsOfNewPrompt(page);
  await view.getByTestId('open-import').click();
  const dialog = page.getByTestId('import-dialog');
  await dialog.getByTestId('import-file').setInputFiles({ name: 'cases.csv', mimeType: 'text/csv', buffer: Buffer.from(`question,expected\n${QUESTIONS.slice(0, 3).join(',x\n')},x\n`) });
  await dialog.getByTestId('import-submit').click();
  await expect(dialog).toBeHidden();
  await view.getByTestId('evals-tab-results').click();
  await addEvalModel(view, 'gpt-4o-mini');
  await view.getByTestId('start-eval').click();
  const progress = view.getByTestId('eval-progress');
  await expect(progress.getByTestId('eval-status')).toHaveText('Running');
  await expect(progress.getByTestId('eval-done')).toHaveText('3/3 done', { timeout: 60_000 });

  // The news comes: the list has the eval as done at once; its results are on their way.
  isDone = true;
  await held.release('eval:done');
  await expect(view.getByTestId('eval-item')).toHaveAttribute('data-status', 'done');
  await expect.poll(() => held.has('evals:get')).toBe(true);
  await expect(progress.getByTestId('eval-status')).toHaveText('Running');
  await expect(progress.getByTestId('eval-done')).toHaveText('3/3 done');

  await held.release('evals:get');
  await expect(progress.getByTestId('eval-status')).toHaveText('Done');
  // At once, with no wait: the summaries are those of the finished eval.
  expect((await summaryTable(view)).map((row) => row.slice(0, 3))).toEqual([['v2', 'gpt-4o-mini', '100% 3/3']]);
  expect(problems()).toEqual([]);
});

test('against a baseline, cases that went from fail to pass are marked improved and counted beside the regressions; a compared cell shows the baseline output beside its own', async ({ page }, testInfo) => {
  await startAll();
  const { problems, view } = await openEvalsOfNewPrompt(page);
  // v1 names the policy on gpt-4o-mini and v2 does not: a case asking for it regresses, one asking for a short answer without it improves.
  const namesIt = JSON.stringify([{ type: 'icontains', value: 'refund policy' }]);
  const leavesItOut = JSON.stringify([{ type: 'icontains', value: 'refund policy', isNegated: true }]);
  const cases = [
    ['Asks for a refund', QUESTIONS[0], namesIt],
    ['Parcel, kept short', QUESTIONS[8], leavesItOut],
    ['Address, with the policy', QUESTIONS[9], namesIt],
    ['Norway, with the policy', QUESTIONS[10], namesIt],
    ['Password, kept short', QUESTIONS[11], leavesItOut],
    ['Refund time, kept short', QUESTIONS[1], leavesItOut],
  ];
  await view.getByTestId('open-import').click();
  const dialog = page.getByTestId('import-dialog');
  const csv = ['description,question,assert', ...cases.map((row) => row.map(csvCell).join(','))].join('\n') + '\n';
  await dialog.getByTestId('import-file').setInputFiles({ name: 'changes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await dialog.getByTestId('import-submit').click();
  await expect(dialog).toBeHidden();
  await expect(view.getByTestId('import-summary')).toHaveText('6 cases imported');

  await view.getByTestId('evals-tab-results').click();
  await addEvalModel(view, 'gpt-4o-mini');
  await view.getByTestId('eval-version-1').click();
  await view.getByTestId('eval-baseline').selectOption({ label: 'v1' });
  await view.getByTestId('start-eval').click();
  await expect(view.getByTestId('eval-progress').getByTestId('eval-status')).toHaveText('Done', { timeout: 60_000 });

  // As many fixed as broken: the header says both, the grid lists regressions, then improvements, then the rest.
  const grid = view.getByTestId('results-grid');
  await expect(grid.getByTestId('grid-heading-rate')).toHaveText(['50% pass · 3/6', '50% pass · 3/6']);
  await expect(grid.getByTestId('comparison-counts')).toHaveText('2 regressions · 2 improved');
  const rows = grid.getByTestId('grid-row');
  await expect(rows).toHaveCount(6);
  const marked = await rows.evaluateAll((elements) =>
    elements.map((row) => {
      const flags = [...row.querySelectorAll('[data-testid="regression-flag"], [data-testid="improvement-flag"]')].map((flag) => flag.textContent);
      return `#${row.getAttribute('data-position')} ${flags.join(' ') || '-'}`;
    }),
  );
  expect(marked).toEqual(['#3 ↓ regression', '#4 ↓ regression', '#2 ↑ improved', '#5 ↑ improved', '#1 -', '#6 -']);
  const improved = rows.nth(2);
  await expect(improved.getByTestId('grid-case-text')).toHaveText('Parcel, kept short');
  await expect(improved.getByTestId('improvement-flag')).toHaveAttribute('title', 'Fails on v1 on gpt-4o-mini, passes on v2 on gpt-4o-mini');
  await expect(improved.getByTestId('grid-cell-word')).toHaveText(['fail', 'pass']);
  // The arrow is on the cell that improved, not on the baseline's.
  await expect(improved.getByTestId('grid-cell').nth(0).getByTestId('grid-cell-improved')).toHaveCount(0);
  await expect(improved.getByTestId('grid-cell').nth(1).getByTestId('grid-cell-improved')).toHaveText('↑');

  // The improved cell opened: the baseline's verdict and output beside this one, as a diff.
  await improved.getByTestId('grid-cell').nth(1).click();
  const cell = view.getByTestId('cell-detail');
  await expect(cell.getByTestId('cell-title')).toHaveText('Case #2v2 · gpt-4o-mini');
  const comparison = cell.getByTestId('cell-baseline');
  await expect(comparison.locator('h3')).toHaveText('v1 → v2 output');
  await expect(comparison.getByTestId('cell-baseline-verdict')).toHaveText('On v1 (the baseline): ✗ fail · 0.00');
  const diff = comparison.getByTestId('cell-baseline-diff');
  // The panel is narrow, so the diff is inline: v1's line shown deleted above v2's.
  await expect(diff.locator('.editor.modified .view-lines')).toHaveText([POLICY_ANSWER, SHORT_ANSWER]);
  // For a look at the markers and the comparison in both themes (kept with the test's results, not in docs/).
  await dismissToasts(page);
  await page.mouse.move(0, 899);
  await useTheme(page, 'light');
  await page.screenshot({ path: testInfo.outputPath('compared-light.png') });
  await useTheme(page, 'dark');
  await page.screenshot({ path: testInfo.outputPath('compared-dark.png') });
  // The baseline's own cell has nothing to compare with.
  await improved.getByTestId('grid-cell').nth(0).click();
  await expect(cell.getByTestId('cell-title')).toHaveText('Case #2v1 · gpt-4o-mini');
  await expect(cell.getByTestId('cell-output')).toHaveText(POLICY_ANSWER);
  await expect(cell.getByTestId('cell-baseline')).toHaveCount(0);
  await page.keyboard.press('Escape');

  expect(problems()).toEqual([]);
});

/** Runs the built `workbench eval` on the host's data folder, as a CI job beside the open app would; resolves with its exit code. */
function runCliEval(dataDir: string, args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [path.resolve(import.meta.dirname, '..', '..', 'dist', 'electron', 'cli.cjs'), 'eval', ...args, '--data-dir', dataDir], {
    env: { ...process.env, OPENAI_API_KEY: 'test-openai-key' },
    stdio: 'ignore',
  });
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

test('evals the command line stores beside the open app show when the Evals view is shown again or the window gets the focus', async ({ page }) => {
  await startAll();
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  const file = path.join(makeTempDir('cli-prompt'), 'facts.prompt.yml');
  fs.writeFileSync(
    file,
    ['name: CLI facts', 'model: openai/gpt-4o-mini', 'messages:', '  - role: user', '    content: "Tell me about {{question}}."', 'testData:', '  - question: tides', 'evaluators:', '  - name: names it', '    string:', '      contains: tides', ''].join('\n'),
  );
  expect(await runCliEval(host.dataDir, [file, '--no-cache'])).not.toBe(2);
  await page.reload();
  await page.getByTestId('prompt-row').filter({ hasText: 'CLI facts' }).click();
  await page.getByTestId('nav-evals').click();
  const view = page.getByTestId('evals-view');
  await view.getByTestId('evals-tab-results').click();
  await expect(view.getByTestId('eval-item')).toHaveCount(1);

  // Another run from the command line: shown once the view is shown again.
  expect(await runCliEval(host.dataDir, ['CLI facts', '--no-cache'])).not.toBe(2);
  await openWorkspace(page, 'prompts');
  await page.getByTestId('nav-evals').click();
  await expect(view.getByTestId('eval-item')).toHaveCount(2);
  // And one more while the view is open: shown when the window gets the focus back.
  expect(await runCliEval(host.dataDir, ['CLI facts', '--no-cache'])).not.toBe(2);
  await page.evaluate("window.dispatchEvent(new Event('focus'))");
  await expect(view.getByTestId('eval-item')).toHaveCount(3);
});

test('an archived prompt stays in History’s Prompt filter and the Evals view, marked: its runs are listed, its evals read and run again', async ({ page }) => {
  await startAll();
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  const file = path.join(makeTempDir('archived-prompt'), 'tides.prompt.yml');
  fs.writeFileSync(
    file,
    ['name: Tide facts', 'model: openai/gpt-4o-mini', 'messages:', '  - role: user', '    content: "Tell me about {{question}}."', 'testData:', '  - question: tides', '  - question: moons', 'evaluators:', '  - name: names it', '    string:', '      contains: Happy', ''].join('\n'),
  );
  expect(await runCliEval(host.dataDir, [file, '--no-cache'])).not.toBe(2);
  await page.reload();
  await createPrompt(page, 'Refund helper');
  const row = page.getByTestId('prompt-row').filter({ hasText: 'Tide facts' });
  await row.hover();
  await row.getByTestId('archive-prompt').click();
  await expect(row).toHaveCount(0);

  // History: offered after the others, under “Archived”; picking it lists its runs.
  await openWorkspace(page, 'history');
  const filter = page.getByTestId('filter-prompt');
  expect({
    options: await filter.locator('option').allTextContents(),
    archived: await filter.locator('optgroup[label="Archived"] option').allTextContents(),
  }).toEqual({ options: ['All prompts', 'Refund helper', 'Tide facts (archived)'], archived: ['Tide facts (archived)'] });
  await filter.selectOption({ label: 'Tide facts (archived)' });
  await expect(page.getByTestId('history-count')).toHaveText('2 runs');
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-jsonl').click()]);
  const exported = fs.readFileSync(await download.path(), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { variables: Record<string, string> });
  expect(exported.map((run) => run.variables.question).toSorted()).toEqual(['moons', 'tides']);

  // Evals: the same picker; its eval is there, and another can be run.
  await page.getByTestId('nav-evals').click();
  const view = page.getByTestId('evals-view');
  const picker = view.getByTestId('evals-prompt');
  expect(await picker.locator('option').allTextContents()).toEqual(['Refund helper', 'Tide facts (archived)']);
  await picker.selectOption({ label: 'Tide facts (archived)' });
  await expect(picker.locator('option:checked')).toHaveText('Tide facts (archived)');
  await view.getByTestId('evals-tab-results').click();
  await expect(view.getByTestId('eval-item')).toHaveCount(1);
  await addEvalModel(view, 'gpt-4.1-nano');
  await view.getByTestId('start-eval').click();
  await expect(view.getByTestId('eval-progress').getByTestId('eval-done')).toHaveText('2/2 done', { timeout: 60_000 });
  await expect(view.getByTestId('eval-item')).toHaveCount(2);
  expect(problems()).toEqual([]);
});
