/**
 * Notices: what a provider changed about a request to have it accepted (a parameter the model
 * does not take, left out), kept with the run and its cached answer so the user sees why the
 * answer came from a slightly different request than the one asked for.
 */

/** Notices as stored: null when there are none. */
export function noticesJson(notices: readonly string[]): string | null {
  return notices.length === 0 ? null : JSON.stringify(notices);
}

/** Stored notices back as a list. */
export function parseNotices(json: string | null): string[] {
  return json === null ? [] : (JSON.parse(json) as string[]);
}
