/**
 * What the preview and the runs panel say about placeholders a run sends as written: malformed
 * ones, ones inside extra braces, and variables whose value is only spaces.
 */

import type { LiteralPlaceholders } from '../../../shared/template';

/** One sentence per kind of placeholder sent as written; none when every placeholder is a variable. */
export function literalPlaceholderNotices({ malformed, braced }: LiteralPlaceholders): string[] {
  const notices: string[] = [];
  if (malformed.length === 1) notices.push(`1 placeholder is not a variable and is sent as written: ${malformed[0]}`);
  else if (malformed.length > 1) notices.push(`${malformed.length} placeholders are not variables and are sent as written: ${malformed.join(', ')}`);
  if (braced.length === 1) notices.push(`${braced[0]} keeps its extra braces: the value is sent inside them`);
  else if (braced.length > 1) notices.push(`${braced.join(', ')} keep their extra braces: each value is sent inside them`);
  return notices;
}

/** What is said, calmly, of variables whose value is only whitespace; null when there are none. */
export function blankVariablesNotice(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const listed = names.map((name) => `{{${name}}}`).join(', ');
  return names.length === 1 ? `${listed} holds only spaces: it is sent blank` : `${listed} hold only spaces: they are sent blank`;
}
