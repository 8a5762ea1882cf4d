/**
 * A small glob matcher for object keys ('/'-separated): `**` spans directories, `*` and `?` stay within one,
 * `{a,b}` alternates, `[abc]` is a class. A pattern without '/' matches the file name at any depth
 * (like .gitignore), so `*.html` and `**\/*.html` mean the same. Dots are not special.
 */
export function globToRegExp(pattern: string): RegExp {
  const anchored = pattern.replace(/^\.\//, '').replace(/^\//, '');
  const body = anchored.includes('/') ? translate(anchored) : `(?:.*/)?${translate(anchored)}`;
  return new RegExp(`^${body}$`, 'u');
}

export function matchesGlob(key: string, pattern: string): boolean {
  return globToRegExp(pattern).test(key);
}

/** The literal part of a pattern before its first wildcard (used to know whether a folder can hold matches). */
export function literalPrefix(pattern: string): string {
  if (!pattern.includes('/')) return '';
  const stop = pattern.search(/[*?{[]/);
  return stop < 0 ? pattern : pattern.slice(0, stop);
}

function translate(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const slashAfter = glob[i + 2] === '/';
        const atEnd = i + 2 === glob.length;
        if (atStart && slashAfter) {
          out += '(?:.*/)?';
          i += 2;
          continue;
        }
        if (atStart && atEnd) {
          out += '.*';
          i += 1;
          continue;
        }
        out += '[^/]*';
        i += 1;
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) {
      out += '|';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let cls = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
      if (cls.startsWith('!')) cls = '^' + cls.slice(1);
      out += `[${cls}]`;
      i = close;
    } else {
      out += c.replace(/[.+^$()|\\\]}]/g, '\\$&');
    }
  }
  if (braces > 0) throw new Error(`Unclosed '{' in pattern '${glob}'`);
  return out;
}
