/**
 * A run's output as it streams: text appended to the DOM directly, never through React state.
 *
 * Text goes into blocks of a few kilobytes, split at line breaks, so appending lays out one
 * small block instead of the whole answer. The scroller is a reversed flex column: the browser
 * keeps it pinned to the newest text while the user is at the bottom and leaves it alone when
 * they scrolled up to read, without any script reading layout per frame.
 *
 * Measured against a read-only Monaco model fed with `applyEdits` (tests/bench/ui-stream.bench.ts,
 * six columns at ~1,000 tokens/s each, two-core machine): blocks dropped a median 0.5–1% of
 * frames with no long task and put the last token on screen 16–29 ms after it arrived; Monaco
 * dropped 21–30%, had long tasks of 50–141 ms and took 37–114 ms.
 */

import { memo, useEffect, useRef } from 'react';
import { attachSink, type OutputSink, type SinkChannel } from './live-runs';

/**
 * Past this many characters a block closes at its next line break. Chromium lays out (and
 * shapes) the whole block an append lands in, so the block is kept small: at 2,048 characters
 * the six-column bench spent about a third more of its time in layout than at 512.
 */
const BLOCK_CHARS = 512;

/** A sink writing into `container`, block by block. */
export function createBlockSink(container: HTMLElement): OutputSink {
  let block: HTMLElement | null = null;
  let text: Text | null = null;
  let blockLength = 0;

  const openBlock = () => {
    block = document.createElement('div');
    block.className = 'output-block';
    text = document.createTextNode('');
    block.append(text);
    container.append(block);
    blockLength = 0;
  };

  const write = (chunk: string) => {
    if (chunk === '') return;
    if (text === null) openBlock();
    let rest = chunk;
    while (blockLength + rest.length > BLOCK_CHARS) {
      const breakAt = rest.indexOf('\n', Math.max(0, BLOCK_CHARS - blockLength - 1));
      if (breakAt === -1) break;
      // The block boundary is the line break: the newline itself is not written.
      (text as Text).appendData(rest.slice(0, breakAt));
      rest = rest.slice(breakAt + 1);
      openBlock();
    }
    if (rest !== '') {
      (text as Text).appendData(rest);
      blockLength += rest.length;
    }
  };

  return {
    append: write,
    reset(value, isWhole = false) {
      container.replaceChildren();
      block = null;
      text = null;
      blockLength = 0;
      write(value);
      // The scroller is a reversed column: its start is the most negative scrollTop (the browser clamps it).
      const scroller = container.parentElement;
      if (isWhole && scroller !== null) scroller.scrollTop = -scroller.scrollHeight;
    },
  };
}

/** Props of `LiveOutput`. */
export interface LiveOutputProps {
  runId: number;
  /** Shown while there is no text yet. */
  placeholder?: string;
  testId?: string;
  /** The answer (default) or the thinking that came apart from it. */
  channel?: SinkChannel;
}

/** The scrolling output of one run. */
export const LiveOutput = memo(function LiveOutput({ runId, placeholder, testId = 'run-output', channel = 'output' }: LiveOutputProps) {
  const contentRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const content = contentRef.current;
    if (!content) return undefined;
    return attachSink(runId, createBlockSink(content), channel);
  }, [runId, channel]);
  return (
    <div className="run-output-scroller" tabIndex={0} aria-label={channel === 'output' ? 'Output' : 'Thinking'}>
      <div ref={contentRef} className="run-output" data-testid={testId} data-placeholder={placeholder} />
    </div>
  );
});
