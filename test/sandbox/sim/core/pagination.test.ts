import { page, pageAfter } from '../../../../sandbox/sim/core/pagination.js';

describe('pagination', () => {
  it('pages List* answers: each token leads to the next items, the last page has none', () => {
    const first = pageAfter(['a', 'b', 'c'], undefined, 2);
    expect(first.page).toEqual(['a', 'b']);
    const last = pageAfter(['a', 'b', 'c'], first.nextToken, 2);
    expect(last).toEqual({ page: ['c'] });
    expect(page(['a', 'b', 'c'], { maxResults: 5 }, 2)).toEqual(first);
    expect(page(['a', 'b', 'c'], {})).toEqual({ page: ['a', 'b', 'c'] });
  });
});
