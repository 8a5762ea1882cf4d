import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Pages without an extension (`about`, `account/order`) are recognised by their first bytes, as a browser would sniff
 * them: after an optional UTF-8 byte order mark, whitespace and HTML comments, a doctype or an `<html>` tag.
 * Fragments (`<div>…`) are not pages: they keep their rules' type.
 */

/** Bytes read from the start of an extensionless file: enough for a BOM, a licence comment and the doctype. */
export const SNIFF_BYTES = 4096;

const BOM = '\uFEFF';
const PAGE_START = /^(?:<!doctype\s+html[\s>]|<html[\s>])/i;

export function looksLikeHtmlPage(head: Uint8Array): boolean {
  let text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8');
  if (text.startsWith(BOM)) text = text.slice(1);
  for (;;) {
    text = text.trimStart();
    if (!text.startsWith('<!--')) break;
    const end = text.indexOf('-->', 4);
    // A comment longer than what was read: undecided, so not a page.
    if (end < 0) return false;
    text = text.slice(end + 3);
  }
  return PAGE_START.test(text);
}

/** The first `SNIFF_BYTES` of a file (fewer if it is shorter). */
export function readHead(absolutePath: string, bytes = SNIFF_BYTES): Buffer {
  const buffer = Buffer.alloc(bytes);
  const fd = openSync(absolutePath, 'r');
  try {
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** A path whose file name has no dot at all (`about`, `checkout/confirm`; not `robots.txt`, not `.htaccess`). */
export function hasNoExtension(path: string): boolean {
  return !path.slice(path.lastIndexOf('/') + 1).includes('.');
}
