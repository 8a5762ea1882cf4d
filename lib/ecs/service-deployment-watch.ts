import type { ServiceDeployment, Task } from '@aws-sdk/client-ecs';
import type { TimelineEntry, TimelineKind } from './deployment-timeline.js';
import type { WatchOptions } from './deployment-watch.js';
import type { FailedTaskLogs, StoppedTaskReport, WatchClients, WatchResult, WatchStatus } from './watch-result.js';
import { healthCheckStep } from './health-check-step.js';
import { describeTasks, findService, listServiceTasks } from './service-api.js';
import { eventKey, newEvents } from './deployment-events.js';
import {
  bakeLine,
  bakeSecondsLeft,
  failedHooks,
  failedHookText,
  pausedHookAdvice,
  pausedHooks,
  stageLine,
  stagedCountsLine,
  stagedFailureReason,
  stagedVerdict,
  stagesPassedBetween,
  type FailedHook,
} from './service-deployment-progress.js';
import { describeServiceDeployment, newestServiceDeploymentSince } from './service-deployments-api.js';
import { stoppedTaskLines, taskIdOf } from './stopped-tasks.js';
import { crashedTaskLogs } from './crashed-task-logs.js';
import { errorText } from '../runner/error-text.js';
import { formatSeconds, nowDate, poll as pollEvery } from '../runner/time.js';

/**
 * Watching one blue/green, linear or canary deployment that ECS carries out itself, stage by stage, through
 * DescribeServiceDeployments: the stage as it passes, the traffic on the new revision, the bake time left, paused
 * lifecycle hooks and what to do about them. `wait-until: serving` returns once production traffic is all on the new
 * revision; `completed` once the deployment is SUCCESSFUL. A ROLLBACK_* or STOPPED status ends the watch at that poll,
 * with the evidence a rolling failure gives (stopped tasks of ours, the failed task's last log lines) and where it
 * failed (the stage, the traffic on the new revision, the lifecycle hooks that failed, the alarms in ALARM). The
 * service's events since the deployment began are told as they come, each once, as the rolling watch tells them.
 */

export interface StagedWatchOptions extends WatchOptions {
  /** Our UpdateService was called after this: the service deployment it created is the newest since. */
  since: Date;
  /** Told the service deployment's ARN once it is found (what a cancel must stop, should one come). */
  onServiceDeployment?: (arn: string) => void;
}

export interface StagedWatchResult extends WatchResult {
  serviceDeploymentArn?: string;
  /** The stage when the watch ended. */
  stage?: string;
  /** SERVING: when the bake time is expected to end (then ECS removes the old revision and completes). */
  bakeEndsAt?: Date;
  /** The last answer of DescribeServiceDeployments. */
  last?: ServiceDeployment;
  /** The new revision's counts and traffic in that answer (`2/2 running, 0 pending of the new revision · …`). */
  finalCounts?: string;
  /** On failure: the lifecycle stage it failed at, and the hooks that failed. */
  failedAt?: string;
  failedHooks?: FailedHook[];
}

const BAKE_LINE_EVERY_MS = 60_000;

export async function watchServiceDeployment(
  clients: WatchClients,
  options: StagedWatchOptions,
): Promise<StagedWatchResult> {
  return new StagedWatcher(clients, options).run();
}

class StagedWatcher {
  private readonly timeline: TimelineEntry[] = [];
  private readonly startedAt = nowDate();
  private arn?: string;
  private last?: ServiceDeployment;
  /** The answer before `last`: where a failure was seen from. */
  private before?: ServiceDeployment;
  private readonly seenEvents = new Set<string>();
  private readonly hooksFailed = new Map<string, FailedHook>();
  private lastLine = '';
  private bakeSeenAt?: Date;
  private lastBakeLineAt = 0;
  private readonly hooksSaid = new Set<string>();

  constructor(
    private readonly clients: WatchClients,
    private readonly options: StagedWatchOptions,
  ) {}

  async run(): Promise<StagedWatchResult> {
    const { options } = this;
    const deadline = options.deadline?.getTime() ?? this.startedAt.getTime() + options.timeoutSeconds * 1000;
    let seen: ServiceDeployment | undefined;
    const polled = await pollEvery(
      async () => {
        seen = await this.poll();
        if (!seen) return undefined;
        const verdict = stagedVerdict(seen);
        if (verdict.kind === 'completed') return this.succeeded('COMPLETED');
        if (verdict.kind === 'rolled-back') return this.failWith('ROLLED_BACK', this.failureReason(seen));
        if (verdict.kind === 'failed') return this.failWith('FAILED', this.failureReason(seen));
        if (verdict.serving && options.waitUntil === 'serving') return this.succeeded('SERVING');
        return undefined;
      },
      { every: options.pollSeconds * 1000, deadline, signal: options.signal },
    );
    if (polled.done) return polled.value;
    options.signal?.throwIfAborted();
    const where = seen ? ` (${stageLine(seen)})` : ' (its service deployment never appeared)';
    return this.failWith(
      'TIMED_OUT',
      `deployment ${options.deploymentId} did not finish within ${formatSeconds(options.timeoutSeconds)}${where}`,
    );
  }

  /** One DescribeServiceDeployments of ours (found first with ListServiceDeployments); tells what changed. */
  private async poll(): Promise<ServiceDeployment | undefined> {
    const { ecs } = this.clients;
    if (!this.arn) {
      const { cluster, service, since } = this.options;
      this.arn = await newestServiceDeploymentSince(ecs, cluster, service, since);
      if (!this.arn) return undefined;
      this.options.onServiceDeployment?.(this.arn);
    }
    const seen = await describeServiceDeployment(ecs, this.arn);
    if (!seen) return undefined;
    if (!this.last)
      this.record(
        'progress',
        `Watching service deployment ${this.arn} (${seen.deploymentConfiguration?.strategy ?? 'staged'})`,
      );
    for (const stage of stagesPassedBetween(this.last?.lifecycleStage, seen.lifecycleStage)) {
      this.record('progress', `stage ${stage} (passed between two polls)`);
    }
    this.before = this.last;
    this.last = seen;
    await this.tellEvents(seen.createdAt ?? this.options.since);
    const line = stageLine(seen);
    if (line !== this.lastLine) {
      this.lastLine = line;
      this.record('progress', line);
    }
    const now = nowDate();
    if (seen.lifecycleStage === 'BAKE_TIME') {
      this.bakeSeenAt ??= now;
      const left = bakeSecondsLeft(seen, this.bakeSeenAt, now);
      if (left !== undefined && now.getTime() - this.lastBakeLineAt >= BAKE_LINE_EVERY_MS) {
        this.lastBakeLineAt = now.getTime();
        this.record('progress', bakeLine(left));
      }
    }
    for (const hook of failedHooks(seen)) {
      if (this.hooksFailed.has(hook.hookId)) continue;
      this.hooksFailed.set(hook.hookId, hook);
      this.record('health', `${failedHookText(hook)} at ${seen.lifecycleStage ?? '?'}`);
    }
    for (const hook of pausedHooks(seen)) {
      if (this.hooksSaid.has(hook.hookId)) continue;
      this.hooksSaid.add(hook.hookId);
      const advice = pausedHookAdvice(this.arn, hook);
      this.record('health', `Deployment ${advice}`);
      this.options.onWarning?.(`Deployment ${advice}`);
    }
    return seen;
  }

  /**
   * The service's events since our deployment began, oldest first, each once (DescribeServices; ECS keeps the last
   * 100). Events are what the rolling watch tells too: tasks started and stopped, targets registered, steady state.
   */
  private async tellEvents(since: Date): Promise<void> {
    const { cluster, service } = this.options;
    const found = await findService(this.clients.ecs, cluster, service).catch((error: unknown) => {
      this.options.onWarning?.(`Could not read the service's events this poll: ${errorText(error)}`);
      return undefined;
    });
    for (const event of newEvents(found?.service?.events, this.seenEvents, since)) {
      this.seenEvents.add(eventKey(event));
      this.record('event', event.message ?? '', event.createdAt);
    }
  }

  private failureReason(seen: ServiceDeployment): string {
    return stagedFailureReason(seen, this.before, [...this.hooksFailed.values()]);
  }

  private bakeEndsAt(): Date | undefined {
    const minutes = this.last?.deploymentConfiguration?.bakeTimeInMinutes;
    if (minutes === undefined) return undefined;
    const from = this.bakeSeenAt ?? nowDate();
    return new Date(from.getTime() + minutes * 60_000);
  }

  private async succeeded(status: 'COMPLETED' | 'SERVING'): Promise<StagedWatchResult> {
    const fields: Partial<StagedWatchResult> = status === 'SERVING' ? { bakeEndsAt: this.bakeEndsAt() } : {};
    const check = this.options.healthCheck;
    if (!check) return this.finish(status, fields);
    const when =
      status === 'SERVING' ? 'production traffic is all on the new revision' : 'the deployment is SUCCESSFUL';
    const { pollSeconds, signal } = this.options;
    const step = await healthCheckStep(check, { when }, { pollSeconds, signal, say: (t) => this.record('health', t) });
    if (!step.failure) return this.finish(status, { ...fields, health: step.health });
    return this.finish('HEALTH_CHECK_FAILED', { ...fields, reason: step.failure, health: step.health });
  }

  private async failWith(status: WatchStatus, reason: string): Promise<StagedWatchResult> {
    const stoppedTasks = await this.stoppedTasks().catch((error: unknown) => {
      this.options.onWarning?.(`Could not describe the stopped tasks: ${errorText(error)}`);
      return [] as StoppedTaskReport[];
    });
    const failedTaskLogs = await this.failedTaskLogs(stoppedTasks).catch((error: unknown) => {
      this.options.onWarning?.(`Could not read the failed task's log lines: ${errorText(error)}`);
      return undefined;
    });
    for (const task of stoppedTasks) this.record('task', task.lines.join('\n'), task.at);
    return this.finish(status, { reason, stoppedTasks, ...(failedTaskLogs ? { failedTaskLogs } : {}) });
  }

  private finish(status: WatchStatus, fields: Partial<StagedWatchResult>): StagedWatchResult {
    this.record('outcome', fields.reason ? `${status}: ${fields.reason}` : status);
    return {
      status,
      deploymentId: this.options.deploymentId,
      timeline: this.timeline,
      stoppedTasks: [],
      startedAt: this.startedAt,
      finishedAt: nowDate(),
      ...(this.arn ? { serviceDeploymentArn: this.arn } : {}),
      ...(this.last ? { last: this.last, stage: this.last.lifecycleStage } : {}),
      ...(this.last && stagedCountsLine(this.last) ? { finalCounts: stagedCountsLine(this.last) } : {}),
      ...(status === 'ROLLED_BACK' || status === 'FAILED'
        ? {
            failedAt: this.last?.lifecycleStage ?? this.before?.lifecycleStage,
            failedHooks: [...this.hooksFailed.values()],
          }
        : {}),
      ...fields,
    };
  }

  private record(kind: TimelineKind, text: string, at: Date = nowDate()): void {
    this.timeline.push({ at, kind, text });
    this.options.onProgress?.(kind === 'event' ? `event: ${text}` : text, kind === 'event' ? nowDate() : at);
  }

  /**
   * Our tasks that stopped or are stopping for a reason of their own (not the scheduler scaling them in, as a rollback
   * does): crashes first. ListTasks(STOPPED) lists both.
   */
  private async stoppedTasks(): Promise<StoppedTaskReport[]> {
    const { ecs } = this.clients;
    const arns = await listServiceTasks(ecs, this.options.cluster, this.options.service, 'STOPPED');
    if (arns.length === 0) return [];
    const ours = (await describeTasks(ecs, this.options.cluster, arns)).filter(
      (task) => task.startedBy === this.options.deploymentId && !/^Scaling activity/.test(task.stoppedReason ?? ''),
    );
    const crashed = (task: Task) => (task.containers ?? []).some((c) => c.exitCode !== undefined && c.exitCode !== 0);
    return ours
      .sort((a, b) => Number(crashed(b)) - Number(crashed(a)))
      .map((task) => {
        const lines = stoppedTaskLines(task);
        if (task.lastStatus !== 'STOPPED') lines[0] = `${lines[0]} (task still ${task.lastStatus ?? '?'})`;
        const main = this.options.container;
        const container = task.containers?.find((c) => c.name === main) ?? task.containers?.[0];
        return {
          taskArn: task.taskArn ?? '',
          taskId: taskIdOf(task.taskArn ?? ''),
          at: task.stoppedAt ?? task.stoppingAt ?? nowDate(),
          lines,
          ...(container?.exitCode !== undefined && container.exitCode !== null ? { exitCode: container.exitCode } : {}),
        };
      });
  }

  private async failedTaskLogs(stopped: StoppedTaskReport[]): Promise<FailedTaskLogs | undefined> {
    const { logs } = this.clients;
    const task = stopped[0];
    if (!logs || !task) return undefined;
    const definition = this.options.taskDefinition;
    if (!definition) return undefined;
    return crashedTaskLogs(logs, definition, this.options.container, task.taskId);
  }
}

export interface StagedRollbackResult {
  /**
   * The service deployment's status at the end: ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED when `ended`; otherwise the
   * last status read (still rolling back), or UNKNOWN when the last read failed or found no such deployment.
   */
  status: string;
  /** ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED was seen; false: the deadline came first, the rollback's end not seen. */
  ended: boolean;
  /** Why the last read gave no answer (an error, or the deployment absent), when it gave none. */
  unread?: string;
  /** When production traffic was first seen all back on the old revision (its weight on the new revision 0). */
  trafficBackAt?: Date;
  finishedAt: Date;
}

const ROLLBACK_ENDS = ['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

/**
 * Waits for ECS to finish rolling a staged deployment back, noting when production traffic was all back. A read that
 * fails or does not find the deployment is no answer: it is tried again the next poll, until the deadline.
 */
export async function waitForStagedRollback(
  clients: WatchClients,
  arn: string,
  options: { deadline: Date; pollSeconds: number; signal?: AbortSignal; onProgress?: (line: string, at: Date) => void },
): Promise<StagedRollbackResult> {
  let trafficBackAt: Date | undefined;
  let lastStatus = '';
  let status = 'UNKNOWN';
  let unread: string | undefined;
  const polled = await pollEvery(
    async () => {
      const read = await readServiceDeployment(clients, arn);
      if (read.unread !== undefined) {
        if (read.unread !== unread) options.onProgress?.(`${read.unread}; reading it again next poll`, nowDate());
        unread = read.unread;
        status = 'UNKNOWN';
        return undefined;
      }
      unread = undefined;
      const seen = read.seen;
      status = seen.status ?? 'UNKNOWN';
      const weight = seen.targetServiceRevision?.requestedProductionTrafficWeight;
      if (!trafficBackAt && (weight === 0 || status === 'ROLLBACK_SUCCESSFUL')) {
        trafficBackAt = nowDate();
        options.onProgress?.('production traffic is all back on the old revision', trafficBackAt);
      }
      if (status !== lastStatus) {
        lastStatus = status;
        options.onProgress?.(`service deployment ${status}`, nowDate());
      }
      return ROLLBACK_ENDS.includes(status) ? status : undefined;
    },
    { every: options.pollSeconds * 1000, deadline: options.deadline.getTime(), signal: options.signal },
  );
  if (!polled.done) options.signal?.throwIfAborted();
  return {
    status,
    ended: polled.done,
    ...(unread ? { unread } : {}),
    ...(trafficBackAt ? { trafficBackAt } : {}),
    finishedAt: nowDate(),
  };
}

/** One DescribeServiceDeployments of `arn`: the deployment with its status, or why there is none. */
async function readServiceDeployment(
  clients: WatchClients,
  arn: string,
): Promise<{ seen: ServiceDeployment; unread?: undefined } | { seen?: undefined; unread: string }> {
  try {
    const seen = await describeServiceDeployment(clients.ecs, arn);
    if (!seen) return { unread: 'the service deployment was not in the answer' };
    if (!seen.status) return { unread: 'the service deployment had no status' };
    return { seen };
  } catch (error) {
    return { unread: `DescribeServiceDeployments failed: ${errorText(error)}` };
  }
}
