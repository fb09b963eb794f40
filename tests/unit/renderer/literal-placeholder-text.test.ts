/**
 * The sentences that tell a user which placeholders a run sends as written.
 */

import { describe, expect, test } from 'vitest';
import { blankVariablesNotice, literalPlaceholderNotices } from '../../../renderer/features/variables/literal-placeholder-text';

describe('literal placeholder notices', () => {
  test('say nothing when every placeholder is a variable, and name the others, one sentence per kind', () => {
    expect([
      literalPlaceholderNotices({ malformed: [], braced: [] }),
      literalPlaceholderNotices({ malformed: ['{{a b}}'], braced: ['{{{triple}}}'] }),
      literalPlaceholderNotices({ malformed: ['{{a b}}', '{{9num}}'], braced: ['{{{x}}}', '{{y}}}'] }),
    ]).toStrictEqual([
      [],
      ['1 placeholder is not a variable and is sent as written: {{a b}}', '{{{triple}}} keeps its extra braces: the value is sent inside them'],
      [
        '2 placeholders are not variables and are sent as written: {{a b}}, {{9num}}',
        '{{{x}}}, {{y}}} keep their extra braces: each value is sent inside them',
      ],
    ]);
  });

  test('name the variables whose value is only spaces, calmly, and say nothing without any', () => {
    expect([blankVariablesNotice([]), blankVariablesNotice(['audience']), blankVariablesNotice(['audience', 'tone'])]).toStrictEqual([
      null,
      '{{audience}} holds only spaces: it is sent blank',
      '{{audience}}, {{tone}} hold only spaces: they are sent blank',
    ]);
  });
});
