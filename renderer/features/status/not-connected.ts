/**
 * What an action that needs the engine says while the window is cut off from it.
 */

import { assertNever } from '../../../shared/assert-never';
import type { ConnectionSlice } from './connection-slice';

/**
 * Why an action that needs the engine (save a version, run) cannot act now; null while
 * connected. Its button shows it, and its shortcut says it in a toast, rather than waiting.
 */
export function notConnectedText(state: Pick<ConnectionSlice, 'connection' | 'offlineReason'>): string | null {
  if (state.connection === 'connected') return null;
  switch (state.offlineReason) {
    case 'host-down':
      return 'Not connected: the workbench host is not running';
    case 'host-restarted':
      return 'Not connected: the workbench host was restarted; open the address it printed';
    case null:
      return 'Not connected to the workbench host';
    default:
      return assertNever(state.offlineReason, 'offline reason');
  }
}
