/**
 * Notices from a provider about a request it changed to have it accepted: a parameter the model
 * does not take, left out ("Reasoning effort not sent: llama3.2 cannot think"); and from the
 * resilience layer, each time it sent the request again ("Sent again after 3 s: OpenAI is rate
 * limiting requests (429)"). The caller sees them beside the answer, so a comparison never
 * silently ran on a different request than the one asked for, nor waited without saying why.
 *
 * Like attempt timing, a notice travels by the request object, which every layer passes to the
 * provider unchanged; a provider that is asked again (a retry) may say the same thing again, and
 * the caller keeps each notice once. Each retry is an event of its own, though: two retries that
 * read alike ("Sent again at once: … (500)") are both kept (`isEvent`).
 */

import type { ChatRequest } from './provider';

/** What the caller is told: the text, and whether it tells of an event (kept each time) rather than a state (kept once). */
export type NoticeListener = (notice: string, isEvent: boolean) => void;

const watchers = new WeakMap<ChatRequest, NoticeListener>();

/** Calls `onNotice` with each notice a provider gives about `request`. */
export function watchNotices(request: ChatRequest, onNotice: NoticeListener): void {
  watchers.set(request, onNotice);
}

/** For a provider: tells the caller what it changed about `request`; `isEvent` for what happened once more (a retry), not a fact repeated. */
export function notice(request: ChatRequest, text: string, isEvent = false): void {
  watchers.get(request)?.(text, isEvent);
}

/** How a retry is said: one that went out, and one a stopped run never sent. */
const SENT_AGAIN = 'Sent again ';
const NOT_SENT_AGAIN = 'Not sent again ';

/** The notice of a retry that went out (`when`: "after 3 s", "at once"). */
export function sentAgainNotice(when: string, reason: string): string {
  return `${SENT_AGAIN}${when}: ${reason}`;
}

/** The notice of a retry a run ended before sending (`during`: "the 3 s wait"). */
export function notSentAgainNotice(during: string, reason: string): string {
  return `${NOT_SENT_AGAIN}(ended during ${during}): ${reason}`;
}

/**
 * Whether a notice tells of a retry: what happened to one request, not what was changed about
 * it; an answer from the cache, for which no request went out, leaves it out.
 */
export function isRetryNotice(text: string): boolean {
  return text.startsWith(SENT_AGAIN) || text.startsWith(NOT_SENT_AGAIN);
}
