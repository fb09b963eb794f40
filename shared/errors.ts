/** Errors that cross the bridge: a stable code a program can act on and a message a person can read. */

/** Why a call failed. */
export type ErrorCode = 'invalid-input' | 'not-found' | 'conflict' | 'unavailable' | 'internal';

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

/** Zod's own messages, which say what is wrong but not with what. */
const ZOD_WORDING = /^(?:Invalid|Too big|Too small|Unrecognized)\b/;

/**
 * One sentence about a bad field, given the field's name as people read it: a rule that starts
 * with "Must" follows the name ("Base URL must be an http:// or https:// URL"), zod's own words
 * come after it ("Temperature: Too big: expected number to be <=2"), and a rule written as a
 * sentence of its own ("Name must not be empty", "Only variables whose names end in _API_KEY can
 * hold a key") stands as written.
 */
export function issueSentence(name: string, rule: string): string {
  if (/^Must\b/.test(rule)) return `${name} must${rule.slice('Must'.length)}`;
  if (name !== '' && ZOD_WORDING.test(rule)) return `${name}: ${rule}`;
  return rule;
}
