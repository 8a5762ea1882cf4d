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

const SHELL_OPERATORS = new Set(['&&', '||', '|', ';', '>', '>>', '<', '&']);

/** Splits like a POSIX shell would into words: '...' literal, "..." with \" \\ \$ \` escapes, \ escapes outside. */
function splitWords(inputName: string, text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quotedWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) word += text[++i];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
      quotedWord = true;
    } else if (char === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) finish();
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) throw new InputError(`Input '${inputName}' has an unterminated ${quote} quote: ${text}`);
  if (inWord) finish();
  return words;

  function finish() {
    if (!quotedWord && SHELL_OPERATORS.has(word)) {
      throw new InputError(
        `Input '${inputName}' uses the shell operator '${word}', which ECS does not interpret: use ["sh", "-c", "..."]`,
      );
    }
    words.push(word);
    word = '';
    inWord = false;
    quotedWord = false;
  }
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
