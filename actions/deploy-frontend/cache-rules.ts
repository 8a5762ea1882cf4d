import { globToRegExp } from './glob.js';
import { InputError, type Rule } from '../../lib/runner/inputs.js';

/** `GLOB: VALUE` rules, first match wins. Compiled once; an invalid glob is an input error. */
export interface CompiledRule extends Rule {
  test: (key: string) => boolean;
}

const DEFAULT_CACHE_CONTROL: Rule[] = [
  { pattern: '**/*.html', value: 'no-cache, must-revalidate' },
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
  return compileRules('cache-control', [...userRules, ...DEFAULT_CACHE_CONTROL]);
}

export function firstMatch(rules: CompiledRule[], key: string): CompiledRule | undefined {
  return rules.find((rule) => rule.test(key));
}

export function cacheControlFor(rules: CompiledRule[], key: string): string {
  return firstMatch(rules, key)?.value ?? 'public, max-age=3600';
}

/** Files a browser must revalidate: uploaded only after every asset is in place, and invalidated when they change. */
export function isEntryPoint(key: string, cacheControl: string): boolean {
  return /\.html?$/i.test(key) || /no-cache|no-store|max-age=0\b/i.test(cacheControl);
}
