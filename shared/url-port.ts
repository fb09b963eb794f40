/**
 * Ports in addresses as people type them: a port past 65535 makes the address no URL at all,
 * and port 0 is one nothing listens on. Said as a port problem, not as "not a URL".
 *
 * Shared by the contract and the engine, which check base URLs and Ollama hosts alike.
 */

/** The highest TCP port. */
const MAX_PORT = 65_535;

/**
 * Why the port written in `address` (`http://host:99999/v1`, `host:0`) cannot be dialled, as a
 * rule the field's name goes before (`issueSentence`): "Must name a port from 1 to 65535 (99999
 * is not one)"; null when it has none or a good one.
 */
export function portProblem(address: string): string | null {
  const written = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/\s]*@)?(?:\[[^\]]*\]|[^:/\s]*):(\d+)(?:[/?#]|$)/i.exec(address.trim())?.[1];
  if (written === undefined) return null;
  const port = Number(written);
  return port >= 1 && port <= MAX_PORT ? null : `Must name a port from 1 to ${MAX_PORT} (${written} is not one)`;
}
