import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import {
  bakeSecondsLeft,
  pausedHookAdvice,
  pausedHooks,
  stageLine,
  stagedStrategyOf,
  stagedVerdict,
  stagesPassedBetween,
  stagedCountsLine,
  stagedFailureReason,
} from '../../../../lib/ecs/service-deployment-progress.js';

const at = (stage: string, weight: number | undefined, status = 'IN_PROGRESS'): ServiceDeployment =>
  ({
    status,
    lifecycleStage: stage,
    targetServiceRevision: {
      arn: 'rev/2',
      requestedTaskCount: 2,
      runningTaskCount: 2,
      ...(weight !== undefined ? { requestedProductionTrafficWeight: weight, requestedTestTrafficWeight: 100 } : {}),
    },
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 },
  }) as ServiceDeployment;

describe('stagedStrategyOf', () => {
  it('is the strategy for BLUE_GREEN, LINEAR and CANARY under the ECS controller, undefined otherwise', () => {
    expect(stagedStrategyOf({ deploymentConfiguration: { strategy: 'LINEAR' } })).toBe('LINEAR');
    expect(stagedStrategyOf({ deploymentConfiguration: { strategy: 'ROLLING' } })).toBeUndefined();
    expect(stagedStrategyOf({ deploymentConfiguration: {} })).toBeUndefined();
    expect(
      stagedStrategyOf({
        deploymentConfiguration: { strategy: 'BLUE_GREEN' },
        deploymentController: { type: 'CODE_DEPLOY' },
      }),
    ).toBeUndefined();
  });
});

describe('stagedVerdict', () => {
  it('serves once production traffic is all on the new revision after the shift, not during a partial shift', () => {
    expect(stagedVerdict(at('PRODUCTION_TRAFFIC_SHIFT', 40))).toEqual({ kind: 'in-progress', serving: false });
    expect(stagedVerdict(at('PRODUCTION_TRAFFIC_SHIFT', 100))).toEqual({ kind: 'in-progress', serving: false });
    expect(stagedVerdict(at('BAKE_TIME', 100))).toEqual({ kind: 'in-progress', serving: true });
    expect(stagedVerdict(at('CLEAN_UP', 100))).toEqual({ kind: 'in-progress', serving: true });
  });

  it('is completed when SUCCESSFUL, rolled back for every ROLLBACK_ status, failed when STOPPED, with the reason', () => {
    expect(stagedVerdict(at('CLEAN_UP', 100, 'SUCCESSFUL'))).toEqual({ kind: 'completed' });
    for (const status of ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']) {
      const d = { ...at('BAKE_TIME', 0, status), rollback: { reason: 'Circuit Breaker: too many failed tasks.' } };
      expect(stagedVerdict(d)).toEqual({
        kind: 'rolled-back',
        reason: `service deployment ${status}: Circuit Breaker: too many failed tasks.`,
      });
    }
    expect(stagedVerdict({ ...at('SCALE_UP', 0, 'STOPPED'), statusReason: 'stopped by a user' })).toEqual({
      kind: 'failed',
      reason: 'service deployment STOPPED: stopped by a user',
    });
  });
});

describe('what the watch says', () => {
  it('names the stage, the traffic on the new revision and the counts', () => {
    expect(stageLine(at('PRODUCTION_TRAFFIC_SHIFT', 40))).toBe(
      'stage PRODUCTION_TRAFFIC_SHIFT: production 40% / test 100% on the new revision (2/2 running)',
    );
  });

  it('fills in the stages passed between two polls, never RECONCILE_SERVICE, nothing backwards', () => {
    expect(stagesPassedBetween('POST_SCALE_UP', 'PRODUCTION_TRAFFIC_SHIFT')).toEqual([
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
    ]);
    expect(stagesPassedBetween(undefined, 'SCALE_UP')).toEqual([]);
    expect(stagesPassedBetween('PRODUCTION_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT')).toEqual([]);
  });

  it('counts the bake time down from when BAKE_TIME was first seen', () => {
    const seen = new Date('2026-01-01T00:00:00Z');
    expect(bakeSecondsLeft(at('BAKE_TIME', 100), seen, new Date('2026-01-01T00:04:00Z'))).toBe(360);
    expect(bakeSecondsLeft(at('BAKE_TIME', 100), seen, new Date('2026-01-01T01:00:00Z'))).toBe(0);
    expect(bakeSecondsLeft(at('CLEAN_UP', 100), seen, new Date())).toBeUndefined();
  });

  it('tells what to do about a paused hook: the continue and rollback commands and the timeout action', () => {
    const d = {
      ...at('POST_SCALE_UP', 0),
      lifecycleHookDetails: [
        {
          hookId: 'h-1',
          status: 'AWAITING_ACTION',
          expiresAt: new Date('2026-01-02T00:00:00Z'),
          timeoutAction: 'ROLLBACK',
        },
        { hookId: 'h-0', status: 'SUCCEEDED' },
      ],
    } as ServiceDeployment;
    const hooks = pausedHooks(d);
    expect(hooks.map((h) => h.hookId)).toEqual(['h-1']);
    const advice = pausedHookAdvice('arn:sd', hooks[0]!);
    expect(advice).toContain('paused at POST_SCALE_UP by lifecycle hook h-1');
    expect(advice).toContain('`aws ecs continue-service-deployment --service-deployment-arn arn:sd --hook-id h-1`');
    expect(advice).toContain('--hook-id h-1 --action ROLLBACK`');
    expect(advice).toContain('ECS will roll back at 2026-01-02T00:00:00Z');
  });
});

describe('stagedFailureReason', () => {
  const HOOK = 'arn:aws:lambda:us-east-1:1:function:check';
  const failing = (fields: Partial<ServiceDeployment>): ServiceDeployment => ({
    ...at('PRODUCTION_TRAFFIC_SHIFT', 0, 'ROLLBACK_IN_PROGRESS'),
    rollback: { reason: 'Rollback: the lifecycle hook returned FAILED.' },
    ...fields,
  });

  it('names the stage, the traffic on the new revision last seen in progress, the reason and the failed hook', () => {
    const hook = { hookId: 'h-1', targetType: 'AWS_LAMBDA' as const, targetArn: HOOK, status: 'FAILED' as const };
    expect(stagedFailureReason(failing({ lifecycleHookDetails: [hook] }), at('PRODUCTION_TRAFFIC_SHIFT', 50))).toBe(
      'service deployment ROLLBACK_IN_PROGRESS at PRODUCTION_TRAFFIC_SHIFT (production 50% on the new revision): ' +
        `Rollback: the lifecycle hook returned FAILED.; lifecycle hook ${HOOK} (hook h-1) answered FAILED`,
    );
  });

  it('gives no share of traffic from an answer of an earlier stage (the failing stage passed between two polls)', () => {
    expect(stagedFailureReason(failing({}), at('PRE_PRODUCTION_TRAFFIC_SHIFT', 0))).toBe(
      'service deployment ROLLBACK_IN_PROGRESS at PRODUCTION_TRAFFIC_SHIFT: Rollback: the lifecycle hook returned FAILED.',
    );
  });

  it('keeps a hook seen failing on an earlier answer, once, and names the alarms in ALARM', () => {
    const earlier = { hookId: 'h-1', targetArn: HOOK, status: 'TIMED_OUT' };
    const reason = stagedFailureReason(
      failing({
        lifecycleStage: undefined,
        rollback: { reason: 'Alarm triggered' },
        alarms: { status: 'TRIGGERED', alarmNames: ['5xx', 'latency'], triggeredAlarmNames: ['5xx'] },
      }),
      at('BAKE_TIME', 100),
      [earlier, earlier],
    );
    expect(reason).toBe(
      'service deployment ROLLBACK_IN_PROGRESS at BAKE_TIME (production 100% on the new revision): Alarm triggered; ' +
        `lifecycle hook ${HOOK} (hook h-1) TIMED_OUT; deployment alarms in ALARM: 5xx`,
    );
  });
});

describe('stagedCountsLine', () => {
  it('is the new revision counts and its share of production and test traffic', () => {
    expect(stagedCountsLine(at('CLEAN_UP', 100))).toBe(
      '2/2 running, 0 pending of the new revision · production 100% / test 100% on the new revision',
    );
    expect(stagedCountsLine({ status: 'IN_PROGRESS' })).toBeUndefined();
  });
});
