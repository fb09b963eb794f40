/**
 * Provider settings through the bridge: the built-in three, added OpenAI-compatible endpoints,
 * key sources, what "Test connection" reports, and what removing a provider keeps.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { DATABASE_FILE_NAME } from '../../../../electron/core/engine';
import { dispatchCall } from '../../../../electron/core/rpc';
import type { ProviderSettings } from '../../../../shared/types';
import { startOllamaServer } from '../../../fixtures/ollama-server';
import { startOpenAiServer } from '../../../fixtures/openai-server';
import { addCompatible, addOpenAi, afterTest, CallFailure, createPrompt, OPENAI_KEY, startWorkbench } from '../runs/run-harness';

/** The fields settings show, the timestamp reduced to its type. */
function shown(provider: ProviderSettings) {
  return { ...provider, updatedAt: typeof provider.updatedAt };
}

describe('provider settings', () => {
  test('every install starts with OpenAI, Anthropic and Ollama, keys and host read from the environment', async () => {
    const workbench = startWorkbench({ environment: { OPENAI_API_KEY: 'sk-env', OLLAMA_HOST: '0.0.0.0:11500' } });
    expect((await workbench.call('providers:list', {})).map(shown)).toStrictEqual([
      {
        id: 1,
        kind: 'openai',
        label: 'OpenAI',
        baseUrl: null,
        endpoint: 'https://api.openai.com/v1',
        keySource: 'environment',
        keyVariable: 'OPENAI_API_KEY',
        hasKey: true,
        isLocal: false,
        isBuiltIn: true,
        keepAlive: null,
        timeLimits: { firstOutputMs: null, stallMs: null, totalMs: null },
        updatedAt: 'string',
      },
      {
        id: 2,
        kind: 'anthropic',
        label: 'Anthropic',
        baseUrl: null,
        endpoint: 'https://api.anthropic.com',
        keySource: 'environment',
        keyVariable: 'ANTHROPIC_API_KEY',
        hasKey: false,
        isLocal: false,
        isBuiltIn: true,
        keepAlive: null,
        timeLimits: { firstOutputMs: null, stallMs: null, totalMs: null },
        updatedAt: 'string',
      },
      {
        id: 3,
        kind: 'ollama',
        label: 'Ollama',
        baseUrl: null,
        endpoint: 'http://127.0.0.1:11500',
        keySource: 'none',
        keyVariable: null,
        hasKey: false,
        isLocal: true,
        isBuiltIn: true,
        keepAlive: null,
        timeLimits: { firstOutputMs: null, stallMs: null, totalMs: null },
        updatedAt: 'string',
      },
    ]);
  });

  test('adds OpenAI-compatible endpoints: local on loopback, a key source of their own, checked fields', async () => {
    const workbench = startWorkbench({ environment: { GROQ_API_KEY: 'gsk-env' } });
    const local = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1/' });
    const groq = await workbench.call('providers:save', {
      kind: 'openai-compatible',
      label: 'Groq',
      baseUrl: 'https://api.groq.com/openai/v1',
      keySource: 'environment',
      keyVariable: 'GROQ_API_KEY',
    });
    expect([shown(local), shown(groq)]).toStrictEqual([
      {
        id: 4,
        kind: 'openai-compatible',
        label: 'LM Studio',
        baseUrl: 'http://localhost:1234/v1',
        endpoint: 'http://localhost:1234/v1',
        keySource: 'none',
        keyVariable: null,
        hasKey: false,
        isLocal: true,
        isBuiltIn: false,
        keepAlive: null,
        timeLimits: { firstOutputMs: null, stallMs: null, totalMs: null },
        updatedAt: 'string',
      },
      {
        id: 5,
        kind: 'openai-compatible',
        label: 'Groq',
        baseUrl: 'https://api.groq.com/openai/v1',
        endpoint: 'https://api.groq.com/openai/v1',
        keySource: 'environment',
        keyVariable: 'GROQ_API_KEY',
        hasKey: true,
        isLocal: false,
        isBuiltIn: false,
        keepAlive: null,
        timeLimits: { firstOutputMs: null, stallMs: null, totalMs: null },
        updatedAt: 'string',
      },
    ]);
    const refusals = [];
    for (const input of [
      { kind: 'openai-compatible', label: 'No URL' },
      { kind: 'openai-compatible', label: 'Bad URL', baseUrl: 'ftp://example.com' },
      { kind: 'openai-compatible', label: 'Key in URL', baseUrl: 'https://me:sk-secret@example.com/v1' },
      { kind: 'openai-compatible', label: 'No variable', baseUrl: 'https://example.com/v1', keySource: 'environment' },
      { kind: 'openai-compatible', label: 'Bad variable', baseUrl: 'https://example.com/v1', keySource: 'environment', keyVariable: 'HOME' },
      { kind: 'openai-compatible', label: 'Empty key', baseUrl: 'https://example.com/v1', keySource: 'secret-store' },
      { kind: 'ollama', label: 'Keyed', apiKey: 'x' },
      { id: 1, kind: 'anthropic', label: 'OpenAI' },
      { id: 42, kind: 'openai', label: 'Ghost' },
    ]) {
      refusals.push(await workbench.call('providers:save', input as never).then(() => null, (error: CallFailure) => [error.code, error.message, ...error.fields]));
    }
    // Each refusal of one field names it, so the card shows the message under that field.
    expect(refusals).toStrictEqual([
      ['invalid-input', 'An OpenAI-compatible endpoint needs its base URL (most end in /v1)', 'baseUrl'],
      ['invalid-input', 'Base URL must be an http:// or https:// URL', 'baseUrl'],
      ['invalid-input', 'Base URL must not carry a user name or password: enter the key under API key, where it is kept as a secret', 'baseUrl'],
      ['invalid-input', 'Name the environment variable that holds the key, or enter the key itself', 'keyVariable'],
      ['invalid-input', 'Only variables named like OPENAI_API_KEY (capitals, digits and _, ending in _API_KEY) can hold a key', 'keyVariable'],
      ['invalid-input', 'Paste the key to keep, or choose where else the key comes from', 'apiKey'],
      ['invalid-input', 'Ollama takes no API key'],
      ['invalid-input', 'OpenAI is built in and stays openai; add a provider for anthropic instead'],
      ['not-found', 'Provider 42 does not exist'],
    ]);
    // A provider that keeps a key already keeps it when saved without one.
    const keyed = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'Keyed endpoint', baseUrl: 'https://example.com/v1', apiKey: 'sk-kept' });
    expect(await workbench.call('providers:save', { id: keyed.id, kind: 'openai-compatible', label: 'Keyed endpoint 2', keySource: 'secret-store' })).toMatchObject({ label: 'Keyed endpoint 2', keySource: 'secret-store', hasKey: true });
  });

  test('two providers may not share a name (trimmed, in any case): refused on the name field; names a database already shares keep working', async () => {
    const workbench = startWorkbench();
    const lmStudio = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' });
    const custom = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'Custom endpoint', baseUrl: 'http://127.0.0.1:8080/v1' });
    const refusals = [];
    for (const input of [
      { kind: 'openai-compatible', label: '  lm  studio ', baseUrl: 'http://127.0.0.1:1235/v1' },
      { id: custom.id, kind: 'openai-compatible', label: 'Ollama' },
      { id: 3, kind: 'ollama', label: 'LM STUDIO' },
    ] as const) {
      const result = await dispatchCall(workbench.engine.handlers, 'providers:save', input);
      refusals.push(result.ok ? null : result.error);
    }
    const taken = (name: string) => `A provider named “${name}” already exists: give this one another name`;
    expect(refusals).toStrictEqual([
      { code: 'conflict', message: taken('LM Studio'), issues: [{ path: 'label', rule: taken('LM Studio') }] },
      { code: 'conflict', message: taken('Ollama'), issues: [{ path: 'label', rule: taken('Ollama') }] },
      { code: 'conflict', message: taken('LM Studio'), issues: [{ path: 'label', rule: taken('LM Studio') }] },
    ]);
    // A provider may keep its own name, or change its case.
    const renamed = await workbench.call('providers:save', { id: lmStudio.id, kind: 'openai-compatible', label: 'LM studio' });
    expect((await workbench.call('providers:list', {})).map((provider) => provider.label)).toStrictEqual(['OpenAI', 'Anthropic', 'Ollama', renamed.label, 'Custom endpoint']);

    // A database from before names were checked, with two of one name: it opens, lists both, and
    // each may still be edited under its name; only a rename is checked.
    const database = new BetterSqlite3(path.join(workbench.dataDir, DATABASE_FILE_NAME));
    database.prepare('UPDATE providers SET label = ? WHERE id = ?').run('OpenAI', custom.id);
    database.close();
    workbench.engine.close();
    const reopened = startWorkbench({ dataDir: workbench.dataDir });
    expect((await reopened.call('providers:list', {})).map((provider) => provider.label)).toStrictEqual(['OpenAI', 'Anthropic', 'Ollama', 'LM studio', 'OpenAI']);
    const edited = await reopened.call('providers:save', { id: custom.id, kind: 'openai-compatible', label: 'OpenAI', baseUrl: 'http://127.0.0.1:8081/v1' });
    expect([edited.label, edited.endpoint]).toStrictEqual(['OpenAI', 'http://127.0.0.1:8081/v1']);
    await expect(reopened.call('providers:save', { id: custom.id, kind: 'openai-compatible', label: 'LM Studio' })).rejects.toStrictEqual(
      new CallFailure({ code: 'conflict', message: taken('LM studio'), issues: [{ path: 'label', rule: taken('LM studio') }] }),
    );
    expect((await reopened.call('providers:save', { id: custom.id, kind: 'openai-compatible', label: 'Team gateway' })).label).toBe('Team gateway');
  });

  test('an Ollama host is read the same in Settings as in OLLAMA_HOST: host:port and a bare host become URLs; other kinds need a URL', async () => {
    const hosts = ['127.0.0.1:11434', 'gpu-box', 'gpu-box:11500', '0.0.0.0:8080', ':9000', 'http://10.0.0.5:11434/'];
    const fromEnvironment = hosts.map((host) => startWorkbench({ environment: { OLLAMA_HOST: host } }));
    const viaEnvironment = await Promise.all(fromEnvironment.map(async (workbench) => (await workbench.call('providers:list', {}))[2].endpoint));
    const workbench = startWorkbench();
    const viaSettings = [];
    for (const host of hosts) {
      const saved = await workbench.call('providers:save', { id: 3, kind: 'ollama', label: 'Ollama', baseUrl: host });
      viaSettings.push([saved.baseUrl, saved.endpoint]);
    }
    expect(viaSettings).toStrictEqual(viaEnvironment.map((endpoint) => [endpoint, endpoint]));
    expect(viaEnvironment).toStrictEqual([
      'http://127.0.0.1:11434',
      'http://gpu-box:11434',
      'http://gpu-box:11500',
      'http://127.0.0.1:8080',
      'http://127.0.0.1:9000',
      'http://10.0.0.5:11434',
    ]);

    // "Test connection" takes the same form, for the saved Ollama too (the contract does not know its kind).
    const ollama = await startOllamaServer();
    afterTest(ollama.close);
    const tested = await workbench.call('providers:test', { id: 3, baseUrl: `127.0.0.1:${ollama.port}` });
    expect(tested.isOk).toBe(true);

    const refusals = [];
    for (const input of [
      { kind: 'openai-compatible', label: 'LM Studio', baseUrl: '127.0.0.1:1234/v1' },
      { id: 3, kind: 'ollama', label: 'Ollama', baseUrl: 'ftp://gpu-box' },
      { id: 3, kind: 'ollama', label: 'Ollama', baseUrl: 'me:secret@gpu-box' },
    ]) {
      refusals.push(await workbench.call('providers:save', input as never).then(() => null, (error: CallFailure) => error.message));
    }
    refusals.push(await workbench.call('providers:test', { id: 1, baseUrl: '127.0.0.1:1234' }).then(() => null, (error: CallFailure) => error.message));
    expect(refusals).toStrictEqual([
      'Base URL must be an http:// or https:// URL',
      'Base URL must be an http:// or https:// URL, or host:port (127.0.0.1:11434)',
      'Base URL must not carry a user name or password: Settings never stores one; for an Ollama behind a proxy, set OLLAMA_HOST=https://user:password@host before starting the app',
      'Base URL must be an http:// or https:// URL',
    ]);
  });

  test('an Ollama provider’s Keep loaded goes with every chat request as Ollama reads it (15m unless set); values Ollama would refuse are refused on the field', async () => {
    const ollama = await startOllamaServer();
    afterTest(ollama.close);
    const workbench = startWorkbench({ environment: { OLLAMA_HOST: ollama.url } });
    const promptId = await createPrompt(workbench);
    const sent: unknown[] = [];
    const runWith = async (keepAlive: string | null | undefined) => {
      const saved = await workbench.call('providers:save', { id: 3, kind: 'ollama', label: 'Ollama', ...(keepAlive !== undefined && { keepAlive }) });
      const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId: 3, model: 'llama3.2:latest' }], bypassCache: true });
      await workbench.batchDone(started.batchId);
      sent.push((ollama.requestsTo('/api/chat').at(-1)?.body as { keep_alive?: unknown } | undefined)?.keep_alive);
      return saved.keepAlive;
    };
    const kept = [await runWith(undefined), await runWith(' 5m '), await runWith(undefined), await runWith('3600'), await runWith('0'), await runWith('-1'), await runWith('1h30m'), await runWith('')];
    // A bare number goes as seconds (Ollama refuses "3600" as a duration); empty is the default again.
    expect({ kept, sent }).toStrictEqual({
      kept: [null, '5m', '5m', '3600', '0', '-1', '1h30m', null],
      sent: ['15m', '5m', '5m', 3600, 0, -1, '1h30m', '15m'],
    });
    // Kept across a restart, with the provider.
    expect((await startWorkbench({ dataDir: workbench.dataDir }).call('providers:list', {})).map((provider) => provider.keepAlive)).toStrictEqual([null, null, null]);

    const refusals = [];
    for (const input of [
      { id: 3, kind: 'ollama', label: 'Ollama', keepAlive: 'soon' },
      { id: 3, kind: 'ollama', label: 'Ollama', keepAlive: '5 min' },
      { id: 3, kind: 'ollama', label: 'Ollama', keepAlive: '99999999999h' },
      { id: 1, kind: 'openai', label: 'OpenAI', keepAlive: '5m' },
    ]) {
      refusals.push(await workbench.call('providers:save', input as never).then(() => null, (error: CallFailure) => [error.fields, error.message]));
    }
    const rule = 'Keep loaded must be a duration such as 5m, 1h or 90s, a number of seconds, 0 to unload the model after each run, or -1 to keep it loaded';
    expect(refusals).toStrictEqual([
      [['keepAlive'], rule],
      [['keepAlive'], rule],
      [['keepAlive'], 'Keep loaded must be under about 290 years, Ollama’s limit: write -1 to keep the model loaded'],
      [['keepAlive'], 'Only an Ollama provider keeps models loaded: leave Keep loaded empty'],
    ]);
    // Nothing refused was kept.
    expect((await workbench.call('providers:list', {})).map((provider) => provider.keepAlive)).toStrictEqual([null, null, null]);
  });

  test('time limits: durations or seconds, kept with the provider; empty is the kind’s default; nonsense, zero, negatives and a limit past the total are refused on their field', async () => {
    const workbench = startWorkbench();
    const save = async (id: number, limits: { firstOutputLimit?: string | null; stallLimit?: string | null; totalLimit?: string | null }) => {
      const kind = id === 3 ? 'ollama' : 'openai';
      const saved = await workbench.call('providers:save', { id, kind, label: kind === 'ollama' ? 'Ollama' : 'OpenAI', ...limits });
      return saved.timeLimits;
    };
    const kept = [
      await save(1, { firstOutputLimit: '90s', stallLimit: ' 45 ', totalLimit: '1h' }),
      // Not sent: kept as they were.
      await save(1, {}),
      await save(1, { firstOutputLimit: '1.5m', stallLimit: '2 min', totalLimit: '1h 30m' }),
      // Empty or null: the default again.
      await save(1, { firstOutputLimit: '', stallLimit: null, totalLimit: '' }),
      // A slow local 70B model: longer than Ollama's defaults, all three.
      await save(3, { firstOutputLimit: '20m', stallLimit: '10m', totalLimit: '2h' }),
    ];
    expect(kept).toStrictEqual([
      { firstOutputMs: 90_000, stallMs: 45_000, totalMs: 3_600_000 },
      { firstOutputMs: 90_000, stallMs: 45_000, totalMs: 3_600_000 },
      { firstOutputMs: 90_000, stallMs: 120_000, totalMs: 5_400_000 },
      { firstOutputMs: null, stallMs: null, totalMs: null },
      { firstOutputMs: 1_200_000, stallMs: 600_000, totalMs: 7_200_000 },
    ]);
    // Kept across a restart, with the provider.
    expect((await startWorkbench({ dataDir: workbench.dataDir }).call('providers:list', {})).map((provider) => provider.timeLimits)).toStrictEqual([
      { firstOutputMs: null, stallMs: null, totalMs: null },
      { firstOutputMs: null, stallMs: null, totalMs: null },
      { firstOutputMs: 1_200_000, stallMs: 600_000, totalMs: 7_200_000 },
    ]);

    const refusals = [];
    for (const [id, limits] of [
      [1, { firstOutputLimit: 'soon' }],
      [1, { stallLimit: '0' }],
      [1, { totalLimit: '-5m' }],
      [1, { firstOutputLimit: '3 fortnights' }],
      [1, { stallLimit: '0.2s' }],
      [1, { totalLimit: '2d' }],
      [1, { totalLimit: '25h' }],
      // Longer than the total set beside it, or than the kind's default total (15m for OpenAI).
      [1, { firstOutputLimit: '10m', totalLimit: '5m' }],
      [1, { stallLimit: '20m' }],
      // A total shorter than the default first-token limit (3m) is the total's to fix.
      [1, { totalLimit: '1m' }],
      // Ollama's default total is 30m.
      [3, { firstOutputLimit: '40m', totalLimit: '' }],
    ] as const) {
      refusals.push(await save(id, limits).then(() => null, (error: CallFailure) => [error.fields, error.message]));
    }
    const rule = 'must be a duration such as 90s, 3m or 1h, or a number of seconds';
    expect(refusals).toStrictEqual([
      [['firstOutputLimit'], `First token limit ${rule}`],
      [['stallLimit'], 'Stall limit must be more than 0, such as 90s, 3m or 1h'],
      [['totalLimit'], 'Total limit must be more than 0, such as 90s, 3m or 1h'],
      [['firstOutputLimit'], `First token limit ${rule}`],
      [['stallLimit'], 'Stall limit must be at least 1s'],
      [['totalLimit'], `Total limit ${rule}`],
      [['totalLimit'], 'Total limit must be at most 24h'],
      [['firstOutputLimit'], 'First token limit is longer than the total limit (5m): set a shorter first token limit, or a longer total'],
      [['stallLimit'], 'Stall limit is longer than the total limit (15m, the default): set a shorter stall limit, or a longer total'],
      [['totalLimit'], 'Total limit is shorter than the first token limit (3m, the default): set a longer total, or a shorter first token limit'],
      [['firstOutputLimit'], 'First token limit is longer than the total limit (30m, the default): set a shorter first token limit, or a longer total'],
    ]);
    // Nothing refused was kept.
    expect((await workbench.call('providers:list', {})).map((provider) => provider.timeLimits)).toStrictEqual([
      { firstOutputMs: null, stallMs: null, totalMs: null },
      { firstOutputMs: null, stallMs: null, totalMs: null },
      { firstOutputMs: 1_200_000, stallMs: 600_000, totalMs: 7_200_000 },
    ]);
  });

  test('every setting of an added provider is kept when it is added and when it is changed, across a restart', async () => {
    const workbench = startWorkbench({ environment: { GATEWAY_API_KEY: 'sk-gateway' } });
    // Each value differs from what the table would hold without it (a column's default, or the value before).
    const gpuBox = await workbench.call('providers:save', {
      kind: 'ollama',
      label: 'GPU box',
      baseUrl: 'http://10.0.0.5:11434',
      isLocal: true,
      keepAlive: '1h',
      firstOutputLimit: '5m',
      stallLimit: '2m',
      totalLimit: '2h',
    });
    const gateway = await workbench.call('providers:save', {
      kind: 'openai-compatible',
      label: 'Gateway',
      baseUrl: 'https://gateway.example.com/v1',
      keySource: 'environment',
      keyVariable: 'GATEWAY_API_KEY',
      isLocal: true,
      firstOutputLimit: '1m',
      stallLimit: '30s',
      totalLimit: '10m',
    });
    const added = async (dataDir: string) => (await startWorkbench({ dataDir, environment: { GATEWAY_API_KEY: 'sk-gateway' } }).call('providers:list', {})).filter((provider) => !provider.isBuiltIn).map(shown);
    const common = { hasKey: false, isBuiltIn: false, updatedAt: 'string' };
    expect(await added(workbench.dataDir)).toStrictEqual([
      {
        ...common,
        id: gpuBox.id,
        kind: 'ollama',
        label: 'GPU box',
        baseUrl: 'http://10.0.0.5:11434',
        endpoint: 'http://10.0.0.5:11434',
        keySource: 'none',
        keyVariable: null,
        isLocal: true,
        keepAlive: '1h',
        timeLimits: { firstOutputMs: 300_000, stallMs: 120_000, totalMs: 7_200_000 },
      },
      {
        ...common,
        id: gateway.id,
        kind: 'openai-compatible',
        label: 'Gateway',
        baseUrl: 'https://gateway.example.com/v1',
        endpoint: 'https://gateway.example.com/v1',
        keySource: 'environment',
        keyVariable: 'GATEWAY_API_KEY',
        hasKey: true,
        isLocal: true,
        keepAlive: null,
        timeLimits: { firstOutputMs: 60_000, stallMs: 30_000, totalMs: 600_000 },
      },
    ]);

    await workbench.call('providers:save', {
      id: gpuBox.id,
      kind: 'ollama',
      label: 'GPU box 2',
      baseUrl: 'http://10.0.0.6:11500',
      isLocal: false,
      keepAlive: '30m',
      firstOutputLimit: '6m',
      stallLimit: '3m',
      totalLimit: '3h',
    });
    await workbench.call('providers:save', {
      id: gateway.id,
      kind: 'openai',
      label: 'Gateway 2',
      baseUrl: 'https://gateway2.example.com/v1',
      keySource: 'secret-store',
      apiKey: 'sk-entered',
      isLocal: false,
      firstOutputLimit: '2m',
      stallLimit: '40s',
      totalLimit: '12m',
    });
    expect(await added(workbench.dataDir)).toStrictEqual([
      {
        ...common,
        id: gpuBox.id,
        kind: 'ollama',
        label: 'GPU box 2',
        baseUrl: 'http://10.0.0.6:11500',
        endpoint: 'http://10.0.0.6:11500',
        keySource: 'none',
        keyVariable: null,
        isLocal: false,
        keepAlive: '30m',
        timeLimits: { firstOutputMs: 360_000, stallMs: 180_000, totalMs: 10_800_000 },
      },
      {
        ...common,
        id: gateway.id,
        kind: 'openai',
        label: 'Gateway 2',
        baseUrl: 'https://gateway2.example.com/v1',
        endpoint: 'https://gateway2.example.com/v1',
        keySource: 'secret-store',
        keyVariable: null,
        // The key entered went to the secret store, which the restarted engine here does not share.
        hasKey: false,
        isLocal: false,
        keepAlive: null,
        timeLimits: { firstOutputMs: 120_000, stallMs: 40_000, totalMs: 720_000 },
      },
    ]);
  });

  test('"Test connection" lists models (Ollama with size and quantization) or says what is wrong, saved or not', async () => {
    const workbench = startWorkbench();
    const ollama = await startOllamaServer();
    afterTest(ollama.close);
    const { server } = await addOpenAi(workbench);
    expect(await workbench.call('providers:test', { id: 3, kind: 'ollama', baseUrl: ollama.url })).toMatchObject({
      isOk: true,
      models: [
        { id: 'llama3.2:latest', sizeBytes: 2_019_393_189, quantization: 'Q4_K_M' },
        { id: 'qwen3:8b', sizeBytes: 5_225_388_164, quantization: 'Q4_K_M' },
      ],
    });
    // Testing did not save: the built-in Ollama still points at its default host.
    expect((await workbench.call('providers:list', {}))[2].baseUrl).toBeNull();
    const unsaved = await workbench.call('providers:test', { kind: 'openai', baseUrl: server.baseUrl, apiKey: OPENAI_KEY });
    const wrongKey = await workbench.call('providers:test', { kind: 'openai', baseUrl: server.baseUrl, apiKey: 'sk-wrong' });
    const noKey = await workbench.call('providers:test', { id: 1 });
    const ownVariable = await workbench.call('providers:test', { kind: 'anthropic', keySource: 'environment', keyVariable: 'TEAM_ANTHROPIC_API_KEY' });
    // An endpoint that wants a key, sent none: it did not reject one, it asks for one.
    const compatible = { kind: 'openai-compatible', label: 'Team proxy', baseUrl: server.baseUrl } as const;
    const keyless = await workbench.call('providers:test', { ...compatible, keySource: 'none' });
    const unsetVariable = await workbench.call('providers:test', { ...compatible, keySource: 'environment', keyVariable: 'PROXY_API_KEY' });
    const wrongCompatibleKey = await workbench.call('providers:test', { ...compatible, apiKey: 'sk-wrong' });
    // Each message sends the user where the key comes from: the form (Settings), the standard variable, or the one chosen.
    expect(
      [unsaved, wrongKey, noKey, ownVariable, keyless, unsetVariable, wrongCompatibleKey].map((result) => (result.isOk ? result.models : [result.errorKind, result.message])),
    ).toStrictEqual([
      [{ id: 'gpt-4o-mini' }],
      ['auth', 'OpenAI rejected the API key (401): check the key entered in Settings › Providers'],
      ['auth', 'No API key for OpenAI: set OPENAI_API_KEY, or enter a key in Settings › Providers'],
      ['auth', 'No API key for Anthropic: set TEAM_ANTHROPIC_API_KEY, or enter a key in Settings › Providers'],
      ['auth', 'Team proxy asks for an API key (401), and none is set: set one in Settings › Providers (Environment or Enter key)'],
      ['auth', 'Team proxy asks for an API key (401), and none is set: set PROXY_API_KEY, or enter a key in Settings › Providers'],
      ['auth', 'Team proxy rejected the API key (401): check the key entered in Settings › Providers'],
    ]);
  });

  test('"Test connection" can be cancelled while it waits: it answers at once as cancelled, and the request to the server is dropped', async () => {
    const workbench = startWorkbench();
    // A server that takes requests and never answers (a host behind a stalled proxy).
    const opened: http.IncomingMessage[] = [];
    let closed = 0;
    const silent = http.createServer((request) => {
      opened.push(request);
      request.socket.on('close', () => (closed += 1));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    afterTest(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    afterTest(() => silent.closeAllConnections());
    const baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;

    const testing = workbench.call('providers:test', { kind: 'openai-compatible', label: 'Stalled', baseUrl, testKey: 'card-1' });
    await expect.poll(() => opened.length).toBe(1);
    // Another window's key cancels nothing.
    expect(await workbench.call('providers:cancel-test', { testKey: 'card-2' })).toStrictEqual({ cancelled: false });
    expect(await workbench.call('providers:cancel-test', { testKey: 'card-1' })).toStrictEqual({ cancelled: true });
    expect(await testing).toMatchObject({ isOk: false, errorKind: 'cancelled', message: 'Test cancelled' });
    await expect.poll(() => closed).toBe(1);
    expect(opened.map((request) => request.url)).toStrictEqual(['/v1/models']);
    // Over, it cannot be cancelled again; a key of the wrong shape is refused.
    expect(await workbench.call('providers:cancel-test', { testKey: 'card-1' })).toStrictEqual({ cancelled: false });
    await expect(workbench.call('providers:cancel-test', { testKey: 'a b' })).rejects.toMatchObject({ code: 'invalid-input' });
  });

  test('"Test connection" of an OpenAI-compatible address that answers with a web page, or misses its /v1, says so', async () => {
    const workbench = startWorkbench();
    const webUi = await startOpenAiServer({ apiKey: null, webPage: { contentType: 'text/html; charset=utf-8', text: '<html><body>Welcome to nginx</body></html>' } });
    afterTest(webUi.close);
    const { server } = await addCompatible(workbench);
    const origin = server.baseUrl.replace(/\/v1$/, '');
    const compatible = { kind: 'openai-compatible', label: 'LM Studio (test)' } as const;
    const results = [];
    for (const baseUrl of [webUi.baseUrl, origin, `${origin}/v1`, `${origin}/api/v1`]) {
      const result = await workbench.call('providers:test', { ...compatible, baseUrl });
      results.push(result.isOk ? result.models.map((model) => model.id) : [result.errorKind, result.message]);
    }
    expect(results).toStrictEqual([
      [
        'not-found',
        `LM Studio (test) answered at ${webUi.baseUrl}/models with a web page (text/html), not a model list: check that the base URL is the server’s API (most end in /v1), not its web page`,
      ],
      ['not-found', `LM Studio (test) has nothing at ${origin} (404): check the address; most OpenAI-compatible servers’ addresses end in /v1 (${origin}/v1)`],
      ['qwen2.5-7b-instruct'],
      // Already ending in /v1: no advice to add another.
      ['not-found', `LM Studio (test) has nothing at ${origin}/api/v1 (404): check the address`],
    ]);
  });

  test('a port out of range is refused as a port, on save and test; a port fetch blocks is named as such', async () => {
    const workbench = startWorkbench();
    const refusals = [];
    for (const input of [
      { kind: 'openai-compatible', label: 'LM Studio', baseUrl: 'http://127.0.0.1:99999/v1' },
      { kind: 'openai-compatible', label: 'LM Studio', baseUrl: 'http://127.0.0.1:0/v1' },
      { id: 3, kind: 'ollama', label: 'Ollama', baseUrl: 'gpu-box:70000' },
    ]) {
      for (const channel of ['providers:save', 'providers:test'] as const) {
        refusals.push(await workbench.call(channel, input as never).then(() => null, (error: CallFailure) => [error.code, error.message]));
      }
    }
    // Past the contract (an in-process caller), the engine says the same.
    const store = await Promise.resolve()
      .then(() => workbench.engine.handlers['providers:save']({ kind: 'openai-compatible', label: 'LM Studio', baseUrl: 'http://127.0.0.1:99999/v1' }))
      .then(
        () => null,
        (error: Error) => error.message,
      );
    const blocked = await workbench.call('providers:test', { kind: 'openai-compatible', label: 'LM Studio', baseUrl: 'http://127.0.0.1:1/v1' });
    expect([refusals, store, blocked.isOk ? null : blocked.message]).toStrictEqual([
      [
        ['invalid-input', 'Base URL must name a port from 1 to 65535 (99999 is not one)'],
        ['invalid-input', 'Base URL must name a port from 1 to 65535 (99999 is not one)'],
        ['invalid-input', 'Base URL must name a port from 1 to 65535 (0 is not one)'],
        ['invalid-input', 'Base URL must name a port from 1 to 65535 (0 is not one)'],
        ['invalid-input', 'Base URL must name a port from 1 to 65535 (70000 is not one)'],
        ['invalid-input', 'Base URL must name a port from 1 to 65535 (70000 is not one)'],
      ],
      'Base URL must name a port from 1 to 65535 (99999 is not one)',
      'Could not reach LM Studio at http://127.0.0.1:1/v1: port 1 is blocked: Node, as browsers do, refuses to connect to ports kept for other services; run the server on another port, or check the address',
    ]);
  });

  test('a key is read only from a variable named *_API_KEY: other names are refused, and one stored before is not read', async () => {
    // PATH's value (here a stand-in secret) must never go out as a Bearer key, whatever the base URL.
    const workbench = startWorkbench({ environment: { PATH: 'host-secret', GROQ_API_KEY: 'gsk-env' } });
    const { server, providerId } = await addCompatible(workbench);
    const endpoint = { kind: 'openai-compatible', label: 'Exfiltrate', baseUrl: server.baseUrl, keySource: 'environment' } as const;
    const names = ['PATH', 'openai_api_key', 'HOME_API_KEY_', '_API_KEY', 'MY API_KEY'];
    const refusals = [];
    for (const keyVariable of names) {
      for (const channel of ['providers:save', 'providers:test'] as const) {
        refusals.push(await workbench.call(channel, { ...endpoint, keyVariable }).then(() => null, (error: CallFailure) => [error.code, error.message]));
      }
    }
    expect(refusals).toStrictEqual(
      names.flatMap(() => [
        ['invalid-input', 'Only variables named like OPENAI_API_KEY (capitals, digits and _, ending in _API_KEY) can hold a key'],
        ['invalid-input', 'Only variables named like OPENAI_API_KEY (capitals, digits and _, ending in _API_KEY) can hold a key'],
      ]),
    );
    expect((await workbench.call('providers:save', { ...endpoint, keyVariable: 'GROQ_API_KEY' })).hasKey).toBe(true);

    // A name stored before the rule: not read (no key at hand), and a run is refused before anything is sent.
    const database = new BetterSqlite3(path.join(workbench.dataDir, DATABASE_FILE_NAME));
    database.prepare("UPDATE providers SET key_source = 'environment', key_variable = 'PATH' WHERE id = ?").run(providerId);
    database.close();
    expect((await workbench.call('providers:list', {})).find((provider) => provider.id === providerId)?.hasKey).toBe(false);
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'qwen2.5-7b-instruct' }] });
    await workbench.batchDone(started.batchId);
    const run = await workbench.call('runs:get', { id: started.cells[0].runId });
    expect([run.status, run.error, server.requests.length]).toStrictEqual([
      'error',
      'No API key for LM Studio: PATH is not read: only variables named like OPENAI_API_KEY (capitals, digits and _, ending in _API_KEY) can hold a key; name another in Settings › Providers',
      0,
    ]);
    expect(JSON.stringify(server.requests.map((request) => request.headers))).not.toContain('host-secret');
  });

  test('adding, changing and removing a provider tells every window the list as it now is; a run on a removed one names it and its model', async () => {
    const workbench = startWorkbench();
    const added = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' });
    await workbench.call('providers:save', { id: added.id, kind: 'openai-compatible', label: 'LM Studio (desk)' });
    const promptId = await createPrompt(workbench);
    await workbench.call('evals:saveSuite', { promptId, defaultAssertions: [], cases: [{ variables: { topic: 'tides' } }] });
    await workbench.call('providers:remove', { id: added.id });
    await workbench.waitFor('providers:changed', (providers) => providers.length === 3);
    expect(workbench.eventsOf('providers:changed').map((providers) => providers.map((provider) => provider.label))).toStrictEqual([
      ['OpenAI', 'Anthropic', 'Ollama', 'LM Studio'],
      ['OpenAI', 'Anthropic', 'Ollama', 'LM Studio (desk)'],
      ['OpenAI', 'Anthropic', 'Ollama'],
    ]);
    // A window that has not heard yet: the estimate, the run and an eval say which provider is gone, in words.
    const batch = { promptId, versions: ['draft' as const], targets: [{ providerId: added.id, model: 'qwen2.5-7b' }] };
    const refusals = [];
    for (const attempt of [
      () => workbench.call('runs:estimate', batch),
      () => workbench.call('runs:start', batch),
      () => workbench.call('evals:start', batch),
      () => workbench.call('runs:start', { ...batch, targets: [{ providerId: 99, model: 'gpt-4o' }] }),
    ]) {
      refusals.push(await attempt().then(() => null, (error: CallFailure) => [error.code, error.message]));
    }
    const removed = 'LM Studio (desk), the provider of qwen2.5-7b, was removed in Settings › Providers: remove qwen2.5-7b from the models to run';
    expect(refusals).toStrictEqual([
      ['not-found', removed],
      ['not-found', removed],
      ['not-found', removed],
      ['not-found', 'The provider of gpt-4o was removed in Settings › Providers: remove gpt-4o from the models to run'],
    ]);
  });

  test('a provider added after the newest was removed never takes its id, not after a restart either', async () => {
    const first = startWorkbench();
    const endpoint = (label: string) => ({ kind: 'openai-compatible' as const, label, baseUrl: 'http://127.0.0.1:1234/v1' });
    const removed = await first.call('providers:save', endpoint('Removed'));
    await first.call('providers:remove', { id: removed.id });
    const next = await first.call('providers:save', endpoint('Next'));
    await first.call('providers:remove', { id: next.id });
    first.engine.close();
    const reopened = startWorkbench({ dataDir: first.dataDir });
    const afterRestart = await reopened.call('providers:save', endpoint('After restart'));
    expect([removed.id, next.id, afterRestart.id]).toStrictEqual([4, 5, 6]);
  });

  test('a key the secret store cannot forget keeps its provider: removing it fails and says why, and nothing is left half done', async () => {
    const kept = new Map<string, string>();
    const secrets = {
      isPersistent: true,
      get: (name: string) => Promise.resolve(kept.get(name) ?? null),
      set: (name: string, value: string) => Promise.resolve(void kept.set(name, value)),
      delete: () => Promise.reject(new Error('The keychain is locked')),
    };
    const workbench = startWorkbench({ secrets });
    const added = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'Groq', baseUrl: 'http://127.0.0.1:1234/v1', keySource: 'secret-store', apiKey: 'gsk-secret' });
    await expect(workbench.call('providers:remove', { id: added.id })).rejects.toThrow(/The keychain is locked/);
    expect((await workbench.call('providers:list', {})).map((provider) => [provider.label, provider.hasKey])).toContainEqual(['Groq', true]);
  });

  test('removing an added provider keeps its runs (with its name), forgets its key; built-in ones stay', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    await workbench.batchDone(started.batchId);
    const rest = await workbench.call('providers:remove', { id: providerId });
    const run = await workbench.call('runs:get', { id: started.cells[0].runId });
    expect([rest.map((provider) => provider.id), run.providerId, run.providerLabel, run.status]).toStrictEqual([[1, 2, 3], null, 'OpenAI (fixture)', 'ok']);
    await expect(workbench.call('runs:rerun', { id: run.id })).rejects.toStrictEqual(
      new CallFailure({ code: 'not-found', message: `The provider run ${run.id} used (OpenAI (fixture)) has been removed` }),
    );
    await expect(workbench.call('providers:remove', { id: 2 })).rejects.toStrictEqual(
      new CallFailure({ code: 'conflict', message: 'Anthropic is built in and cannot be removed; change its settings instead' }),
    );
  });
});
