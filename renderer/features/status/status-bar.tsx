/**
 * The status bar: connection, draft state, current version, model and the theme switch.
 */

import { useShallow } from 'zustand/react/shallow';
import { assertNever } from '../../../shared/assert-never';
import { useWorkbench } from '../../store/workbench-store';
import type { ConnectionState } from '../../bridge/connection';
import type { OfflineReason } from './connection-slice';
import type { DraftSaveState } from '../editor/draft-slice';
import { ThemeSwitch } from '../settings/theme-switch';
import { NUMBER_RULES, refusedParameterNames } from '../model/parameter-text';
import { SHORTCUTS_EVENT } from './shortcuts-dialog';

function connectionLabel(state: ConnectionState, reason: OfflineReason | null): string {
  switch (state) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'offline':
      if (reason === 'host-restarted') return 'Offline: the host was restarted';
      if (reason === 'host-down') return 'Offline: the host is not running';
      return 'Offline';
    default:
      return assertNever(state, 'connection state');
  }
}

/** What to do about it, in the connection's tooltip. */
function connectionHint(state: ConnectionState, reason: OfflineReason | null, host: string | null): string | undefined {
  if (state === 'offline' && reason === 'host-restarted') {
    return 'The browser host was started again with a new access token: open the address it printed (…/?token=…). What you typed here is kept until then.';
  }
  if (state === 'offline' && reason === 'host-down') {
    return 'Start the browser host again (npm run web): this page reconnects by itself when it is back at this address. If it now runs at another address (another port), open the one it printed, but copy any unsaved edits from this page first: the browser keeps them for this address only.';
  }
  return host === 'web' ? 'Browser host' : undefined;
}

/** What the status bar says about the draft while its schema is not a JSON object: text that does not parse, or JSON of another kind (the rest is saved). */
export const SCHEMA_NOT_SAVED = 'Schema not saved — it is not a JSON object';

/** What the status bar says about the draft while its schema name is refused (the rest is saved). */
export const SCHEMA_NAME_NOT_SAVED = 'Schema name not saved — it is not allowed';

/** What the status bar says while both are so. */
export const SCHEMA_AND_NAME_NOT_SAVED = 'Schema and schema name not saved — see the Model tab';

/** What the status bar says while number parameters (named as the Model tab names them), and perhaps the schema, are refused. */
function heldNotSaved(held: HeldFlags): string {
  const names = [...held.refusedParameterLabels, ...(held.hasUnparsedSchema ? ['schema'] : []), ...(held.hasRefusedSchemaName ? ['schema name'] : [])];
  const listed = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${listed.charAt(0).toUpperCase()}${listed.slice(1)} not saved — see the Model tab`;
}

/** What the Model tab holds that the draft cannot take: schema text that does not parse, a schema name refused, number parameters refused (by label). */
export interface HeldFlags {
  hasUnparsedSchema: boolean;
  hasRefusedSchemaName: boolean;
  refusedParameterLabels: string[];
}

const NOTHING_HELD: HeldFlags = { hasUnparsedSchema: false, hasRefusedSchemaName: false, refusedParameterLabels: [] };

/** Whether the Model tab holds anything the draft cannot take. */
function isAnythingHeld(held: HeldFlags): boolean {
  return held.hasUnparsedSchema || held.hasRefusedSchemaName || held.refusedParameterLabels.length > 0;
}

/** What the status bar says about the draft; `held` says what the Model tab holds that the draft cannot take. */
export function draftLabel(state: DraftSaveState, connection: ConnectionState, error: string | null, held: HeldFlags = NOTHING_HELD): string {
  switch (state) {
    case 'saved':
      if (held.refusedParameterLabels.length > 0) return heldNotSaved(held);
      if (held.hasUnparsedSchema && held.hasRefusedSchemaName) return SCHEMA_AND_NAME_NOT_SAVED;
      if (held.hasUnparsedSchema) return SCHEMA_NOT_SAVED;
      return held.hasRefusedSchemaName ? SCHEMA_NAME_NOT_SAVED : 'Draft saved';
    case 'pending':
    case 'saving':
      return connection === 'connected' ? 'Saving…' : 'Offline — not saved';
    case 'offline':
      return 'Offline — not saved';
    case 'failed':
      return error ? `Not saved — ${error}` : 'Not saved';
    case 'conflict':
      return 'Not saved — changed in another window';
    default:
      return assertNever(state, 'save state');
  }
}

/** Where unsaved edits are while the host cannot take them, in the draft status's tooltip. */
function draftHint(label: string, error: string | null, held: HeldFlags): string | undefined {
  if (held.refusedParameterLabels.length > 0 && label === heldNotSaved(held)) {
    return 'The rest of the draft is saved. This browser keeps what you typed, and it is saved once it is allowed: fix the problems shown in the Model tab.';
  }
  if (label === SCHEMA_NOT_SAVED) {
    return 'The rest of the draft is saved. This browser keeps the schema as you typed it, and it is saved once it is a JSON object: fix the problem shown under it in the Model tab.';
  }
  if (label === SCHEMA_NAME_NOT_SAVED) {
    return 'The rest of the draft is saved. This browser keeps the schema name as you typed it, and it is saved once it is 1 to 64 ASCII letters, digits, _ or -: fix it under Schema name in the Model tab.';
  }
  if (label === SCHEMA_AND_NAME_NOT_SAVED) {
    return 'The rest of the draft is saved. This browser keeps the schema and its name as you typed them, and they are saved once the schema is a JSON object and the name is allowed: fix the problems shown in the Model tab.';
  }
  if (label.endsWith('changed in another window')) return 'Choose which draft to keep, above the messages: this window’s edits stay here until then.';
  if (label.startsWith('Offline')) {
    return 'Not saved yet: the browser keeps these edits for this address and saves them when the host is back at it. Opened at another address (the host started on another port), they are not there: copy them from this page first.';
  }
  return error ?? undefined;
}

/** The status bar. */
export function StatusBar() {
  const { connection, offlineReason, saveState, saveError, hasUnparsedSchema, hasRefusedSchemaName, refusedParameters, hasPrompt, latest, baseVersion, model, host } = useWorkbench(
    useShallow((state) => ({
      connection: state.connection,
      offlineReason: state.offlineReason,
      saveState: state.saveState,
      saveError: state.saveError,
      hasUnparsedSchema: state.unparsedSchema !== null,
      hasRefusedSchemaName: state.refusedSchemaName !== null,
      refusedParameters: state.refusedParameters,
      hasPrompt: state.currentPrompt !== null,
      latest: state.versions[0]?.number ?? null,
      baseVersion: state.baseVersion,
      model: state.model,
      host: state.appInfo?.host ?? null,
    })),
  );
  const refusedParameterLabels = refusedParameterNames(refusedParameters).map((name) => NUMBER_RULES[name].label);
  const held: HeldFlags = { hasUnparsedSchema, hasRefusedSchemaName, refusedParameterLabels };
  const draft = draftLabel(saveState, connection, saveError, held);
  const isDraftWarning = draft.startsWith('Offline') || (saveState === 'saved' && isAnythingHeld(held)) || saveState === 'failed' || saveState === 'conflict';
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`status-item connection is-${connection}`} data-testid="connection-status" title={connectionHint(connection, offlineReason, host)}>
        <span className="status-dot" aria-hidden="true" />
        {connectionLabel(connection, offlineReason)}
      </span>
      {hasPrompt && (
        <>
          <span className={`status-item is-shrinkable${isDraftWarning ? ' is-warning' : ''}`} data-testid="draft-status" title={draftHint(draft, saveError, held)}>
            <span className="status-text">{draft}</span>
          </span>
          <span className="status-item" data-testid="version-status">
            {latest === null ? 'No versions' : `Latest v${latest}`}
            {baseVersion !== null && baseVersion !== latest ? ` · draft from v${baseVersion}` : ''}
          </span>
          <span className="status-item" data-testid="model-status" title="Model">
            {model || 'No model'}
          </span>
        </>
      )}
      <span className="spacer" />
      <button type="button" className="status-item status-button" data-testid="shortcuts-button" title="Keyboard shortcuts (F1)" onClick={() => window.dispatchEvent(new Event(SHORTCUTS_EVENT))}>
        Shortcuts
      </button>
      <ThemeSwitch />
    </footer>
  );
}
