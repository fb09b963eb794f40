/**
 * Which environment variables a provider's key may be read from.
 *
 * The engine sends the value of the variable a provider names as its Bearer key, to whatever
 * base URL that provider has. Left open, any variable (PATH, AWS_SECRET_ACCESS_KEY, a
 * database password) could be sent to any server, so only names made for API keys are read:
 * capitals, digits and underscores ending in `_API_KEY` (OPENAI_API_KEY, GROQ_API_KEY...).
 *
 * Shared by the contract (both transports refuse other names), the engine (a name stored
 * before this rule is not read either) and the renderer (the card says why).
 */

/** The names a key may be read from. */
const KEY_VARIABLE_NAME = /^[A-Z][A-Z0-9_]*_API_KEY$/;

/** Why a name is refused, as the user reads it. */
export const KEY_VARIABLE_RULE = 'Only variables named like OPENAI_API_KEY (capitals, digits and _, ending in _API_KEY) can hold a key';

/** True when a provider may read its key from the environment variable `name`. */
export function isKeyVariableName(name: string): boolean {
  return KEY_VARIABLE_NAME.test(name);
}

/** What a provider set to read its key from `name`, a name refused, says about it. */
export function unreadKeyVariableText(name: string): string {
  return `${name} is not read: only variables named like OPENAI_API_KEY (capitals, digits and _, ending in _API_KEY) can hold a key`;
}

/**
 * What to do about a key a provider reads from the variable `name` and finds unset, said alike by
 * a run's error, the model list's and the chip's tooltip: set it, or enter a key instead.
 */
export function setKeyVariableAdvice(name: string): string {
  return `set ${name}, or enter a key in Settings › Providers`;
}
