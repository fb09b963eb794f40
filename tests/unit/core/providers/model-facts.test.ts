/** Model facts: one lookup shared by the runs waiting for it, each of which can still be cancelled alone. */

import { describe, expect, test } from 'vitest';
import { ModelFacts } from '../../../../electron/core/providers/model-facts';
import { ProviderError } from '../../../../electron/core/providers/provider-error';

/** A lookup the test answers by hand, recording what was asked. */
function manualLookup() {
  const asked: string[] = [];
  const pending: { resolve: (value: string) => void; reject: (error: Error) => void }[] = [];
  const lookup = (model: string) => {
    asked.push(model);
    return new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { asked, pending, lookup };
}

describe('ModelFacts', () => {
  test('a run cancelled while waiting stops waiting at once; the others still get the one shared answer', async () => {
    const { asked, pending, lookup } = manualLookup();
    const facts = new ModelFacts(lookup);
    const first = new AbortController();
    const firstWait = facts.get('m', first.signal);
    const secondWait = facts.get('m', new AbortController().signal);
    first.abort();
    await expect(firstWait).rejects.toSatisfy((error) => error instanceof ProviderError && error.kind === 'cancelled');
    pending[0].resolve('adaptive');
    expect(await secondWait).toBe('adaptive');
    expect(await facts.get('m', new AbortController().signal)).toBe('adaptive');
    expect(asked).toStrictEqual(['m']);
  });

  test('a failed lookup answers null and is asked again next time', async () => {
    const { asked, pending, lookup } = manualLookup();
    const facts = new ModelFacts(lookup);
    const failed = facts.get('m', new AbortController().signal);
    pending[0].reject(new Error('503'));
    expect(await failed).toBeNull();
    const retried = facts.get('m', new AbortController().signal);
    pending[1].resolve('budget');
    expect(await retried).toBe('budget');
    expect(asked).toStrictEqual(['m', 'm']);
  });

  test('a lookup that outlives its time limit answers null', async () => {
    const facts = new ModelFacts((_model, signal) => new Promise<string>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))), 50);
    expect(await facts.get('m', new AbortController().signal)).toBeNull();
  });
});
