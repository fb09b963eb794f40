/** Errors that cross the bridge: a stable code a program can act on and a message a person can read. */

/**
 * Why a call failed. `unavailable`: the host (or a program it needs) cannot be reached now, so the
 * call may be tried again as it is; `storage`: the database failed in use (damaged, full, read-only,
 * moved), which the user has to put right, as the message says.
 */
export type ErrorCode = 'invalid-input' | 'not-found' | 'conflict' | 'unavailable' | 'storage' | 'internal';

/** One input field a call was refused for. */
export interface FieldIssue {
  /** Where the field is in the input: `baseUrl`, `content.parameters.temperature`; empty for the input as a whole. */
  path: string;
  /** What is wrong with it, as the contract says it (see `issueSentence`). */
  rule: string;
}

/** A failure as it travels over IPC or the WebSocket. */
export interface WireError {
  code: ErrorCode;
  message: string;
  /** For input the contract refused: each bad field, so a form can name it by its own label. */
  issues?: FieldIssue[];
}

/** An error the engine raises on purpose; its message is meant for the user. */
export class WorkbenchError extends Error {
  readonly code: ErrorCode;
  /** The field the engine refused, when one is to blame, so a form can show the message beside it. */
  readonly issues: FieldIssue[] | undefined;

  constructor(code: ErrorCode, message: string, issues?: FieldIssue[]) {
    super(message);
    this.name = 'WorkbenchError';
    this.code = code;
    this.issues = issues;
  }
}

/** Turns anything thrown into a wire error; an unexpected one keeps its message, marked as internal. */
export function toWireError(error: unknown): WireError {
  if (error instanceof WorkbenchError) return { code: error.code, message: error.message, ...(error.issues && { issues: error.issues }) };
  return { code: 'internal', message: `Internal error: ${error instanceof Error ? error.message : String(error)}` };
}

/** Zod's wording of a bound: "Too small: expected number to be >0", "Too big: expected array to have <=16 items". */
const ZOD_BOUND = /^Too (?:small|big): expected (\w+) to (?:be|have) (>=|>|<=|<)(-?\d+(?:\.\d+)?)(?: (?:items|characters))?$/;
const BOUND_WORDS: Record<string, string> = { '>=': 'at least', '>': 'more than', '<=': 'at most', '<': 'less than' };

/**
 * Zod's wording of a number, list or text bound as a rule in words, to follow the field's name:
 * "Must be more than 0", "Must have at most 16 items", "Must be at least 1 character long"; any
 * other rule as it is.
 */
export function boundRule(rule: string): string {
  const match = ZOD_BOUND.exec(rule);
  if (match === null) return rule;
  const [, kind, operator, limit] = match;
  const words = `${BOUND_WORDS[operator]} ${limit}`;
  const one = Number(limit) === 1;
  if (kind === 'array' || kind === 'set') return `Must have ${words} item${one ? '' : 's'}`;
  if (kind === 'string') return `Must be ${words} character${one ? '' : 's'} long`;
  return `Must be ${words}`;
}

/** Zod's own messages, which say what is wrong but not with what. */
const ZOD_WORDING = /^(?:Invalid|Too big|Too small|Unrecognized)\b/;

/**
 * One sentence about a bad field, given the field's name as people read it: a rule that starts
 * with "Must" follows the name ("Base URL must be an http:// or https:// URL"), a bound zod
 * words is said in words ("Temperature must be at most 2"), zod's other words come after it
 * ("Field: Invalid input"), and a rule written as a sentence of its own ("Name must not be
 * empty", "Only variables whose names end in _API_KEY can hold a key") stands as written.
 */
export function issueSentence(name: string, rule: string): string {
  const worded = boundRule(rule);
  if (/^Must\b/.test(worded)) return `${name} must${worded.slice('Must'.length)}`;
  if (name !== '' && ZOD_WORDING.test(worded)) return `${name}: ${worded}`;
  return worded;
}
