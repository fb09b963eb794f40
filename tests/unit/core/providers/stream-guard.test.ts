/** The stream guard's rules for thinking: it is output like the answer, and it is never the end. */

import { describe, expect, test } from 'vitest';
import { ProviderError, type ErrorContext } from '../../../../electron/core/providers/provider-error';
import type { StreamEvent } from '../../../../electron/core/providers/provider';
import { guardStream } from '../../../../electron/core/providers/stream-guard';
import { collect, events } from './provider-harness';

const CONTEXT: ErrorContext = { label: 'Fake', endpoint: 'http://fake', keyHint: null };
const DONE: StreamEvent = { type: 'done', usage: null, finishReason: 'stop', timings: null };

/** The guard around a source that yields `items` in order, then throws `failure` if one is given. */
function guarded(items: StreamEvent[], failure?: ProviderError): AsyncIterable<StreamEvent> {
  return guardStream(
    async function* () {
      yield* items;
      if (failure) throw failure;
    },
    { context: CONTEXT, signal: AbortSignal.timeout(5000), mapError: (error) => new ProviderError('bad-request', String(error)) },
  );
}

describe('stream guard and thinking', () => {
  test('passes thinking through in order, dropping empty pieces as it does for text', async () => {
    const seen = await events(
      guarded([
        { type: 'reasoning', text: 'Hmm' },
        { type: 'reasoning', text: '' },
        { type: 'delta', text: 'Hi' },
        DONE,
      ]),
    );
    expect(seen).toStrictEqual([{ type: 'reasoning', text: 'Hmm' }, { type: 'delta', text: 'Hi' }, DONE]);
  });

  test('a stream that ends after thinking, without its done event, is a broken stream, not a finished one', async () => {
    const outcome = await collect(guarded([{ type: 'reasoning', text: 'Hmm' }, { type: 'reasoning', text: ', well' }]));
    expect(outcome).toStrictEqual({
      text: '',
      deltas: 0,
      reasoning: 'Hmm, well',
      done: null,
      error: {
        kind: 'stream',
        message: "Fake's stream broke after 2 chunks of output: Fake closed the connection before the response finished (the stream ended without its final event)",
      },
    });
  });

  test('a failure after thinking is a stream error, so nothing retries it; before any output it keeps its kind', async () => {
    const overloaded = () => new ProviderError('server', 'Fake had a server error (500)');
    const after = await collect(guarded([{ type: 'reasoning', text: 'Hmm' }], overloaded()));
    const before = await collect(guarded([{ type: 'reasoning', text: '' }], overloaded()));
    expect([after.error, before.error]).toStrictEqual([
      { kind: 'stream', message: "Fake's stream broke after 1 chunk of output: Fake had a server error (500)" },
      { kind: 'server', message: 'Fake had a server error (500)' },
    ]);
  });

  test('leaving early releases the request; a stream read to its end is left alone', async () => {
    const signals: AbortSignal[] = [];
    const guard = () =>
      guardStream(
        async function* (signal) {
          signals.push(signal);
          yield { type: 'delta', text: 'Hi' };
          yield DONE;
        },
        { context: CONTEXT, signal: new AbortController().signal, mapError: (error) => new ProviderError('bad-request', String(error)) },
      );
    for await (const event of guard()) if (event.type === 'delta') break;
    await events(guard());
    expect(signals.map((signal) => signal.aborted)).toStrictEqual([true, false]);
  });
});
