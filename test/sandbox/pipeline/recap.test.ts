import { allDidWhatTheyShould, formatDuration, renderRecap, type RecapRow } from '../../../sandbox/pipeline/recap.js';
import { PLAIN } from '../../../sandbox/pipeline/style.js';

const row = (ok: boolean | undefined): RecapRow => ({
  step: 1,
  label: 'x',
  expected: 'e',
  ok,
  result: 'r',
  durationMs: 1200,
});

describe('the recap', () => {
  it('passes only when every run did what it should; skipped runs count against it', () => {
    expect(allDidWhatTheyShould([row(true), row(true)])).toBe(true);
    expect(allDidWhatTheyShould([row(true), row(false)])).toBe(false);
    expect(allDidWhatTheyShould([row(true), row(undefined)])).toBe(false);
    expect(allDidWhatTheyShould([])).toBe(false);
  });

  it('marks each row, says skipped, and counts what did not do what it should', () => {
    const skipped = { ...row(undefined), durationMs: undefined };
    const lines = renderRecap([row(true), row(false), skipped], 3000, PLAIN);
    expect(lines.at(-1)).toBe('2 of 3 runs did not do what they should (1 skipped), in 3s.');
    expect(lines[2]).toMatch(/^✓ {2}1\. x +e +r +1\.2s$/);
    expect(lines[3]).toMatch(/^✗ {2}1\. x +e +r +1\.2s$/);
    expect(lines[4]).toMatch(/^- {2}1\. x +e +skipped +–$/);
    expect(renderRecap([row(true)], 500, PLAIN).at(-1)).toBe('All 1 runs did what they should, in 0.5s.');
  });

  it('formats durations in seconds, then minutes', () => {
    expect(formatDuration(undefined)).toBe('–');
    expect(formatDuration(1234)).toBe('1.2s');
    expect(formatDuration(125_000)).toBe('2m 5s');
  });
});
