import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { yamlSyntaxProblems } from '../../../electron/core/yaml-errors';
import { parsePromptFile } from '../../../electron/core/prompt-file';
import { readYaml } from '../../../electron/core/evals/yaml-source';

/** Each problem of `text` as line:column and message. */
function problemsOf(text: string): string[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  return yamlSyntaxProblems(text, document.errors).map((problem) => {
    const { line, col } = lineCounter.linePos(problem.offset);
    return `${line}:${col} ${problem.message}`;
  });
}

describe('YAML syntax problems', () => {
  it('puts a double quote never closed on the line its value starts, not at the end of the file', () => {
    expect(problemsOf('name: x\ndescription: "hello\nmessages:\n  - role: user\n    content: hi\n')).toEqual([
      '2:14 This quoted value is never closed: its closing " is missing',
    ]);
  });

  it('does the same for a single quote, inside a list and inside a flow collection', () => {
    expect(problemsOf("a: 'x\nb: 2\n")).toEqual(["1:4 This quoted value is never closed: its closing ' is missing"]);
    expect(problemsOf('a:\n  - "ok"\n  - "bad \\" still\n  - c\n')).toEqual(['3:5 This quoted value is never closed: its closing " is missing']);
    expect(problemsOf('a: [1, "x, 3]\nb: 4\n')[0]).toBe('1:8 This quoted value is never closed: its closing " is missing');
  });

  it('leaves other errors where the library puts them, in its own first line', () => {
    const problems = problemsOf('a: 1\na: 2\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^2:1 Map keys must be unique/);
  });

  it('reaches the prompt file reader and the test-case reader', () => {
    const file = parsePromptFile('name: Broken\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: system\n    content: "never closed\n  - role: user\n    content: hi\n', 'broken.prompt.yml');
    expect(file).toMatchObject({ ok: false, problems: [{ line: 5, column: 14, message: 'This quoted value is never closed: its closing " is missing' }] });
    const cases = readYaml('- topic: "cats\n- topic: dogs\n');
    expect(cases).toMatchObject({ ok: false, lines: [1], problems: [{ row: null, message: expect.stringContaining('at line 1, column 10: This quoted value is never closed') }] });
  });
});
