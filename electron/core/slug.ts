/** Slugs: the stable, file-name-safe handle of a prompt (`Customer support` -> `customer-support`). */

/** The longest slug produced, before any `-2` suffix. */
const MAX_SLUG_LENGTH = 64;

/** Lower-case ASCII letters and digits joined by single dashes; `prompt` when nothing is left. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug === '' ? 'prompt' : slug;
}

/** The slug of `text`, suffixed `-2`, `-3`... until `isTaken` says it is free. */
export function uniqueSlug(text: string, isTaken: (slug: string) => boolean): string {
  const base = slugify(text);
  let candidate = base;
  for (let suffix = 2; isTaken(candidate); suffix += 1) candidate = `${base}-${suffix}`;
  return candidate;
}
