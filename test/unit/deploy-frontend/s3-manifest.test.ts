import {
  isMd5Etag,
  manifestKey,
  normalizeEtag,
  parseManifest,
  serializeManifest,
} from '../../../actions/deploy-frontend/s3-manifest.js';

const entry = { etag: 'a'.repeat(32), sha256: 'b', size: 1, cacheControl: 'no-cache', contentType: 'text/html' };

describe('the deploy manifest', () => {
  it('lives under the prefix with a reserved dotfile name', () => {
    expect(manifestKey('')).toBe('.deploy-manifest.json');
    expect(manifestKey('site/')).toBe('site/.deploy-manifest.json');
  });

  it('round-trips, serialised with sorted keys so an unchanged one is recognised', () => {
    const text = serializeManifest({ version: 1, objects: { 'z.html': entry, 'a.html': entry } });
    expect(text.indexOf('a.html')).toBeLessThan(text.indexOf('z.html'));
    expect(parseManifest(text)).toEqual({ version: 1, objects: { 'a.html': entry, 'z.html': entry } });
    expect(serializeManifest(parseManifest(text))).toBe(text);
  });

  it('treats anything unreadable as no manifest, and drops malformed entries', () => {
    expect(parseManifest(undefined).objects).toEqual({});
    expect(parseManifest('{not json').objects).toEqual({});
    expect(parseManifest('{"version":2,"objects":{}}').objects).toEqual({});
    const partial = JSON.stringify({ version: 1, objects: { good: entry, bad: { etag: 'x' } } });
    expect(Object.keys(parseManifest(partial).objects)).toEqual(['good']);
  });

  it('normalises listed ETags and tells MD5 ETags from multipart ones', () => {
    expect(normalizeEtag('"ABCDEF0123456789ABCDEF0123456789"')).toBe('abcdef0123456789abcdef0123456789');
    expect(isMd5Etag('abcdef0123456789abcdef0123456789')).toBe(true);
    expect(isMd5Etag('abcdef0123456789abcdef0123456789-4')).toBe(false);
  });
});
