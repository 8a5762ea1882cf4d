import { deregisterTargets, drainSeconds, targetGroupsOf } from '../alb/target-group.js';
import {
  commandBehaviour,
  commandLines,
  DEFAULT_HEALTHY_SECONDS,
  DEFAULT_START_SECONDS,
  DEFAULT_UNHEALTHY_SECONDS,
  pullFailureReason,
} from './behaviours.js';
import { serviceEvents } from './service-events.js';
import { DEFAULT_DATABASE, djangoMigrate } from './django-migrations.js';
import { logGroupMissing, missingLogGroupReason } from '../logs/log-groups.js';
import type { CommandBehaviour, ContainerState, Task, TaskStatus, ImageBehaviour } from '../model.js';
import type { World } from '../world.js';

/**
 * A task's life: PROVISIONING -> PENDING -> ACTIVATING -> RUNNING -> DEACTIVATING -> STOPPING -> DEPROVISIONING
 * -> STOPPED, driven by steps scheduled in simulated time and run by the engine.
 *
 * Stopping (StopTask, scheduler): running containers get SIGTERM and exit with 143; a container whose behaviour says
 * `ignoresSigterm` keeps running until its stop timeout (the definition's `stopTimeout`, default 30 s), then is
 * killed and exits with 137.
 */

const SIGTERM_EXIT = 143;
const SIGKILL_EXIT = 137;
/** How long AWS keeps a STOPPED task describable. */
const FORGET_AFTER_MS = 60 * 60 * 1000;

export interface StopOptions {
  stopCode: string;
  reason: string;
  /** Counts as a failed task for the service's deployment (circuit breaker). */
  failure?: boolean;
  /**
   * Simulated seconds the task stays DEACTIVATING before its containers get SIGTERM: a service task behind a load
   * balancer drains there for the target group's deregistration delay (default 1).
   */
  deactivateSeconds?: number;
}

function schedule(world: World, task: Task, afterSimSeconds: number, run: () => void): void {
  const atSim = world.clock.now() + afterSimSeconds * 1000;
  const index = task.steps.findIndex((s) => s.atSim > atSim);
  if (index < 0) task.steps.push({ atSim, run });
  else task.steps.splice(index, 0, { atSim, run });
}

function setStatus(world: World, task: Task, status: TaskStatus): void {
  task.lastStatus = status;
  task.version++;
  world.record('task', task.arn, status, task.stoppedReason);
}

const behaviourOf = (world: World, container: ContainerState) => world.behaviours.of(container.image);

/** Schedules the start of a freshly created task. */
export function startLifecycle(world: World, task: Task): void {
  const behaviours = task.containers.map((c) => behaviourOf(world, c));
  const startSeconds = Math.max(...behaviours.map((b) => b.startSeconds ?? DEFAULT_START_SECONDS));
  world.record('task', task.arn, task.lastStatus);
  schedule(world, task, startSeconds * 0.2, () => {
    task.connectivityAt = Date.now();
    task.pullStartedAt = Date.now();
    setStatus(world, task, 'PENDING');
  });
  const unpullable = task.containers.find((c) => behaviourOf(world, c).pull === 'fail' || !world.ecr.pullable(c.image));
  if (unpullable) {
    schedule(world, task, startSeconds * 0.6, () => {
      const reason = pullFailureReason(unpullable.image);
      task.pullStoppedAt = Date.now();
      unpullable.reason = reason;
      failToStart(world, task, reason);
    });
    return;
  }
  // Secrets are fetched with the execution role before the pull: one that does not resolve stops the task.
  schedule(world, task, startSeconds * 0.5, () => {
    for (const container of task.containers) {
      const failed = container.secrets.map((s) => world.secrets.resolve(s.valueFrom)).find((r) => !r.ok);
      if (failed && !failed.ok) {
        failToStart(world, task, failed.reason);
        return;
      }
    }
  });
  // The awslogs driver is set up after the pull, before any container starts.
  schedule(world, task, startSeconds * 0.65, () => {
    const withoutGroup = task.containers.find((c) => logGroupMissing(world.logs, c.logTarget));
    if (withoutGroup) {
      task.pullStoppedAt = Date.now();
      failToStart(world, task, missingLogGroupReason());
    }
  });
  schedule(world, task, startSeconds * 0.7, () => {
    task.pullStoppedAt = Date.now();
    setStatus(world, task, 'ACTIVATING');
  });
  schedule(world, task, startSeconds, () => run(world, task));
}

function failToStart(world: World, task: Task, reason: string): void {
  beginStop(world, task, { stopCode: 'TaskFailedToStart', reason, failure: true });
  if (task.service) world.serviceEvent(task.service, serviceEvents.unableToPlace(task.service, reason));
}

function run(world: World, task: Task): void {
  if (task.containers.some((c) => behaviourOf(world, c).held)) {
    schedule(world, task, 1, () => run(world, task)); // checked again each simulated second until released
    return;
  }
  task.startedAt = Date.now();
  task.runningSinceSim = world.clock.now();
  for (const container of task.containers) {
    container.lastStatus = 'RUNNING';
    const early = behaviourOf(world, container).exitCodeWhileRunning;
    if (early !== undefined) container.exitCode = early;
    if (container.logTarget) world.logs.ensureStream(container.logTarget.group, container.logTarget.stream, Date.now());
  }
  setStatus(world, task, 'RUNNING');
  for (const container of task.containers) {
    const behaviour = behaviourOf(world, container);
    writeLogs(world, container, behaviour.logLines ?? []);
    if (task.service) scheduleServiceContainer(world, task, container, behaviour);
    else scheduleOneOffContainer(world, task, container, behaviour);
  }
  if (task.service) scheduleHealth(world, task);
}

function writeLogs(world: World, container: ContainerState, lines: string[]): void {
  if (container.logTarget && lines.length > 0) {
    world.logs.write(container.logTarget.group, container.logTarget.stream, lines, Date.now());
  }
}

function scheduleServiceContainer(
  world: World,
  task: Task,
  container: ContainerState,
  behaviour: ImageBehaviour,
): void {
  if (behaviour.crashAfterSeconds !== undefined) {
    schedule(world, task, behaviour.crashAfterSeconds, () =>
      containerExit(world, task, container, behaviour.exitCode ?? 1),
    );
  }
}

function scheduleOneOffContainer(world: World, task: Task, container: ContainerState, behaviour: ImageBehaviour): void {
  const database = container.environment.DATABASE_NAME || DEFAULT_DATABASE;
  const migrate = behaviour.migrations
    ? djangoMigrate(container.command, behaviour.migrations, world.appliedIn(database))
    : undefined;
  const command: CommandBehaviour | undefined = migrate
    ? { logLines: migrate.lines, exitCode: 0, runSeconds: 5 }
    : commandBehaviour(behaviour, container.command);
  if (command) {
    const runSeconds = command.runSeconds ?? 1;
    const lines = commandLines(command.logLines);
    // The last lines land in the final moment before the container stops: a client must drain after STOPPED.
    const finalCount = Math.min(lines.length, Math.max(1, Math.ceil(lines.length * 0.1)));
    const early = lines.slice(0, lines.length - finalCount);
    const batches = Math.min(early.length, 20);
    for (let b = 0; b < batches; b++) {
      const chunk = early.slice(
        Math.floor((b * early.length) / batches),
        Math.floor(((b + 1) * early.length) / batches),
      );
      schedule(world, task, (runSeconds * b) / Math.max(batches, 1), () => writeLogs(world, container, chunk));
    }
    schedule(world, task, runSeconds, () => {
      writeLogs(world, container, lines.slice(lines.length - finalCount));
      for (const name of migrate?.applies ?? []) world.appliedIn(database).add(name);
      containerExit(world, task, container, command.exitCode);
    });
    return;
  }
  if (behaviour.crashAfterSeconds !== undefined) {
    schedule(world, task, behaviour.crashAfterSeconds, () =>
      containerExit(world, task, container, behaviour.exitCode ?? 1),
    );
    return;
  }
  schedule(world, task, 1, () => containerExit(world, task, container, 0));
}

function scheduleHealth(world: World, task: Task): void {
  const essential = task.containers.find((c) => c.essential) ?? task.containers[0];
  const behaviour = behaviourOf(world, essential);
  const service = task.service!;
  // Behind a load balancer, the target group's health checks judge the task (alb/target-group.ts) and the scheduler
  // stops an unhealthy one once the grace period is over (deployments.ts); here only the container's own status.
  const balanced = targetGroupsOf(world, service).length > 0;
  if (behaviour.health === 'unhealthy') {
    schedule(world, task, behaviour.healthCheckSeconds ?? DEFAULT_UNHEALTHY_SECONDS, () => {
      task.healthStatus = 'UNHEALTHY';
      essential.healthStatus = 'UNHEALTHY';
      task.version++;
      if (balanced) return;
      world.serviceEvent(service, serviceEvents.failedContainerHealthChecks(service, task));
      beginStop(world, task, {
        stopCode: 'ServiceSchedulerInitiated',
        reason: 'Task failed container health checks',
        failure: true,
      });
      world.serviceEvent(service, serviceEvents.stopped(service, [task]));
    });
    return;
  }
  schedule(world, task, behaviour.healthCheckSeconds ?? DEFAULT_HEALTHY_SECONDS, () => {
    task.healthStatus = 'HEALTHY';
    for (const c of task.containers) if (c.lastStatus === 'RUNNING') c.healthStatus = 'HEALTHY';
    task.version++;
  });
}

function containerExit(world: World, task: Task, container: ContainerState, exitCode: number): void {
  if (container.lastStatus === 'STOPPED') return;
  container.lastStatus = 'STOPPED';
  container.exitCode = exitCode;
  task.version++;
  if (task.containers.every((c) => c.lastStatus === 'STOPPED')) task.executionStoppedAt = Date.now();
  if (container.essential && task.desiredStatus === 'RUNNING') {
    beginStop(world, task, {
      stopCode: 'EssentialContainerExited',
      reason: 'Essential container in task exited',
      failure: task.service !== undefined,
      deactivateSeconds: task.service ? drainSeconds(world, task.service, [task]) : undefined,
    });
    if (task.service) deregisterTargets(world, task.service, [task]);
  }
}

/** Sets the task on its way to STOPPED (no-op when it is already going there). */
export function beginStop(world: World, task: Task, options: StopOptions): void {
  if (task.desiredStatus === 'STOPPED') return;
  task.desiredStatus = 'STOPPED';
  task.stopCode = options.stopCode;
  task.stoppedReason = options.reason;
  task.uncountedFailure = options.failure === true;
  task.stoppingAt = Date.now();
  task.steps.length = 0;
  task.version++;
  const finish = () => {
    task.stoppedAt = Date.now();
    task.forgetAt = Date.now() + FORGET_AFTER_MS;
    setStatus(world, task, 'STOPPED');
  };
  if (task.lastStatus !== 'RUNNING') {
    for (const c of task.containers) {
      c.lastStatus = 'STOPPED';
    }
    task.executionStoppedAt ??= Date.now();
    setStatus(world, task, 'DEPROVISIONING');
    schedule(world, task, 1, finish);
    return;
  }
  setStatus(world, task, 'DEACTIVATING');
  const drain = Math.max(1, options.deactivateSeconds ?? 1) - 1; // old targets drain before the containers stop
  schedule(world, task, drain + 1, () => setStatus(world, task, 'STOPPING'));
  const running = task.containers.filter((c) => c.lastStatus !== 'STOPPED');
  const stubborn = running.filter((c) => behaviourOf(world, c).ignoresSigterm);
  const killAfter = Math.max(0, ...stubborn.map((c) => c.stopTimeoutSeconds));
  const exit = (containers: ContainerState[], code: number) => {
    for (const c of containers.filter((c) => c.lastStatus !== 'STOPPED')) {
      c.lastStatus = 'STOPPED';
      c.exitCode = code;
    }
    if (task.containers.every((c) => c.lastStatus === 'STOPPED')) task.executionStoppedAt ??= Date.now();
    task.version++;
  };
  schedule(world, task, drain + 2, () =>
    exit(
      running.filter((c) => !stubborn.includes(c)),
      SIGTERM_EXIT,
    ),
  );
  if (stubborn.length > 0) schedule(world, task, drain + 2 + killAfter, () => exit(stubborn, SIGKILL_EXIT));
  schedule(world, task, drain + 3 + killAfter, () => setStatus(world, task, 'DEPROVISIONING'));
  schedule(world, task, drain + 4 + killAfter, finish);
}

/** Runs every step that is due, in time order. */
export function stepTasks(world: World): void {
  const now = world.clock.now();
  for (const task of world.tasks.values()) {
    while (task.steps.length > 0 && task.steps[0].atSim <= now) task.steps.shift()!.run();
    if (task.forgetAt !== undefined && Date.now() > task.forgetAt) world.tasks.delete(task.arn);
  }
}
