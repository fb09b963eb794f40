import { describe, expect, it } from 'vitest';
import { collectVariables, findLiteralPlaceholders, isValidVariableName, renderMessages, renameVariable, scanTemplate } from '../../../shared/template';

describe('scanTemplate', () => {
  it('finds placeholders with and without inner spaces, with their offsets', () => {
    expect(scanTemplate('Hi {{name}}, see {{ ticket.id }} and {{x-y_2}}.')).toStrictEqual({
      placeholders: [
        { name: 'name', start: 3, end: 11 },
        { name: 'ticket.id', start: 17, end: 32 },
        { name: 'x-y_2', start: 37, end: 46 },
      ],
      problems: [],
    });
  });

  it('flags empty, invalid and unclosed placeholders without swallowing the next one', () => {
    const text = 'a {{}} b {{1st}} c {{open d {{ok}}\ne {{tail';
    expect(scanTemplate(text)).toStrictEqual({
      placeholders: [{ name: 'ok', start: 28, end: 34 }],
      problems: [
        { message: 'Empty placeholder: write a variable name between the braces', start: 2, end: 6 },
        {
          message: "Invalid variable name '1st': use letters, digits, '_', '-' or '.', starting with a letter or '_'",
          start: 9,
          end: 16,
        },
        { message: "Unclosed placeholder: '{{' has no matching '}}' on its line", start: 19, end: 28 },
        { message: "Unclosed placeholder: '{{' has no matching '}}' on its line", start: 37, end: 43 },
      ],
    });
  });

  it('does not let a placeholder span lines', () => {
    expect(scanTemplate('{{name\n}}')).toStrictEqual({
      placeholders: [],
      problems: [{ message: "Unclosed placeholder: '{{' has no matching '}}' on its line", start: 0, end: 6 }],
    });
  });

  it('reads the last two braces of a longer run as the placeholder and ignores single-brace JSON', () => {
    expect(scanTemplate('{{{name}}} {"a": {"b": 1}}')).toStrictEqual({
      placeholders: [{ name: 'name', start: 1, end: 9 }],
      problems: [],
    });
  });
});

describe('isValidVariableName', () => {
  it('accepts names starting with a letter or underscore only', () => {
    const names = ['text', '_private', 'a.b-c_1', '1st', '-x', 'with space', ''];
    expect(names.map(isValidVariableName)).toStrictEqual([true, true, true, false, false, false, false]);
  });
});

describe('collectVariables', () => {
  it('lists each variable once, in order of first use across messages', () => {
    expect(
      collectVariables([
        { role: 'system', content: 'You help {{customer}} with {{product}}.' },
        { role: 'user', content: '{{question}} about {{ product }} from {{customer}} {{bad name}}' },
      ]),
    ).toStrictEqual(['customer', 'product', 'question']);
  });
});

describe('findLiteralPlaceholders', () => {
  it('lists what is sent as written: malformed placeholders once each, and placeholders inside extra braces', () => {
    expect(
      findLiteralPlaceholders([
        { role: 'system', content: 'Reply as JSON: {"a": {"b": 1}}. {{ok}} {{a b}} {{}} {{9num}}' },
        { role: 'user', content: `{{über}} {{a b}} {{{triple}}} {{half}}} {{ bad and then ${'x'.repeat(60)}\nfine {{ok}}` },
      ]),
    ).toStrictEqual({
      malformed: ['{{a b}}', '{{}}', '{{9num}}', '{{über}}', `{{ bad and then ${'x'.repeat(23)}…`],
      braced: ['{{{triple}}}', '{{half}}}'],
    });
  });

  it('finds nothing in well-formed placeholders and single-brace text', () => {
    expect(findLiteralPlaceholders([{ role: 'user', content: '{{name}} {{ spaced }} {"json": true}' }])).toStrictEqual({ malformed: [], braced: [] });
  });
});

describe('renameVariable', () => {
  it('renames every placeholder of the name in its own spacing, and nothing else', () => {
    const text = 'Hi {{name}}, {{ name }} and {{\tname  }}; {{names}}, {{name.first}}, name, {{{name}}}, {{ name and {{name';
    expect(renameVariable(text, 'name', 'user$&')).toBe('Hi {{user$&}}, {{ user$& }} and {{\tuser$&  }}; {{names}}, {{name.first}}, name, {{{user$&}}}, {{ name and {{name');
    expect(renameVariable('{{other}}', 'name', 'user')).toBe('{{other}}');
  });
});

describe('renderMessages', () => {
  it('replaces known variables, keeps and reports missing ones, and treats an empty string as a value', () => {
    expect(
      renderMessages(
        [
          { role: 'system', content: 'Tone: {{tone}}.{{suffix}}' },
          { role: 'user', content: 'Dear {{name}}, {{missing}} and {{missing}} again; {{not valid}} stays.' },
          { role: 'assistant', content: 'no placeholders' },
        ],
        { tone: 'calm', suffix: '', name: '{{tone}} $& $1' },
      ),
    ).toStrictEqual({
      messages: [
        { role: 'system', content: 'Tone: calm.' },
        // Values are inserted verbatim: no second pass over them, no `$` replacement patterns.
        { role: 'user', content: 'Dear {{tone}} $& $1, {{missing}} and {{missing}} again; {{not valid}} stays.' },
        { role: 'assistant', content: 'no placeholders' },
      ],
      missing: ['missing'],
    });
  });

  it('does not take values from the prototype chain', () => {
    expect(renderMessages([{ role: 'user', content: '{{constructor}} {{toString}}' }], {})).toStrictEqual({
      messages: [{ role: 'user', content: '{{constructor}} {{toString}}' }],
      missing: ['constructor', 'toString'],
    });
  });
});
