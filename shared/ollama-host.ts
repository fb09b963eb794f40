/**
 * An Ollama host as people write it, read the same way wherever it is written: `OLLAMA_HOST`
 * and the Host field of Settings.
 *
 * Ollama reads the variable as its listen address too, so it may be `0.0.0.0:11434` (which
 * means "this machine" to a client), `host`, `host:port`, `:port` or a full URL.
 */

/** The port Ollama listens on unless told otherwise. */
const OLLAMA_PORT = '11434';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * `value` as an http:// or https:// URL a client can dial, without a trailing slash: a host
 * without a scheme gets `http://` and, without a port, Ollama's; null when it cannot be one.
 */
export function ollamaHostUrl(value: string): string | null {
  const raw = value.trim();
  if (raw === '' || /\s/.test(raw)) return null;
  const hasScheme = SCHEME.test(raw);
  const withScheme = hasScheme ? raw : `http://${raw.startsWith(':') ? `127.0.0.1${raw}` : raw}`;
  if (!URL.canParse(withScheme)) return null;
  const url = new URL(withScheme);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  if (!url.port && !hasScheme) url.port = OLLAMA_PORT;
  return url.toString().replace(/\/+$/, '');
}
