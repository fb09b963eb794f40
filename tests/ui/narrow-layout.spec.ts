/**
 * Narrow windows (700 to 1080 px wide, both themes): the Prompts view and Settings (at 700 and
 * 900 px), History, Evals and Release (at 700, 860 and 1080 px) keep every part whole and inside
 * the window, with nothing to scroll sideways but the run columns, a diff and the spreadsheets
 * of cases and results; in the last three every text reads at 4.5:1 contrast or more. Takes
 * screenshots of each for docs/screenshots/.
 */

import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOllamaServer, type OllamaServer } from '../fixtures/ollama-server';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { makeTempDir, startHost, type HostHandle } from './host';
import { belowAa, contrastRatios, layoutProblems, overlaps, pageScrollsSideways, scrollsSideways, sidewaysScrollers, textIn, untitledCuts, useTheme } from './layout-support';
import { approve, connectRepository, gitEnvironment, pickForRelease, repositoryWithRemote, versionRow } from './release-support';
import { addRunTarget, openApp, openWorkspace, providerCard, runColumn, setProviderUrl } from './ui-support';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const REPO_PROMPTS = path.resolve(import.meta.dirname, '..', '..', 'prompts');

let openai: OpenAiServer;
let ollama: OllamaServer;
let host: HostHandle;
/** The git environment the host runs git in, for the repository the Release test releases into. */
let gitEnvironmentOfHost: Record<string, string>;

/** What the OpenAI fixture answers: an email as the Customer support prompt asks for, which passes its checks. */
const SUPPORT_REPLY = `Hi Priya,

Nothing went wrong on your side. When a bank is first connected, Ledgerly imports the last 7 days straight away and older transactions over the next 24 hours.

To get last month in now:
1. Open Accounts and pick your bank.
2. Choose "Import history" and set the start date to the 1st of last month.

The Ledgerly support team`;

test.beforeAll(async () => {
  openai = await startOpenAiServer({ reply: { tokens: SUPPORT_REPLY.match(/\s*\S+/g) ?? [] } });
  ollama = await startOllamaServer({});
  const promptsDir = makeTempDir('narrow');
  fs.cpSync(REPO_PROMPTS, promptsDir, { recursive: true });
  gitEnvironmentOfHost = gitEnvironment();
  host = await startHost({ promptsDir, env: { OPENAI_API_KEY: 'test-openai-key', ...gitEnvironmentOfHost } });
  fs.mkdirSync(SHOTS, { recursive: true });
});

test.afterAll(async () => {
  await host.stop();
  await Promise.all([openai.close(), ollama.close()]);
});

async function settle(page: Page) {
  await page.waitForTimeout(300);
  await page.mouse.move(0, 0);
}

/** Points a provider at a fixture, unless an earlier test did. */
async function pointAt(page: Page, label: string, url: string) {
  if ((await providerCard(page, label).getByTestId('provider-url').inputValue()) !== url) await setProviderUrl(page, label, url);
}

/** Whether `docs/screenshots/` gets a picture of this width and theme (a few are enough). */
function isPhotographed(width: number, theme: 'light' | 'dark'): boolean {
  return width === 700 || theme === 'light';
}

const WIDTHS = [700, 900];

/**
 * Runs Customer support on three models, two on the fixtures and one Ollama does not have (it
 * fails at once: its column shows "Failed"), with the providers pointed at the fixtures.
 */
async function runThreeModels(page: Page) {
  await openWorkspace(page, 'settings');
  await pointAt(page, 'OpenAI', openai.baseUrl);
  await pointAt(page, 'Ollama', ollama.url);
  await openWorkspace(page, 'prompts');
  await page.getByTestId('prompt-row').filter({ hasText: 'Customer support' }).click();
  for (const [provider, model] of [
    ['Ollama', 'llama-3.3-70b-versatile'],
    ['Ollama', 'qwen3:8b'],
    ['OpenAI', 'gpt-4o-mini'],
  ]) {
    if ((await page.locator(`[data-testid="target-chip"][data-model="${model}"]`).count()) === 0) await addRunTarget(page, provider, model);
  }
  await page.getByTestId('run-button').click();
  await expect(runColumn(page, 'qwen3:8b')).toHaveAttribute('data-status', 'ok');
  await expect(runColumn(page, 'gpt-4o-mini')).toHaveAttribute('data-status', 'ok');
  await expect(runColumn(page, 'llama-3.3-70b-versatile')).toHaveAttribute('data-status', 'error');
}

test('the Prompts view at 700 and 900 px, in both themes', async ({ page }) => {
  await openApp(page, host);
  await runThreeModels(page);
  // Opened again, the comparison says when it ran, the longest part of its header.
  await page.reload();
  await openApp(page, host);
  await expect(page.getByTestId('batch-ran-at')).toHaveText(/^ran /);

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 850 });
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      const failed = runColumn(page, 'llama-3.3-70b-versatile');
      const problems = [
        ...(await layoutProblems(page.getByTestId('prompt-title'))),
        ...(await layoutProblems(page.getByTestId('save-version'), { isOneLine: true })),
        ...(await layoutProblems(page.getByTestId('message-stats'), { isOneLine: true })),
        ...(await layoutProblems(page.getByTestId('target-model'))),
        ...(await layoutProblems(page.locator('[data-testid="runs-toolbar"] > :not(.target-chips), [data-testid="target-chip"]'))),
        ...(await layoutProblems(page.locator('[data-testid="batch-header"] > *'), { isOneLine: true })),
        ...(await layoutProblems(failed.getByTestId('run-status'), { isOneLine: true })),
        ...(await layoutProblems(failed.locator('.figure-label, [data-testid="figure-value"]'))),
        ...(await layoutProblems(page.getByRole('tab'), { within: '[data-testid="right-panel"]' })),
        ...(await layoutProblems(page.locator('.prompt-row-name, .variable-name'))),
      ];
      expect(problems, `Prompts at ${width} px, ${theme}`).toEqual([]);
      expect(await page.getByTestId('prompt-title').innerText()).toBe('Customer support');
      // The editor keeps room to write in.
      expect((await page.getByTestId('message-block').first().boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(width === 700 ? 340 : 500);
      if (isPhotographed(width, theme)) {
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, `narrow-prompts-${theme}-${width}.png`) });
      }
    }
  }
});

test('Settings at 700 and 900 px, in both themes', async ({ page }) => {
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await pointAt(page, 'Ollama', ollama.url);
  const ollamaCard = providerCard(page, 'Ollama');
  await ollamaCard.getByTestId('provider-test').click();
  await expect(ollamaCard.getByTestId('model-row')).toHaveCount(2);

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 850 });
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      await ollamaCard.scrollIntoViewIfNeeded();
      const problems = [
        ...(await layoutProblems(page.locator('.settings-index > *'), { isOneLine: true })),
        ...(await layoutProblems(page.locator('.provider-card-header > *'), { isOneLine: true })),
        ...(await layoutProblems(ollamaCard.getByTestId('model-add-target'), { isOneLine: true, within: '[data-testid="provider-card"]' })),
        ...(await layoutProblems(ollamaCard.locator('[data-testid="model-row"] td'), { within: '[data-testid="provider-card"]' })),
        ...(await layoutProblems(page.locator('[data-testid="price-row"]:nth-child(-n + 12) td'))),
        ...(await layoutProblems(page.getByTestId('new-price-row').locator('td'))),
      ];
      expect(problems, `Settings at ${width} px, ${theme}`).toEqual([]);
      expect(await scrollsSideways(page.locator('.settings-body')), `Settings at ${width} px scroll sideways`).toBe(false);
      if (isPhotographed(width, theme)) {
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, `narrow-settings-${theme}-${width}.png`) });
      }
      // Each price shows whole, its column's name with it when the rows are stacked.
      const firstPrice = page.getByTestId('price-row').first();
      await firstPrice.scrollIntoViewIfNeeded();
      for (const name of ['price-input', 'price-output', 'price-cached', 'price-source', 'price-edit']) await expect(firstPrice.getByTestId(name)).toBeInViewport({ ratio: 1 });
      if (width === 700 && theme === 'light') {
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, `narrow-prices-${theme}-${width}.png`) });
      }
    }
  }
});

/** The widths the History, Evals and Release views are checked at. */
const VIEW_WIDTHS = [700, 860, 1080];

/** What must hold of a view in a narrow window; each entry a selector inside the view. */
interface ViewCheck {
  /** The view's `data-testid`. */
  view: string;
  /** Each whole, inside the window and its scrolling boxes, on one line of text. */
  oneLine?: string[];
  /** Each whole and inside the window and its scrolling boxes (may wrap). */
  whole?: string[];
  /** Groups of controls none of which may overlap another of its group. */
  apart?: string[];
  /** The boxes that may scroll sideways (a diff, a spreadsheet); no other may. */
  scrolls?: string;
  /** Each shown whole in the window, once scrolled to if it is below the fold; the pictures show the first. */
  shown: string[];
}

/**
 * Checks a view as a user at this width and theme would read it: nothing cut short or wrapped
 * into pieces, overlapping, or out of the window (the page and the view scroll only up and
 * down), nothing cut with an ellipsis that no tooltip gives whole, the key content shown, and
 * every text at 4.5:1 contrast or more against its background.
 */
async function expectReadable(page: Page, label: string, check: ViewCheck) {
  const root = page.getByTestId(check.view);
  const problems: string[] = [];
  for (const selector of check.oneLine ?? []) problems.push(...(await layoutProblems(root.locator(selector), { isOneLine: true })));
  for (const selector of check.whole ?? []) problems.push(...(await layoutProblems(root.locator(selector))));
  for (const selector of check.apart ?? []) problems.push(...(await overlaps(root.locator(selector))).map((pair) => `overlap: ${pair}`));
  problems.push(...(await sidewaysScrollers(root, check.scrolls ?? '')).map((box) => `scrolls sideways: ${box}`));
  problems.push(...(await untitledCuts(root)).map((text) => `cut without a tooltip: ${text}`));
  expect(problems, label).toEqual([]);
  expect(await pageScrollsSideways(page), `${label}: the page scrolls sideways`).toBe(false);
  for (const selector of check.shown) {
    const element = root.locator(selector).first();
    await element.scrollIntoViewIfNeeded();
    await expect(element, `${label}: ${selector} is shown whole`).toBeInViewport({ ratio: 1 });
  }
  const ratios = await contrastRatios(textIn(root));
  expect(ratios.length, `${label}: texts measured`).toBeGreaterThanOrEqual(5);
  expect(belowAa(ratios), `${label}: text under 4.5:1`).toEqual([]);
}

/** Checks a view at each width in both themes, photographing it as `narrow-<name>-<theme>-<width>.png` where `isShot` says. */
async function expectReadableAtEachWidth(page: Page, name: string, check: ViewCheck, isShot = isPhotographed) {
  for (const width of VIEW_WIDTHS) {
    await page.setViewportSize({ width, height: 850 });
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      await expectReadable(page, `${name} at ${width} px, ${theme}`, check);
      if (isShot(width, theme)) {
        // The pictures show each part from its top, or down to the first thing to be shown.
        await page.getByTestId(check.view).evaluate((view) => {
          for (const box of view.querySelectorAll('*')) if (box.scrollTop > 0) box.scrollTop = 0;
        });
        await page.getByTestId(check.view).locator(check.shown[0]).first().scrollIntoViewIfNeeded();
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, `narrow-${name}-${theme}-${width}.png`) });
      }
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Only the light 700 px picture, for a second state of a view. */
function isFirstShot(width: number, theme: 'light' | 'dark'): boolean {
  return width === 700 && theme === 'light';
}

/** Closes the toasts, which would cover the view in the pictures. */
async function dismissToasts(page: Page) {
  const toasts = page.getByTestId('toast');
  while ((await toasts.count()) > 0) await toasts.first().getByRole('button', { name: 'Dismiss' }).click({ timeout: 2000 }).catch(() => undefined);
}

test('History at 700, 860 and 1080 px, in both themes: filters, list, a run, two runs compared', async ({ page }) => {
  await openApp(page, host);
  await runThreeModels(page);
  await openWorkspace(page, 'history');
  // A filter on shows Clear, the filter row's last part.
  await page.getByTestId('filter-model').fill('4o');
  await expect(page.getByTestId('history-row').first().getByTestId('history-model')).toHaveText('gpt-4o-mini');
  await page.getByTestId('history-row').first().click();
  await expect(page.getByTestId('run-detail').getByTestId('detail-model')).toHaveText('gpt-4o-mini');
  await expectReadableAtEachWidth(page, 'history', {
    view: 'history-view',
    oneLine: ['.history-filters > *', '.history-summary > *', '.history-line > *', '.run-detail-title > *', '.run-detail-header .button', '.run-detail .figure > *'],
    whole: ['[data-testid="history-row"]', '[data-testid="detail-output"]', '.detail-section h3 + *'],
    apart: ['.history-filters > *', '.history-summary > *, .history-export > *', '.run-detail-header > *, .run-detail-actions > *', '.run-detail .figure'],
    shown: [
      '[data-testid="history-search"]',
      '[data-testid="filter-prompt"]',
      '[data-testid="filter-version"]',
      '[data-testid="filter-model"]',
      '[data-testid="filter-status"]',
      '[data-testid="filter-from"]',
      '[data-testid="filter-to"]',
      '[data-testid="filter-clear"]',
      '[data-testid="export-csv"]',
      '[data-testid="compare-runs"]',
      '[data-testid="history-row"]',
      '[data-testid="detail-model"]',
      '[data-testid="detail-rerun"]',
      '[data-testid="detail-rerun-fresh"]',
      '[data-testid="figure-cost"]',
      '[data-testid="detail-output"]',
    ],
  });

  // The failed run against one that answered.
  await page.getByTestId('filter-clear').click();
  const failed = page.locator('[data-testid="history-row"][data-status="error"]').first();
  await failed.getByTestId('history-compare-check').check();
  await page.locator('[data-testid="history-row"][data-status="ok"]').first().getByTestId('history-compare-check').check();
  await page.getByTestId('compare-runs').click();
  await expect(page.getByTestId('compare-table')).toBeVisible();
  await expectReadableAtEachWidth(
    page,
    'history-compare',
    {
      view: 'history-view',
      oneLine: ['.run-compare-bar > *', '.compare-table thead th'],
      whole: ['[data-testid="compare-table"]', '[data-testid="compare-row"] > *'],
      apart: ['.run-compare .view-header > *', '.run-compare-bar > *'],
      shown: ['[data-testid="close-run-compare"]', '[data-testid="compare-row"]', '[data-testid="compare-subject-request"]', '[data-testid="run-diff"] .modified'],
    },
    isFirstShot,
  );
});

test('Evals at 700, 860 and 1080 px, in both themes: the cases, an eval’s results and a cell', async ({ page }) => {
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await pointAt(page, 'OpenAI', openai.baseUrl);
  await pointAt(page, 'Ollama', ollama.url);
  await openWorkspace(page, 'prompts');
  await page.getByTestId('prompt-row').filter({ hasText: 'Customer support' }).click();
  await openWorkspace(page, 'evals');
  const view = page.getByTestId('evals-view');
  // Its three cases, the second open in the panel.
  await expect(view.getByTestId('case-row')).toHaveCount(3);
  await view.getByTestId('case-row').nth(1).getByTestId('case-description').click();
  await expect(view.getByTestId('case-panel-title')).toHaveText('Case 2');
  await expectReadableAtEachWidth(
    page,
    'evals-cases',
    {
      view: 'evals-view',
      oneLine: ['.evals-toolbar > *', '.case-panel-header > *'],
      whole: ['.evals-header > *', '.case-panel-body > *'],
      apart: ['.evals-header > *', '.evals-toolbar > *', '.cases-body > *'],
      scrolls: '.case-table',
      shown: [
        '[data-testid="add-case"]',
        '[data-testid="open-import"]',
        '[data-testid="export-cases"]',
        '[data-testid="case-count"]',
        '[data-testid="case-description"]',
        '[data-testid="case-panel-title"]',
        '[data-testid="panel-description"]',
      ],
    },
    isFirstShot,
  );

  // v1 and the draft on two models: the fixture's answers pass every check, Ollama's do not.
  // The models are the runs panel's: the one that fails at once is left out.
  await view.getByTestId('evals-tab-results').click();
  const failing = view.locator('[data-testid="eval-target-chip"][data-model="llama-3.3-70b-versatile"]');
  if ((await failing.count()) > 0) await failing.getByTestId('remove-target').click();
  for (const [provider, model] of [
    ['OpenAI', 'gpt-4o-mini'],
    ['Ollama', 'qwen3:8b'],
  ]) {
    if ((await view.locator(`[data-testid="eval-target-chip"][data-model="${model}"]`).count()) > 0) continue;
    await view.getByTestId('add-model').click();
    const picker = view.getByTestId('model-picker');
    await picker.getByTestId('picker-provider').selectOption({ label: provider });
    await picker.getByTestId('picker-model').fill(model);
    await picker.getByTestId('picker-model').press('Enter');
    await expect(view.locator(`[data-testid="eval-target-chip"][data-model="${model}"]`)).toBeVisible();
    await picker.getByTestId('picker-model').press('Escape');
  }
  if ((await view.getByTestId('eval-version-draft').getAttribute('aria-pressed')) !== 'true') await view.getByTestId('eval-version-draft').click();
  await expect(view.getByTestId('eval-plan')).toHaveText('12 cells (3 × 2 × 2)');
  // One request at a time: the draft asks what v1 asked, so the cache answers half the cells or more (the runs of the
  // tests before asked case 1's request too), each marked "cached".
  await view.getByTestId('eval-concurrency').fill('1');
  await view.getByTestId('start-eval').click();
  await expect(view.getByTestId('eval-progress').getByTestId('eval-status')).toHaveText('Done', { timeout: 60_000 });
  await expect(view.getByTestId('grid-cell')).toHaveCount(12);
  expect(await view.locator('[data-testid="grid-cell"] .grid-cell-cached').count()).toBeGreaterThanOrEqual(6);
  await view.getByTestId('grid-row').first().getByTestId('grid-cell').nth(1).click();
  await expect(view.getByTestId('cell-verdict')).toBeVisible();
  await dismissToasts(page);
  await expectReadableAtEachWidth(page, 'evals-results', {
    view: 'evals-view',
    // A column's heading may be cut short (its tooltip names the model), and the grid scrolls sideways: neither is checked whole.
    oneLine: ['.eval-item-line > *', '.evals-toolbar > *', '.eval-progress-head > *', '.eval-progress-figures > *', '.cell-detail-header > :not(.cell-detail-title)', '.cell-detail-title > *'],
    whole: ['[data-testid="eval-item"]', '[data-testid="summary-row"] > td', '.trend-chart', '[data-testid="assertion-result"]', '[data-testid="cell-output"]'],
    apart: ['.evals-toolbar > *', '.eval-progress-head > *', '.cell-detail-header > *', '.results-top > *', '.results-body > *', '[data-testid="summary-row"] > td'],
    scrolls: '.results-grid, .eval-list',
    shown: [
      '[data-testid="trend-plot"]',
      '[data-testid="eval-item"]',
      '[data-testid="add-model"]',
      '[data-testid="start-eval"]',
      '[data-testid="eval-status"]',
      '[data-testid="summary-pass-rate"]',
      '[data-testid="summary-tokens"]',
      '[data-testid="grid-heading-rate"]',
      '[data-testid="grid-case-text"]',
      '[data-testid="grid-cell"]',
      '[data-testid="cell-title"]',
      '[data-testid="cell-verdict"]',
    ],
  });

  // Short windows too: the figures and the chart are whole, in no box of their own that hides part of them, and the grid keeps room.
  for (const [width, height] of [
    [700, 850],
    [1024, 700],
    [1440, 900],
  ]) {
    await page.setViewportSize({ width, height });
    const top = view.locator('.results-top');
    expect(await top.evaluate((box) => `${box.scrollHeight} in ${box.clientHeight}`), `the figures and the chart at ${width} × ${height}`).toBe(
      await top.evaluate((box) => `${box.clientHeight} in ${box.clientHeight}`),
    );
    await view.getByTestId('trend-plot').scrollIntoViewIfNeeded();
    await expect(view.getByTestId('trend-plot'), `the chart at ${width} × ${height}`).toBeInViewport({ ratio: 1 });
    expect((await view.getByTestId('results-grid').boundingBox())?.height ?? 0, `the grid at ${width} × ${height}`).toBeGreaterThanOrEqual(150);
  }

  // Each cell shows its verdict whole, however narrow (the grid scrolls sideways instead; a case's text is cut, its tooltip whole).
  for (const width of VIEW_WIDTHS) {
    await page.setViewportSize({ width, height: 850 });
    const cut = (await layoutProblems(view.getByTestId('grid-cell'))).filter((problem) => problem.includes(': cut short'));
    expect(cut, `grid cells at ${width} px`).toEqual([]);
  }

  // At 700 px the grid is wider than its box: the arrow keys scroll it to the cell they reach, the case column staying in view.
  await page.setViewportSize({ width: 700, height: 850 });
  const grid = view.getByTestId('results-grid');
  expect(await scrollsSideways(grid)).toBe(true);
  await grid.focus();
  const activeCellView = () =>
    grid.evaluate((box) => {
      const frame = box.getBoundingClientRect();
      const cell = box.querySelector('.grid-cell.is-active')?.getBoundingClientRect();
      const caseColumn = box.querySelector('.grid-row:not(.grid-header) .grid-case')?.getBoundingClientRect();
      if (!cell || !caseColumn) return 'no active cell';
      return cell.left >= caseColumn.right - 1 && cell.right <= frame.right - box.offsetWidth + box.clientWidth + 1 && caseColumn.left >= frame.left - 1 ? 'in view' : `cell ${Math.round(cell.left)}–${Math.round(cell.right)}, case column ${Math.round(caseColumn.left)}–${Math.round(caseColumn.right)}, grid ${Math.round(frame.left)}–${Math.round(frame.right)}`;
    });
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft']) {
    await page.keyboard.press(key);
    await expect.poll(activeCellView, `after ${key}`).toBe('in view');
  }
  await page.keyboard.press('End');
  await expect(grid.locator('.grid-cell.is-active')).toHaveCount(1);
  expect(await grid.evaluate((box) => box.scrollLeft)).toBe(0);
});

test('Release at 700, 860 and 1080 px, in both themes: approved versions, a preview, the history and an import', async ({ page }) => {
  await openApp(page, host);
  await openWorkspace(page, 'prompts');
  await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
  await approve(page, 1, 'First cut, good enough for the pilot');
  await approve(page, 2, 'Shorter, checked against the style guide');
  // Its Versions tab, approved rows and all: a row's date never runs under its buttons, nor past the row's edge.
  for (const [width, height] of [
    [700, 850],
    [1024, 700],
    [1080, 850],
  ]) {
    await page.setViewportSize({ width, height });
    const rowParts = page.locator('[data-testid="version-row"] .version-line > *, [data-testid="version-row"] .version-actions > *');
    const problems = [...(await layoutProblems(rowParts, { within: '[data-testid="version-row"]' })), ...(await overlaps(rowParts)).map((pair) => `overlap: ${pair}`)];
    expect(problems, `Versions at ${width} × ${height}`).toEqual([]);
    await expect(versionRow(page, 2).locator('.version-date')).toBeInViewport({ ratio: 1 });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('prompt-row').filter({ hasText: 'Customer support' }).click();
  await approve(page, 1, 'Escalation rules confirmed with the support leads');
  // The approve dialog with a gate that cannot pass (no eval of that version yet), opened in each theme (it holds the focus).
  await page.getByTestId('prompt-row').filter({ hasText: 'JSON extractor' }).click();
  await page.getByTestId('tab-versions').click();
  await dismissToasts(page);
  for (const theme of ['light', 'dark'] as const) {
    await useTheme(page, theme);
    await versionRow(page, 1).hover();
    await versionRow(page, 1).getByTestId('approve-version').click();
    await page.getByTestId('approval-note-input').fill('Extraction verified on the invoice set');
    await page.getByTestId('gate-toggle').check();
    await expect(page.getByTestId('gate-result')).toContainText('Gate not passed');
    for (const width of VIEW_WIDTHS) {
      await page.setViewportSize({ width, height: 850 });
      await expectReadable(page, `approve at ${width} px, ${theme}`, {
        view: 'approve-dialog',
        whole: ['[data-testid="approval-note-input"]', '.gate-row > *', '[data-testid="gate-result"]', '.dialog-footer > *'],
        apart: ['.gate-row > *', '.dialog-footer > *'],
        shown: ['[data-testid="approval-note-input"]', '[data-testid="gate-toggle"]', '[data-testid="gate-result"]', '[data-testid="approve-confirm"]'],
      });
      if (isFirstShot(width, theme)) {
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, `narrow-approve-${theme}-${width}.png`) });
      }
    }
    await page.getByTestId('approval-note-input').press('Escape');
    await expect(page.getByTestId('approve-dialog')).toBeHidden();
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  // The repository form, then connected.
  await openWorkspace(page, 'release');
  await expectReadableAtEachWidth(
    page,
    'release-form',
    {
      view: 'release-view',
      oneLine: ['.release-section-header > *', '.repository-grid label', '.form-actions > *'],
      whole: ['.repository-grid > *', '[data-testid="approved-row"] > td:not(.file-cell)'],
      apart: ['.release-view > *', '.repository-grid > *', '.form-actions > *'],
      shown: ['[data-testid="repo-path-input"]', '[data-testid="repo-remote-input"]', '[data-testid="repo-connect"]', '[data-testid="release-pick"]'],
    },
    () => false,
  );
  const { repository } = repositoryWithRemote(gitEnvironmentOfHost);
  await connectRepository(page, repository, 'origin');
  // Summarizer v1 released first; then v2 and Customer support picked and previewed.
  await pickForRelease(page, 'Summarizer', 1);
  await page.getByTestId('release-preview-button').click();
  await page.getByTestId('release-confirm').click();
  await expect(page.locator('[data-testid="release-row"][data-tag="summarizer/v1"]')).toBeVisible();
  await pickForRelease(page, 'Summarizer', 2);
  await pickForRelease(page, 'Customer support');
  await page.getByTestId('release-preview-button').click();
  await expect(page.getByTestId('preview-file')).toHaveCount(2);
  await dismissToasts(page);
  await expectReadableAtEachWidth(page, 'release', {
    view: 'release-view',
    oneLine: ['.release-section-header > *', '.preview-heading > *', '.preview-actions > *', '.release-row-line > *', '.approved-table th', '[data-testid="latest-release"] .mono'],
    // A file's path may be cut short in its column: its tooltip has it whole.
    whole: ['.facts dd', '[data-testid="approved-row"] > td:not(.file-cell)', '[data-testid="preview-file"]', '[data-testid="release-row"]', '.commit-message'],
    apart: ['.release-view > *', '.release-section-header > *', '.preview-heading > *, .preview-actions > *', '[data-testid="approved-row"] > td', '[data-testid="preview-file"] > *'],
    scrolls: '.diff-text',
    shown: [
      '[data-testid="repo-path"]',
      '[data-testid="repo-edit"]',
      '[data-testid="release-pick"]',
      '[data-testid="release-version"]',
      '[data-testid="latest-release"]',
      '[data-testid="release-preview-button"]',
      '[data-testid="release-push"]',
      '[data-testid="release-confirm"]',
      '[data-testid="preview-file"]',
      '[data-testid="release-row"]',
      '[data-testid="import-path"]',
    ],
  });

  // Released, then a folder imported: one new prompt, one file that does not read.
  await page.getByTestId('release-confirm').click();
  await expect(page.getByTestId('release-row')).toHaveCount(3);
  const folder = makeTempDir('narrow-import');
  fs.writeFileSync(path.join(folder, 'haiku.prompt.yml'), 'name: Haiku writer\nmodel: openai/gpt-4o\nmessages:\n  - role: user\n    content: A haiku about {{topic}}\n');
  fs.writeFileSync(path.join(folder, 'broken.prompt.yml'), 'name: Broken\nmodel: x\nmessages:\n  - role: robot\n    content: hi\n');
  await page.getByTestId('import-path').fill(folder);
  await page.getByTestId('import-path').press('Enter');
  await expect(page.getByTestId('import-counts')).toHaveText('1 created · 0 updated · 0 skipped · 1 problem');
  await dismissToasts(page);
  await expectReadableAtEachWidth(
    page,
    'release-import',
    {
      view: 'release-view',
      oneLine: ['.release-section-header > *', '[data-testid="import-counts"]', '[data-testid="latest-release"] .mono'],
      whole: ['[data-testid="import-report"]', '[data-testid="import-entry"]', '[data-testid="import-problem"]', '[data-testid="release-result"]'],
      apart: ['.release-view > *', '[data-testid="import-section"] > *'],
      shown: ['[data-testid="import-problem"]', '[data-testid="import-report"]', '[data-testid="import-run"]'],
    },
    isFirstShot,
  );
});
