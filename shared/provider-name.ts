/**
 * Provider names: the model picker, run chips, columns, history and error messages tell
 * providers apart by name alone, so no two may share one. Names are compared trimmed, with
 * runs of spaces as one and case ignored ("lm studio" is "LM Studio").
 *
 * Shared by the engine (`providers:save` refuses a taken name) and the renderer (a preset
 * added twice starts on a free name, and a card says when an older database holds two).
 */

import { firstFreeName, nameKey } from './unique-name';

/** The form of a name two providers may not share. */
export function providerNameKey(label: string): string {
  return nameKey(label);
}

/** Why a name is refused: another provider, called `taken`, has it already. */
export function takenNameText(taken: string): string {
  return `A provider named “${taken}” already exists: give this one another name`;
}

/** The first of `label`, "label 2", "label 3"... that none of `names` has. */
export function freeProviderName(label: string, names: readonly string[]): string {
  return firstFreeName(names, (number) => (number === 1 ? label : `${label.trim()} ${number}`));
}
