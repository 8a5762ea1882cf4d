/**
 * How long a browser may keep a response without asking again, from its Cache-Control. A name that is cached for a
 * day or more (or `immutable`) must not change content: browsers that have it keep the old copy.
 */

const ONE_DAY_SECONDS = 86_400;

/** `max-age` in seconds (the larger of max-age and s-maxage when both are given), undefined when absent. */
export function maxAgeSeconds(cacheControl: string): number | undefined {
  let longest: number | undefined;
  for (const match of cacheControl.matchAll(/(?:^|[,\s])(?:max-age|s-maxage)\s*=\s*"?(\d+)"?/gi)) {
    const seconds = Number(match[1]);
    longest = longest === undefined ? seconds : Math.max(longest, seconds);
  }
  return longest;
}

export function isImmutable(cacheControl: string): boolean {
  return /(?:^|[,\s])immutable(?:$|[,\s])/i.test(cacheControl);
}

/** `immutable`, or cached for a day or more, and not `no-cache`/`no-store` (which make any max-age moot). */
export function isLongLived(cacheControl: string): boolean {
  if (/(?:^|[,\s])no-(?:cache|store)(?:$|[,\s=])/i.test(cacheControl)) return false;
  return isImmutable(cacheControl) || (maxAgeSeconds(cacheControl) ?? 0) >= ONE_DAY_SECONDS;
}

/** "1 year", "30 days", "1 day": how long browsers may keep a copy, for warnings. */
export function describeLifetime(cacheControl: string): string {
  const seconds = maxAgeSeconds(cacheControl);
  if (seconds === undefined) return 'as long as they keep it';
  if (seconds >= 365 * ONE_DAY_SECONDS) {
    const years = Math.floor(seconds / (365 * ONE_DAY_SECONDS));
    return `up to ${years} year${years === 1 ? '' : 's'}`;
  }
  const days = Math.floor(seconds / ONE_DAY_SECONDS);
  if (days >= 1) return `up to ${days} day${days === 1 ? '' : 's'}`;
  const hours = Math.max(1, Math.floor(seconds / 3600));
  return `up to ${hours} hour${hours === 1 ? '' : 's'}`;
}
