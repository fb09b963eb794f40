/**
 * What the preview and the runs panel say about placeholders a run sends as written: malformed
 * ones, and ones inside extra braces.
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
