import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine, type Engine } from '../../../electron/core/engine';
import { dispatchCall } from '../../../electron/core/rpc';
import type { CallHandlers } from '../../../shared/contract';
import { WorkbenchError } from '../../../shared/errors';
import { makeTempDir } from '../support';

const engines: Engine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
  vi.restoreAllMocks();
});

function handlers(): CallHandlers {
  const engine = createEngine({ dataDir: makeTempDir(), promptsDir: null, host: 'web', appVersion: '0.0.0-test' });
  engines.push(engine);
  return engine.handlers;
}

const message = { role: 'user', content: 'Hi' };
const content = { model: 'openai/gpt-4o-mini', parameters: {}, messages: [message] };

describe('dispatchCall', () => {
  it('answers bad channels and bad payloads with invalid-input naming the field, and never throws', async () => {
    const engine = handlers();
    await dispatchCall(engine, 'prompts:create', { name: 'Existing' });
    const hostile = {
      get id(): number {
        throw new Error('getter exploded');
      },
    };
    const cases: [unknown, unknown][] = [
      ['prompts:delete', { id: 1 }],
      [42, {}],
      [Object.create(null), {}],
      ['__proto__', {}],
      ['toString', {}],
      ['prompts:get', { id: 'one' }],
      ['prompts:get', {}],
      ['prompts:get', null],
      ['prompts:get', 'id=1'],
      ['prompts:get', { id: 1.5 }],
      ['prompts:create', { name: '   ' }],
      ['prompts:create', { name: 'Fine', extra: true }],
      ['prompts:archive', { id: 1 }],
      ['drafts:save', { promptId: 1, content: { ...content, messages: [{ role: 'robot', content: 'x' }] }, variables: {} }],
      ['drafts:save', { promptId: 1, content: { ...content, parameters: { temperature: 9 } }, variables: { a: 1 } }],
      ['versions:get', { promptId: 1, number: 0 }],
      ['app:info', { unexpected: 1 }],
      ['prompts:get', hostile],
    ];
    const results = [];
    for (const [channel, input] of cases) results.push(await dispatchCall(engine, channel, input));
    // Messages name fields as a person would and never the channel; the issues let a form use its own labels.
    expect(results.map((result) => (result.ok ? result : { ...result.error, issues: undefined }))).toStrictEqual(
      [
        "Unknown call 'prompts:delete'",
        "Unknown call '42'",
        "Unknown call '<object>'",
        "Unknown call '__proto__'",
        "Unknown call 'toString'",
        'ID: Invalid input: expected number, received string',
        'ID: Invalid input: expected number, received undefined',
        'ID: Invalid input: expected number, received undefined',
        'Invalid input: expected object, received string',
        'ID: Invalid input: expected int, received number',
        'Name must not be empty',
        'Unrecognized key: "extra"',
        'Archived: Invalid input: expected boolean, received undefined',
        'Role: Invalid option: expected one of "system"|"user"|"assistant"',
        'Temperature must be at most 2; A: Invalid input: expected string, received number',
        'Number must be more than 0',
        'Unrecognized key: "unexpected"',
        'Invalid input: getter exploded',
      ].map((text) => ({ code: 'invalid-input', message: text, issues: undefined })),
    );
    expect(results[14]).toStrictEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'Temperature must be at most 2; A: Invalid input: expected string, received number',
        issues: [
          { path: 'content.parameters.temperature', rule: 'Too big: expected number to be <=2' },
          { path: 'variables.a', rule: 'Invalid input: expected string, received number' },
        ],
      },
    });
  });

  it('takes a response format of JSON object or a named JSON schema, and refuses a bad name or a schema that is not an object', async () => {
    const engine = handlers();
    await dispatchCall(engine, 'prompts:create', { name: 'Extractor' });
    const schema = { type: 'object', properties: { name: { type: 'string' } } };
    const save = (responseFormat: unknown) => dispatchCall(engine, 'drafts:save', { promptId: 1, content: { ...content, responseFormat }, variables: {} });
    const results = [
      await save({ type: 'json_object' }),
      await save({ type: 'json_schema', name: 'person_v2-x', schema }),
      await save({ type: 'json_schema', name: 'a person', schema }),
      await save({ type: 'json_schema', name: 'x'.repeat(65), schema }),
      await save({ type: 'json_schema', name: 'person', schema: ['type', 'object'] }),
      await save({ type: 'json_schema', name: 'person', schema: 'object' }),
      await save({ type: 'text' }),
      await save({ type: 'json_object', schema }),
    ];
    expect(results.map((result) => (result.ok ? (result.value as { content: unknown }).content : result.error.message))).toStrictEqual([
      { ...content, responseFormat: { type: 'json_object' } },
      { ...content, responseFormat: { type: 'json_schema', name: 'person_v2-x', schema } },
      'The schema name must be 1 to 64 ASCII letters, digits, _ or -',
      'The schema name must be 1 to 64 ASCII letters, digits, _ or -',
      'The schema must be a JSON object ({ … }), such as { "type": "object", "properties": { … } }',
      'The schema must be a JSON object ({ … }), such as { "type": "object", "properties": { … } }',
      'The response format is json_object or json_schema (text is no response format)',
      'Response format: Unrecognized key: "schema"',
    ]);
  });

  it('passes values through and turns thrown errors into wire errors', async () => {
    const engine = handlers();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failing: CallHandlers = {
      ...engine,
      'settings:get': () => {
        throw new Error('disk on fire');
      },
      'prompts:list': async () => {
        throw new WorkbenchError('unavailable', 'Try again later');
      },
    };
    expect([
      await dispatchCall(engine, 'prompts:create', { name: '  Spaced name  ' }),
      await dispatchCall(engine, 'prompts:get', { id: 7 }),
      await dispatchCall(failing, 'settings:get', undefined),
      await dispatchCall(failing, 'prompts:list', {}),
      consoleError.mock.calls.length,
    ]).toStrictEqual([
      { ok: true, value: expect.objectContaining({ prompt: expect.objectContaining({ id: 1, name: 'Spaced name', slug: 'spaced-name' }) }) },
      { ok: false, error: { code: 'not-found', message: 'Prompt 7 does not exist' } },
      { ok: false, error: { code: 'internal', message: 'Internal error: disk on fire' } },
      { ok: false, error: { code: 'unavailable', message: 'Try again later' } },
      1,
    ]);
  });
});
