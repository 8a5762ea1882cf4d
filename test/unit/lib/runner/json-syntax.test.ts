import { firstInvalidOffset, jsonErrorLocation } from '../../../../lib/runner/json-syntax.js';

describe('jsonErrorLocation', () => {
  it.each([
    ['{"DB_PASS": s3cr3t}', 'line 1 column 13'],
    ['{\n  "a": 1,\n}', 'line 3 column 1'],
    ['{"a": "x\n"}', 'line 1 column 9'],
    ['', 'line 1 column 1'],
    ['{"a": [1, 2', 'line 1 column 12'],
    ['{"a": 1} junk', 'line 1 column 10'],
    ['{"a": tru}', 'line 1 column 10'],
    ['{"a": -}', 'line 1 column 7'],
    ['{"a": "\\q"}', 'line 1 column 9'],
  ])('%j: %s', (text, location) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorLocation(text)).toBe(location);
  });

  it('finds nothing wrong in valid JSON', () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}';
    expect(firstInvalidOffset(text)).toBe(text.length);
  });

  it('does not crash on JSON nested too deep to follow', () => {
    expect(jsonErrorLocation('['.repeat(1_000_000))).toBe('a place nested too deep to point at');
  });
});
