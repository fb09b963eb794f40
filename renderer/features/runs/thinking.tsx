/**
 * A reasoning model's thinking, where the provider sends it apart from the answer: folded
 * above the output so the answer keeps the room, with its size growing while it streams, and
 * the text (streamed into it like the output) when opened.
 */

import { memo } from 'react';
import { formatNumber } from '../../lib/format';
import { LiveOutput } from './live-output';

/** Props of `Thinking`. */
export interface ThinkingProps {
  runId: number;
  /** Characters of thinking so far; nothing is shown while there are none. */
  length: number;
  /** Still thinking: no answer text yet and the run going on. */
  isThinking: boolean;
}

/** The folded thinking of a run. */
export const Thinking = memo(function Thinking({ runId, length, isThinking }: ThinkingProps) {
  if (length === 0) return null;
  return (
    <details className="run-thinking" data-testid="run-thinking">
      <summary title="What the model reasoned before answering, as the provider sent it">
        <span className={isThinking ? 'run-thinking-label is-live' : 'run-thinking-label'}>{isThinking ? 'Thinking…' : 'Thinking'}</span>
        <span className="run-thinking-size tabular" data-testid="run-thinking-size">
          {formatNumber(length)} chars
        </span>
      </summary>
      <div className="run-thinking-body">
        <LiveOutput runId={runId} channel="reasoning" testId="run-reasoning" />
      </div>
    </details>
  );
});
