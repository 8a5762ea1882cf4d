import {
  cacheControlFor,
  cacheControlForPage,
  cacheControlRules,
  isEntryPoint,
} from '../../../actions/deploy-frontend/cache-rules.js';
import { isLongLived } from '../../../actions/deploy-frontend/cache-lifetime.js';
import { parseRules } from '../../../lib/runner/inputs.js';

describe('cache-control rules', () => {
  const defaults = cacheControlRules([]);

  it('by default: HTML revalidates, content-hashed names for a year, other JS/CSS revalidate, the rest an hour', () => {
    expect(cacheControlFor(defaults, 'index.html')).toBe('no-cache, must-revalidate');
    expect(cacheControlFor(defaults, 'docs/about.html')).toBe('no-cache, must-revalidate');
    expect(cacheControlFor(defaults, 'js/app.3f9a2c1b.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor(defaults, 'css/main-3f9a2c1b.css')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor(defaults, 'img/logo.3f9a2c1b.png')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor(defaults, 'js/cart-0.0.1.js')).toBe('public, max-age=0, must-revalidate');
    expect(cacheControlFor(defaults, 'css/main-0.0.2.css')).toBe('public, max-age=0, must-revalidate');
    expect(cacheControlFor(defaults, 'js/report-20240115.js')).toBe('public, max-age=0, must-revalidate');
    expect(cacheControlFor(defaults, 'img/logo.png')).toBe('public, max-age=3600');
    expect(cacheControlFor(defaults, 'app.3f9a2c1b.html')).toBe('no-cache, must-revalidate');
  });

  it('gives a long life only to content-hashed names, so an in-place edit of any other name is never long-lived', () => {
    for (const key of ['js/cart-0.0.1.js', 'css/main-0.0.2.css', 'js/jquery-3.7.1.min.js', 'img/favicon.1.png']) {
      expect([key, isLongLived(cacheControlFor(defaults, key))]).toEqual([key, false]);
    }
    expect(isLongLived(cacheControlFor(defaults, 'js/app.3f9a2c1b.js'))).toBe(true);
  });

  it('shows the content-hash rule among the defaults in the order it applies', () => {
    expect(defaults.map((rule) => rule.pattern)).toEqual(['**/*.html', 'content-hashed names', '**/*.{js,css}', '**']);
  });

  it('tries the user’s rules first, first match wins, and falls back to the defaults', () => {
    const rules = cacheControlRules(
      parseRules('cache-control', 'js/config.js: no-cache\n**/*.js: public, max-age=60\n*.png: max-age=5'),
    );
    expect(cacheControlFor(rules, 'js/config.js')).toBe('no-cache');
    expect(cacheControlFor(rules, 'js/app.js')).toBe('public, max-age=60');
    expect(cacheControlFor(rules, 'img/logo.png')).toBe('max-age=5');
    expect(cacheControlFor(rules, 'index.html')).toBe('no-cache, must-revalidate');
    expect(cacheControlFor(rules, 'css/a.css')).toBe('public, max-age=0, must-revalidate');
    expect(cacheControlFor(rules, 'css/a.3f9a2c1b.css')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor(rules, 'js/app.3f9a2c1b.js')).toBe('public, max-age=60');
  });

  it('names the input when a pattern is invalid', () => {
    expect(() => cacheControlRules([{ pattern: '*.{js', value: 'x' }])).toThrow(
      /^Input 'cache-control' has an invalid pattern '\*\.\{js'/,
    );
  });

  it('treats HTML and no-cache/no-store files as entry points, hashed and revalidated assets not', () => {
    expect(isEntryPoint('index.html', 'public, max-age=60')).toBe(true);
    expect(isEntryPoint('config.json', 'no-cache')).toBe(true);
    expect(isEntryPoint('sw.js', 'no-store')).toBe(true);
    expect(isEntryPoint('js/app-1.js', 'public, max-age=31536000, immutable')).toBe(false);
    expect(isEntryPoint('js/cart-0.0.1.js', 'public, max-age=0, must-revalidate')).toBe(false);
    expect(isEntryPoint('img/a.png', 'public, max-age=3600')).toBe(false);
  });
});

describe('cache-control of a page recognised by its content', () => {
  it('is the user’s first matching rule, else the page default (not the catch-all hour)', () => {
    expect(cacheControlForPage(cacheControlRules([]), 'about')).toBe('no-cache, must-revalidate');
    const rules = cacheControlRules(parseRules('cache-control', 'account/*: no-store\n**: public, max-age=60'));
    expect(cacheControlForPage(rules, 'account/order')).toBe('no-store');
    expect(cacheControlForPage(rules, 'about')).toBe('public, max-age=60');
  });

  it('makes any text/html object an entry point, whatever its name or Cache-Control', () => {
    expect(isEntryPoint('about', 'public, max-age=60', 'text/html; charset=utf-8')).toBe(true);
    expect(isEntryPoint('about', 'public, max-age=60', 'application/octet-stream')).toBe(false);
  });
});
