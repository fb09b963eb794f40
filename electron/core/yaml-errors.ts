/**
 * YAML syntax errors said where the user can act on them.
 *
 * The `yaml` library reports most errors where they are, but a quote that is never closed is
 * reported where the parser gave up: the end of the file, or the next quote of its kind, often
 * many lines below the value at fault. The concrete syntax tree still knows where that quoted
 * value starts, so the problem is moved there and said in words.
 */

import { CST, Parser, type YAMLError } from 'yaml';

/** A syntax error: the offset of the character to point at, and one line saying what is wrong. */
export interface YamlSyntaxProblem {
  offset: number;
  message: string;
}

/** The quoted values of `text` whose closing quote is missing: where each starts, and its quote. */
interface UnclosedQuote {
  offset: number;
  quote: '"' | "'";
}

/** `errors` (a parsed document's) as problems, an unclosed quote placed where its value starts. */
export function yamlSyntaxProblems(text: string, errors: readonly YAMLError[]): YamlSyntaxProblem[] {
  let unclosed: UnclosedQuote[] | null = null;
  return errors.map((error) => {
    if (error.code === 'MISSING_CHAR' && /quote/i.test(error.message)) {
      unclosed ??= unclosedQuotes(text);
      // The value at fault starts at or before where the parser gave up: the last such one.
      const start = unclosed.filter((item) => item.offset <= error.pos[0]).at(-1);
      if (start !== undefined) {
        return { offset: start.offset, message: `This quoted value is never closed: its closing ${start.quote} is missing` };
      }
    }
    return { offset: error.pos[0], message: firstLine(error.message) };
  });
}

function unclosedQuotes(text: string): UnclosedQuote[] {
  const found = new Map<number, UnclosedQuote>();
  const visitToken = (token: CST.Token | null | undefined): void => {
    if (token?.type !== 'double-quoted-scalar' && token?.type !== 'single-quoted-scalar') return;
    const quote = token.type === 'double-quoted-scalar' ? '"' : "'";
    if (!isClosed(token.source, quote)) found.set(token.offset, { offset: token.offset, quote });
  };
  for (const token of new Parser().parse(text)) {
    visitToken(token);
    if (token.type !== 'document') continue;
    visitToken(token.value);
    // Every item of every block and flow collection, nested ones too.
    CST.visit(token, (item) => {
      visitToken(item.key);
      visitToken(item.value);
    });
  }
  return [...found.values()].sort((a, b) => a.offset - b.offset);
}

/** True when a quoted scalar's source ends with its closing quote (not an escaped one). */
function isClosed(source: string, quote: '"' | "'"): boolean {
  if (source.length < 2 || !source.endsWith(quote)) return false;
  if (quote === "'") return true; // '' inside is an escaped quote, but then the scalar would go on: the lexer ended it here.
  let backslashes = 0;
  for (let index = source.length - 2; index > 0 && source[index] === '\\'; index -= 1) backslashes += 1;
  return backslashes % 2 === 0;
}

/** The library's first line, without its own "at line 3, column 1:" (the caller says where). */
function firstLine(message: string): string {
  return message.split('\n', 1)[0].replace(/ at line \d+, column \d+:?$/, '');
}
