import { compileRules } from '../../../actions/deploy-frontend/cache-rules.js';
import { contentTypeFor } from '../../../actions/deploy-frontend/content-types.js';

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['css/main.css', 'text/css; charset=utf-8'],
    ['js/app.js', 'text/javascript; charset=utf-8'],
    ['js/app.mjs', 'text/javascript; charset=utf-8'],
    ['data.json', 'application/json; charset=utf-8'],
    ['js/app.js.map', 'application/json; charset=utf-8'],
    ['img/icon.svg', 'image/svg+xml; charset=utf-8'],
    ['img/logo.png', 'image/png'],
    ['img/photo.JPG', 'image/jpeg'],
    ['img/a.webp', 'image/webp'],
    ['img/a.avif', 'image/avif'],
    ['favicon.ico', 'image/vnd.microsoft.icon'],
    ['fonts/x.woff', 'font/woff'],
    ['fonts/x.woff2', 'font/woff2'],
    ['fonts/x.ttf', 'font/ttf'],
    ['app.wasm', 'application/wasm'],
    ['robots.txt', 'text/plain; charset=utf-8'],
    ['sitemap.xml', 'application/xml; charset=utf-8'],
    ['site.webmanifest', 'application/manifest+json; charset=utf-8'],
    ['video.mp4', 'video/mp4'],
    ['sound.mp3', 'audio/mpeg'],
    ['font.otf', 'font/otf'],
  ])('%s is %s', (key, type) => {
    expect(contentTypeFor(key)).toEqual({ contentType: type, unknown: false });
  });

  it('sends unknown extensions and extensionless files as octet-stream, flagged unknown', () => {
    expect(contentTypeFor('data/blob.qqq')).toEqual({ contentType: 'application/octet-stream', unknown: true });
    expect(contentTypeFor('LICENSE')).toEqual({ contentType: 'application/octet-stream', unknown: true });
  });

  it('applies overrides first, adding the charset to text types', () => {
    const overrides = compileRules('content-type', [
      { pattern: 'LICENSE', value: 'text/plain' },
      { pattern: '**/*.js', value: 'application/javascript' },
      { pattern: 'bin/*', value: 'application/x-custom' },
    ]);
    expect(contentTypeFor('LICENSE', overrides).contentType).toBe('text/plain; charset=utf-8');
    expect(contentTypeFor('js/a.js', overrides).contentType).toBe('application/javascript; charset=utf-8');
    expect(contentTypeFor('bin/tool', overrides)).toEqual({ contentType: 'application/x-custom', unknown: false });
  });
});
