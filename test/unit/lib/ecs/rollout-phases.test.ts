import type { TargetGroupSettings } from '../../../../lib/elb/target-groups.js';
import {
  drainEnd,
  drainLeftText,
  gunicornTimeout,
  phaseRows,
  rolloutAdvice,
  rolloutGantt,
  type RolloutMoments,
} from '../../../../lib/ecs/rollout-phases.js';

const T0 = Date.parse('2026-11-29T00:10:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

function group(delay: number, interval = 30): TargetGroupSettings {
  return {
    arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/startupwebapp-tg/0123456789abcdef',
    name: 'startupwebapp-tg',
    targetType: 'ip',
    healthCheck: {
      enabled: true,
      path: '/order/products',
      intervalSeconds: interval,
      timeoutSeconds: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    },
    deregistrationDelaySeconds: delay,
  };
}

/** Today's StartupWebApp rollout: 20 s to start, 60 s of health checks, 300 s of draining, then COMPLETED. */
const today: RolloutMoments = {
  startedAt: at(0),
  newTasksStartedAt: at(1),
  newTasksRunningAt: at(21),
  newHealthyAt: at(81),
  servingAt: at(82),
  drainStartedAt: at(82),
  drainedAt: at(382),
  completedAt: at(386),
  finishedAt: at(387),
};

describe('rolloutAdvice', () => {
  it("names the deregistration delay with gunicorn's timeout when draining dominates", () => {
    expect(rolloutAdvice({ moments: today, groups: [group(300)], workerTimeoutSeconds: 30 })).toBe(
      "Draining old tasks took 5m of this 6m 26s rollout: startupwebapp-tg's deregistration delay is 300 s " +
        "(ELB's default), while gunicorn's worker timeout (--timeout 30) ends every request within 30 s: " +
        'deregistration_delay.timeout_seconds=30 would make every deploy and rollback about 4m 30s shorter.',
    );
  });

  it('suggests a minute without a known worker timeout, and estimates the end when serving returned early', () => {
    const serving = { ...today, drainedAt: undefined, completedAt: undefined, finishedAt: at(83) };
    expect(rolloutAdvice({ moments: serving, groups: [group(240)] })).toBe(
      "Draining old tasks takes 4m of this 5m 22s rollout: startupwebapp-tg's deregistration delay is 240 s; " +
        'if no request takes longer than a minute, deregistration_delay.timeout_seconds=60 would make every ' +
        'deploy and rollback about 3m shorter.',
    );
  });

  it('names the health-check interval when the checks dominate and the drain is short', () => {
    const moments = { ...today, drainedAt: at(92), completedAt: at(96), finishedAt: at(97) };
    expect(rolloutAdvice({ moments, groups: [group(10)] })).toBe(
      'Health checks took 1m of this 1m 36s rollout to call the new tasks healthy in startupwebapp-tg ' +
        '(every 30 s, 2 in a row); an interval of 10 s would make that about 20s.',
    );
  });

  it('says nothing when neither dominates, or without a target group', () => {
    const quick = {
      ...today,
      newHealthyAt: at(31),
      servingAt: at(31),
      drainStartedAt: at(31),
      drainedAt: at(61),
      completedAt: at(65),
    };
    expect(rolloutAdvice({ moments: quick, groups: [group(30, 10)] })).toBeUndefined();
    expect(rolloutAdvice({ moments: today, groups: [] })).toBeUndefined();
  });
});

describe('phaseRows', () => {
  it('lists what happened with times since the start; an unobserved drain end is expected', () => {
    const moments = { ...today, drainedAt: undefined, completedAt: undefined, finishedAt: at(83) };
    expect(phaseRows({ moments, groups: [group(300)] })).toEqual([
      ['New tasks started', '00:10:01', '+1s'],
      ['New tasks RUNNING', '00:10:21', '+21s'],
      ['New tasks healthy in startupwebapp-tg', '00:11:21', '+1m 21s'],
      ['New revision serves all traffic', '00:11:22', '+1m 22s'],
      ['Old tasks draining (deregistration delay 300 s)', '00:11:22', '+1m 22s'],
      ['Old tasks drained (expected)', '00:16:22', '+6m 22s'],
    ]);
  });

  it('ends with COMPLETED when it was observed', () => {
    const rows = phaseRows({ moments: today, groups: [group(300)] });
    expect(rows.slice(-2)).toEqual([
      ['Old tasks drained', '00:16:22', '+6m 22s'],
      ['COMPLETED', '00:16:26', '+6m 26s'],
    ]);
  });
});

test('drainEnd and drainLeftText', () => {
  expect(
    drainEnd({ moments: { ...today, drainedAt: undefined, completedAt: undefined }, groups: [group(300)] }),
  ).toEqual({
    at: at(382),
    estimated: true,
  });
  expect(drainEnd({ moments: { startedAt: at(0), finishedAt: at(5) }, groups: [group(300)] })).toBeUndefined();
  expect(drainLeftText(at(0), 300, at(25))).toBe('about 4m 35s left of 5m');
  expect(drainLeftText(at(0), 300, at(300))).toBe('ending');
});

test('gunicornTimeout', () => {
  expect(
    gunicornTimeout(['gunicorn', 'StartupWebApp.wsgi:application', '--bind', '0.0.0.0:8000', '--timeout', '30']),
  ).toBe(30);
  expect(gunicornTimeout(['gunicorn', '--timeout=120', 'app:wsgi'])).toBe(120);
  expect(gunicornTimeout(['sh', '-c', 'gunicorn app.wsgi -t 45'])).toBe(45);
  expect(gunicornTimeout(['gunicorn', 'app.wsgi'])).toBeUndefined();
  expect(gunicornTimeout(['uwsgi', '--timeout', '30'])).toBeUndefined();
  expect(gunicornTimeout(undefined)).toBeUndefined();
});

describe('rolloutGantt', () => {
  it('draws starting, health checks and draining, with the milestones', () => {
    expect(rolloutGantt({ moments: today, groups: [group(300)] }, 'Deploy of startupwebapp-service-task:5')).toBe(
      [
        'gantt',
        '  title Deploy of startupwebapp-service-task 5',
        '  dateFormat x',
        '  axisFormat %H:%M:%S',
        '  section New tasks',
        `  Starting : ${T0 + 1000}, ${T0 + 21_000}`,
        `  Health checks in startupwebapp-tg : ${T0 + 21_000}, ${T0 + 81_000}`,
        '  section Old tasks',
        `  Draining : ${T0 + 82_000}, ${T0 + 382_000}`,
        '  section ECS',
        `  Serves all traffic : milestone, ${T0 + 82_000}, 0s`,
        `  COMPLETED : milestone, ${T0 + 386_000}, 0s`,
      ].join('\n'),
    );
  });

  it('is undefined with nothing to draw', () => {
    expect(rolloutGantt({ moments: { startedAt: at(0), finishedAt: at(1) }, groups: [] }, 'x')).toBeUndefined();
  });
});

test('a drain cannot end after ECS marked the rollout COMPLETED', () => {
  // A sandbox running faster than real time, or a delay changed while draining.
  const moments = { ...today, drainedAt: undefined, completedAt: at(100), finishedAt: at(101) };
  expect(drainEnd({ moments, groups: [group(300)] })).toEqual({ at: at(100), estimated: false });
  expect(rolloutAdvice({ moments, groups: [group(300)] })).not.toMatch(/Draining/);
});
