/**
 * The centre of the prompts workspace: the editor (draft, version or diff) above the runs
 * panel, with a splitter between them that the mouse drags and the arrow keys move.
 */

import { useEffect, useRef, useState, type PointerEvent, type ReactNode } from 'react';
import { useWorkbench } from '../../store/workbench-store';

const HEIGHT_KEY = 'workbench.runsHeight';
const MIN_HEIGHT = 150;
const KEY_STEP = 24;

function readHeight(): number | null {
  try {
    const value = Number(localStorage.getItem(HEIGHT_KEY));
    return Number.isFinite(value) && value >= MIN_HEIGHT ? value : null;
  } catch {
    return null;
  }
}

function writeHeight(height: number): void {
  try {
    localStorage.setItem(HEIGHT_KEY, String(Math.round(height)));
  } catch {
    // Only the next window's layout suffers.
  }
}

/** Props of `SplitCentre`. */
export interface SplitCentreProps {
  editor: ReactNode;
  /** True while there is nothing to show below the toolbar: the runs panel takes only its height. */
  isRunsCompact: boolean;
  runs: (controls: { isMaximized: boolean; onToggleMaximized: () => void }) => ReactNode;
}

/** The editor over the runs panel. */
export function SplitCentre({ editor, isRunsCompact, runs }: SplitCentreProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState<number | null>(readHeight);
  // In the store, so the window's Escape (app.tsx) can give the editor back.
  const isMaximizedChoice = useWorkbench((state) => state.isRunsMaximized);
  const isMaximized = isMaximizedChoice && !isRunsCompact;

  const clamp = (value: number) => {
    // A hidden workspace measures 0: the window's height stands in for the container's then.
    const total = containerRef.current?.clientHeight || window.innerHeight;
    return Math.round(Math.min(Math.max(MIN_HEIGHT, value), Math.max(MIN_HEIGHT, total - 120)));
  };
  const effective = height ?? Math.round(window.innerHeight * 0.5);

  useEffect(() => {
    if (height !== null) writeHeight(height);
  }, [height]);

  const startDrag = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    const startY = event.clientY;
    const startHeight = effective;
    const target = event.currentTarget;
    target.setPointerCapture(event.pointerId);
    const onMove = (move: globalThis.PointerEvent) => setHeight(clamp(startHeight + startY - move.clientY));
    const onUp = () => {
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
  };

  return (
    <div className={`split-centre${isMaximized ? ' is-runs-maximized' : ''}`} ref={containerRef}>
      <div className="split-editor">{editor}</div>
      {!isMaximized && !isRunsCompact && (
        <div
          className="splitter"
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize the runs panel"
          aria-valuenow={effective}
          aria-valuemin={MIN_HEIGHT}
          tabIndex={0}
          data-testid="runs-splitter"
          onPointerDown={startDrag}
          onKeyDown={(event) => {
            if (event.key === 'ArrowUp') setHeight(clamp(effective + KEY_STEP));
            else if (event.key === 'ArrowDown') setHeight(clamp(effective - KEY_STEP));
            else return;
            event.preventDefault();
          }}
        />
      )}
      <div className={`split-runs${isRunsCompact ? ' is-compact' : ''}`} style={isMaximized || isRunsCompact ? undefined : { height: effective }}>
        {runs({ isMaximized, onToggleMaximized: () => useWorkbench.getState().setRunsMaximized(!isMaximized) })}
      </div>
    </div>
  );
}
