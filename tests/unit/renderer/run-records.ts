/** Stored runs for renderer tests: a finished gpt-4o-mini run with exact usage, changed by `overrides`. */

import type { RunRecord } from '../../../shared/types';

export function run(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 1,
    batchId: 1,
    cellIndex: 0,
    promptId: 1,
    promptName: 'Support',
    version: 2,
    providerId: 1,
    providerKind: 'openai',
    providerLabel: 'OpenAI',
    model: 'gpt-4o-mini',
    sampleIndex: 0,
    sampleCount: 1,
    status: 'ok',
    isInterrupted: false,
    error: null,
    finishReason: 'stop',
    usage: { inputTokens: 400, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 100, reasoningTokens: 0, isEstimated: false },
    costUsd: 0.0002,
    savedUsd: 0,
    isCacheHit: false,
    ttftMs: 200,
    latencyMs: 1000,
    tokensPerSecond: 125,
    outputPreview: 'Hello',
    startedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: '2026-11-23T10:00:01.000Z',
    endpoint: 'https://api.openai.com/v1',
    messages: [
      { role: 'system', content: 'Answer calmly.' },
      { role: 'user', content: 'Where is my refund?' },
    ],
    parameters: { temperature: 0.2, maxTokens: 600 },
    variables: { question: 'Where is my refund?' },
    output: 'Hello',
    reasoning: '',
    notices: [],
    errorKind: null,
    price: { price: null, source: 'catalog', catalogModel: 'gpt-4o-mini' },
    isCacheBypassed: false,
    cachedFromRunId: null,
    ...overrides,
  };
}
