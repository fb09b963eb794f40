/**
 * What a form shows for a call the contract refused: the field named by the form's own label
 * where it gives one (Ollama's "Host"), else as the engine named it, never the channel.
 */

import { describe, expect, test } from 'vitest';
import { dispatchCall } from '../../../electron/core/rpc';
import { BridgeCallError, callErrorText } from '../../../renderer/bridge/client';
import type { CallHandlers } from '../../../shared/contract';

/** The error the bridge client raises for `input` refused on `providers:save` (the handlers are never reached). */
async function refusal(input: unknown): Promise<BridgeCallError> {
  const result = await dispatchCall({} as CallHandlers, 'providers:save', input);
  if (result.ok) throw new Error('expected a refusal');
  return new BridgeCallError(result.error.code, result.error.message, 'providers:save', result.error.issues);
}

describe('callErrorText', () => {
  test('names refused fields by the form’s labels, else by the engine’s names', async () => {
    const badUrl = await refusal({ kind: 'ollama', label: 'Ollama', baseUrl: 'ftp://gpu-box' });
    const twoFields = await refusal({ kind: 'openai-compatible', label: ' ', baseUrl: 'nowhere', keySource: 'environment', keyVariable: 'PATH' });
    expect([
      callErrorText(badUrl),
      callErrorText(badUrl, { baseUrl: 'Host' }),
      callErrorText(twoFields, { baseUrl: 'Base URL' }),
      callErrorText(new Error('Could not reach the host')),
    ]).toStrictEqual([
      'Base URL must be an http:// or https:// URL, or host:port (127.0.0.1:11434)',
      'Host must be an http:// or https:// URL, or host:port (127.0.0.1:11434)',
      'Name must not be empty; Only variables named like OPENAI_API_KEY (capitals, digits and _, ending in _API_KEY) can hold a key; Base URL must be an http:// or https:// URL',
      'Could not reach the host',
    ]);
  });
});
