import { getEventsPage, parseToken, type LogEvent } from '../../../../sandbox/sim/logs/log-store.js';

describe('the log store', () => {
  it('pages GetLogEvents forward and returns the same token at the end', () => {
    const events: LogEvent[] = Array.from({ length: 5 }, (_, i) => ({
      timestamp: i,
      message: `m${i}`,
      ingestionTime: i,
      seq: i,
    }));
    const first = getEventsPage(events, { startFromHead: true, limit: 3 });
    expect(first.events.map((e) => e.message)).toEqual(['m0', 'm1', 'm2']);
    const second = getEventsPage(
      events,
      { limit: 3, nextToken: first.nextForwardToken },
      parseToken(first.nextForwardToken),
    );
    expect(second.events.map((e) => e.message)).toEqual(['m3', 'm4']);
    const end = getEventsPage(
      events,
      { limit: 3, nextToken: second.nextForwardToken },
      parseToken(second.nextForwardToken),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(second.nextForwardToken);
    const latest = getEventsPage(events, { limit: 2 });
    expect(latest.events.map((e) => e.message)).toEqual(['m3', 'm4']);
    const back = getEventsPage(
      events,
      { limit: 2, nextToken: latest.nextBackwardToken },
      parseToken(latest.nextBackwardToken),
    );
    expect(back.events.map((e) => e.message)).toEqual(['m1', 'm2']);
  });
});
