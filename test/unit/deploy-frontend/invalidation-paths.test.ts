import { collapsePaths, pathsForKeys } from '../../../actions/deploy-frontend/invalidation-paths.js';

describe('invalidation paths', () => {
  it('turns keys into URL paths, adding the folder for an index.html', () => {
    expect(pathsForKeys(['index.html', 'docs/index.html', 'about.html', 'a b/ü.html'])).toEqual([
      '/',
      '/a%20b/%C3%BC.html',
      '/about.html',
      '/docs/',
      '/docs/index.html',
      '/index.html',
    ]);
  });

  it('keeps up to the limit as they are', () => {
    const paths = ['/a.html', '/b/c.html', '/d/e/f.html'];
    expect(collapsePaths(paths, 3)).toEqual(paths);
  });

  it('collapses the folder with the most changed files into a wildcard first', () => {
    const paths = ['/index.html', '/about.html', ...Array.from({ length: 20 }, (_, i) => `/blog/post-${i}.html`)];
    expect(collapsePaths(paths, 5)).toEqual(['/about.html', '/blog/*', '/index.html']);
  });

  it('climbs folders until the count fits, and ends at /* when nothing else does', () => {
    const deep = Array.from({ length: 6 }, (_, i) => `/docs/v${i}/page.html`);
    expect(collapsePaths(deep, 3)).toEqual(['/docs/*']);
    const root = Array.from({ length: 12 }, (_, i) => `/page-${i}.html`);
    expect(collapsePaths(root, 10)).toEqual(['/*']);
  });

  it('collapses a large blog month by month, then year by year (earliest first on a tie)', () => {
    const pages = Array.from({ length: 2000 }, (_, i) => {
      const month = String((Math.floor(i / 4) % 12) + 1).padStart(2, '0');
      return `blog/${2021 + (i % 4)}/${month}/post-${i}/index.html`;
    });
    const paths = pathsForKeys(['index.html', ...pages]);
    expect(paths).toHaveLength(4002);
    const months = (year: number) =>
      Array.from({ length: 12 }, (_, m) => `/blog/${year}/${String(m + 1).padStart(2, '0')}/*`);
    expect(collapsePaths(paths, 30)).toEqual([
      '/',
      '/blog/2021/*',
      '/blog/2022/*',
      ...months(2023),
      ...months(2024),
      '/index.html',
    ]);
    expect(collapsePaths(paths)).toEqual([
      '/',
      '/blog/2021/*',
      '/blog/2022/*',
      '/blog/2023/*',
      '/blog/2024/*',
      '/index.html',
    ]);
  });

  it('drops paths a wildcard already covers', () => {
    expect(collapsePaths(['/a/*', '/a/b.html', '/c.html'], 10)).toEqual(['/a/*', '/c.html']);
    expect(collapsePaths(['/*', '/x.html'], 10)).toEqual(['/*']);
  });
});
