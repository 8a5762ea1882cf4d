/**
 * Whether a file name carries a content hash: the promise, made by the build that named it, that the bytes behind the
 * name never change (new content, new hash, new name). Only such names may be cached for a year.
 *
 * A name counts when one of its segments (the file name without its last extension, split at `.`, `-` and `_`) is
 * at least 8 hexadecimal characters, all lower or all upper case, with at least one digit and at least one letter:
 * `app.3f9a2c1b.js`, `main-3f9a2c1b.css`, `chunk.0a1b2c3d4e5f6a7b8c9d.js`, `3f9a2c1b.js`, `app.3f9a2c1b.js.map`.
 * Version numbers (`cart-0.0.1.js`, `main-0.0.2.css`, `jquery-3.7.1.min.js`), dates (`report-20240115.js`),
 * timestamps and build numbers (all digits), short git SHAs (7 characters) and words (`deadbeef`, all letters) do not.
 * A real 8-character hash that happens to be all digits (about 2 % of them) is missed: it is revalidated like any
 * other name, which costs a round trip, never a stale file. Folders play no part.
 */

const MIN_HASH_LENGTH = 8;
const HASH_SEGMENT = new RegExp(`^(?:[0-9a-f]{${MIN_HASH_LENGTH},}|[0-9A-F]{${MIN_HASH_LENGTH},})$`);

function isHashSegment(segment: string): boolean {
  return HASH_SEGMENT.test(segment) && /\d/.test(segment) && /[a-f]/i.test(segment);
}

/** `key` is an object key or a path ('/'-separated); only its file name is read. */
export function hasContentHash(key: string): boolean {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return stem.split(/[._-]/).some(isHashSegment);
}

/** The name with its content hash replaced by a placeholder (`js/app.3f9a2c1b.js` -> `js/app.<new hash>.js`). */
export function withNewHashPlaceholder(key: string): string {
  const slash = key.lastIndexOf('/') + 1;
  const name = key.slice(slash);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const replaced = stem.replace(/[^._-]+/g, (segment) => (isHashSegment(segment) ? '<new hash>' : segment));
  return key.slice(0, slash) + replaced + (dot > 0 ? name.slice(dot) : '');
}
