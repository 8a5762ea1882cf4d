import { elapsed, timelineRows } from '../../../../lib/ecs/deployment-timeline.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, seconds));

describe('timeline', () => {
  it('formats elapsed time as minutes:seconds, with hours when needed', () => {
    expect(elapsed(at(65), at(0))).toBe('+1:05');
    expect(elapsed(new Date(at(0).getTime() + 3_723_000), at(0))).toBe('+1:02:03');
    expect(elapsed(at(0), at(5))).toBe('+0:00');
  });

  it('sorts entries by time and shows UTC time and time since start', () => {
    const entries = [
      { at: at(40), kind: 'outcome' as const, text: 'COMPLETED' },
      { at: at(12), kind: 'event' as const, text: 'has started 2 tasks' },
    ];
    expect(timelineRows(entries, at(0))).toEqual([
      ['10:00:12', '+0:12', 'has started 2 tasks'],
      ['10:00:40', '+0:40', 'COMPLETED'],
    ]);
  });
});
