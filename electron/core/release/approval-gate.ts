/**
 * The approval gate: before a version is approved, its latest finished eval must pass at least
 * a chosen share of its cells. An eval in which no request got an answer (every cell an error)
 * is passed over: it says nothing of the version.
 */

import type { ApprovalGate, GateCheck, VersionEvalFigures } from '../../../shared/release-types';

/** Where the gate reads the latest eval of a version (the eval store). */
export interface VersionEvalSource {
  /** The latest finished eval that graded an answer of this saved version, or null when none did. */
  latestVersionEval(promptId: number, versionNumber: number): VersionEvalFigures | null;
}

/** Checks `gate` against the latest eval of v`versionNumber`; says why it passed or not. */
export function checkGate(source: VersionEvalSource | null, promptId: number, versionNumber: number, gate: ApprovalGate): GateCheck {
  const needed = percent(gate.minPassRate);
  if (source === null) {
    return { minPassRate: gate.minPassRate, eval: null, isPassed: false, reason: 'Evals are not available in this build, so the gate cannot be checked' };
  }
  const figures = source.latestVersionEval(promptId, versionNumber);
  if (figures === null) {
    return {
      minPassRate: gate.minPassRate,
      eval: null,
      isPassed: false,
      reason: `v${versionNumber} has no finished eval that graded an answer: run one, or approve without the gate`,
    };
  }
  const which = `The latest eval of v${versionNumber} (#${figures.evalId})`;
  const base = { minPassRate: gate.minPassRate, eval: { ...figures } };
  if (figures.passRate === null) {
    return { ...base, isPassed: false, reason: `${which} has no finished cell, so it cannot pass the gate of ${needed}` };
  }
  const passed = `${percent(figures.passRate)} of ${figures.cellCount} ${figures.cellCount === 1 ? 'cell' : 'cells'}`;
  // A pass rate is a ratio of counts; compare with a little slack so 0.8 stored as 0.7999… still passes 80 %.
  if (figures.passRate + 1e-9 >= gate.minPassRate) {
    return { ...base, isPassed: true, reason: `${which} passed ${passed}; the gate asks for ${needed}` };
  }
  return { ...base, isPassed: false, reason: `${which} passed ${passed}, below the gate’s ${needed}` };
}

/** 0.875 -> "87.5%" */
function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(1))}%`;
}
