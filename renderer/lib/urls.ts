/** Small helpers for endpoint URLs typed in settings. */

/** True for a URL on this machine (localhost, 127.0.0.0/8, ::1), where a model server costs nothing per token. */
export function isLoopbackHost(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}
