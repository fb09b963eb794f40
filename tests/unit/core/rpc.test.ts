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
    expect(results).toStrictEqual(
      [
        "Unknown call 'prompts:delete'",
        "Unknown call '42'",
        "Unknown call '<object>'",
        "Unknown call '__proto__'",
        "Unknown call 'toString'",
        'Invalid input for prompts:get: id: Invalid input: expected number, received string',
        'Invalid input for prompts:get: id: Invalid input: expected number, received undefined',
        'Invalid input for prompts:get: id: Invalid input: expected number, received undefined',
        'Invalid input for prompts:get: Invalid input: expected object, received string',
        'Invalid input for prompts:get: id: Invalid input: expected int, received number',
        'Invalid input for prompts:create: name: Name must not be empty',
        'Invalid input for prompts:create: Unrecognized key: "extra"',
        'Invalid input for prompts:archive: isArchived: Invalid input: expected boolean, received undefined',
        'Invalid input for drafts:save: content.messages.0.role: Invalid option: expected one of "system"|"user"|"assistant"',
        'Invalid input for drafts:save: content.parameters.temperature: Too big: expected number to be <=2; variables.a: Invalid input: expected string, received number',
        'Invalid input for versions:get: number: Too small: expected number to be >0',
        'Invalid input for app:info: Unrecognized key: "unexpected"',
        'Invalid input for prompts:get: getter exploded',
      ].map((text) => ({ ok: false, error: { code: 'invalid-input', message: text } })),
    );
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
