/** Errors that cross the bridge: a stable code a program can act on and a message a person can read. */

/** Why a call failed. */
export type ErrorCode = 'invalid-input' | 'not-found' | 'conflict' | 'unavailable' | 'internal';

/** A failure as it travels over IPC or the WebSocket. */
export interface WireError {
  code: ErrorCode;
  message: string;
}

/** An error the engine raises on purpose; its message is meant for the user. */
export class WorkbenchError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'WorkbenchError';
    this.code = code;
  }
}

/** Turns anything thrown into a wire error; an unexpected one keeps its message, marked as internal. */
export function toWireError(error: unknown): WireError {
  if (error instanceof WorkbenchError) return { code: error.code, message: error.message };
  return { code: 'internal', message: `Internal error: ${error instanceof Error ? error.message : String(error)}` };
}
