/**
 * CloudFront paths for the changed keys, collapsed into wildcards when there are many: the folder holding the most
 * changed paths becomes `folder/*` first, until at most `max` paths remain (in the end `/*`).
 */
const DEFAULT_MAX_INVALIDATION_PATHS = 10;

export function pathsForKeys(keys: string[]): string[] {
  const paths = new Set<string>();
  for (const key of keys) {
    const path = '/' + key.split('/').map(encodeSegment).join('/');
    paths.add(path);
    // index.html is also served as its folder (CloudFront default root object, S3 website index).
    if (/(^|\/)index\.html$/.test(key)) paths.add(path.slice(0, -'index.html'.length));
  }
  return [...paths].sort();
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%40/g, '@').replace(/%2B/g, '+').replace(/\*/g, '%2A');
}

function parentOf(path: string): string {
  const trimmed = path.endsWith('/*') ? path.slice(0, -2) : path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}

function covers(wildcard: string, path: string): boolean {
  return path.startsWith(wildcard.slice(0, -1));
}

export function collapsePaths(input: string[], max = DEFAULT_MAX_INVALIDATION_PATHS): string[] {
  let paths = [...new Set(input)].sort();
  if (paths.includes('/*')) return ['/*'];
  const wildcards = paths.filter((path) => path.endsWith('/*'));
  paths = paths.filter((path) => !wildcards.some((w) => w !== path && covers(w, path)));
  while (paths.length > max) {
    const byParent = new Map<string, number>();
    for (const path of paths) {
      const parent = parentOf(path);
      byParent.set(parent, (byParent.get(parent) ?? 0) + 1);
    }
    const folder = busiestFolder(byParent);
    if (folder === '/' || folder === '') return ['/*'];
    const wildcard = `${folder}*`;
    paths = [...paths.filter((path) => !covers(wildcard, path)), wildcard].sort();
  }
  return paths;
}

/** The folder holding the most paths; on a tie the deeper one, then the first by name. */
function busiestFolder(byParent: Map<string, number>): string {
  let best: [string, number] | undefined;
  for (const entry of byParent) if (!best || compareFolders(entry, best) < 0) best = entry;
  return (best as [string, number])[0];
}

function compareFolders([a, countA]: [string, number], [b, countB]: [string, number]): number {
  return countB - countA || b.split('/').length - a.split('/').length || (a < b ? -1 : 1);
}
