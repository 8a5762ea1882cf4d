import { parse, type ParseEntry } from 'shell-quote';
import { InputError } from '../../lib/runner/inputs.js';

/**
 * A container command given as a shell-like string (`python manage.py migrate --noinput`, quotes respected) or as a
 * JSON array (`["python", "manage.py", "migrate"]`). ECS runs the words directly, with no shell, so shell operators
 * are refused rather than passed on as literal arguments.
 */
export function parseCommand(inputName: string, text: string): string[] {
  const trimmed = text.trim();
  const words =
    trimmed.startsWith('[') || trimmed.startsWith('{') ? parseJson(inputName, trimmed) : splitWords(inputName, trimmed);
  if (words.length === 0 || words[0] === '') {
    throw new InputError(`Input '${inputName}' must name a program to run, got '${text}'`);
  }
  return words;
}

function parseJson(inputName: string, text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(
      `Input '${inputName}' looks like JSON but does not parse: give a JSON array of strings or a command line`,
    );
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new InputError(
      `Input '${inputName}' must be a command line or a JSON array of strings, got ${describe(value)}`,
    );
  }
  return value;
}

/**
 * Splits like a POSIX shell would into words (shell-quote): '...' literal, "..." with escapes, \ escapes outside.
 * Variables stay as written and globs as literal words: ECS passes them to the program unexpanded.
 */
function splitWords(inputName: string, text: string): string[] {
  const unterminated = unterminatedQuote(text);
  if (unterminated) throw new InputError(`Input '${inputName}' has an unterminated ${unterminated} quote: ${text}`);
  return parseShellWords(inputName, text).map((entry) => {
    if (typeof entry === 'string') return entry;
    if ('op' in entry && entry.op === 'glob') return entry.pattern;
    const operator = 'comment' in entry ? '#' : entry.op;
    throw new InputError(
      `Input '${inputName}' uses the shell operator '${operator}', which ECS does not interpret: use ["sh", "-c", "..."]`,
    );
  });
}

/** shell-quote throws on `${X` (a variable never closed): refused as an input error, never a crash. */
function parseShellWords(inputName: string, text: string): ParseEntry[] {
  try {
    return parse(text, (name) => `$${name}`);
  } catch {
    throw new InputError(
      `Input '${inputName}' has a variable that is never closed ('\${' without '}'): close it, or quote the word in '...'`,
    );
  }
}

/** shell-quote silently drops a quote that is never closed; a command with one is refused instead. */
function unterminatedQuote(text: string): "'" | '"' | undefined {
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote === "'") {
      if (char === "'") quote = undefined;
    } else if (char === '\\') {
      i++;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    }
  }
  return quote;
}

/** The command as it may be shown, each word quoted when needed. */
export function formatCommand(words: string[]): string {
  return words
    .map((word) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array with items that are not strings';
  return value === null ? 'null' : `a JSON ${typeof value}`;
}
