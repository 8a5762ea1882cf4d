import type { Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import { formatSeconds } from '../runner/time.js';

/**
 * ECS's own blue/green, linear and canary deployments, read from DescribeServiceDeployments answers: the stage, the
 * traffic on the new revision, the bake time left, paused lifecycle hooks, and the verdict. Pure.
 */

export type StagedStrategy = 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

/** The service's strategy when ECS itself shifts traffic in stages (undefined: rolling, or another controller). */
export function stagedStrategyOf(service: Service | undefined): StagedStrategy | undefined {
  const strategy = service?.deploymentConfiguration?.strategy;
  const controller = service?.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS') return undefined;
  return strategy === 'BLUE_GREEN' || strategy === 'LINEAR' || strategy === 'CANARY' ? strategy : undefined;
}

/** Stages after which production traffic is all on the new revision (unless it rolls back). */
const ALL_TRAFFIC_STAGES = new Set(['POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP']);

export type StagedVerdict =
  | { kind: 'in-progress'; serving: boolean }
  | { kind: 'completed' }
  /** ECS is rolling back (or did): traffic goes back to the revision still running. */
  | { kind: 'rolled-back'; reason: string }
  | { kind: 'failed'; reason: string };

export function stagedVerdict(deployment: ServiceDeployment): StagedVerdict {
  const status = deployment.status ?? 'PENDING';
  const why = deployment.rollback?.reason ?? deployment.statusReason;
  if (status === 'SUCCESSFUL') return { kind: 'completed' };
  if (status.startsWith('ROLLBACK_')) {
    return { kind: 'rolled-back', reason: `service deployment ${status}${why ? `: ${why}` : ''}` };
  }
  if (status === 'STOPPED' || status === 'STOP_REQUESTED') {
    return { kind: 'failed', reason: `service deployment ${status}${why ? `: ${why}` : ''}` };
  }
  return { kind: 'in-progress', serving: servesAllProduction(deployment) };
}

export function servesAllProduction(deployment: ServiceDeployment): boolean {
  const weight = deployment.targetServiceRevision?.requestedProductionTrafficWeight;
  return ALL_TRAFFIC_STAGES.has(deployment.lifecycleStage ?? '') && (weight === undefined || weight >= 100);
}

export interface PausedHook {
  hookId: string;
  stage: string;
  expiresAt?: Date;
  timeoutAction?: string;
}

export function pausedHooks(deployment: ServiceDeployment): PausedHook[] {
  return (deployment.lifecycleHookDetails ?? [])
    .filter((hook) => hook.status === 'AWAITING_ACTION' && hook.hookId)
    .map((hook) => ({
      hookId: hook.hookId!,
      stage: deployment.lifecycleStage ?? '?',
      ...(hook.expiresAt ? { expiresAt: hook.expiresAt } : {}),
      ...(hook.timeoutAction ? { timeoutAction: hook.timeoutAction } : {}),
    }));
}

/** `stage PRODUCTION_TRAFFIC_SHIFT: production 40% / test 100% on the new revision (2/2 running)`. */
export function stageLine(deployment: ServiceDeployment): string {
  const target = deployment.targetServiceRevision;
  const production = target?.requestedProductionTrafficWeight;
  const test = target?.requestedTestTrafficWeight;
  const traffic =
    production !== undefined
      ? `: production ${production}%${test !== undefined ? ` / test ${test}%` : ''} on the new revision`
      : '';
  const counts = target ? ` (${target.runningTaskCount ?? 0}/${target.requestedTaskCount ?? 0} running)` : '';
  return `stage ${deployment.lifecycleStage ?? '?'}${traffic}${counts}`;
}

/** Seconds of bake time left, from when BAKE_TIME was first seen and the deployment's `bakeTimeInMinutes`. */
export function bakeSecondsLeft(
  deployment: ServiceDeployment,
  bakeSeenAt: Date | undefined,
  now: Date,
): number | undefined {
  const minutes = deployment.deploymentConfiguration?.bakeTimeInMinutes;
  if (deployment.lifecycleStage !== 'BAKE_TIME' || !bakeSeenAt || minutes === undefined) return undefined;
  return Math.max(0, minutes * 60 - (now.getTime() - bakeSeenAt.getTime()) / 1000);
}

/** What to do about a paused hook, with the commands (names only: ARNs and ids are not secrets). */
export function pausedHookAdvice(serviceDeploymentArn: string, hook: PausedHook): string {
  const timeout = hook.expiresAt
    ? ` If nobody answers, ECS will ${hook.timeoutAction === 'CONTINUE' ? 'continue' : 'roll back'} at ${hook.expiresAt.toISOString().slice(0, 19)}Z.`
    : '';
  const command = `aws ecs continue-service-deployment --service-deployment-arn ${serviceDeploymentArn} --hook-id ${hook.hookId}`;
  return (
    `paused at ${hook.stage} by lifecycle hook ${hook.hookId}: check the new revision, then continue with ` +
    `\`${command}\` or roll back with \`${command} --action ROLLBACK\`.${timeout}`
  );
}

export const bakeLine = (seconds: number) => `bake time left: ${formatSeconds(seconds)}`;

/** The lifecycle stages in the order ECS goes through them (PRE_/PRODUCTION_ repeat for each linear/canary step). */
export const STAGE_ORDER = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];

/**
 * Stages ECS went through between two polls that saw `before` then `after` (a stage can be shorter than a poll).
 * RECONCILE_SERVICE only happens with several revisions running, so it is never filled in.
 */
export function stagesPassedBetween(before: string | undefined, after: string | undefined): string[] {
  const from = STAGE_ORDER.indexOf(before ?? '');
  const to = STAGE_ORDER.indexOf(after ?? '');
  if (from < 0 || to < 0 || to <= from + 1) return [];
  return STAGE_ORDER.slice(from + 1, to);
}

export interface FailedHook {
  hookId: string;
  /** The Lambda function (AWS_LAMBDA hooks). */
  targetArn?: string;
  /** FAILED (the function answered so) or TIMED_OUT. */
  status: string;
}

/** Lifecycle hooks of the current stage that failed or timed out. */
export function failedHooks(deployment: ServiceDeployment): FailedHook[] {
  return (deployment.lifecycleHookDetails ?? [])
    .filter((hook) => (hook.status === 'FAILED' || hook.status === 'TIMED_OUT') && hook.hookId)
    .map((hook) => ({
      hookId: hook.hookId!,
      status: hook.status!,
      ...(hook.targetArn ? { targetArn: hook.targetArn } : {}),
    }));
}

/** `lifecycle hook arn:aws:lambda:…:function:check (hook 1f2e…) answered FAILED`. */
export function failedHookText(hook: FailedHook): string {
  const what = hook.targetArn ? `${hook.targetArn} (hook ${hook.hookId})` : hook.hookId;
  return `lifecycle hook ${what} ${hook.status === 'FAILED' ? 'answered FAILED' : hook.status}`;
}

/**
 * Why a staged deployment failed, with where: the stage (of the failing answer, else of the one before) and the
 * production traffic on the new revision when last seen in progress at that stage, then ECS's reason, the hooks that failed
 * (`hooksSeen` on earlier answers too) and the deployment alarms in ALARM.
 */
export function stagedFailureReason(
  seen: ServiceDeployment,
  before: ServiceDeployment | undefined,
  hooksSeen: FailedHook[] = [],
): string {
  const status = seen.status ?? '?';
  const stage = seen.lifecycleStage ?? before?.lifecycleStage;
  // The failing answer already shows the traffic going back: the share is the one last seen in that same stage, if any.
  const sameStage = before && before.lifecycleStage === stage ? before : undefined;
  const weight = sameStage?.targetServiceRevision?.requestedProductionTrafficWeight;
  const where = stage
    ? ` at ${stage}${weight !== undefined ? ` (production ${weight}% on the new revision)` : ''}`
    : '';
  const hooks = [...hooksSeen, ...failedHooks(seen)].filter(
    (hook, i, all) => all.findIndex((h) => h.hookId === hook.hookId) === i,
  );
  const alarms = seen.alarms?.triggeredAlarmNames ?? [];
  const parts = [
    seen.rollback?.reason ?? seen.statusReason,
    ...hooks.map(failedHookText),
    ...(alarms.length > 0 ? [`deployment alarms in ALARM: ${alarms.join(', ')}`] : []),
  ].filter((part): part is string => Boolean(part));
  return `service deployment ${status}${where}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
}

/** The new revision's final counts and its share of traffic: `2/2 running, 0 pending · production 100% / test 100%`. */
export function stagedCountsLine(deployment: ServiceDeployment): string | undefined {
  const target = deployment.targetServiceRevision;
  if (!target) return undefined;
  const production = target.requestedProductionTrafficWeight;
  const test = target.requestedTestTrafficWeight;
  const traffic =
    production !== undefined
      ? ` · production ${production}%${test !== undefined ? ` / test ${test}%` : ''} on the new revision`
      : '';
  return (
    `${target.runningTaskCount ?? 0}/${target.requestedTaskCount ?? 0} running, ${target.pendingTaskCount ?? 0} ` +
    `pending of the new revision${traffic}`
  );
}
