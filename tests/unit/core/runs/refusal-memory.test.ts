/**
 * What a model refused is kept across restarts: after a model of an OpenAI-compatible endpoint
 * refused `reasoning_effort` or a temperature, a new engine on the same folder (the app started
 * again) leaves it out from the first request, and still says so; a refusal older than
 * `REFUSAL_MAX_AGE_DAYS`, another endpoint, or a removed provider asks anew.
 */

import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { openDatabase } from '../../../../electron/core/database';
import { DATABASE_FILE_NAME } from '../../../../electron/core/engine';
import { REFUSAL_MAX_AGE_DAYS, RefusalStore } from '../../../../electron/core/providers/refusal-store';
import type { PromptContent } from '../../../../shared/types';
import { startOpenAiServer } from '../../../fixtures/openai-server';
import { makeTempDir } from '../../support';
import { afterTest, createPrompt, startWorkbench, type Workbench } from './run-harness';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Asks for an effort and a temperature: the Llama takes neither effort, the reasoning model takes no temperature. */
const CONTENT: PromptContent = {
  model: '',
  parameters: { temperature: 0.2, reasoningEffort: 'low' },
  messages: [{ role: 'user', content: 'Tell me about {{topic}}.' }],
};

const MODELS = ['llama-4-scout', 'o4-mini'];

/** Runs the prompt on both models; the notices of each run, by model. */
async function runBoth(workbench: Workbench, promptId: number, providerId: number): Promise<Record<string, string[]>> {
  const started = await workbench.call('runs:start', {
    promptId,
    versions: ['draft'],
    targets: MODELS.map((model) => ({ providerId, model })),
    bypassCache: true,
  });
  const done = await workbench.batchDone(started.batchId);
  expect(done.counts.ok).toBe(MODELS.length);
  const records = await Promise.all(started.cells.map((cell) => workbench.call('runs:get', { id: cell.runId })));
  return Object.fromEntries(records.map((record) => [record.model, record.notices]));
}

describe('refused parameters', () => {
  test('are left out from the first request after a restart, said each time, and asked again when old, elsewhere or after removal', async () => {
    const server = await startOpenAiServer({ apiKey: null, models: MODELS, withoutReasoning: ['llama-4-scout'], defaultSamplingOnly: ['o4-mini'], reasoningRefusal: 'words' });
    afterTest(server.close);
    /** What each model was sent since the last call, as [temperature sent, effort sent]. */
    let seen = 0;
    const sentSince = () => {
      const requests = server.requestsTo('/v1/chat/completions').slice(seen);
      seen += requests.length;
      const byModel: Record<string, [boolean, boolean][]> = {};
      for (const request of requests) {
        const body = request.body as Record<string, unknown>;
        (byModel[body.model as string] ??= []).push(['temperature' in body, 'reasoning_effort' in body]);
      }
      return byModel;
    };
    /** Each model asked with both parameters, refused, and asked again without the one it refused. */
    const refusedThenWithout = {
      'llama-4-scout': [
        [true, true],
        [true, false],
      ],
      'o4-mini': [
        [true, true],
        [false, true],
      ],
    };
    const notices = {
      'llama-4-scout': ['Reasoning effort not sent: llama-4-scout does not take it'],
      'o4-mini': ['Temperature 0.2 not sent: o4-mini takes only its default'],
    };

    const dataDir = makeTempDir();
    let workbench = startWorkbench({ dataDir });
    const saved = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'vLLM', baseUrl: server.baseUrl });
    const promptId = await createPrompt(workbench, CONTENT);

    // The first session: each model refuses once and is asked again without the parameter.
    expect(await runBoth(workbench, promptId, saved.id)).toStrictEqual(notices);
    expect(sentSince()).toStrictEqual(refusedThenWithout);

    // The app starts again: no refused request; the notices still say what was left out.
    workbench.engine.close();
    workbench = startWorkbench({ dataDir });
    expect(await runBoth(workbench, promptId, saved.id)).toStrictEqual(notices);
    expect(sentSince()).toStrictEqual({ 'llama-4-scout': [[true, false]], 'o4-mini': [[false, true]] });

    // A month on, the refusals are too old to trust: each model is asked with its parameter once more.
    workbench.engine.close();
    const later = new Date(Date.now() + (REFUSAL_MAX_AGE_DAYS + 1) * DAY_MS);
    workbench = startWorkbench({ dataDir, now: () => later });
    expect(await runBoth(workbench, promptId, saved.id)).toStrictEqual(notices);
    expect(sentSince()).toStrictEqual(refusedThenWithout);

    // The provider pointed at another server: what the first one's models refused does not apply there.
    const other = await startOpenAiServer({ apiKey: null, models: MODELS });
    afterTest(other.close);
    await workbench.call('providers:save', { id: saved.id, kind: 'openai-compatible', label: 'vLLM', baseUrl: other.baseUrl });
    expect(await runBoth(workbench, promptId, saved.id)).toStrictEqual({ 'llama-4-scout': [], 'o4-mini': [] });
    expect(other.requestsTo('/v1/chat/completions').map((request) => ['temperature' in (request.body as object), 'reasoning_effort' in (request.body as object)])).toStrictEqual([
      [true, true],
      [true, true],
    ]);

    // Removing the provider removes what its models refused; the file holds no key either way.
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    const rowsOf = (providerId: number) => {
      const database = new BetterSqlite3(file, { readonly: true });
      try {
        return database.prepare('SELECT endpoint, model, param FROM model_param_refusals WHERE provider_id = ? ORDER BY model, param').all(providerId);
      } finally {
        database.close();
      }
    };
    expect(rowsOf(saved.id)).toStrictEqual([
      { endpoint: server.baseUrl, model: 'llama-4-scout', param: 'reasoning_effort' },
      { endpoint: server.baseUrl, model: 'o4-mini', param: 'temperature' },
    ]);
    await workbench.call('providers:remove', { id: saved.id });
    expect(rowsOf(saved.id)).toStrictEqual([]);
  });

  test('a refusal that cannot be kept (its provider was removed meanwhile) is only warned about', () => {
    const database = openDatabase(path.join(makeTempDir(), DATABASE_FILE_NAME));
    afterTest(() => {
      database.close();
    });
    const memory = new RefusalStore(database).memoryFor(999, 'http://127.0.0.1:9/v1');
    const warnings: unknown[][] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => warnings.push(args));
    afterTest(() => warn.mockRestore());
    expect(() => memory.remember('gpt-4o', 'reasoning_effort')).not.toThrow();
    expect(memory.recall('gpt-4o')).toStrictEqual([]);
    expect(warnings).toStrictEqual([['[refusals] could not keep that gpt-4o refused reasoning_effort:', 'FOREIGN KEY constraint failed']]);
  });
});
