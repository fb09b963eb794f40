/**
 * What a stopped run says, in the words its status uses ("Stopped"), wherever it is read: the
 * column, History, the export and the CLI.
 *
 * Runs stored before these words were stored with the provider layer's "The request was
 * cancelled"; they are read with today's words, so old and new runs read alike.
 */

import type { RunStatus } from '../../../shared/types';

/** The error of a run the user stopped (Stop, Stop all, cancelling an eval, Ctrl+C in the CLI). */
export const STOPPED_ERROR = 'Stopped by you before it finished';

/** The error of a run cut short because the engine closed under it. */
export const CLOSED_ERROR = 'Stopped: the app closed before this run finished';

/** What runs stored before today's words say, and what they say now. */
const EARLIER_WORDS = new Map<string, string>([
  ['The request was cancelled', STOPPED_ERROR],
  ['Cancelled: the app closed before this run finished', CLOSED_ERROR],
]);

/** A stored run's error as it reads today: a stopped run's in today's words, any other as stored. */
export function storedErrorText(status: RunStatus, error: string | null): string | null {
  if (status !== 'cancelled' || error === null) return error;
  return EARLIER_WORDS.get(error) ?? error;
}
