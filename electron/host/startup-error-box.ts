/**
 * What the desktop app’s error box says when it cannot start, so the words can be tested
 * without Electron (main.ts only shows them).
 */

import { WorkbenchError } from '../../shared/errors';

/** An error box: its title and its text. */
export interface ErrorBox {
  title: string;
  message: string;
}

/** The box’s title, whatever stopped the start. */
export const STARTUP_ERROR_TITLE = 'Prompt Workbench could not start';

/**
 * The error box for `error`, thrown while starting: a data folder or database that cannot be
 * used is said in the engine’s own words (the file or folder, what is wrong, what to do);
 * anything else says what it was and where to report it, rather than closing without a word.
 */
export function startupErrorBox(error: unknown): ErrorBox {
  if (error instanceof WorkbenchError) return { title: STARTUP_ERROR_TITLE, message: error.message };
  const said = error instanceof Error ? error.message : String(error);
  return {
    title: STARTUP_ERROR_TITLE,
    message: `Something unexpected stopped it: ${said}. Start it again; if this happens each time, report it with these words.`,
  };
}
