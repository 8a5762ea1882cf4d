import type { Json } from './json.js';

/** List* paging: `nextToken` is the position of the next item, base64url-encoded. */

export interface Page<T> {
  page: T[];
  nextToken?: string;
}

/** Up to `limit` items from the position `nextToken` names, and the token of the page after, if there is one. */
export function pageAfter<T>(items: T[], nextToken: unknown, limit: number): Page<T> {
  const start = typeof nextToken === 'string' ? Number(Buffer.from(nextToken, 'base64url').toString('utf8')) || 0 : 0;
  const page = items.slice(start, start + limit);
  return start + limit < items.length
    ? { page, nextToken: Buffer.from(String(start + limit)).toString('base64url') }
    : { page };
}

/** An ECS List* page: `maxResults` items, at most `max`. */
export function page<T>(items: T[], input: Json, max = 100): Page<T> {
  return pageAfter(items, input.nextToken, Math.min(input.maxResults ?? max, max));
}
