/**
 * The rows two runs are compared by: what was asked, with each difference marked, and what
 * came back, with the second run's figures as a change from the first's.
 */

import { describe, expect, test } from 'vitest';
import { compareRows, relativeChange, requestText, type CompareRow } from '../../../renderer/features/history/run-compare-rows';
import { run } from './run-records';

function byLabel(rows: CompareRow[]): Record<string, CompareRow> {
  return Object.fromEntries(rows.map((row) => [row.label, row]));
}

describe('comparing two runs', () => {
  test('the same request on two models: only the model and provider differ', () => {
    const rows = compareRows(run(), run({ id: 2, model: 'claude-haiku-4-5', providerId: 2, providerLabel: 'Anthropic', providerKind: 'anthropic', endpoint: 'https://api.anthropic.com' }));
    const request = byLabel(rows.request);
    expect(rows.request.filter((row) => row.isDifferent).map((row) => row.label)).toEqual(['Model', 'Provider']);
    expect(request.Model).toMatchObject({ original: 'gpt-4o-mini', modified: 'claude-haiku-4-5' });
    expect(request.Parameters).toMatchObject({ original: 'same', modified: 'same', isDifferent: false });
    expect(request.Variables).toMatchObject({ original: 'same', isDifferent: false });
    expect(request['Messages sent']).toMatchObject({ original: 'same', isDifferent: false });
    expect(request.Prompt.original).toBe('Support · v2');
    expect(byLabel(compareRows(run({ variables: {} }), run({ id: 2, variables: {} })).request).Variables).toMatchObject({ original: 'none', isDifferent: false });
  });

  test('each changed parameter and variable gets its own marked row, and changed messages are summed up', () => {
    const modified = run({
      id: 2,
      version: 'draft',
      parameters: { temperature: 0.9, maxTokens: 600, reasoningEffort: 'none' },
      variables: { question: 'Where is my parcel?', tone: 'warm' },
      messages: [
        { role: 'system', content: 'Answer calmly.' },
        { role: 'user', content: 'Where is my parcel?' },
      ],
    });
    const request = compareRows(run(), modified).request;
    expect(request.filter((row) => row.isDifferent).map((row) => [row.label, row.original, row.modified])).toEqual([
      ['Prompt', 'Support · v2', 'Support · Draft'],
      ['Temperature', '0.2', '0.9'],
      ['Reasoning', 'provider default', 'off'],
      ['{{question}}', 'Where is my refund?', 'Where is my parcel?'],
      ['{{tone}}', '(not set)', 'warm'],
      ['Messages sent', '2 messages, 33 chars', '2 messages, 33 chars'],
    ]);
    expect(request.map((row) => row.label)).not.toContain('Parameters');
    expect(request.map((row) => row.label)).not.toContain('Max tokens');
  });

  test('the same provider at another endpoint is marked', () => {
    const moved = byLabel(compareRows(run(), run({ id: 2, endpoint: 'http://127.0.0.1:1234/v1' })).request);
    expect(moved.Endpoint).toMatchObject({ original: 'https://api.openai.com/v1', modified: 'http://127.0.0.1:1234/v1', isDifferent: true });
  });

  test('figures show the second run as a change from the first; unknowns and cache hits show none', () => {
    const slower = run({ id: 2, latencyMs: 1500, ttftMs: null, costUsd: 0.0001, usage: { ...run().usage, outputTokens: 100, isEstimated: true } });
    const result = byLabel(compareRows(run(), slower).result);
    expect(result.Latency).toMatchObject({ original: '1.00 s', modified: '1.50 s', change: '+50%' });
    expect(result.Cost).toMatchObject({ original: '$0.00020', change: '−50%' });
    expect(result.Cost.modified).toMatch(/^~\$/);
    expect(result['Output tokens']).toMatchObject({ modified: '~100', change: 'same' });
    // Speed is output over time: an estimate where the output count is.
    expect(result['Tokens/s']).toMatchObject({ original: '125', modified: '~125' });
    expect(result['Time to first token']).toMatchObject({ modified: '–', change: null });
    expect(result.Status).toMatchObject({ original: 'Done · stop', change: null });
    // A run the app stopped under is not a failed request.
    const interrupted = { status: 'error' as const, error: 'The app stopped before this run finished', errorKind: 'interrupted', finishReason: null };
    const stoppedUnder = byLabel(compareRows(run({ ...interrupted, isInterrupted: true }), run({ ...interrupted, errorKind: 'http', id: 4 })).result);
    expect(stoppedUnder.Status).toMatchObject({ original: 'Interrupted', modified: 'Failed' });
    // A provider renamed between two runs is the same provider; another provider of the same name is not.
    const renamed = byLabel(compareRows(run({ providerId: 5, providerLabel: 'Team Llama' }), run({ id: 5, providerId: 5, providerLabel: 'Llama Gateway' })).request);
    expect(renamed.Provider).toMatchObject({ original: 'Team Llama', modified: 'Llama Gateway (the same provider, renamed)', isDifferent: false });
    const other = byLabel(compareRows(run({ providerId: 5, providerLabel: 'Llama' }), run({ id: 6, providerId: 6, providerLabel: 'Groq' })).request);
    expect(other.Provider).toMatchObject({ original: 'Llama', modified: 'Groq', isDifferent: true });

    const hit = byLabel(compareRows(run(), run({ id: 3, isCacheHit: true, costUsd: 0, savedUsd: 0.0002, cachedFromRunId: 1 })).result);
    expect(hit.Cost).toMatchObject({ modified: '$0.00 (cached, saved $0.00020)', change: null });
    // A hit's timing is the run's it came from, and says so.
    expect(hit.Latency).toMatchObject({ original: '1.00 s', modified: '1.00 s (run 1, cached)' });
  });

  test('the price each run was charged at, marked where the rates differ, explains a cost change for the same tokens', () => {
    const catalog = { price: { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25, reasoning: null, perThousandRequests: null }, source: 'catalog' as const, catalogModel: 'gpt-4o-mini' };
    const yours = { price: { ...catalog.price, input: 6 }, source: 'override' as const, catalogModel: null };
    const result = byLabel(compareRows(run({ price: catalog, costUsd: 0.0009 }), run({ id: 2, price: yours, costUsd: 0.0029 })).result);
    expect(result['Price / 1M']).toStrictEqual({
      label: 'Price / 1M',
      original: 'in $1 · out $5 · cached $0.10 · cache write $1.25 (catalog)',
      modified: 'in $6 · out $5 · cached $0.10 · cache write $1.25 (yours)',
      isDifferent: true,
      differsTitle: 'The two runs were charged at different prices',
      change: null,
    });
    expect(result.Cost.change).toBe('+222%');
    // The same rates from another source cost the same: not marked.
    const same = byLabel(compareRows(run({ price: catalog }), run({ id: 2, price: { ...catalog, source: 'override', catalogModel: null } })).result);
    expect(same['Price / 1M']).toMatchObject({ modified: 'in $1 · out $5 · cached $0.10 · cache write $1.25 (yours)', isDifferent: false });
    expect(byLabel(compareRows(run({ price: { price: null, source: 'none', catalogModel: null } }), run({ id: 2 })).result)['Price / 1M']).toMatchObject({ original: 'no price', isDifferent: false });
  });

  test('relative change', () => {
    expect(relativeChange(200, 50)).toBe('−75%');
    expect(relativeChange(100, 1234)).toBe('+1,134%');
    expect(relativeChange(0, 5)).toBeNull();
    expect(relativeChange(null, 5)).toBeNull();
  });

  test('the request text holds the model, every parameter and the rendered messages', () => {
    const text = requestText(run());
    expect(text).toContain('model: gpt-4o-mini');
    expect(text).toContain('temperature: 0.2');
    expect(text).toContain('## user\n\nWhere is my refund?');
  });
});
