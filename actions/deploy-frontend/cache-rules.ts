import { hasContentHash } from './content-hash.js';
import { globToRegExp } from './glob.js';
import { InputError, type Rule } from '../../lib/runner/inputs.js';

/** `GLOB: VALUE` rules, first match wins. Compiled once; an invalid glob is an input error. */
export interface CompiledRule extends Rule {
  test: (key: string) => boolean;
  /** One of this action's defaults rather than the user's. */
  isDefault?: boolean;
}

/** What a page gets unless the user's rules say otherwise. */
export const PAGE_CACHE_CONTROL = 'no-cache, must-revalidate';

/** A name whose content never changes (content-hashed): browsers and CloudFront keep it for a year, unasked. */
export const LONG_LIVED_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * JS and CSS under any other name: stale at once, so browsers and CloudFront ask again on every use with the ETag
 * they hold (If-None-Match) and get a bodiless 304 while it is unchanged. An in-place edit reaches the next page load.
 * `max-age=0` rather than `no-cache`: a cacheable response that expires at once is what CloudFront keeps and
 * revalidates with a conditional GET, where it groups `no-cache` with `no-store` and `private`; and here `no-cache`
 * marks an entry point (uploaded after every asset, see isEntryPoint), which a script is not.
 */
export const REVALIDATE_CACHE_CONTROL = 'public, max-age=0, must-revalidate';

/** How the content-hash rule is shown among the globs (it is a test of the name, not a glob). */
export const CONTENT_HASHED = 'content-hashed names';

const DEFAULT_CACHE_CONTROL: Rule[] = [
  { pattern: '**/*.html', value: PAGE_CACHE_CONTROL },
  { pattern: CONTENT_HASHED, value: LONG_LIVED_CACHE_CONTROL },
  { pattern: '**/*.{js,css}', value: REVALIDATE_CACHE_CONTROL },
  { pattern: '**', value: 'public, max-age=3600' },
];

export function compileRules(inputName: string, rules: Rule[]): CompiledRule[] {
  return rules.map((rule) => compileRule(inputName, rule));
}

function compileRule(inputName: string, rule: Rule): CompiledRule {
  try {
    const regex = globToRegExp(rule.pattern);
    return { ...rule, test: (key: string) => regex.test(key) };
  } catch (error) {
    throw new InputError(`Input '${inputName}' has an invalid pattern '${rule.pattern}': ${(error as Error).message}`);
  }
}

/** The user's Cache-Control rules come first; the defaults still apply to whatever they do not match. */
export function cacheControlRules(userRules: Rule[]): CompiledRule[] {
  const defaults = DEFAULT_CACHE_CONTROL.map((rule): CompiledRule =>
    rule.pattern === CONTENT_HASHED
      ? { ...rule, test: hasContentHash, isDefault: true }
      : { ...compileRule('cache-control', rule), isDefault: true },
  );
  return [...compileRules('cache-control', userRules), ...defaults];
}

export function firstMatch(rules: CompiledRule[], key: string): CompiledRule | undefined {
  return rules.find((rule) => rule.test(key));
}

export function cacheControlFor(rules: CompiledRule[], key: string): string {
  return firstMatch(rules, key)?.value ?? 'public, max-age=3600';
}

/** A page recognised by its content (no extension): the user's first matching rule, else the page default. */
export function cacheControlForPage(rules: CompiledRule[], key: string): string {
  return rules.find((rule) => !rule.isDefault && rule.test(key))?.value ?? PAGE_CACHE_CONTROL;
}

/**
 * Every HTML page, and files the rules mark `no-cache` or `no-store` (a service worker, a config file that names
 * assets): uploaded only after every asset is in place, and invalidated when they change. A revalidated asset
 * (`max-age=0, must-revalidate`, the default for JS and CSS without a content hash) stays an asset: pages may load it.
 */
export function isEntryPoint(key: string, cacheControl: string, contentType = ''): boolean {
  return /\.html?$/i.test(key) || /^text\/html\b/i.test(contentType) || /no-cache|no-store/i.test(cacheControl);
}
