/**
 * Where a JSON text stops being valid, as `line L column C`, so an input error can point at it without quoting it
 * (Node's JSON.parse quotes the text around an unexpected token, and a task definition's text may hold a value).
 */
export function jsonErrorLocation(text: string): string {
  const offset = firstInvalidOffset(text);
  if (offset === undefined) return 'a place nested too deep to point at';
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length} column ${(before.at(-1) ?? '').length + 1}`;
}

/**
 * The offset of the first character that makes `text` invalid JSON (text.length when it ends too soon); undefined when
 * it nests deeper than this recursive reader can follow.
 */
export function firstInvalidOffset(text: string): number | undefined {
  let at = 0;
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at++;
  };
  const fail = (): never => {
    throw new Invalid(at);
  };
  const expect = (char: string) => {
    if (text[at] !== char) fail();
    at++;
  };
  const literal = (word: string) => {
    for (const char of word) expect(char);
  };
  const string = () => {
    expect('"');
    for (;;) {
      const char = text[at];
      if (char === undefined || char < ' ') fail();
      at++;
      if (char === '"') return;
      if (char === '\\') {
        if (text[at] === 'u') {
          at++;
          for (let i = 0; i < 4; i++) {
            if (!/[0-9a-fA-F]/.test(text[at] ?? '')) fail();
            at++;
          }
        } else if ('"\\/bfnrt'.includes(text[at] ?? 'x')) at++;
        else fail();
      }
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match || match[0] === '' || match[0] === '-') fail();
    at += match![0].length;
  };
  const items = (close: string, item: () => void) => {
    at++;
    space();
    if (text[at] === close) return void at++;
    for (;;) {
      item();
      space();
      if (text[at] === close) return void at++;
      expect(',');
      space();
    }
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === '{') {
      items('}', () => {
        string();
        space();
        expect(':');
        value();
      });
    } else if (char === '[') items(']', value);
    else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else number();
  };
  try {
    value();
    space();
    if (at < text.length) fail();
    return text.length;
  } catch (error) {
    if (error instanceof Invalid) return error.offset;
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

class Invalid {
  constructor(readonly offset: number) {}
}
