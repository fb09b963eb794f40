/**
 * Addresses and the user name and password they may carry (`http://me:secret@host`, from
 * OLLAMA_HOST say). What is stored with a run, cached, exported or said in an error message
 * never has them; what is dialled sends them as a Basic `Authorization` header, as Ollama's own
 * client does (fetch refuses a URL with credentials in it).
 */

/** The user-info part (`me:secret@`) of every URL in `text`. */
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

/** `text` (an address, or a message naming some) with every URL's user name and password taken out. */
export function withoutCredentials(text: string): string {
  return text.includes('@') ? text.replace(USER_INFO, '$1') : text;
}

/**
 * An address split into the URL to dial (without credentials, no trailing slash) and the
 * `Authorization` header its user name and password make (null when it has none). The parts
 * are percent-decoded first, so `p%40ss` sends `p@ss`.
 */
export function splitCredentials(address: string): { url: string; authorization: string | null } {
  const trimmed = address.replace(/\/+$/, '');
  if (!trimmed.includes('@')) return { url: trimmed, authorization: null };
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return { url: withoutCredentials(trimmed), authorization: null };
  }
  if (parsed.username === '' && parsed.password === '') return { url: trimmed, authorization: null };
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const authorization = `Basic ${Buffer.from(`${decode(parsed.username)}:${decode(parsed.password)}`, 'utf8').toString('base64')}`;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString().replace(/\/+$/, ''), authorization };
}
