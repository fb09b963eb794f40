/**
 * Screenshots of the main screens in both themes, for docs/screenshots/. Each screen is first
 * checked for what it must show, so a broken screen fails here instead of being photographed.
 */

import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeTempDir, startHost, type HostHandle } from './host';
import { messageBlocks, openApp } from './ui-support';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const REPO_PROMPTS = path.resolve(import.meta.dirname, '..', '..', 'prompts');

let host: HostHandle;

test.beforeAll(async () => {
  const promptsDir = makeTempDir('shots');
  fs.cpSync(REPO_PROMPTS, promptsDir, { recursive: true });
  fs.writeFileSync(
    path.join(promptsDir, 'broken.prompt.yml'),
    'name: Broken\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: system\n    content: "never closed\n',
  );
  host = await startHost({ promptsDir });
  fs.mkdirSync(SHOTS, { recursive: true });
});

test.afterAll(async () => {
  await host.stop();
});

async function useTheme(page: Page, theme: 'light' | 'dark') {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  await expect(page.locator('.monaco-editor').first()).toHaveClass(new RegExp(theme === 'dark' ? 'vs-dark' : '\\bvs\\b'));
}

async function settle(page: Page) {
  // Let Monaco finish layout and the cursor blink settle into the same phase.
  await page.waitForTimeout(400);
  await page.mouse.move(0, 899);
}

for (const theme of ['light', 'dark'] as const) {
  test(`main screens, ${theme}`, async ({ page }) => {
    await openApp(page, host);
    // The quote left open is pointed at where its value starts (line 5), not at the end of the file.
    await expect(page.getByTestId('problems-notice')).toContainText('broken.prompt.yml:5 This quoted value is never closed: its closing " is missing');
    await page.getByTestId('prompt-row').filter({ hasText: 'Customer support' }).click();
    await expect(messageBlocks(page)).toHaveCount(2);
    await useTheme(page, theme);
    await page.getByTestId('tab-variables').click();
    await expect(page.getByTestId('preview-message')).toHaveCount(2);
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, `library-problems-${theme}.png`) });

    await page.getByTestId('dismiss-problems').click();
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, `editor-${theme}.png`) });

    await page.getByTestId('tab-model').click();
    await expect(page.getByTestId('model-id')).not.toHaveValue('');
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, `model-${theme}.png`) });

    await page.getByTestId('prompt-row').filter({ hasText: 'Summarizer' }).click();
    await page.getByTestId('tab-versions').click();
    await page.locator('[data-testid="version-row"][data-version="1"]').getByTestId('open-version').click();
    await expect(page.getByTestId('version-view').locator('.view-lines')).toContainText('## system');
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, `version-${theme}.png`) });

    await page.getByRole('checkbox', { name: 'Compare v1' }).check();
    await page.getByRole('checkbox', { name: 'Compare v2' }).check();
    await page.getByTestId('compare-versions').click();
    await expect(page.getByTestId('diff-editor').locator('.char-insert, .line-insert').first()).toBeVisible();
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, `diff-${theme}.png`) });
  });
}
