/**
 * A prompt's response format, end to end: each provider's fixture receives it in its own
 * protocol's words, the stored run keeps it, re-running sends it again, the response cache tells
 * formats apart, and Claude's missing JSON object mode is refused before anything is sent.
 */

import { describe, expect, test } from 'vitest';
import { estimateCost } from '../../../../shared/cost';
import type { PromptContent, ResponseFormat } from '../../../../shared/types';
import { createEvalPrompt, replyText, runEval, topicCase, VERSION_CONTENT } from '../evals/eval-harness';
import { addAnthropic, addCompatible, addOllama, addOpenAi, createPrompt, startWorkbench, TOPIC_CONTENT, type Workbench } from './run-harness';

const SCHEMA = {
  type: 'object',
  properties: { fact: { type: 'string' }, confidence: { type: 'number' } },
  required: ['fact', 'confidence'],
  additionalProperties: false,
};
const JSON_SCHEMA: ResponseFormat = { type: 'json_schema', name: 'tide_fact', schema: SCHEMA };
const JSON_OBJECT: ResponseFormat = { type: 'json_object' };

/** The topic prompt with `responseFormat`; a JSON object one asks for JSON in words too, as OpenAI wants. */
function withFormat(responseFormat: ResponseFormat | undefined): PromptContent {
  if (responseFormat === undefined) return TOPIC_CONTENT;
  if (responseFormat.type === 'json_schema') return { ...TOPIC_CONTENT, responseFormat };
  return { ...TOPIC_CONTENT, messages: [{ role: 'system', content: 'You answer in one short sentence, as a JSON object.' }, TOPIC_CONTENT.messages[1]], responseFormat };
}

/** Runs the draft holding `responseFormat` on one model; the finished run. */
async function runDraft(workbench: Workbench, providerId: number, model: string, responseFormat: ResponseFormat | undefined, name = `Explainer ${JSON.stringify(responseFormat ?? 'text').length}`) {
  const promptId = await createPrompt(workbench, withFormat(responseFormat), { topic: 'tides' }, name);
  const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model }], bypassCache: true });
  return workbench.runDone(started.cells[0].runId);
}

/** The members of each body the fixture got at `path` that carry a format (`keys`), absent ones left out. */
function formatsSent(requests: readonly { body: unknown }[], keys: readonly string[]) {
  return requests.map((request) => Object.fromEntries(keys.filter((key) => Object.hasOwn(request.body as object, key)).map((key) => [key, (request.body as Record<string, unknown>)[key]])));
}

/** The fields `keys` of `record`. */
function pick(record: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keys.includes(key)));
}

describe('response formats', () => {
  test('OpenAI gets response_format (json_object, or a strict json_schema), none for text; the run keeps its format and a re-run sends it again', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    const text = await runDraft(workbench, providerId, 'gpt-4o-mini', undefined);
    const object = await runDraft(workbench, providerId, 'gpt-4o-mini', JSON_OBJECT);
    const schema = await runDraft(workbench, providerId, 'gpt-4o-mini', JSON_SCHEMA);
    const rerun = await workbench.call('runs:rerun', { id: schema.id, bypassCache: true });
    const again = await workbench.runDone(rerun.cells[0].runId);
    const stored = await Promise.all([text, object, schema, again].map((run) => workbench.call('runs:get', { id: run.id })));
    expect({
      sent: formatsSent(server.requestsTo(chatPath), ['response_format']),
      stored: stored.map((run) => [run.status, run.responseFormat]),
    }).toStrictEqual({
      sent: [
        {},
        { response_format: { type: 'json_object' } },
        { response_format: { type: 'json_schema', json_schema: { name: 'tide_fact', schema: SCHEMA, strict: true } } },
        { response_format: { type: 'json_schema', json_schema: { name: 'tide_fact', schema: SCHEMA, strict: true } } },
      ],
      stored: [
        ['ok', undefined],
        ['ok', JSON_OBJECT],
        ['ok', JSON_SCHEMA],
        ['ok', JSON_SCHEMA],
      ],
    });
  });

  test('an OpenAI-compatible server gets the same response_format as OpenAI', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addCompatible(workbench);
    await runDraft(workbench, providerId, 'qwen2.5-7b-instruct', JSON_OBJECT);
    await runDraft(workbench, providerId, 'qwen2.5-7b-instruct', JSON_SCHEMA);
    expect(formatsSent(server.requestsTo(chatPath), ['response_format'])).toStrictEqual([
      { response_format: { type: 'json_object' } },
      { response_format: { type: 'json_schema', json_schema: { name: 'tide_fact', schema: SCHEMA, strict: true } } },
    ]);
  });

  test('Anthropic gets output_config.format for a JSON schema; a JSON object format fails its cell before sending, saying what to choose', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addAnthropic(workbench);
    const schema = await runDraft(workbench, providerId, 'claude-haiku-4-5', JSON_SCHEMA);
    const object = await runDraft(workbench, providerId, 'claude-haiku-4-5', JSON_OBJECT);
    expect({
      sent: formatsSent(server.requestsTo(chatPath), ['output_config']),
      runs: [schema, object].map((run) => [run.status, run.error, run.responseFormat]),
    }).toStrictEqual({
      sent: [{ output_config: { format: { type: 'json_schema', schema: SCHEMA } } }],
      runs: [
        ['ok', null, JSON_SCHEMA],
        [
          'error',
          'Anthropic has no JSON object mode: set the prompt’s Response format to JSON schema (the shape the answer must have), or to Text and ask for JSON in the messages',
          JSON_OBJECT,
        ],
      ],
    });
  });

  test('a cell Anthropic refuses before sending is stored as not sent: an error, with its refusal, no usage and no cost, in the record and in the list', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addAnthropic(workbench);
    const run = await runDraft(workbench, providerId, 'claude-haiku-4-5', JSON_OBJECT);
    const listed = (await workbench.call('runs:list', { limit: 10 })).items.find((item) => item.id === run.id);
    const refusal = 'Anthropic has no JSON object mode: set the prompt’s Response format to JSON schema (the shape the answer must have), or to Text and ask for JSON in the messages';
    const nothingUsed = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
    expect({
      stored: [run.status, run.errorKind, run.isNotSent, run.error, pick(run.usage, Object.keys(nothingUsed)), run.costUsd ?? 0],
      listed: [listed?.status, listed?.isNotSent, listed?.error],
      sent: server.requestsTo(chatPath).length,
    }).toStrictEqual({
      stored: ['error', 'not-sent', true, refusal, nothingUsed, 0],
      listed: ['error', true, refusal],
      sent: 0,
    });
  });

  test('the estimate says, before the run, which cells Anthropic would refuse for a JSON object format, in the words the run would fail with', async () => {
    const workbench = startWorkbench();
    const anthropic = await addAnthropic(workbench);
    const openai = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench, withFormat(JSON_OBJECT), { topic: 'tides' });
    await workbench.call('versions:save', { promptId, content: withFormat(JSON_SCHEMA), variables: { topic: 'tides' }, note: '' });
    await workbench.call('drafts:save', { promptId, content: withFormat(JSON_OBJECT), variables: { topic: 'tides' } });
    const targets = [
      { providerId: anthropic.providerId, model: 'claude-haiku-4-5' },
      { providerId: openai.providerId, model: 'gpt-4o-mini' },
    ];
    const estimate = await workbench.call('runs:estimate', { promptId, versions: ['draft', 1], targets });
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: targets.slice(0, 1), bypassCache: true });
    const run = await workbench.runDone(started.cells[0].runId);
    const refusal = 'Anthropic has no JSON object mode: set the prompt’s Response format to JSON schema (the shape the answer must have), or to Text and ask for JSON in the messages';
    expect({ cells: estimate.cells.map((cell) => [cell.version, cell.model, cell.refusal]), run: run.error }).toStrictEqual({
      cells: [
        ['draft', 'claude-haiku-4-5', refusal],
        [1, 'claude-haiku-4-5', undefined],
        ['draft', 'gpt-4o-mini', undefined],
        [1, 'gpt-4o-mini', undefined],
      ],
      run: refusal,
    });
  });

  test('a cell Anthropic would refuse costs nothing: the estimate leaves it out of its cost and total, and the budget lets the batch run', async () => {
    const workbench = startWorkbench();
    const anthropic = await addAnthropic(workbench);
    const promptId = await createPrompt(workbench, withFormat(JSON_SCHEMA), { topic: 'tides' });
    await workbench.call('versions:save', { promptId, content: withFormat(JSON_SCHEMA), variables: { topic: 'tides' }, note: '' });
    await workbench.call('drafts:save', { promptId, content: withFormat(JSON_OBJECT), variables: { topic: 'tides' } });
    const request = { promptId, versions: ['draft' as const, 1], targets: [{ providerId: anthropic.providerId, model: 'claude-haiku-4-5' }], bypassCache: true };
    const estimate = await workbench.call('runs:estimate', request);
    const [refused, sent] = estimate.cells;
    const sentCost = estimateCost(sent.inputTokens, 0, sent.price.price);
    const refusedCost = estimateCost(refused.inputTokens, 0, refused.price.price);
    // Between what the batch will spend and what it would with the refused cell: over budget only if that cell counted.
    await workbench.call('settings:update', { dailyBudgetUsd: (sentCost ?? 0) + (refusedCost ?? 0) / 2 });
    const budgeted = await workbench.call('runs:estimate', request);
    const started = await workbench.call('runs:start', request);
    const runs = await Promise.all(started.cells.map((cell) => workbench.runDone(cell.runId)));
    expect({
      costs: estimate.cells.map((cell) => [cell.version, cell.refusal !== undefined, cell.costUsd]),
      total: estimate.totalCostUsd,
      exceedsBy: budgeted.budget.exceedsByUsd,
      runs: runs.map((run) => [run.status, run.costUsd]),
    }).toStrictEqual({
      costs: [
        ['draft', true, 0],
        [1, false, sentCost],
      ],
      total: sentCost,
      exceedsBy: null,
      runs: [
        ['error', 0],
        ['ok', runs[1].costUsd],
      ],
    });
    expect(refusedCost).toBeGreaterThan(0);
  });

  test('the estimate says, before the run, what OpenAI would refuse (over 4 stop sequences, a strict schema it cannot take, JSON object mode with no JSON in the messages); compatible servers are left alone; the run fails at once, sending nothing', async () => {
    const workbench = startWorkbench();
    const openai = await addOpenAi(workbench);
    const compatible = await addCompatible(workbench);
    const nested = {
      type: 'object',
      properties: { fact: { type: 'string' }, source: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
      required: ['fact', 'source'],
      additionalProperties: false,
    };
    const loose: ResponseFormat = { ...JSON_SCHEMA, schema: { ...SCHEMA, required: ['fact'] } };
    const contents: PromptContent[] = [
      { ...TOPIC_CONTENT, parameters: { ...TOPIC_CONTENT.parameters, stop: ['1', '2', '3', '4', '5'] } },
      withFormat({ ...JSON_SCHEMA, schema: nested }),
      withFormat(loose),
      { ...TOPIC_CONTENT, responseFormat: JSON_OBJECT },
      // Allowed: 4 stop sequences, a schema sent as guidance (Strict off), JSON asked for in words.
      { ...withFormat(JSON_OBJECT), parameters: { ...TOPIC_CONTENT.parameters, stop: ['1', '2', '3', '4'] } },
      withFormat({ ...loose, isStrict: false }),
    ];
    const promptId = await createPrompt(workbench);
    for (const content of contents) await workbench.call('versions:save', { promptId, content, variables: { topic: 'tides' }, note: '' });
    const targets = [
      { providerId: openai.providerId, model: 'gpt-4o-mini' },
      { providerId: compatible.providerId, model: 'qwen2.5-7b-instruct' },
    ];
    // A batch runs at most 4 versions: two estimates.
    const estimates = [await workbench.call('runs:estimate', { promptId, versions: [1, 2, 3, 4], targets }), await workbench.call('runs:estimate', { promptId, versions: [5, 6], targets })];
    const cells = estimates.flatMap((estimate) => estimate.cells).sort((left, right) => left.providerId - right.providerId || Number(left.version) - Number(right.version));
    const versions = [1, 2, 3, 4, 5, 6];
    const untick = 'or untick Strict (Model tab) to send the schema as guidance instead';
    const refusals = [
      ['over 4 stop sequences', 'OpenAI takes at most 4 stop sequences, and this prompt has 5: remove 1 in the Model tab’s Stop sequences'],
      ['schema not strict-ready', `OpenAI’s strict mode needs additionalProperties: false on every object, and the object at “source” does not have it: add it there, ${untick}`],
      ['schema not strict-ready', `OpenAI’s strict mode needs every property listed in required, and the top-level object leaves out “confidence”: add it to its required, ${untick}`],
      ['no “JSON” in the messages', 'OpenAI’s JSON object mode needs the word JSON in the messages: mention JSON in a message (for example “Answer in JSON.”)'],
    ];
    const started = await workbench.call('runs:start', { promptId, versions: [1, 2, 3, 4], targets: [{ providerId: openai.providerId, model: 'gpt-4o-mini' }], bypassCache: true });
    const runs = await Promise.all(started.cells.map((cell) => workbench.runDone(cell.runId)));
    expect({
      cells: cells.map((cell) => [cell.model, cell.version, cell.refusalTag, cell.refusal, cell.costUsd === 0]),
      runs: runs.map((run) => [run.status, run.error]),
      sent: openai.server.requestsTo(openai.chatPath).length,
    }).toStrictEqual({
      cells: [
        ...versions.map((version, index) => ['gpt-4o-mini', version, refusals[index]?.[0], refusals[index]?.[1], index < refusals.length]),
        // A local server: free, and what it takes is its own affair.
        ...versions.map((version) => ['qwen2.5-7b-instruct', version, undefined, undefined, true]),
      ],
      runs: refusals.map(([, message]) => ['error', message]),
      sent: 0,
    });
  });

  test('Anthropic gets the schema beside the effort of a thinking model, in one output_config', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addAnthropic(workbench, { models: [{ id: 'claude-opus-4-8', displayName: 'Claude Opus 4.8', maxInputTokens: 200_000, thinking: 'adaptive' }] });
    const promptId = await createPrompt(workbench, { ...TOPIC_CONTENT, parameters: { reasoningEffort: 'low' }, responseFormat: JSON_SCHEMA });
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'claude-opus-4-8' }] });
    const run = await workbench.runDone(started.cells[0].runId);
    expect([run.status, formatsSent(server.requestsTo(chatPath), ['output_config'])]).toStrictEqual([
      'ok',
      [{ output_config: { effort: 'low', format: { type: 'json_schema', schema: SCHEMA } } }],
    ]);
  });

  test('Ollama gets format: json for a JSON object, the schema itself for a JSON schema', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOllama(workbench);
    await runDraft(workbench, providerId, 'llama3.2:latest', undefined);
    await runDraft(workbench, providerId, 'llama3.2:latest', JSON_OBJECT);
    await runDraft(workbench, providerId, 'llama3.2:latest', JSON_SCHEMA);
    expect(formatsSent(server.requestsTo(chatPath), ['format'])).toStrictEqual([{}, { format: 'json' }, { format: SCHEMA }]);
  });

  test('the response cache tells text, JSON object and each JSON schema apart, and answers each one again', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const formats = [undefined, JSON_OBJECT, JSON_SCHEMA, { ...JSON_SCHEMA, schema: { ...SCHEMA, properties: { ...SCHEMA.properties, confidence: { type: 'integer' } } } }];
    for (const format of formats) await workbench.call('versions:save', { promptId, content: withFormat(format), variables: { topic: 'tides' }, note: '' });
    server.script(...['text', '{"a":1}', '{"fact":"x","confidence":1}', '{"fact":"y","confidence":0}'].map((token) => ({ reply: { tokens: [token] } })));
    const targets = [{ providerId, model: 'gpt-4o-mini' }];
    const outputs = async () => {
      const started = await workbench.call('runs:start', { promptId, versions: [1, 2, 3, 4], targets });
      const runs = await Promise.all(started.cells.map((cell) => workbench.runDone(cell.runId)));
      return runs.map((run) => [run.output, run.isCacheHit]);
    };
    const first = await outputs();
    const second = await outputs();
    expect({ first, second, requests: server.requestsTo(chatPath).length }).toStrictEqual({
      first: [
        ['text', false],
        ['{"a":1}', false],
        ['{"fact":"x","confidence":1}', false],
        ['{"fact":"y","confidence":0}', false],
      ],
      second: [
        ['text', true],
        ['{"a":1}', true],
        ['{"fact":"x","confidence":1}', true],
        ['{"fact":"y","confidence":0}', true],
      ],
      requests: 4,
    });
  });

  test('an eval sends each version’s format; a judge on an OpenAI-compatible server still asks in words only', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addCompatible(workbench, {
      replyFor: (request) => replyText(request.messages[0].content.startsWith('V') ? 'Here is a fact about tides.' : '{"score": 1, "reason": "True."}'),
    });
    const judge = { type: 'llm-judge' as const, rubric: 'Is it true?', judge: { providerId, model: 'qwen2.5-7b-instruct' } };
    const { promptId } = await createEvalPrompt(workbench, [topicCase('tides', { assertions: [judge] })], []);
    await workbench.call('versions:save', { promptId, content: { ...VERSION_CONTENT('V2'), responseFormat: JSON_OBJECT }, variables: {}, note: 'JSON' });
    const { done } = await runEval(workbench, { promptId, versions: [2, 3], targets: [{ providerId, model: 'qwen2.5-7b-instruct' }] });
    const asked = server.requestsTo(chatPath).map((request) => {
      const body = request.body as { messages: { content: string }[]; response_format?: unknown };
      return [body.messages[0].content.startsWith('V') ? 'target' : 'judge', body.response_format ?? null];
    });
    expect([done.status, asked.toSorted((left, right) => JSON.stringify(left).localeCompare(JSON.stringify(right)))]).toStrictEqual([
      'done',
      [
        ['judge', null],
        ['judge', null],
        ['target', { type: 'json_object' }],
        ['target', null],
      ],
    ]);
  });

  test('a JSON schema with Strict off goes to OpenAI and compatible servers as strict: false, is kept by the run and the version, and is cached apart from the strict one', async () => {
    const workbench = startWorkbench();
    const openai = await addOpenAi(workbench);
    const compatible = await addCompatible(workbench);
    const loose: ResponseFormat = { ...JSON_SCHEMA, isStrict: false };
    const promptId = await createPrompt(workbench);
    for (const format of [JSON_SCHEMA, loose]) await workbench.call('versions:save', { promptId, content: withFormat(format), variables: { topic: 'tides' }, note: '' });
    const targets = [
      { providerId: openai.providerId, model: 'gpt-4o-mini' },
      { providerId: compatible.providerId, model: 'qwen2.5-7b-instruct' },
    ];
    const run = async () => {
      const started = await workbench.call('runs:start', { promptId, versions: [1, 2], targets });
      return Promise.all(started.cells.map((cell) => workbench.runDone(cell.runId)));
    };
    const first = await run();
    const second = await run();
    const version = await workbench.call('versions:get', { promptId, number: 2 });
    const strictSent = (requests: readonly { body: unknown }[]) => requests.map((request) => (request.body as { response_format: { json_schema: { strict: boolean } } }).response_format.json_schema.strict);
    expect({
      openai: strictSent(openai.server.requestsTo(openai.chatPath)),
      compatible: strictSent(compatible.server.requestsTo(compatible.chatPath)),
      first: first.map((cell) => [cell.status, cell.isCacheHit, cell.responseFormat]),
      second: second.map((cell) => [cell.isCacheHit, cell.responseFormat]),
      version: version.content.responseFormat,
    }).toStrictEqual({
      openai: [true, false],
      compatible: [true, false],
      first: [
        ['ok', false, JSON_SCHEMA],
        ['ok', false, loose],
        ['ok', false, JSON_SCHEMA],
        ['ok', false, loose],
      ],
      second: [
        [true, JSON_SCHEMA],
        [true, loose],
        [true, JSON_SCHEMA],
        [true, loose],
      ],
      version: loose,
    });
  });

  test('Anthropic and Ollama, which always hold the answer to the schema, are sent it with Strict off too, and the run says Strict off had no effect', async () => {
    const workbench = startWorkbench();
    const anthropic = await addAnthropic(workbench);
    const ollama = await addOllama(workbench);
    const loose: ResponseFormat = { ...JSON_SCHEMA, isStrict: false };
    const claude = await runDraft(workbench, anthropic.providerId, 'claude-haiku-4-5', loose);
    const llama = await runDraft(workbench, ollama.providerId, 'llama3.2:latest', loose, 'Loose on Ollama');
    const strict = await runDraft(workbench, ollama.providerId, 'llama3.2:latest', JSON_SCHEMA);
    expect({
      anthropic: formatsSent(anthropic.server.requestsTo(anthropic.chatPath), ['output_config']),
      ollama: formatsSent(ollama.server.requestsTo(ollama.chatPath), ['format']),
      runs: [claude, llama, strict].map((run) => [run.status, run.notices]),
    }).toStrictEqual({
      anthropic: [{ output_config: { format: { type: 'json_schema', schema: SCHEMA } } }],
      ollama: [{ format: SCHEMA }, { format: SCHEMA }],
      runs: [
        ['ok', ['Strict off has no effect: Anthropic always holds the answer to the schema']],
        ['ok', ['Strict off has no effect: Ollama always holds the answer to the schema']],
        ['ok', []],
      ],
    });
  });

  test('the estimate says, before the run, that Strict off has no effect on Anthropic and Ollama, in the words of the run’s notice; those cells still run', async () => {
    const workbench = startWorkbench();
    const anthropic = await addAnthropic(workbench);
    const ollama = await addOllama(workbench);
    const openai = await addOpenAi(workbench);
    const loose: ResponseFormat = { ...JSON_SCHEMA, isStrict: false };
    const promptId = await createPrompt(workbench, withFormat(JSON_SCHEMA), { topic: 'tides' });
    await workbench.call('versions:save', { promptId, content: withFormat(JSON_SCHEMA), variables: { topic: 'tides' }, note: '' });
    await workbench.call('drafts:save', { promptId, content: withFormat(loose), variables: { topic: 'tides' } });
    const targets = [
      { providerId: anthropic.providerId, model: 'claude-haiku-4-5' },
      { providerId: ollama.providerId, model: 'llama3.2:latest' },
      { providerId: openai.providerId, model: 'gpt-4o-mini' },
    ];
    const estimate = await workbench.call('runs:estimate', { promptId, versions: ['draft', 1], targets });
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: targets.slice(0, 1), bypassCache: true });
    const run = await workbench.runDone(started.cells[0].runId);
    const onAnthropic = 'Strict off has no effect: Anthropic always holds the answer to the schema';
    expect({
      cells: estimate.cells.map((cell) => [cell.version, cell.model, cell.formatNotice, cell.refusal]),
      run: [run.status, run.notices],
    }).toStrictEqual({
      cells: [
        ['draft', 'claude-haiku-4-5', onAnthropic, undefined],
        [1, 'claude-haiku-4-5', undefined, undefined],
        ['draft', 'llama3.2:latest', 'Strict off has no effect: Ollama always holds the answer to the schema', undefined],
        [1, 'llama3.2:latest', undefined, undefined],
        ['draft', 'gpt-4o-mini', undefined, undefined],
        [1, 'gpt-4o-mini', undefined, undefined],
      ],
      run: ['ok', [onAnthropic]],
    });
  });
});
