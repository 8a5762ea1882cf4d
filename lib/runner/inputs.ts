/** A problem with what the user passed in: reported as one line, before any AWS call. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Something an input names does not exist, as the domain code found out: `Input 'service': service 'web' was not…`. */
export function notFoundInput(missing: { what: string; detail: string }): InputError {
  return new InputError(`Input '${missing.what}': ${missing.detail}`);
}

type Source = (name: string) => string;

/**
 * The runner passes input `timeout-minutes` as INPUT_TIMEOUT-MINUTES (what @actions/core's getInput reads). Read here
 * without @actions/core so that every input is checked before the heavy modules are even loaded.
 */
const fromRunner: Source = (name) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';

/** Reads typed inputs; `source` is swappable so the parsing is testable without the runner. */
export class Inputs {
  constructor(private readonly source: Source = fromRunner) {}

  raw(name: string): string {
    return this.source(name).trim();
  }

  string(name: string, options: { required?: boolean; default?: string } = {}): string {
    const value = this.raw(name);
    if (value !== '') return value;
    if (options.required) throw new InputError(`Input '${name}' is required and was not given`);
    return options.default ?? '';
  }

  optionalString(name: string): string | undefined {
    const value = this.raw(name);
    return value === '' ? undefined : value;
  }

  boolean(name: string, defaultValue: boolean): boolean {
    const value = this.raw(name).toLowerCase();
    if (value === '') return defaultValue;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new InputError(`Input '${name}' must be 'true' or 'false', got '${this.raw(name)}'`);
  }

  number(name: string, options: { min: number; max: number; default?: number; integer?: boolean }): number {
    const text = this.raw(name);
    if (text === '' && options.default !== undefined) return options.default;
    const value = Number(text);
    const kind = options.integer ? 'a whole number' : 'a number';
    const valid = text !== '' && Number.isFinite(value) && (!options.integer || Number.isInteger(value));
    if (!valid || value < options.min || value > options.max) {
      throw new InputError(`Input '${name}' must be ${kind} between ${options.min} and ${options.max}, got '${text}'`);
    }
    return value;
  }

  /** An absolute URL with one of `schemes` (`['http', 'https']`), or undefined when the input is not given. */
  optionalUrl(name: string, schemes: readonly string[]): string | undefined {
    const value = this.optionalString(name);
    if (value === undefined || schemes.includes(schemeOf(value) ?? '')) return value;
    const allowed = schemes.map((scheme) => `${scheme}://`).join(' or ');
    throw new InputError(`Input '${name}' must be an ${allowed} URL, got '${value}'`);
  }

  optionalNumber(name: string, options: { min: number; max: number; integer?: boolean }): number | undefined {
    return this.raw(name) === '' ? undefined : this.number(name, options);
  }

  choice<T extends string>(name: string, choices: readonly T[], defaultValue: T): T {
    const value = this.raw(name);
    if (value === '') return defaultValue;
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new InputError(`Input '${name}' must be one of ${choices.join(', ')}, got '${value}'`);
  }

  /** Multiline `KEY=VALUE` pairs; blank lines and `#` comments are skipped; values may contain '='. */
  keyValues(name: string): KeyValue[] {
    return parseKeyValues(name, this.raw(name));
  }

  /** A list of names separated by commas and/or newlines. */
  list(name: string): string[] {
    return this.raw(name)
      .split(/[\n,]/)
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  /** Multiline `PATTERN: VALUE` rules (the value may itself contain ':'), in order. */
  rules(name: string, options: { default?: Rule[] } = {}): Rule[] {
    const text = this.raw(name);
    if (text === '') return options.default ?? [];
    return parseRules(name, text);
  }
}

function schemeOf(text: string): string | undefined {
  try {
    return new URL(text).protocol.replace(/:$/, '');
  } catch {
    return undefined;
  }
}

/**
 * The input that names one item among several (`container` of a task definition's containers), refused as the domain
 * code found it: the named item is not there, or none was named and there is not exactly one to take.
 */
export function choiceInput(
  name: string,
  refused: { within: string; items: string[]; named?: string; candidates: string[] },
): InputError {
  const items = `${name}s: ${refused.items.join(', ')}`;
  if (refused.named !== undefined) {
    return new InputError(`Input '${name}' names '${refused.named}', which is not in ${refused.within} (${items})`);
  }
  if (refused.candidates.length === 0) {
    return new InputError(`${refused.within} has no essential ${name}: set input '${name}' (${items})`);
  }
  return new InputError(
    `${refused.within} has ${refused.candidates.length} essential ${name}s (${refused.candidates.join(', ')}): set input '${name}' to choose one`,
  );
}

export interface KeyValue {
  name: string;
  value: string;
}

export interface Rule {
  pattern: string;
  value: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The lines of a multiline input that say something: trimmed, blank lines and `#` comments left out, each with its
 * line number in the input (for errors that name the line).
 */
export function inputLines(text: string): Array<{ line: string; number: number }> {
  return text.split('\n').flatMap((rawLine, index) => {
    const line = rawLine.trim();
    return line === '' || line.startsWith('#') ? [] : [{ line, number: index + 1 }];
  });
}

function parseKeyValues(inputName: string, text: string): KeyValue[] {
  const pairs: KeyValue[] = [];
  const seen = new Set<string>();
  for (const { line, number } of inputLines(text)) {
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (eq <= 0 || !ENV_NAME.test(key)) {
      // The line is never quoted: a misplaced separator (`DB_PASSWORD: s3cr3t`) would print the value.
      const what = eq <= 0 ? "has no '='" : "has a name that is not a valid variable name before its '='";
      throw new InputError(
        `Input '${inputName}' line ${number} must be KEY=VALUE with KEY a valid variable name: it ${what} (the line is not shown, as it may hold a value)`,
      );
    }
    if (seen.has(key)) throw new InputError(`Input '${inputName}' sets '${key}' more than once`);
    seen.add(key);
    pairs.push({ name: key, value: line.slice(eq + 1).trim() });
  }
  return pairs;
}

export function parseRules(inputName: string, text: string): Rule[] {
  const rules: Rule[] = [];
  for (const { line, number } of inputLines(text)) {
    const colon = line.indexOf(':');
    const pattern = colon > 0 ? line.slice(0, colon).trim() : '';
    const value = colon > 0 ? line.slice(colon + 1).trim() : '';
    if (pattern === '' || value === '') {
      throw new InputError(`Input '${inputName}' line ${number} must be 'PATTERN: VALUE', got '${line}'`);
    }
    rules.push({ pattern, value });
  }
  return rules;
}

/** A workflow command's data, escaped as @actions/core escapes it. */
export function commandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Masks one value outright (e.g. an input refused because it holds a value where a reference belongs), while the inputs
 * are checked: written as the runner's add-mask command, without loading @actions/core.
 */
export function hideValue(value: string): void {
  if (value !== '') process.stdout.write(`::add-mask::${commandData(value)}\n`);
}
