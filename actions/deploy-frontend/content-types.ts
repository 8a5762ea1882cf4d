import db from 'mime-db';
import { firstMatch, type CompiledRule } from './cache-rules.js';

const SOURCE_RANK: Record<string, number> = { iana: 3, apache: 2, nginx: 1 };

/** Extension -> type from mime-db, preferring IANA-registered types (so .js is text/javascript, .mp4 video/mp4). */
const byExtension: Map<string, string> = (() => {
  const chosen = new Map<string, { type: string; rank: number }>();
  for (const [type, entry] of Object.entries(db)) {
    // IANA first; between equals, a media type (video/mp4) beats a generic one (application/mp4).
    const rank = (SOURCE_RANK[entry.source ?? ''] ?? 0) * 2 + (/^(video|audio|image|font)\//.test(type) ? 1 : 0);
    for (const ext of entry.extensions ?? []) {
      const current = chosen.get(ext);
      if (!current || rank > current.rank) chosen.set(ext, { type, rank });
    }
  }
  return new Map([...chosen].map(([ext, { type }]) => [ext, type]));
})();

const UNKNOWN_TYPE = 'application/octet-stream';
/** What a page recognised by its content is sent as. */
export const PAGE_CONTENT_TYPE = 'text/html; charset=utf-8';

function isText(type: string): boolean {
  return (
    type.startsWith('text/') ||
    /^application\/(json|javascript|xml|manifest\+json|ld\+json)$/.test(type) ||
    /\+(json|xml)$/.test(type) ||
    db[type]?.charset?.toUpperCase() === 'UTF-8'
  );
}

function withCharset(type: string): string {
  return isText(type) && !/;\s*charset=/i.test(type) ? `${type}; charset=utf-8` : type;
}

export interface ContentTypeDecision {
  contentType: string;
  /** True when neither an override nor the MIME database knew the file. */
  unknown: boolean;
}

export function contentTypeFor(key: string, overrides: CompiledRule[] = []): ContentTypeDecision {
  const override = firstMatch(overrides, key);
  if (override) return { contentType: withCharset(override.value), unknown: false };
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const type =
    dot > 0 || (dot === 0 && name.length > 1) ? byExtension.get(name.slice(dot + 1).toLowerCase()) : undefined;
  return type ? { contentType: withCharset(type), unknown: false } : { contentType: UNKNOWN_TYPE, unknown: true };
}
