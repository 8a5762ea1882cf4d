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

const DEFAULT_CACHE_CONTROL: Rule[] = [
  { pattern: '**/*.html', value: PAGE_CACHE_CONTROL },
  { pattern: '**/*.{js,css}', value: 'public, max-age=31536000, immutable' },
  { pattern: '**', value: 'public, max-age=3600' },
];

export function compileRules(inputName: string, rules: Rule[]): CompiledRule[] {
  return rules.map((rule) => {
    try {
      const regex = globToRegExp(rule.pattern);
      return { ...rule, test: (key: string) => regex.test(key) };
    } catch (error) {
      throw new InputError(
        `Input '${inputName}' has an invalid pattern '${rule.pattern}': ${(error as Error).message}`,
      );
    }
  });
}

/** The user's Cache-Control rules come first; the defaults still apply to whatever they do not match. */
export function cacheControlRules(userRules: Rule[]): CompiledRule[] {
  const defaults = compileRules('cache-control', DEFAULT_CACHE_CONTROL).map((rule) => ({ ...rule, isDefault: true }));
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
 * Files a browser must revalidate, and every HTML page: uploaded only after every asset is in place, and invalidated
 * when they change.
 */
export function isEntryPoint(key: string, cacheControl: string, contentType = ''): boolean {
  return (
    /\.html?$/i.test(key) || /^text\/html\b/i.test(contentType) || /no-cache|no-store|max-age=0\b/i.test(cacheControl)
  );
}
