import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SCHEMA_VERSION } from '../../../electron/core/database';
import { createEngine, DATABASE_FILE_NAME, type Engine, type EngineOptions } from '../../../electron/core/engine';
import { dispatchCall } from '../../../electron/core/rpc';
import type { CallResult } from '../../../shared/bridge';
import type { CallName } from '../../../shared/contract';
import { makeTempDir, manualClock } from '../support';

const REAL_PROMPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../prompts');

const engines: Engine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
  vi.restoreAllMocks();
});

function start(options: Partial<EngineOptions> = {}): Engine {
  const engine = createEngine({ dataDir: makeTempDir(), promptsDir: null, host: 'web', appVersion: '1.2.3', ...options });
  engines.push(engine);
  return engine;
}

/** Lets events scheduled so far be delivered. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The value of a successful call; fails the test with the error otherwise. */
async function call(engine: Engine, channel: CallName, input: unknown): Promise<unknown> {
  const result: CallResult = await dispatchCall(engine.handlers, channel, input);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`);
  return result.value;
}

const content = {
  model: 'openai/gpt-4o-mini',
  parameters: { temperature: 0.7 },
  messages: [
    { role: 'system', content: 'You write haiku.' },
    { role: 'user', content: 'A haiku about {{topic}}' },
  ],
};

describe('createEngine', () => {
  it('keeps its database in the data folder, seeds the sample library and describes itself', async () => {
    const dataDir = path.join(makeTempDir(), 'user data');
    const engine = start({ dataDir, promptsDir: REAL_PROMPTS, host: 'electron' });
    expect({
      info: await call(engine, 'app:info', {}),
      hasDatabase: fs.existsSync(path.join(dataDir, DATABASE_FILE_NAME)),
      slugs: ((await call(engine, 'prompts:list', {})) as { slug: string }[]).map((prompt) => prompt.slug),
      settings: await call(engine, 'settings:get', {}),
    }).toStrictEqual({
      info: { version: '1.2.3', host: 'electron', dataDir, problems: [] },
      hasDatabase: true,
      slugs: ['customer-support', 'json-extractor', 'summarizer'],
      settings: { theme: 'system', dailyBudgetUsd: null, cacheLimitMb: null, cacheMaxAgeDays: null, judge: null, runChoices: null },
    });
  });

  it('shows seeding problems in app:info on the first start only', async () => {
    const promptsDir = path.join(makeTempDir(), 'prompts');
    fs.mkdirSync(promptsDir);
    fs.writeFileSync(path.join(promptsDir, 'bad.prompt.yml'), 'name: Bad\nmodel: m\nmessages:\n  - role: robot\n    content: x\n');
    const dataDir = makeTempDir();
    const first = start({ dataDir, promptsDir });
    const firstInfo = await call(first, 'app:info', {});
    first.close();
    const second = start({ dataDir, promptsDir });
    expect({ first: firstInfo, second: await call(second, 'app:info', {}) }).toStrictEqual({
      first: {
        version: '1.2.3',
        host: 'web',
        dataDir,
        problems: [{ file: 'prompts/bad.prompt.yml', line: 4, column: 11, message: 'messages[0].role: Unknown role "robot": use system, user or assistant' }],
      },
      second: { version: '1.2.3', host: 'web', dataDir, problems: [] },
    });
  });

  it('emits library:changed after each mutation of a library row (and settings:changed after settings), after the caller has its result', async () => {
    const engine = start();
    const log: string[] = [];
    const unsubscribe = engine.subscribe((name, payload) => {
      // A draft is logged by its prompt, revision and first message: its timestamp is the clock's.
      const draft = name === 'draft:changed' ? (payload as { promptId: number; revision: number; content: { messages: { content: string }[] } }) : null;
      log.push(draft ? `${name} prompt ${draft.promptId} revision ${draft.revision}: ${draft.content.messages[0].content}` : `${name} ${JSON.stringify(payload)}`);
    });
    const run = async (channel: CallName, input: unknown) => {
      const result = await dispatchCall(engine.handlers, channel, input);
      log.push(`${channel} -> ${result.ok ? 'ok' : result.error.code}`);
      await flush();
    };
    await run('prompts:create', { name: 'Haiku' });
    await run('prompts:rename', { id: 1, name: 'Haiku writer' });
    await run('prompts:describe', { id: 1, description: 'Seventeen syllables' });
    await run('drafts:save', { promptId: 1, content, variables: { topic: 'rain' } });
    await run('versions:save', { promptId: 1, content, variables: { topic: 'rain' }, note: 'First' });
    await run('versions:save', { promptId: 1, content, variables: {}, note: 'Same again' });
    await run('versions:restore', { promptId: 1, number: 1 });
    await run('prompts:duplicate', { id: 1 });
    await run('prompts:archive', { id: 2, isArchived: true });
    await run('settings:update', { theme: 'dark' });
    unsubscribe();
    await run('prompts:create', { name: 'Unheard' });
    expect(log).toStrictEqual([
      'prompts:create -> ok',
      'library:changed {"promptId":1}',
      'prompts:rename -> ok',
      'library:changed {"promptId":1}',
      'prompts:describe -> ok',
      'library:changed {"promptId":1}',
      'drafts:save -> ok',
      'draft:changed prompt 1 revision 1: You write haiku.',
      'versions:save -> ok',
      'library:changed {"promptId":1}',
      'draft:changed prompt 1 revision 2: You write haiku.',
      'versions:save -> conflict',
      'versions:restore -> ok',
      'draft:changed prompt 1 revision 3: You write haiku.',
      'prompts:duplicate -> ok',
      'library:changed {"promptId":2}',
      'prompts:archive -> ok',
      'library:changed {"promptId":2}',
      'settings:update -> ok',
      'settings:changed {"theme":"dark","dailyBudgetUsd":null,"cacheLimitMb":null,"cacheMaxAgeDays":null,"judge":null,"runChoices":null}',
      'prompts:create -> ok',
    ]);
  });

  it('delivers events to every listener even when one throws', async () => {
    const engine = start();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const received: string[] = [];
    engine.subscribe(() => {
      throw new Error('listener bug');
    });
    engine.subscribe((name) => received.push(name));
    const result = await dispatchCall(engine.handlers, 'prompts:create', { name: 'Robust' });
    await flush();
    expect({ ok: result.ok, received, logged: consoleError.mock.calls.length }).toStrictEqual({ ok: true, received: ['library:changed'], logged: 1 });
  });

  it('keeps prompts, versions, drafts and settings across a restart, and stamps them with its clock', async () => {
    const dataDir = makeTempDir();
    const clock = manualClock('2025-06-01T12:00:00.000Z');
    const first = start({ dataDir, now: clock.now });
    await call(first, 'prompts:create', { name: 'Haiku' });
    await call(first, 'versions:save', { promptId: 1, content, variables: { topic: 'rain' }, note: 'First' });
    await call(first, 'drafts:save', { promptId: 1, content: { ...content, model: 'openai/gpt-4o' }, variables: { topic: 'snow' } });
    await call(first, 'settings:update', { theme: 'light' });
    const before = await call(first, 'prompts:get', { id: 1 });
    first.close();
    const second = start({ dataDir });
    const after = await call(second, 'prompts:get', { id: 1 });
    expect({ after, settings: await call(second, 'settings:get', {}) }).toStrictEqual({ after: before, settings: { theme: 'light', dailyBudgetUsd: null, cacheLimitMb: null, cacheMaxAgeDays: null, judge: null, runChoices: null } });
    expect((after as { prompt: { updatedAt: string } }).prompt.updatedAt).toBe('2025-06-01T12:00:00.000Z');
  });

  it('remembers the runs panel’s choices for a window of another origin, refuses bad ones, and forgets a removed provider’s models', async () => {
    const dataDir = makeTempDir();
    const first = start({ dataDir });
    const provider = (await call(first, 'providers:save', { kind: 'openai-compatible', label: 'Local', baseUrl: 'http://127.0.0.1:9/v1' })) as { id: number };
    const choices = { targets: [{ providerId: 1, model: 'gpt-4o-mini' }, { providerId: provider.id, model: 'qwen2.5-7b' }], samples: 3, bypassCache: true };
    await call(first, 'settings:update', { runChoices: choices });
    const tooMany = { ...choices, targets: Array.from({ length: 17 }, (_, index) => ({ providerId: 1, model: `m${index}` })) };
    for (const bad of [tooMany, { ...choices, samples: 0 }, { ...choices, samples: 11 }, { ...choices, extra: 1 }, { ...choices, targets: [{ providerId: 1, model: '' }] }]) {
      const refused = await dispatchCall(first.handlers, 'settings:update', { runChoices: bad });
      expect(refused.ok).toBe(false);
    }
    first.close();
    const second = start({ dataDir });
    expect(((await call(second, 'settings:get', {})) as { runChoices: unknown }).runChoices).toStrictEqual(choices);
    await call(second, 'providers:remove', { id: provider.id });
    expect(((await call(second, 'settings:get', {})) as { runChoices: unknown }).runChoices).toStrictEqual({ ...choices, targets: [choices.targets[0]] });
  });

  it('carries a 1 MB message through the bridge and back intact', async () => {
    const engine = start();
    await call(engine, 'prompts:create', { name: 'Large context' });
    const big = 'Ünïcödé line with {{topic}} and "quotes" 😀\n'.repeat(25_000);
    const bigContent = { ...content, messages: [{ role: 'user', content: big }] };
    await call(engine, 'drafts:save', { promptId: 1, content: bigContent, variables: { topic: big } });
    await call(engine, 'versions:save', { promptId: 1, content: bigContent, variables: { topic: big }, note: 'Big' });
    const detail = (await call(engine, 'prompts:get', { id: 1 })) as { draft: { content: unknown; variables: unknown; isDirty: boolean } };
    const version = (await call(engine, 'versions:get', { promptId: 1, number: 1 })) as { content: unknown };
    expect(big.length).toBeGreaterThan(1_000_000);
    expect({ draft: detail.draft.content, variables: detail.draft.variables, isDirty: detail.draft.isDirty, version: version.content }).toStrictEqual({
      draft: bigContent,
      variables: { topic: big },
      isDirty: false,
      version: bigContent,
    });
  });

  it('answers calls after close with an error instead of throwing', async () => {
    const engine = start();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    engine.close();
    engine.close();
    expect(await dispatchCall(engine.handlers, 'prompts:list', {})).toStrictEqual({
      ok: false,
      error: { code: 'internal', message: 'Internal error: The database connection is not open' },
    });
  });

  it('refuses to start on a database from a newer app', () => {
    const dataDir = makeTempDir();
    // A newer release has migrated the file past what this build knows.
    const database = new BetterSqlite3(path.join(dataDir, DATABASE_FILE_NAME));
    database.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    database.close();
    expect(() => start({ dataDir })).toThrow(`has schema version ${SCHEMA_VERSION + 1}, but this version of Prompt Workbench only knows versions up to ${SCHEMA_VERSION}.`);
  });
});
