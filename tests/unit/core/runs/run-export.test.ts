/**
 * Exporting history: the runs a filter or a search finds, page by page, as CSV or JSON Lines,
 * every run whole, formulas made harmless in CSV, and no key anywhere (not even a password
 * written into an address, which is dialled as Basic auth).
 */

import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { normalizeOllamaHost } from '../../../../electron/core/providers/create-provider';
import { splitCredentials, withoutCredentials } from '../../../../electron/core/providers/url-credentials';
import { guardFormula } from '../../../../electron/core/runs/run-export';
import type { PromptContent, RunExportFormat, RunRecord } from '../../../../shared/types';
import { startOllamaServer } from '../../../fixtures/ollama-server';
import { addOpenAi, afterTest, createPrompt, OPENAI_KEY, startWorkbench, TOPIC_CONTENT, type Workbench } from './run-harness';
import { manualClock } from '../../support';

async function finish(workbench: Workbench, input: object) {
  const started = await workbench.call('runs:start', input as never);
  await workbench.batchDone(started.batchId);
  return started;
}

/** Every page of an export joined, as the renderer joins them; and how many pages it took. */
async function exportAll(workbench: Workbench, format: RunExportFormat, input: object = {}, limit = 2) {
  let text = '';
  let pages = 0;
  let cursor: string | undefined;
  let fileName: string;
  do {
    const page = await workbench.call('runs:export', { format, limit, ...input, ...(cursor === undefined ? {} : { cursor }) });
    text += page.text;
    pages += 1;
    cursor = page.nextCursor ?? undefined;
    fileName = page.fileName;
  } while (cursor !== undefined);
  return { text, pages, fileName };
}

describe('history export', () => {
  test('CSV and JSON Lines hold every run the list holds, whole, across pages; a search exports its hits', async () => {
    const clock = manualClock('2025-03-01T10:00:00.000Z');
    const workbench = startWorkbench({ now: clock.now });
    const { providerId, server } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    // Outputs a spreadsheet would run as formulas, a comma, quotes and a line break.
    server.script(
      { reply: { tokens: ['=HYPERLINK("http://x", "click")'] } },
      { reply: { tokens: ['Tides, "twice" a day.\nThe moon pulls.'] } },
      { reply: { tokens: ['-1 is a number, but this is text'] } },
    );
    for (const topic of ['tides', 'moons', 'winds']) {
      // A variable may share a name with a field of the run; it is exported all the same.
      const content: PromptContent = { ...TOPIC_CONTENT, messages: [TOPIC_CONTENT.messages[0], { role: 'user' as const, content: 'Tell me about {{topic}} ({{outputPreview}}).' }] };
      if (topic === 'moons') content.responseFormat = { type: 'json_schema', name: 'moon', schema: { type: 'object', additionalProperties: false } };
      await workbench.call('drafts:save', { promptId, content, variables: { topic, outputPreview: 'kept' } });
      await finish(workbench, { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    }
    const listed = await workbench.call('runs:list', {});
    const records = await Promise.all(listed.items.map((item) => workbench.call('runs:get', { id: item.id })));

    const csv = await exportAll(workbench, 'csv');
    expect(csv.pages).toBe(2);
    expect(csv.fileName).toBe('workbench-runs-2025-03-01.csv');
    const rows = parse(csv.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((row) => Number(row.id))).toEqual(listed.items.map((item) => item.id));
    expect(rows.map((row) => row.output)).toEqual(['-1 is a number, but this is text', 'Tides, "twice" a day.\nThe moon pulls.', '=HYPERLINK("http://x", "click")'].map(guardFormula));
    expect(rows[2].output).toBe('\'=HYPERLINK("http://x", "click")');
    expect(rows[0]).toMatchObject({
      status: 'ok',
      prompt: 'Explainer',
      version: 'draft',
      provider: 'OpenAI (fixture)',
      model: 'gpt-4o-mini',
      sample: '1',
      input_tokens: String(records[0].usage.inputTokens),
      output_tokens: String(records[0].usage.outputTokens),
      cost_usd: String(records[0].costUsd),
      usage_estimated: '0',
      temperature: '0.2',
      max_tokens: '',
      finish_reason: 'stop',
      started_at: '2025-03-01T10:00:00.000Z',
    });
    expect(JSON.parse(rows[1].variables)).toEqual({ topic: 'moons', outputPreview: 'kept' });
    expect([rows[0].response_format, JSON.parse(rows[1].response_format) as unknown]).toStrictEqual(['', { type: 'json_schema', name: 'moon', schema: { type: 'object', additionalProperties: false } }]);
    expect(JSON.parse(rows[0].variables)).toEqual({ topic: 'winds', outputPreview: 'kept' });
    expect(JSON.parse(rows[1].messages)).toEqual(records[1].messages);
    // The rates each run was charged at, whole, so a spreadsheet can check its cost.
    expect(records[0].price.price).not.toBeNull();
    expect(JSON.parse(rows[0].price_per_1m)).toEqual(records[0].price.price);

    const jsonl = await exportAll(workbench, 'jsonl', {}, 500);
    expect(jsonl.pages).toBe(1);
    const lines = jsonl.text.trimEnd().split('\n').map((line) => JSON.parse(line) as RunRecord);
    // Each line is the run as runs:get gives it, text untouched.
    expect(lines).toEqual(records.map(({ outputPreview: _preview, ...whole }) => whole));

    const searched = await exportAll(workbench, 'csv', { query: 'moon' });
    expect((parse(searched.text, { columns: true, bom: true }) as Record<string, string>[]).map((row) => Number(row.id))).toEqual([listed.items[1].id]);
    const filtered = await exportAll(workbench, 'jsonl', { status: 'error' });
    expect(filtered.text).toBe('');

    for (const text of [csv.text, jsonl.text]) expect(text).not.toContain(OPENAI_KEY);
  });

  test('CSV starts with a UTF-8 byte-order mark, once across its pages, so Excel reads “日本語 ✓ é”; JSON Lines has none', async () => {
    const workbench = startWorkbench();
    const { providerId, server } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    server.script({ reply: { tokens: ['日本語 ✓ é'] } });
    // The same request thrice: the second and third are cache hits of the first.
    for (let index = 0; index < 3; index += 1) await finish(workbench, { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });

    const csv = await exportAll(workbench, 'csv', {}, 1);
    const jsonl = await exportAll(workbench, 'jsonl', {}, 1);
    const bytes = Buffer.from(csv.text, 'utf8');
    expect({
      pages: csv.pages,
      start: [...bytes.subarray(0, 6)],
      marks: csv.text.split('\uFEFF').length - 1,
      outputs: (parse(bytes, { columns: true, bom: true }) as Record<string, string>[]).map((row) => row.output),
      jsonlStart: [...Buffer.from(jsonl.text, 'utf8').subarray(0, 2)],
    }).toStrictEqual({
      pages: 3,
      // EF BB BF, then "id,"
      start: [0xef, 0xbb, 0xbf, 0x69, 0x64, 0x2c],
      marks: 1,
      outputs: ['日本語 ✓ é', '日本語 ✓ é', '日本語 ✓ é'],
      jsonlStart: [0x7b, 0x22],
    });
  });

  test('a search with nothing searchable in it exports the header alone; a bad format is refused', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    await finish(workbench, { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const nothing = await workbench.call('runs:export', { format: 'csv', query: '*** ::' });
    expect(nothing).toMatchObject({ count: 0, nextCursor: null });
    expect(nothing.text).toMatch(/^\uFEFFid,batch_id,started_at,.*,output,reasoning\n$/);
    // An empty query is no query: everything.
    expect((await exportAll(workbench, 'jsonl', { query: '  ' })).text.trimEnd().split('\n')).toHaveLength(1);
    await expect(workbench.call('runs:export', { format: 'xlsx' as never })).rejects.toThrow('Format: Invalid option: expected one of "csv"|"jsonl"');
  });
});

describe('addresses with a password in them', () => {
  const password = 's3cret';
  const basic = Buffer.from(`me:${password}`).toString('base64');

  test('dial Ollama behind a proxy with Basic auth, and are stored, listed, exported and reported without the password', async () => {
    const ollama = await startOllamaServer({ basicAuth: `me:${password}` });
    afterTest(ollama.close);
    const address = ollama.url.replace(/\/$/, '');
    const workbench = startWorkbench({ environment: { OLLAMA_HOST: address.replace('http://', `http://me:${password}@`) } });
    const providers = await workbench.call('providers:list', {});
    const builtIn = providers.find((provider) => provider.kind === 'ollama');
    // Settings show where requests go, never the password.
    expect(builtIn?.endpoint).toBe(address);
    // Test connection lists the models through the proxy.
    const tested = await workbench.call('providers:test', { id: builtIn?.id });
    expect(tested).toMatchObject({ isOk: true, models: [{ id: 'llama3.2:latest' }, { id: 'qwen3:8b' }] });
    const promptId = await createPrompt(workbench);
    const started = await finish(workbench, { promptId, versions: ['draft'], targets: [{ providerId: builtIn?.id, model: 'llama3.2:latest' }] });
    const run = await workbench.call('runs:get', { id: started.cells[0].runId });
    expect({ status: run.status, output: run.output, endpoint: run.endpoint }).toEqual({ status: 'ok', output: 'Hello, side by side!', endpoint: address });
    // Every request carried the credentials as a header (the proxy answers 401 otherwise).
    expect(ollama.requests.length).toBeGreaterThan(0);
    expect(ollama.requests.every((request) => request.headers.authorization === `Basic ${basic}`)).toBe(true);
    const exported = await exportAll(workbench, 'jsonl');
    for (const text of [JSON.stringify(providers), JSON.stringify(run), exported.text]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(basic);
    }
  });

  test('a wrong password fails the run with the proxy\'s refusal, without the password in it', async () => {
    const ollama = await startOllamaServer({ basicAuth: 'me:right' });
    afterTest(ollama.close);
    const address = ollama.url.replace(/\/$/, '');
    const workbench = startWorkbench({ environment: { OLLAMA_HOST: address.replace('http://', `http://me:${password}@`) } });
    const builtIn = (await workbench.call('providers:list', {})).find((provider) => provider.kind === 'ollama');
    const tested = await workbench.call('providers:test', { id: builtIn?.id });
    expect(tested).toMatchObject({ isOk: false, errorKind: 'auth' });
    const promptId = await createPrompt(workbench);
    const started = await finish(workbench, { promptId, versions: ['draft'], targets: [{ providerId: builtIn?.id, model: 'llama3.2:latest' }] });
    const run = await workbench.call('runs:get', { id: started.cells[0].runId });
    expect(run.status).toBe('error');
    expect(run.errorKind).toBe('auth');
    expect(run.error).toBe('Ollama refused the user name and password in its address (401): check them in OLLAMA_HOST');
    for (const text of [JSON.stringify(tested), JSON.stringify(run)]) expect(text).not.toContain(password);
    // Without any, the proxy's 401 says where they go.
    const bare = startWorkbench({ environment: { OLLAMA_HOST: address } });
    const bareOllama = (await bare.call('providers:list', {})).find((provider) => provider.kind === 'ollama');
    expect(await bare.call('providers:test', { id: bareOllama?.id })).toMatchObject({
      isOk: false,
      message:
        'Ollama refused the request (401): the server in front of it wants credentials, and those for Ollama go in OLLAMA_HOST, as user:password@host:port (sent as Basic auth), set before starting the app',
    });
  });

  test('the parts of an address: the URL to dial and the header; percent-escapes decoded', () => {
    expect(splitCredentials('http://me:p%40ss@127.0.0.1:11434/')).toEqual({ url: 'http://127.0.0.1:11434', authorization: `Basic ${Buffer.from('me:p@ss').toString('base64')}` });
    expect(splitCredentials('https://token@ollama.example.com/base')).toEqual({ url: 'https://ollama.example.com/base', authorization: `Basic ${Buffer.from('token:').toString('base64')}` });
    expect(splitCredentials('http://127.0.0.1:11434/')).toEqual({ url: 'http://127.0.0.1:11434', authorization: null });
    // OLLAMA_HOST may leave out the scheme and port, as Ollama's own client allows.
    expect(splitCredentials(normalizeOllamaHost('me:p%40ss@10.0.0.5'))).toEqual({ url: 'http://10.0.0.5:11434', authorization: `Basic ${Buffer.from('me:p@ss').toString('base64')}` });
    expect(withoutCredentials(`Could not reach Ollama at http://me:${password}@127.0.0.1:1/api/chat: refused`)).toBe('Could not reach Ollama at http://127.0.0.1:1/api/chat: refused');
    expect(withoutCredentials('Mail me@example.com, see https://example.com/a@b')).toBe('Mail me@example.com, see https://example.com/a@b');
  });
});
