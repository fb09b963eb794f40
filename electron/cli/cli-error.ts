/** A failure the CLI reports on stderr and exits with. */

/** Exit codes of `workbench eval`. */
export const EXIT = {
  /** Every column passed the threshold. */
  passed: 0,
  /** A column fell below the threshold. */
  belowThreshold: 1,
  /** Bad arguments, an unknown prompt, provider or version, a refused eval. */
  usage: 2,
  /** Stopped by Ctrl+C (128 + SIGINT). */
  interrupted: 130,
} as const;

/** A problem with what the user asked for: the message says what to fix; the CLI exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
