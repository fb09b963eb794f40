import { describe, expect, it } from 'vitest';
import { checkGate, type VersionEvalSource } from '../../../../electron/core/release/approval-gate';
import type { VersionEvalFigures } from '../../../../shared/release-types';

/** A source that knows the latest eval of some versions of prompt 1. */
function source(byVersion: Record<number, VersionEvalFigures>): VersionEvalSource {
  return { latestVersionEval: (promptId, versionNumber) => (promptId === 1 ? (byVersion[versionNumber] ?? null) : null) };
}

const figures = (passRate: number | null, cellCount: number): VersionEvalFigures => ({
  evalId: 12,
  passRate,
  meanScore: passRate,
  finishedAt: '2025-02-01T10:00:00.000Z',
  cellCount,
});

describe('checkGate', () => {
  it('passes at or above the threshold and says why each verdict was given', () => {
    const evals = source({ 1: figures(0.8, 10), 2: figures(0.75, 8), 3: figures(null, 4), 4: figures(1, 1) });
    const verdicts = [1, 2, 3, 4, 5].map((version) => {
      const { isPassed, reason } = checkGate(evals, 1, version, { minPassRate: 0.8 });
      return { version, isPassed, reason };
    });
    expect(verdicts).toStrictEqual([
      { version: 1, isPassed: true, reason: 'The latest eval of v1 (#12) passed 80% of 10 cells; the gate asks for 80%' },
      { version: 2, isPassed: false, reason: "The latest eval of v2 (#12) passed 75% of 8 cells, below the gate’s 80%" },
      { version: 3, isPassed: false, reason: 'The latest eval of v3 (#12) has no finished cell, so it cannot pass the gate of 80%' },
      { version: 4, isPassed: true, reason: 'The latest eval of v4 (#12) passed 100% of 1 cell; the gate asks for 80%' },
      { version: 5, isPassed: false, reason: 'v5 has no finished eval that graded an answer: run one, or approve without the gate' },
    ]);
  });

  it('keeps the eval it was checked against, and refuses without an eval source', () => {
    expect({
      checked: checkGate(source({ 2: figures(0.9, 20) }), 1, 2, { minPassRate: 0.875 }),
      withoutEvals: checkGate(null, 1, 2, { minPassRate: 0.5 }),
    }).toStrictEqual({
      checked: {
        minPassRate: 0.875,
        eval: figures(0.9, 20),
        isPassed: true,
        reason: 'The latest eval of v2 (#12) passed 90% of 20 cells; the gate asks for 87.5%',
      },
      withoutEvals: { minPassRate: 0.5, eval: null, isPassed: false, reason: 'Evals are not available in this build, so the gate cannot be checked' },
    });
  });
});
