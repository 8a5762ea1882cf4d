import { hasContentHash, withNewHashPlaceholder } from '../../../actions/deploy-frontend/content-hash.js';
import { SITE_FILES } from '../../support/startupwebapp-site.js';

describe('content-hashed names: a name segment of 8+ hex characters, with a digit and a letter', () => {
  it.each([
    ['app.3f9a2c1b.js', 'webpack [name].[contenthash:8]'],
    ['js/main-3f9a2c1b.css', 'a dash before the hash'],
    ['static/js/main.0a1b2c3d4e5f6a7b8c9d.chunk.js', 'a 20-character hash, then more segments'],
    ['assets/vendor_3f9a2c1b.js', 'an underscore before the hash'],
    ['3f9a2c1b.js', 'the hash is the whole name'],
    ['app.3f9a2c1b.js.map', 'a source map of a hashed file'],
    ['APP.3F9A2C1B.JS', 'an upper-case hash'],
    ['fonts/inter.5d41402abc4b2a76b9719d911017c592.woff2', 'an MD5 in a font name'],
    ['img/logo.3f9a2c1b.png', 'any type, not only js/css'],
  ])('%s counts (%s)', (name) => {
    expect(hasContentHash(name)).toBe(true);
  });

  it.each([
    ['js/cart-0.0.1.js', 'a version number edited in place'],
    ['css/main-0.0.2.css', 'a version number edited in place'],
    ['js/checkout/confirm-0.0.1.js', 'a version number in a subfolder'],
    ['js/jquery/3.7.1/jquery.min.js', 'a version number in a folder'],
    ['js/jquery-3.7.1.min.js', 'a library version'],
    ['js/report-20240115.js', 'a date: all digits'],
    ['js/build.1700000000.js', 'a timestamp: all digits'],
    ['js/app-00012345.js', 'a build number: all digits'],
    ['js/app.3f9a2c1.js', 'a short git SHA: 7 characters'],
    ['js/deadbeef.js', 'a word of hex letters: no digit'],
    ['js/app.3f9a2c1bz.js', 'a letter past f'],
    ['js/app.3F9a2c1b.js', 'mixed case'],
    ['js/app3f9a2c1b.js', 'no separator before the hash'],
    ['js/3f9a2c1b/app.js', 'a hash in a folder, not in the name'],
    ['js/app.3f9a2c1b', 'the hash is the extension'],
    ['img/favicon.1.png', 'a short number'],
  ])('%s does not count (%s)', (name) => {
    expect(hasContentHash(name)).toBe(false);
  });

  it('finds none in the StartupWebApp client site: every one of its names is edited in place', () => {
    expect(SITE_FILES.filter(hasContentHash)).toEqual([]);
  });

  it('names the file with a placeholder where its hash goes', () => {
    expect(withNewHashPlaceholder('js/app.3f9a2c1b.js')).toBe('js/app.<new hash>.js');
    expect(withNewHashPlaceholder('main-3f9a2c1b.css')).toBe('main-<new hash>.css');
    expect(withNewHashPlaceholder('a.b/3f9a2c1b.js')).toBe('a.b/<new hash>.js');
  });
});
