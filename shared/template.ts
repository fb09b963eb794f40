/**
 * `{{variable}}` templates: finding placeholders, flagging malformed ones, rendering.
 *
 * A placeholder is `{{name}}` with optional spaces inside the braces; a name starts with a
 * letter or underscore and goes on with letters, digits, `_`, `-` or `.`. Offsets are UTF-16
 * indices into the text, as JavaScript strings and Monaco models count them.
 */

import type { PromptMessage } from './types';

/** A well-formed placeholder found in a text. */
export interface Placeholder {
  name: string;
  /** Offset of the first `{`. */
  start: number;
  /** Offset just after the last `}`. */
  end: number;
}

/** A malformed placeholder found in a text. */
export interface TemplateProblem {
  message: string;
  start: number;
  end: number;
}

/** The placeholders and problems of one text. */
export interface TemplateScan {
  placeholders: Placeholder[];
  problems: TemplateProblem[];
}

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** True when `name` is a valid variable name. */
export function isValidVariableName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** Finds every placeholder in `text` and every malformed one. */
export function scanTemplate(text: string): TemplateScan {
  const placeholders: Placeholder[] = [];
  const problems: TemplateProblem[] = [];
  let index = text.indexOf('{{');
  while (index !== -1) {
    // A run of more than two braces belongs to the text, not to us: `{{{x}}}` opens at the last two.
    let open = index;
    while (text.charCodeAt(open + 2) === 123 /* { */) open += 1;
    const close = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    const lineEnd = text.indexOf('\n', open + 2);
    const isUnclosed =
      close === -1 || (nextOpen !== -1 && nextOpen < close) || (lineEnd !== -1 && lineEnd < close);
    if (isUnclosed) {
      // The problem stops where the line or the next placeholder starts, so markers never overlap.
      const stops = [nextOpen, lineEnd].filter((stop) => stop !== -1);
      const end = stops.length > 0 ? Math.min(...stops) : text.length;
      problems.push({ message: "Unclosed placeholder: '{{' has no matching '}}' on its line", start: open, end: Math.max(end, open + 2) });
      index = nextOpen;
      continue;
    }
    const inner = text.slice(open + 2, close).trim();
    const end = close + 2;
    if (inner.length === 0) {
      problems.push({ message: 'Empty placeholder: write a variable name between the braces', start: open, end });
    } else if (!NAME_PATTERN.test(inner)) {
      problems.push({
        message: `Invalid variable name '${inner}': use letters, digits, '_', '-' or '.', starting with a letter or '_'`,
        start: open,
        end,
      });
    } else {
      placeholders.push({ name: inner, start: open, end });
    }
    index = text.indexOf('{{', end);
  }
  return { placeholders, problems };
}

/** The distinct variable names used across messages, in order of first use. */
export function collectVariables(messages: readonly PromptMessage[]): string[] {
  const names = new Set<string>();
  for (const message of messages) {
    for (const placeholder of scanTemplate(message.content).placeholders) names.add(placeholder.name);
  }
  return [...names];
}

/**
 * `text` with every placeholder of `from` naming `to` instead, each in its own spacing
 * (`{{ from }}` becomes `{{ to }}`); malformed placeholders and other text are left as they are.
 */
export function renameVariable(text: string, from: string, to: string): string {
  let result = '';
  let cursor = 0;
  for (const placeholder of scanTemplate(text).placeholders) {
    if (placeholder.name !== from) continue;
    // Between the braces are only spaces and the name, so its first occurrence is the name.
    result += text.slice(cursor, placeholder.start) + text.slice(placeholder.start, placeholder.end).replace(from, () => to);
    cursor = placeholder.end;
  }
  return cursor === 0 ? text : result + text.slice(cursor);
}

/** The result of rendering messages with variable values. */
export interface RenderResult {
  messages: PromptMessage[];
  /** Variables used by the messages that have no value (left as `{{name}}` in the output). */
  missing: string[];
}

/**
 * Replaces placeholders with their values.
 *
 * A variable with no value stays as written and is listed in `missing`; an empty string is
 * a value. Malformed placeholders are left untouched.
 */
export function renderMessages(
  messages: readonly PromptMessage[],
  variables: Readonly<Record<string, string>>,
): RenderResult {
  const missing = new Set<string>();
  const rendered = messages.map((message) => {
    const { placeholders } = scanTemplate(message.content);
    if (placeholders.length === 0) return { role: message.role, content: message.content };
    let output = '';
    let cursor = 0;
    for (const placeholder of placeholders) {
      output += message.content.slice(cursor, placeholder.start);
      const value = Object.hasOwn(variables, placeholder.name) ? variables[placeholder.name] : undefined;
      if (value === undefined) {
        missing.add(placeholder.name);
        output += message.content.slice(placeholder.start, placeholder.end);
      } else {
        output += value;
      }
      cursor = placeholder.end;
    }
    output += message.content.slice(cursor);
    return { role: message.role, content: output };
  });
  return { messages: rendered, missing: [...missing] };
}

/**
 * The variables `messages` use whose value is only whitespace ("  "): they count as set and are
 * sent as blanks, which is seldom meant (but may be, so it is said, not refused). An empty
 * value is not one of them: it is a value, on purpose, and the variables panel cannot make one.
 */
export function findBlankVariables(messages: readonly PromptMessage[], variables: Readonly<Record<string, string>>): string[] {
  return collectVariables(messages).filter((name) => Object.hasOwn(variables, name) && variables[name] !== '' && variables[name].trim() === '');
}

/** True for a message with nothing but whitespace in it once rendered: no request sends one. */
export function isEmptyMessage(message: PromptMessage): boolean {
  return message.content.trim() === '';
}

/**
 * The rendered messages a request sends: an empty one is left out, for every provider alike
 * (Anthropic refuses an empty text block, OpenAI would send it as it is).
 */
export function messagesToSend(messages: readonly PromptMessage[]): PromptMessage[] {
  return messages.filter((message) => !isEmptyMessage(message));
}

/** Text that looks like a placeholder but is not replaced as one: it is sent as written. */
export interface LiteralPlaceholders {
  /** Malformed placeholders (the editor's errors), each distinct text once, in order of first use. */
  malformed: string[];
  /** Placeholders inside extra braces (`{{{name}}}`): the value is sent with the extra braces around it. */
  braced: string[];
}

/** The longest stretch of a malformed placeholder that `findLiteralPlaceholders` quotes. */
const LITERAL_QUOTE_LIMIT = 40;

/**
 * The placeholders across messages that a run sends as written, found by `scanTemplate` as the
 * editor's markers are, so the preview and the editor never disagree.
 *
 * Literal braces are legitimate prompt text (JSON, code), so these are worth saying, not refusing.
 */
export function findLiteralPlaceholders(messages: readonly PromptMessage[]): LiteralPlaceholders {
  const malformed = new Set<string>();
  const braced = new Set<string>();
  for (const { content } of messages) {
    const scan = scanTemplate(content);
    for (const problem of scan.problems) {
      // An unclosed placeholder runs to the end of its line: quote its start, not the whole line.
      const text = content.slice(problem.start, problem.end).trimEnd();
      malformed.add(text.length > LITERAL_QUOTE_LIMIT ? `${text.slice(0, LITERAL_QUOTE_LIMIT - 1)}…` : text);
    }
    for (const placeholder of scan.placeholders) {
      let start = placeholder.start;
      let end = placeholder.end;
      while (content.charCodeAt(start - 1) === 123 /* { */) start -= 1;
      while (content.charCodeAt(end) === 125 /* } */) end += 1;
      if (start < placeholder.start || end > placeholder.end) braced.add(content.slice(start, end));
    }
  }
  return { malformed: [...malformed], braced: [...braced] };
}
