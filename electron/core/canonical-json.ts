/**
 * Canonical JSON: object keys sorted at every depth and `undefined` members left out, so equal
 * values always give equal text (and equal hashes). Content hashes of prompt versions and the
 * response cache's keys are made from it, so its output must never change.
 *
 * The text is exactly what `JSON.stringify` writes with a replacer that swaps each object for a
 * copy with sorted keys (as this code once did); it is written here in one pass instead, without
 * those copies, since a cache key is computed for every cell of a batch.
 */

/** The canonical JSON text of `value`; undefined when `value` itself has no JSON form (undefined, a function). */
export function canonicalJson(value: unknown): string {
  return write(value, '') as string;
}

/** One value as `JSON.stringify` writes it, keys sorted; undefined where JSON leaves the member out. */
function write(value: unknown, key: string): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    case 'bigint':
      // As JSON.stringify does.
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) text += ',';
      text += write(value[index], String(index)) ?? 'null';
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  let isFirst = true;
  for (const member of sortedKeys(record)) {
    const written = write(record[member], member);
    if (written === undefined) continue;
    text += `${isFirst ? '' : ','}${JSON.stringify(member)}:${written}`;
    isFirst = false;
  }
  return `${text}}`;
}

/**
 * The keys of `record` in the order a copy built by inserting them sorted would list them:
 * array-index keys ("0", "7", "10") first in numeric order, as JavaScript always lists them,
 * then the others sorted. `Object.keys` already lists the array-index keys first, in order.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  let indexKeys = 0;
  while (indexKeys < keys.length && isArrayIndex(keys[indexKeys])) indexKeys += 1;
  if (indexKeys === 0) return keys.sort();
  return [...keys.slice(0, indexKeys), ...keys.slice(indexKeys).sort()];
}

/** True for "0", "1", ... "4294967294": the keys JavaScript lists first, in numeric order. */
function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (first < 48 || first > 57) return false;
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4_294_967_295;
}
