/**
 * Addresses without the user name and password they may carry (`http://me:secret@host`, from
 * OLLAMA_HOST say): what is stored with a run, cached, exported or said in an error message.
 */

/** The user-info part (`me:secret@`) of every URL in `text`. */
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

/** `text` (an address, or a message naming some) with every URL's user name and password taken out. */
export function withoutCredentials(text: string): string {
  return text.includes('@') ? text.replace(USER_INFO, '$1') : text;
}
