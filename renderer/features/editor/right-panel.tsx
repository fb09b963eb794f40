/**
 * The right-hand panel: Variables, Model and Versions tabs.
 */

import { useDeferredValue, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { collectVariables } from '../../../shared/template';
import { useWorkbench } from '../../store/workbench-store';
import { assertNever } from '../../../shared/assert-never';
import { ModelPanel } from '../model/model-panel';
import type { PanelTab } from '../settings/settings-slice';
import { VariablesPanel } from '../variables/variables-panel';
import { VersionsPanel } from '../versions/versions-panel';

const TABS: { tab: PanelTab; label: string }[] = [
  { tab: 'variables', label: 'Variables' },
  { tab: 'model', label: 'Model' },
  { tab: 'versions', label: 'Versions' },
];

function TabBody({ tab }: { tab: PanelTab }) {
  switch (tab) {
    case 'variables':
      return <VariablesPanel />;
    case 'model':
      return <ModelPanel />;
    case 'versions':
      return <VersionsPanel />;
    default:
      return assertNever(tab, 'tab');
  }
}

/** How many variables the messages use without a value; its own component, off the typing path. */
function MissingBadge() {
  const { messages, variables } = useWorkbench(useShallow((state) => ({ messages: state.messages, variables: state.variables })));
  const deferred = useDeferredValue(messages);
  const count = useMemo(() => collectVariables(deferred).filter((name) => !Object.hasOwn(variables, name)).length, [deferred, variables]);
  if (count === 0) return null;
  return (
    <span className="tab-count is-warning" title={`${count} without a value`} data-testid="missing-count">
      {count}
    </span>
  );
}

/** The right-hand panel. */
export function RightPanel() {
  const { tab, hasPrompt, versionCount } = useWorkbench(
    useShallow((state) => ({
      tab: state.panelTab,
      hasPrompt: state.currentPrompt !== null,
      versionCount: state.versions.length,
    })),
  );
  if (!hasPrompt) return <aside className="right-panel" aria-label="Details" />;
  const select = (next: PanelTab) => useWorkbench.getState().setPanelTab(next);
  return (
    <aside className="right-panel" aria-label="Details" data-testid="right-panel">
      <div
        className="tabs"
        role="tablist"
        aria-label="Details"
        onKeyDown={(event) => {
          const index = TABS.findIndex((item) => item.tab === tab);
          const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
          if (delta === 0) return;
          const next = TABS[(index + delta + TABS.length) % TABS.length].tab;
          select(next);
          requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
        }}
      >
        {TABS.map((item) => (
          <button
            key={item.tab}
            id={`tab-${item.tab}`}
            type="button"
            role="tab"
            aria-selected={tab === item.tab}
            aria-controls="panel-body"
            tabIndex={tab === item.tab ? 0 : -1}
            className={`tab${tab === item.tab ? ' is-active' : ''}`}
            data-testid={`tab-${item.tab}`}
            onClick={() => select(item.tab)}
          >
            {item.label}
            {item.tab === 'versions' && versionCount > 0 && <span className="tab-count">{versionCount}</span>}
            {item.tab === 'variables' && <MissingBadge />}
          </button>
        ))}
      </div>
      <div className="panel-body" id="panel-body" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <TabBody tab={tab} />
      </div>
    </aside>
  );
}
