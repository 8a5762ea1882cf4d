import { targetOwner } from '../alb/target-group.js';
import type { TargetGroup } from '../alb/target-group-store.js';
import { uuid } from '../core/ids.js';
import { AwsError, invalidParameter } from '../core/errors.js';
import { BREAKER_REASON, breakerDecision } from './circuit-breaker.js';
import { serviceEvents } from './service-events.js';
import {
  blueGreenGroups,
  liveGroupOf,
  setLiveGroup,
  setStagedState,
  stagedStateOf,
  stagedStrategy,
  type HookDetail,
  type LambdaAnswer,
  type StagedState,
} from './staged-state.js';
import { beginStop } from './task-lifecycle.js';
import { startServiceTasks } from './service-tasks.js';
import { completeDeployment, setRollout } from './deployment-outcomes.js';
import type { Deployment, Service, ServiceDeploymentRecord, Task } from '../model.js';
import type { World } from '../world.js';

/**
 * ECS's own blue/green, linear and canary deployments (`deploymentConfiguration.strategy`): the green revision scales
 * up in full behind the alternate target group, the listener rules' weights move test then production traffic to it
 * (all at once, in steps, or a canary first), the blue revision keeps running through the bake time and is removed in
 * CLEAN_UP. A rollback (StopServiceDeployment, a hook, the circuit breaker) moves traffic back to blue at once and then
 * stops the green tasks. PAUSE hooks stop a stage until ContinueServiceDeployment. AWS_LAMBDA hooks hold their stage
 * IN_PROGRESS until the function answers: SUCCEEDED lets it go on, FAILED rolls the deployment back, IN_PROGRESS has
 * it called again after the callback delay. The sandbox runs no Lambda: a hook's function answers, call after call,
 * what its `hookDetails.answers` list says (SUCCEEDED once the list is used up); hooks do not run during a rollback.
 */

/** Simulated seconds a stage without work of its own lasts (ECS modifying listener rules and the like). */
export const STAGE_SECONDS = 15;

/** Simulated seconds a hook's Lambda takes to answer, and ECS's default delay before it calls one again. */
const LAMBDA_SECONDS = 5;
const CALLBACK_SECONDS = 30;

/** Where a Lambda hook may run: every stage ECS hooks into. */
const LAMBDA_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];

/** Where a PAUSE hook may stop a deployment (not TEST_ or PRODUCTION_TRAFFIC_SHIFT: Lambda hooks only). */
const PAUSE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];

const NEXT: Record<string, string> = {
  RECONCILE_SERVICE: 'PRE_SCALE_UP',
  PRE_SCALE_UP: 'SCALE_UP',
  SCALE_UP: 'POST_SCALE_UP',
  POST_SCALE_UP: 'TEST_TRAFFIC_SHIFT',
  TEST_TRAFFIC_SHIFT: 'POST_TEST_TRAFFIC_SHIFT',
  POST_TEST_TRAFFIC_SHIFT: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
  PRE_PRODUCTION_TRAFFIC_SHIFT: 'PRODUCTION_TRAFFIC_SHIFT',
  POST_PRODUCTION_TRAFFIC_SHIFT: 'BAKE_TIME',
  BAKE_TIME: 'CLEAN_UP',
};

const taskGroups = new WeakMap<Task, string>();

export { stagedStrategy };

/** One engine step of a service whose strategy is BLUE_GREEN, LINEAR or CANARY. */
export function reconcileStaged(world: World, service: Service): void {
  const primary = service.deployments[0];
  if (!primary) return;
  const record = world.serviceDeployments.get(primary.serviceDeploymentArn)!;
  if (primary.rolloutState !== 'IN_PROGRESS' && !stagedStateOf(record)?.rollingBack) {
    keepRunning(world, service, primary, liveGroupOf(service));
    return;
  }
  const state = stagedStateOf(record) ?? begin(world, service, record, primary);
  handleStopRequest(world, service, record, state, primary);
  countFailures(world, service, record, state, primary);
  stopUnhealthy(world, service, state);
  if (state.rollingBack) return finishRollback(world, service, record, state, primary);
  if (primary.halted) return;
  for (const task of live(world, service).filter((t) => state.blueDeploymentIds.includes(t.deploymentId ?? ''))) {
    register(world, service, task, state.blueGroupArn);
  }
  if (state.stage !== 'CLEAN_UP') keepRunning(world, service, primary, state.greenGroupArn);
  advance(world, service, record, state, primary);
}

function begin(world: World, service: Service, record: ServiceDeploymentRecord, primary: Deployment): StagedState {
  const strategy = stagedStrategy(service)!;
  const blueId = service.stable?.deploymentId;
  const blueDeploymentIds = blueId && blueId !== primary.id ? [blueId] : [];
  // RECONCILE_SERVICE "only happens when you start a new service deployment with more than 1 service revision in an
  // ACTIVE state": the blue one and a green one this deployment supersedes.
  const activeRevisions = new Set(
    live(world, service)
      .filter((task) => task.deploymentId !== primary.id)
      .map((task) => task.deploymentId),
  );
  // Tasks of deployments that are neither blue nor ours (a superseded green) go.
  for (const task of live(world, service)) {
    if (task.deploymentId !== primary.id && !blueDeploymentIds.includes(task.deploymentId ?? ''))
      stopTask(world, service, task, `Scaling activity initiated by (deployment ${primary.id})`);
  }
  const { primary: primaryGroup, alternate } = blueGreenGroups(service);
  const blueGroupArn = liveGroupOf(service) ?? primaryGroup ?? '';
  const greenGroupArn =
    blueDeploymentIds.length === 0
      ? blueGroupArn
      : blueGroupArn === alternate
        ? (primaryGroup ?? '')
        : (alternate ?? '');
  const state: StagedState = {
    strategy,
    stage: '',
    stageSinceSim: 0,
    blueDeploymentIds,
    blueGroupArn,
    greenGroupArn,
    productionWeight: blueDeploymentIds.length === 0 ? 100 : 0,
    testWeight: blueDeploymentIds.length === 0 ? 100 : 0,
    hooks: [],
    rollingBack: false,
  };
  setStagedState(record, state);
  enter(world, service, record, state, primary, activeRevisions.size > 1 ? 'RECONCILE_SERVICE' : 'PRE_SCALE_UP');
  return state;
}

function config(service: Service) {
  return service.deploymentConfiguration as {
    bakeTimeInMinutes?: number;
    lifecycleHooks?: Array<{
      targetType?: string;
      hookTargetArn?: string;
      lifecycleStages?: string[];
      hookDetails?: { answers?: LambdaAnswer[] };
      timeoutConfiguration?: { timeoutInMinutes?: number; action?: 'CONTINUE' | 'ROLLBACK' };
    }>;
    linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number };
    canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
    deploymentCircuitBreaker?: { enable?: boolean; rollback?: boolean };
  };
}

function enter(
  world: World,
  service: Service,
  record: ServiceDeploymentRecord,
  state: StagedState,
  primary: Deployment,
  stage: string,
): void {
  const now = world.clock.now();
  state.stage = stage;
  state.stageSinceSim = now;
  record.updatedAt = Date.now();
  world.record('deployment', primary.id, stage, record.arn);
  const settings = config(service);
  if (stage === 'TEST_TRAFFIC_SHIFT') state.testWeight = 100;
  if (stage === 'PRODUCTION_TRAFFIC_SHIFT') {
    const before = state.productionWeight;
    let wait = 0;
    if (state.strategy === 'LINEAR') {
      const step = settings.linearConfiguration?.stepPercent ?? 10;
      state.productionWeight = Math.min(100, Math.round((before + step) * 10) / 10);
      wait = (settings.linearConfiguration?.stepBakeTimeInMinutes ?? 6) * 60;
    } else if (state.strategy === 'CANARY' && before === 0) {
      state.productionWeight = settings.canaryConfiguration?.canaryPercent ?? 5;
      wait = (settings.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10) * 60;
    } else {
      state.productionWeight = 100;
    }
    state.waitUntilSim = now + (state.productionWeight < 100 ? wait : STAGE_SECONDS) * 1000;
  }
  // A first deployment has no blue revision to keep: nothing to bake.
  const bakeMinutes = state.blueDeploymentIds.length > 0 ? (settings.bakeTimeInMinutes ?? 0) : 0;
  if (stage === 'BAKE_TIME') state.waitUntilSim = now + bakeMinutes * 60_000;
  if (stage === 'CLEAN_UP') {
    for (const task of live(world, service).filter((t) => t.deploymentId !== primary.id)) {
      stopTask(world, service, task, `Scaling activity initiated by (deployment ${primary.id})`);
    }
  }
  for (const hook of settings.lifecycleHooks ?? []) {
    const type = hook.targetType === 'PAUSE' ? 'PAUSE' : 'AWS_LAMBDA';
    if (!(type === 'PAUSE' ? PAUSE_STAGES : LAMBDA_STAGES).includes(stage)) continue;
    if (!hook.lifecycleStages?.includes(stage)) continue;
    const minutes = hook.timeoutConfiguration?.timeoutInMinutes ?? 1440;
    const common = {
      hookId: uuid(),
      stage,
      stageSinceSim: now,
      expiresAtSim: now + minutes * 60_000,
      expiresAt: Date.now() + minutes * 60_000 * world.clock.timeScale,
      timeoutAction: hook.timeoutConfiguration?.action ?? 'ROLLBACK',
    } as const;
    if (type === 'PAUSE') {
      state.hooks.push({ ...common, targetType: 'PAUSE', status: 'AWAITING_ACTION' });
      continue;
    }
    // The same function answers the next entry of its stage (a linear step) with the rest of its list.
    const earlier = state.hooks.filter((h) => h.targetType === 'AWS_LAMBDA' && h.targetArn === hook.hookTargetArn);
    state.hooks.push({
      ...common,
      targetType: 'AWS_LAMBDA',
      ...(hook.hookTargetArn ? { targetArn: hook.hookTargetArn } : {}),
      status: 'IN_PROGRESS',
      answerAtSim: now + LAMBDA_SECONDS * 1000,
      answers: earlier.at(-1)?.answers ?? [...(hook.hookDetails?.answers ?? [])],
    });
  }
}

/**
 * The Lambda hooks of the current stage that are due answer. False when the stage must wait: one is still
 * IN_PROGRESS, or one FAILED and the deployment is rolling back.
 */
function lambdaHooksDone(
  world: World,
  service: Service,
  record: ServiceDeploymentRecord,
  state: StagedState,
  primary: Deployment,
): boolean {
  const now = world.clock.now();
  const running = state.hooks.filter(
    (h) => h.stageSinceSim === state.stageSinceSim && h.targetType === 'AWS_LAMBDA' && h.status === 'IN_PROGRESS',
  );
  for (const hook of running) {
    if (now < (hook.answerAtSim ?? 0)) continue;
    const answer = hook.answers?.shift() ?? 'SUCCEEDED';
    if (answer === 'IN_PROGRESS') {
      hook.answerAtSim = now + CALLBACK_SECONDS * 1000;
      continue;
    }
    hook.status = answer;
    if (answer === 'FAILED') {
      rollBack(world, service, record, state, primary, 'Rollback: the lifecycle hook returned FAILED.');
      return false;
    }
  }
  return running.every((h) => h.status === 'SUCCEEDED');
}

/** Moves to the next stage once this one's work is done and no hook of it awaits an answer. */
function advance(
  world: World,
  service: Service,
  record: ServiceDeploymentRecord,
  state: StagedState,
  primary: Deployment,
): void {
  const now = world.clock.now();
  if (!lambdaHooksDone(world, service, record, state, primary)) return;
  const awaiting = state.hooks.find((h) => h.stage === state.stage && h.status === 'AWAITING_ACTION');
  if (awaiting) {
    const answer = state.hookAnswer?.hookId === awaiting.hookId ? state.hookAnswer.action : undefined;
    const expired = !answer && now >= awaiting.expiresAtSim;
    if (!answer && !expired) return;
    state.hookAnswer = undefined;
    awaiting.status = expired ? 'TIMED_OUT' : 'SUCCEEDED';
    const action = answer ?? awaiting.timeoutAction;
    if (action === 'ROLLBACK') {
      const why = expired ? 'the lifecycle hook timed out' : 'ContinueServiceDeployment asked for a rollback';
      return rollBack(world, service, record, state, primary, `Rollback: ${why}.`);
    }
    if (state.hooks.some((h) => h.stage === state.stage && h.status === 'AWAITING_ACTION')) return;
  }
  const elapsed = now - state.stageSinceSim;
  const go = (stage: string) => enter(world, service, record, state, primary, stage);
  switch (state.stage) {
    case 'SCALE_UP': {
      const healthy = live(world, service).filter(
        (t) => t.deploymentId === primary.id && healthyIn(world, t, state.greenGroupArn),
      );
      if (healthy.length >= primary.desiredCount) go('POST_SCALE_UP');
      return;
    }
    case 'PRODUCTION_TRAFFIC_SHIFT':
      if (now < (state.waitUntilSim ?? 0)) return;
      go(state.productionWeight < 100 ? 'PRE_PRODUCTION_TRAFFIC_SHIFT' : 'POST_PRODUCTION_TRAFFIC_SHIFT');
      return;
    case 'BAKE_TIME':
      if (now >= (state.waitUntilSim ?? 0)) go('CLEAN_UP');
      return;
    case 'CLEAN_UP':
      if (world.tasksOf(service).every((t) => t.deploymentId === primary.id || t.lastStatus === 'STOPPED'))
        complete(world, service, record, state, primary);
      return;
    default:
      if (elapsed >= STAGE_SECONDS * 1000) go(NEXT[state.stage]!);
  }
}

function complete(
  world: World,
  service: Service,
  record: ServiceDeploymentRecord,
  state: StagedState,
  primary: Deployment,
): void {
  setLiveGroup(service, state.greenGroupArn);
  completeDeployment(world, service, primary, record, 'SUCCESSFUL');
}

/** Traffic goes back to blue at once; the green tasks then drain and stop, and the record ends ROLLBACK_SUCCESSFUL. */
function rollBack(
  world: World,
  service: Service,
  record: ServiceDeploymentRecord,
  state: StagedState,
  primary: Deployment,
  reason: string,
): void {
  const now = Date.now();
  const blue = service.deployments.find((d) => state.blueDeploymentIds.includes(d.id));
  setRollout(world, primary, 'FAILED', `ECS deployment ${primary.id} rolled back: ${reason}`);
  primary.halted = true;
  record.updatedAt = now;
  if (!blue || !live(world, service).some((t) => t.deploymentId === blue.id)) {
    record.status = 'ROLLBACK_FAILED';
    record.statusReason = reason;
    record.finishedAt = now;
    return;
  }
  record.status = 'ROLLBACK_IN_PROGRESS';
  record.statusReason = reason;
  record.rollback = { reason, startedAt: now, serviceRevisionArn: blue.revisionArn };
  state.rollingBack = true;
  state.productionWeight = 0;
  state.testWeight = 0;
  world.record('target', 'production-traffic', 'blue', record.arn);
  world.serviceEvent(service, serviceEvents.rollingBack(service, blue.id));
  for (const task of live(world, service).filter((t) => t.deploymentId === primary.id)) {
    stopTask(world, service, task, `Scaling activity initiated by (deployment ${blue.id})`);
  }
}

function finishRollback(
  world: World,
  service: Service,
  record: ServiceDeploymentRecord,
  state: StagedState,
  primary: Deployment,
): void {
  const blue = service.deployments.find((d) => state.blueDeploymentIds.includes(d.id));
  if (!blue) return;
  for (const task of live(world, service).filter((t) => t.deploymentId === primary.id)) {
    stopTask(world, service, task, `Scaling activity initiated by (deployment ${blue.id})`);
  }
  if (world.tasksOf(service).some((t) => t.deploymentId === primary.id && t.lastStatus !== 'STOPPED')) return;
  state.rollingBack = false;
  record.status = 'ROLLBACK_SUCCESSFUL';
  record.finishedAt = record.updatedAt = Date.now();
  blue.status = 'PRIMARY';
  blue.rolloutState = 'COMPLETED';
  blue.updatedAt = Date.now();
  service.deployments = [blue];
  service.taskDefinition = blue.taskDefinition;
  world.serviceEvent(service, serviceEvents.steadyState(service));
}

function handleStopRequest(
  world: World,
  service: Service,
  record: ServiceDeploymentRecord,
  state: StagedState,
  primary: Deployment,
): void {
  const request = service.pendingStop;
  if (!request || request.record !== record) return;
  service.pendingStop = undefined;
  if (request.stopType === 'ROLLBACK')
    return rollBack(world, service, record, state, primary, 'Rollback requested with StopServiceDeployment.');
  primary.halted = true;
  setRollout(world, primary, 'FAILED', `ECS deployment ${primary.id} stopped.`);
  record.status = 'STOPPED';
  record.statusReason = 'Service deployment stopped with StopServiceDeployment.';
  record.stoppedAt = record.updatedAt = Date.now();
}

function countFailures(
  world: World,
  service: Service,
  record: ServiceDeploymentRecord,
  state: StagedState,
  primary: Deployment,
): void {
  for (const task of world.tasksOf(service)) {
    if (!task.uncountedFailure) continue;
    task.uncountedFailure = false;
    if (task.deploymentId !== primary.id || state.rollingBack || primary.halted) continue;
    primary.failedTasks++;
    record.breaker.failureCount++;
  }
  if (state.rollingBack || primary.halted) return;
  const decision = breakerDecision(config(service).deploymentCircuitBreaker, primary.failedTasks, primary.desiredCount);
  if (decision === 'continue') return;
  record.breaker.status = 'TRIGGERED';
  world.serviceEvent(service, serviceEvents.failed(service, primary.id));
  if (decision === 'fail-and-roll-back')
    return rollBack(
      world,
      service,
      record,
      state,
      primary,
      'Circuit Breaker: the deployment exceeded its failed task threshold.',
    );
  primary.halted = true;
  setRollout(world, primary, 'FAILED', BREAKER_REASON);
  record.status = 'STOPPED';
  record.statusReason = BREAKER_REASON;
  record.stoppedAt = record.updatedAt = Date.now();
}

/** Green tasks unhealthy in their target group are stopped once the health-check grace period is over. */
function stopUnhealthy(world: World, service: Service, state: StagedState): void {
  const graceMs = (service.healthCheckGracePeriodSeconds ?? 0) * 1000;
  for (const task of live(world, service)) {
    const arn = taskGroups.get(task);
    const group = arn ? world.targetGroups.groups.get(arn) : undefined;
    if (!group || task.runningSinceSim === undefined || world.clock.now() - task.runningSinceSim < graceMs) continue;
    if (world.targetGroups.targetOf(group, targetOwner(world, task))?.state !== 'unhealthy') continue;
    const port = portOf(service, group);
    world.serviceEvent(service, serviceEvents.unhealthyTarget(service, task, port, group.arn));
    stopTask(world, service, task, `Task failed ELB health checks in (target-group ${group.arn})`, true);
    world.serviceEvent(service, serviceEvents.stopped(service, [task]));
  }
  void state;
}

/** Launches tasks of the deployment up to its desired count, registering running ones in `groupArn`. */
function keepRunning(world: World, service: Service, deployment: Deployment, groupArn: string | undefined): void {
  const mine = live(world, service).filter((t) => t.deploymentId === deployment.id);
  const missing = deployment.halted ? 0 : deployment.desiredCount - mine.length;
  if (missing > 0) startServiceTasks(world, service, deployment, missing);
  if (groupArn) for (const task of mine) register(world, service, task, groupArn);
}

function register(world: World, service: Service, task: Task, groupArn: string): void {
  if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING') return;
  if (task.targetRegistered && taskGroups.has(task)) return;
  const group = world.targetGroups.groups.get(groupArn);
  if (!group) return;
  taskGroups.set(task, groupArn);
  if (task.targetRegistered) return; // registered by the rolling scheduler before the switch, in the live group
  task.targetRegistered = true;
  world.targetGroups.register(group, targetOwner(world, task), portOf(service, group));
  world.serviceEvent(service, serviceEvents.registeredTargets(service, 1, group.arn));
}

function stopTask(world: World, service: Service, task: Task, reason: string, failure = false): void {
  const arn = taskGroups.get(task) ?? (task.targetRegistered ? liveGroupOf(service) : undefined);
  const group = arn ? world.targetGroups.groups.get(arn) : undefined;
  const registered = task.targetRegistered && group;
  beginStop(world, task, {
    stopCode: 'ServiceSchedulerInitiated',
    reason,
    failure,
    deactivateSeconds: registered ? world.targetGroups.deregistrationDelaySeconds(group) : 0,
  });
  if (registered) {
    task.targetRegistered = false;
    world.targetGroups.deregister(group, targetOwner(world, task));
    world.serviceEvent(service, serviceEvents.deregisteredTargets(service, 1, group.arn));
  }
}

function healthyIn(world: World, task: Task, groupArn: string): boolean {
  const group = world.targetGroups.groups.get(groupArn);
  if (!group) return task.lastStatus === 'RUNNING';
  return (
    task.lastStatus === 'RUNNING' && world.targetGroups.targetOf(group, targetOwner(world, task))?.state === 'healthy'
  );
}

function portOf(service: Service, group: TargetGroup): number {
  return (service.loadBalancers[0]?.containerPort as number | undefined) ?? group.port;
}

const live = (world: World, service: Service) => world.tasksOf(service).filter((t) => t.desiredStatus === 'RUNNING');

/** ContinueServiceDeployment: answers the paused hook `hookId` of the deployment (carried out on the next step). */
export function continueServiceDeployment(
  world: World,
  arn: string,
  hookId: string | undefined,
  action: string | undefined,
): void {
  const record = world.serviceDeployments.get(arn);
  if (!record) throw new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
  const state = stagedStateOf(record);
  const hook: HookDetail | undefined = state?.hooks.find((h) => h.hookId === hookId);
  if (!state || !hook)
    throw invalidParameter(`The lifecycle hook ${hookId ?? ''} was not found for the service deployment.`);
  if (hook.status !== 'AWAITING_ACTION')
    throw new AwsError(
      'ConflictException',
      `The lifecycle hook is in ${hook.status} status and is not awaiting action.`,
    );
  const chosen = action ?? 'CONTINUE';
  if (chosen !== 'CONTINUE' && chosen !== 'ROLLBACK') throw invalidParameter('action must be CONTINUE or ROLLBACK.');
  state.hookAnswer = { hookId: hook.hookId, action: chosen };
}

/**
 * The target group the production listener rule sends request number `turn` to, by the rule's weights (undefined
 * when the service does not deploy in stages).
 */
export function productionGroupFor(world: World, service: Service, turn: number): string | undefined {
  if (!stagedStrategy(service)) return undefined;
  const primary = service.deployments[0];
  const record = primary ? world.serviceDeployments.get(primary.serviceDeploymentArn) : undefined;
  const state = record ? stagedStateOf(record) : undefined;
  const inFlight = state && (primary!.rolloutState === 'IN_PROGRESS' || state.rollingBack) ? state : undefined;
  if (!inFlight) return liveGroupOf(service);
  return turn % 100 < inFlight.productionWeight ? inFlight.greenGroupArn : inFlight.blueGroupArn;
}
