import {
  invalidationBatch,
  parsePending,
  withPending,
} from '../../../actions/deploy-frontend/pending-invalidations.js';

describe('invalidationBatch', () => {
  it('adds the paths an earlier run left for this distribution to this run’s', () => {
    expect(invalidationBatch(['/cart'], { E1: ['/about', '/index.html'], E2: ['/x'] }, 'E1')).toEqual({
      paths: ['/about', '/cart', '/index.html'],
      carried: ['/about', '/index.html'],
    });
  });

  it('invalidates carried paths on a run with nothing of its own', () => {
    expect(invalidationBatch([], { E1: ['/about'] }, 'E1')).toEqual({ paths: ['/about'], carried: ['/about'] });
  });

  it('is empty when there is nothing to invalidate, and ignores other distributions’ paths', () => {
    expect(invalidationBatch([], { E2: ['/x'] }, 'E1')).toEqual({ paths: [], carried: [] });
  });

  it('collapses the union to at most 10 paths', () => {
    const carried = Array.from({ length: 8 }, (_, i) => `/js/a${i}.js`);
    const own = Array.from({ length: 8 }, (_, i) => `/js/b${i}.js`);
    expect(invalidationBatch(own, { E1: carried }, 'E1').paths).toEqual(['/js/*']);
  });
});

describe('withPending', () => {
  it('sets and clears one distribution’s paths, leaving the others', () => {
    const pending = withPending({ E2: ['/x'] }, 'E1', ['/b', '/a']);
    expect(pending).toEqual({ E1: ['/a', '/b'], E2: ['/x'] });
    expect(withPending(pending, 'E1', [])).toEqual({ E2: ['/x'] });
  });
});

describe('parsePending', () => {
  it('keeps well-formed entries only', () => {
    expect(parsePending({ E1: ['/a', 3, 'b'], E2: 'x', E3: [] })).toEqual({ E1: ['/a'] });
    expect(parsePending(undefined)).toEqual({});
    expect(parsePending([1])).toEqual({});
  });
});
