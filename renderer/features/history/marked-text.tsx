/**
 * A stored text with the words of the history's search marked, the first brought into view in
 * its scrolling box: what a search found in a run, where it is, however long the text.
 */

import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { foldForSearch, searchMatchRanges } from '../../../shared/search-query';

/** `text` with what `query` finds in it marked; with `isScrolled`, its box scrolls to the first mark when the search changes. */
export function MarkedText({ text, query, isScrolled = false }: { text: string; query: string; isScrolled?: boolean }) {
  // Folded once per text: a search typed letter by letter then costs one pass of a regular expression.
  const folded = useMemo(() => foldForSearch(text), [text]);
  const ranges = useMemo(() => (query === '' ? [] : searchMatchRanges(text, query, folded)), [text, query, folded]);
  const firstMark = useRef<HTMLElement>(null);
  useEffect(() => {
    const mark = firstMark.current;
    if (!isScrolled || mark === null) return;
    // The text's own box first, the match in its middle; then whatever holds the box, only as far as needed.
    const box = mark.closest('pre');
    if (box !== null) box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 2;
    mark.scrollIntoView({ block: 'nearest' });
  }, [ranges, isScrolled]);
  if (ranges.length === 0) return text;
  const parts: ReactNode[] = [];
  let end = 0;
  ranges.forEach(([start, stop], index) => {
    parts.push(
      text.slice(end, start),
      <mark key={index} ref={index === 0 ? firstMark : undefined} className="snippet-match">
        {text.slice(start, stop)}
      </mark>,
    );
    end = stop;
  });
  parts.push(text.slice(end));
  return parts;
}
