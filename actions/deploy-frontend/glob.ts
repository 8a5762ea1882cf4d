import picomatch from 'picomatch';

/**
 * Globs for object keys ('/'-separated), matched by picomatch: `**` spans directories, `*` and `?` stay within one,
 * `{a,b}` alternates, `[abc]` is a class. A pattern without '/' matches the file name at any depth
 * (like .gitignore), so `*.html` and `**\/*.html` mean the same. Dots are not special; extglobs are off.
 */
export function globToRegExp(pattern: string): RegExp {
  const anchored = pattern.replace(/^\.\//, '').replace(/^\//, '');
  if (unclosedBrace(anchored)) throw new Error(`Unclosed '{' in pattern '${anchored}'`);
  // Parentheses and '|' are plain characters in a key; picomatch would read them as regex groups.
  const literal = anchored.replace(/[()|]/g, '\\$&');
  const glob = anchored.includes('/') ? literal : `**/${literal}`;
  // posix: '[!a-c]' negates a class, as in .gitignore. debug: an impossible class ('[z-a]') throws instead of
  // silently matching nothing.
  return picomatch.makeRe(glob, { dot: true, noextglob: true, posix: true, debug: true });
}

/** The literal part of a pattern before its first wildcard (used to know whether a folder can hold matches). */
export function literalPrefix(pattern: string): string {
  if (!pattern.includes('/')) return '';
  const stop = pattern.search(/[*?{[]/);
  return stop < 0 ? pattern : pattern.slice(0, stop);
}

/** picomatch reads a '{' it cannot close as a literal; a rule with one is almost surely a typo, so it is refused. */
function unclosedBrace(pattern: string): boolean {
  let depth = 0;
  for (const c of pattern) {
    if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
  }
  return depth > 0;
}
