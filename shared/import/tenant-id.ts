import { hasChinese } from './words';

/** FNV-1a: tiny, stable across runs and platforms, good enough to tell tenant names apart. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * Tenant id for a row that names none: an ASCII slug of the name ("Acme Corp" → "acme-corp"),
 * or `t-` + a hash of the name when the name is Chinese (or has no ASCII letters), so it is stable.
 */
export function slugFromName(name: string): string {
  const slug = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return hasChinese(name) || slug === '' ? `t-${fnv1a(name.trim())}` : slug;
}
