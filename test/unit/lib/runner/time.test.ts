import { formatSeconds } from '../../../../lib/runner/time.js';

it.each([
  [0.25, '0.3s'],
  [42.54, '42.5s'],
  [59.96, '60s'],
  [60, '1m'],
  [185, '3m 5s'],
  [3599.6, '1h'],
  [5400, '1h 30m'],
  [43200, '12h'],
])('%s seconds read as %s', (seconds, text) => {
  expect(formatSeconds(seconds)).toBe(text);
});
