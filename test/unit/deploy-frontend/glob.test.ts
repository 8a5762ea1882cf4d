import { globToRegExp, literalPrefix } from '../../../actions/deploy-frontend/glob.js';

const matchesGlob = (key: string, pattern: string) => globToRegExp(pattern).test(key);

describe('matchesGlob', () => {
  it.each([
    ['**/*.html', 'index.html', true],
    ['**/*.html', 'blog/2024/post.html', true],
    ['**/*.html', 'index.htm', false],
    ['*.html', 'deep/dir/page.html', true],
    ['css/*.css', 'css/main.css', true],
    ['css/*.css', 'css/sub/main.css', false],
    ['css/**', 'css/sub/main.css', true],
    ['css/**', 'cssx/main.css', false],
    ['**/*.{js,css}', 'js/index-0.0.3.js', true],
    ['**/*.{js,css}', 'css/main-0.0.2.css', true],
    ['**/*.{js,css}', 'js/app.json', false],
    ['img/logo.???', 'img/logo.png', true],
    ['img/logo.???', 'img/logo.webp', false],
    ['**/.*', '.htaccess', true],
    ['**/.*', 'a/b/.DS_Store', true],
    ['**/.*/**', '.well-known/security.txt', true],
    ['**/.*/**', 'a/file.txt', false],
    ['**', 'anything/at/all.bin', true],
    ['fonts/[a-c]*.woff2', 'fonts/b.woff2', true],
    ['fonts/[!a-c]*.woff2', 'fonts/b.woff2', false],
    ['a+b(1).txt', 'a+b(1).txt', true],
    ['/robots.txt', 'robots.txt', true],
  ])('%s against %s is %s', (pattern, key, expected) => {
    expect(matchesGlob(key, pattern)).toBe(expected);
  });

  it('rejects an unclosed brace', () => {
    expect(() => globToRegExp('**/*.{js,css')).toThrow(/Unclosed/);
  });

  it('gives the literal folder prefix of a pattern, empty for a name-only pattern', () => {
    expect(literalPrefix('.well-known/**')).toBe('.well-known/');
    expect(literalPrefix('docs/v*/x')).toBe('docs/v');
    expect(literalPrefix('*.txt')).toBe('');
  });
});
