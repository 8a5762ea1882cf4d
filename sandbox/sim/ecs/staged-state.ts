import { epochSeconds as seconds } from '../core/ids.js';
import type { Json } from '../core/json.js';
import type { Service, ServiceDeploymentRecord } from '../model.js';

/**
 * What ECS tracks for a blue/green, linear or canary service deployment beyond the rolling record: the lifecycle
 * stage, the traffic weights on the production and test listener rules, and the lifecycle hooks. Shared by the
 * scheduler (staged-deployments.ts), DescribeServiceDeployments and the ALB stand-in, which routes by the weights.
 */

export type StagedStrategy = 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

export interface HookDetail {
  hookId: string;
  targetType: 'PAUSE' | 'AWS_LAMBDA';
  targetArn?: string;
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  stage: string;
  /** When its stage was entered (simulated ms): a linear deployment enters PRODUCTION_TRAFFIC_SHIFT once a step. */
  stageSinceSim: number;
  expiresAtSim: number;
  /** Real epoch ms, as reported. */
  expiresAt: number;
  timeoutAction: 'CONTINUE' | 'ROLLBACK';
  /** AWS_LAMBDA: when the function's current invocation answers (simulated ms). */
  answerAtSim?: number;
  /** AWS_LAMBDA: what the function answers, invocation after invocation (its `hookDetails.answers`). */
  answers?: LambdaAnswer[];
}

/** A lifecycle hook Lambda's `hookStatus`. */
export type LambdaAnswer = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';

export interface StagedState {
  strategy: StagedStrategy;
  stage: string;
  stageSinceSim: number;
  /** The deployments whose tasks serve production until the shift (the last completed one). */
  blueDeploymentIds: string[];
  blueGroupArn: string;
  greenGroupArn: string;
  /** Percent of production / test traffic on the green (target) revision. */
  productionWeight: number;
  testWeight: number;
  /** PRODUCTION_TRAFFIC_SHIFT: when this step's wait ends; BAKE_TIME: when the bake ends (simulated ms). */
  waitUntilSim?: number;
  hooks: HookDetail[];
  /** A continue/rollback answer to a paused hook, carried out on the next step. */
  hookAnswer?: { hookId: string; action: 'CONTINUE' | 'ROLLBACK' };
  rollingBack: boolean;
}

const states = new WeakMap<ServiceDeploymentRecord, StagedState>();
/** Per service: the target group the production listener rule sends all traffic to when no deployment is shifting. */
const liveGroups = new WeakMap<Service, string>();

export function stagedStrategy(service: Service): StagedStrategy | undefined {
  const strategy = service.deploymentConfiguration.strategy;
  const controller = service.deploymentController?.type ?? 'ECS';
  return controller === 'ECS' && ['BLUE_GREEN', 'LINEAR', 'CANARY'].includes(strategy) ? strategy : undefined;
}

export const stagedStateOf = (record: ServiceDeploymentRecord) => states.get(record);
export const setStagedState = (record: ServiceDeploymentRecord, state: StagedState) => states.set(record, state);

/** The production target group and the alternate one named by `advancedConfiguration`. */
export function blueGreenGroups(service: Service): { primary?: string; alternate?: string } {
  const lb = service.loadBalancers[0];
  return {
    primary: lb?.targetGroupArn as string | undefined,
    alternate: lb?.advancedConfiguration?.alternateTargetGroupArn as string | undefined,
  };
}

export function liveGroupOf(service: Service): string | undefined {
  return liveGroups.get(service) ?? blueGreenGroups(service).primary;
}

export const setLiveGroup = (service: Service, arn: string) => liveGroups.set(service, arn);

/** Production routes of the service as the listener rule's weights say: [group ARN, percent]. */
export function productionRoutes(service: Service, inFlight: StagedState | undefined): Array<[string, number]> {
  const live = liveGroupOf(service);
  if (!inFlight) return live ? [[live, 100]] : [];
  return [
    [inFlight.blueGroupArn, 100 - inFlight.productionWeight],
    [inFlight.greenGroupArn, inFlight.productionWeight],
  ];
}

/** The staged fields of DescribeServiceDeployments: stage, hooks of the current stage, traffic weights per revision. */
export function stagedFields(record: ServiceDeploymentRecord, base: Json): Json {
  const state = states.get(record);
  if (!state) return {};
  const hooks = state.hooks.filter((h) => h.stage === state.stage && h.stageSinceSim === state.stageSinceSim);
  const weigh = (revision: Json, production: number, test: number) => ({
    ...revision,
    requestedProductionTrafficWeight: production,
    requestedTestTrafficWeight: test,
  });
  return {
    lifecycleStage: state.stage,
    ...(hooks.length > 0
      ? {
          lifecycleHookDetails: hooks.map((h) => ({
            hookId: h.hookId,
            targetType: h.targetType,
            ...(h.targetArn ? { targetArn: h.targetArn } : {}),
            status: h.status,
            expiresAt: seconds(h.expiresAt),
            timeoutAction: h.timeoutAction,
          })),
        }
      : {}),
    sourceServiceRevisions: (base.sourceServiceRevisions as Json[]).map((r) =>
      weigh(r, 100 - state.productionWeight, 100 - state.testWeight),
    ),
    targetServiceRevision: weigh(base.targetServiceRevision, state.productionWeight, state.testWeight),
  };
}
