import { describeLifetime, isLongLived, maxAgeSeconds } from '../../../actions/deploy-frontend/cache-lifetime.js';

describe('maxAgeSeconds', () => {
  it.each([
    ['public, max-age=31536000, immutable', 31536000],
    ['max-age=60', 60],
    ['public, max-age=60, s-maxage=86400', 86400],
    ['MAX-AGE = "120"', 120],
    ['no-cache, must-revalidate', undefined],
    ['public', undefined],
  ])('%s -> %s', (value, expected) => {
    expect(maxAgeSeconds(value)).toBe(expected);
  });
});

describe('isLongLived', () => {
  it.each([
    ['public, max-age=31536000, immutable', true],
    ['immutable', true],
    ['public, max-age=86400', true],
    ['s-maxage=604800', true],
    ['public, max-age=86399', false],
    ['public, max-age=3600', false],
    ['no-cache, must-revalidate', false],
    ['no-cache, no-store, must-revalidate', false],
    ['no-store, max-age=31536000', false],
    ['max-age=0', false],
    ['public, immutable-ish', false],
  ])('%s -> %s', (value, expected) => {
    expect(isLongLived(value)).toBe(expected);
  });
});

describe('describeLifetime', () => {
  it.each([
    ['public, max-age=31536000, immutable', 'up to 1 year'],
    ['max-age=63072000', 'up to 2 years'],
    ['max-age=86400', 'up to 1 day'],
    ['max-age=604800', 'up to 7 days'],
    ['max-age=3600', 'up to 1 hour'],
    ['immutable', 'as long as they keep it'],
  ])('%s -> %s', (value, expected) => {
    expect(describeLifetime(value)).toBe(expected);
  });
});
