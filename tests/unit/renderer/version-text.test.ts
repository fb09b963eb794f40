/**
 * The text a version shows in the read-only view and the diff: every parameter on its own line,
 * in one fixed order, with absent ones spelled out so a change from "default" to a value is a
 * one-line diff.
 */

import { describe, expect, test } from 'vitest';
import { versionText } from '../../../renderer/features/versions/version-text';

describe('version text', () => {
  test('lists the model, every parameter and each message', () => {
    const text = versionText({
      model: 'openai/gpt-5-mini',
      parameters: { temperature: 0.4, maxTokens: 600, stop: ['###'], reasoningEffort: 'high' },
      messages: [
        { role: 'system', content: 'Answer calmly.' },
        { role: 'user', content: '{{question}}' },
      ],
    });
    expect(text).toBe(
      [
        'model: openai/gpt-5-mini',
        'temperature: 0.4',
        'max tokens: 600',
        'top-p: (default)',
        'reasoning: high',
        'stop: "###"',
        'response format: Text',
        '',
        '## system',
        '',
        'Answer calmly.',
        '',
        '## user',
        '',
        '{{question}}',
        '',
      ].join('\n'),
    );
  });

  test('absent parameters read as defaults, reasoning included', () => {
    const text = versionText({ model: '', parameters: {}, messages: [] });
    expect(text).toBe(['model: (none)', 'temperature: (default)', 'max tokens: (default)', 'top-p: (default)', 'reasoning: (default)', 'stop: (none)', 'response format: Text', ''].join('\n'));
  });

  test('says the response format, and shows a JSON schema after the messages, so a changed format is a diff', () => {
    const base = { model: 'm', parameters: {}, messages: [{ role: 'user' as const, content: 'Hi' }] };
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    expect([versionText({ ...base, responseFormat: { type: 'json_object' } }), versionText({ ...base, responseFormat: { type: 'json_schema', name: 'reply', schema } })]).toStrictEqual([
      ['model: m', 'temperature: (default)', 'max tokens: (default)', 'top-p: (default)', 'reasoning: (default)', 'stop: (none)', 'response format: JSON object', '', '## user', '', 'Hi', ''].join('\n'),
      [
        'model: m',
        'temperature: (default)',
        'max tokens: (default)',
        'top-p: (default)',
        'reasoning: (default)',
        'stop: (none)',
        'response format: JSON schema “reply”',
        '',
        '## user',
        '',
        'Hi',
        '',
        '## response schema',
        '',
        JSON.stringify(schema, null, 2),
        '',
      ].join('\n'),
    ]);
  });
});
