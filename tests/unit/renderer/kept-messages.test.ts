import { describe, expect, test } from 'vitest';
import { isKeptMessage, keepMessages, setModelDisposer, takeKeptMessages } from '../../../renderer/features/editor/kept-messages';

describe('kept message editors', () => {
  test('a prompt opened again as it was left gets its keys back; a changed one, or one left too long ago, has its models disposed', () => {
    const disposed: string[] = [];
    setModelDisposer((key) => disposed.push(key));
    const system = { key: 'a1', role: 'system' as const, content: 'Be calm.' };
    const user = { key: 'a2', role: 'user' as const, content: 'Hi {{name}}' };
    keepMessages(1, [system, user]);
    expect([isKeptMessage('a1'), isKeptMessage('zz')]).toStrictEqual([true, false]);
    expect(takeKeptMessages(1, [{ role: 'system', content: 'Be calm.' }, { role: 'user', content: 'Hi {{name}}' }])?.map((message) => message.key)).toStrictEqual(['a1', 'a2']);
    // Open again: no longer kept, so removing one of its messages lets its model go.
    expect(isKeptMessage('a1')).toBe(false);

    keepMessages(2, [{ key: 'b1', role: 'user', content: 'Old text' }]);
    expect(takeKeptMessages(2, [{ role: 'user', content: 'Changed in another window' }])).toBeNull();
    expect(disposed).toStrictEqual(['b1']);

    for (let id = 10; id < 23; id += 1) keepMessages(id, [{ key: `k${id}`, role: 'user', content: String(id) }]);
    // Twelve prompts keep their editors: the thirteenth left pushes out the first.
    expect(disposed).toStrictEqual(['b1', 'k10']);
    expect([isKeptMessage('k10'), isKeptMessage('k11'), isKeptMessage('k22')]).toStrictEqual([false, true, true]);
  });
});
