import { describe, expect, test } from 'vitest';
import { changedSpan, offsetAfterEdit } from '../../../renderer/features/editor/text-from-elsewhere';

/** Where each place of `oldText` (marked by `|`) is once `newText` replaces it. */
function placesAfter(marked: string, newText: string): string {
  const oldText = marked.replaceAll('|', '');
  const offsets: number[] = [];
  for (let index = 0, seen = 0; index < marked.length; index += 1) {
    if (marked[index] === '|') offsets.push(index - seen++);
  }
  const span = changedSpan(oldText, newText);
  const moved = offsets.map((offset) => offsetAfterEdit(offset, span)).sort((a, b) => b - a);
  return moved.reduce((text, offset) => `${text.slice(0, offset)}|${text.slice(offset)}`, newText);
}

describe('text written elsewhere, taken into an editor', () => {
  test('a place before the edit stays, one after it moves with it, one inside what was replaced is clamped to the new text', () => {
    expect({
      typedAtTheEnd: placesAfter('Tell |me about tides.', 'Tell me about tides. And waves.'),
      typedBefore: placesAfter('Tell me |about tides.', 'Please tell me about tides.'),
      deletedAround: placesAfter('Tell me ab|out tides.', 'Tell me tides.'),
      replacedLonger: placesAfter('Say h|i.', 'Say hello there.'),
      atTheEditItself: placesAfter('Hi|.', 'Hi there.'),
    }).toStrictEqual({
      typedAtTheEnd: 'Tell |me about tides. And waves.',
      typedBefore: 'Please tell me |about tides.',
      deletedAround: 'Tell me |tides.',
      replacedLonger: 'Say h|ello there.',
      atTheEditItself: 'Hi| there.',
    });
  });

  test('the span never splits a character outside the basic plane', () => {
    // Two emoji sharing their first half: the whole of each is in the span.
    expect(changedSpan('a😀b', 'a😁b')).toStrictEqual({ start: 1, oldEnd: 3, newEnd: 3 });
    expect(changedSpan('same', 'same')).toStrictEqual({ start: 4, oldEnd: 4, newEnd: 4 });
  });
});
