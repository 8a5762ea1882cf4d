import type { Deployment, ECSClient, Service, Task } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { sleep } from '../runner/time.js';
import {
  classifyDeployment,
  countsOf,
  deploymentInFlight,
  primaryDeployment,
  progressLine,
  type DeploymentCounts,
  type DeploymentVerdict,
} from './deployment-state.js';
import { eventKey, newEvents, reportsStoppedTaskOf, taskNews } from './deployment-events.js';
import type { TimelineEntry, TimelineKind } from './deployment-timeline.js';
import { pollHealth, type HealthCheckResult } from './health-check.js';
import { stoppedTaskLines, taskIdOf } from './stopped-tasks.js';
import { awslogsLocation, lastLogLines } from '../logs/log-tail.js';
import { describeTasks, findService, listStoppedTasks, requireService } from './service-api.js';
import { describeTaskDefinition } from './task-definition-api.js';
import { chooseContainer, shortTaskDefinition, type TaskDefinitionJson } from './task-definitions.js';
import { formatSeconds } from '../runner/time.js';
import { errorText } from '../runner/error-text.js';

/**
 * Waiting for one deployment (ours, by id) to finish, telling what happens as it happens through `onProgress` (the
 * action prints it). Used by deploy and rollback.
 */

/** How a wait tells what it sees: a line and when it happened; and what it could not find out. */
export interface WaitReporter {
  onProgress?: (line: string, at: Date) => void;
  onWarning?: (message: string) => void;
}

export interface WatchClients {
  ecs: ECSClient;
  /** For the failed task's last log lines; without it they are not fetched. */
  logs?: CloudWatchLogsClient;
}

const FAILED_TASK_LOG_LINES = 30;

export type WatchStatus = 'COMPLETED' | 'FAILED' | 'ROLLED_BACK' | 'TIMED_OUT' | 'HEALTH_CHECK_FAILED';

export interface WatchOptions extends WaitReporter {
  cluster: string;
  service: string;
  deploymentId: string;
  timeoutSeconds: number;
  /**
   * Stop waiting at this time instead of `timeoutSeconds` after the watch starts: a step's one timeout shared by all
   * its waits. `timeoutSeconds` is then only what the timeout message names.
   */
  deadline?: Date;
  /** Fractions allowed (tests use 0.05-0.2). */
  pollSeconds: number;
  /** After ECS completes the rollout, poll this URL until healthy (see health-check.ts). */
  healthCheck?: { url: string; timeoutSeconds: number };
  signal?: AbortSignal;
  /** The task definition before this deployment: a newer deployment of it means a rollback started. */
  previousTaskDefinition?: string;
  /** The deployment's task definition (to find the main container's logs); described on demand when absent. */
  taskDefinition?: TaskDefinitionJson;
  /** The main container (default: the only essential one). */
  container?: string;
}

export interface StoppedTaskReport {
  taskArn: string;
  taskId: string;
  at: Date;
  lines: string[];
  /** Exit code of the main container, when it has one. */
  exitCode?: number;
}

export interface FailedTaskLogs {
  taskId: string;
  container: string;
  group: string;
  stream: string;
  lines: string[];
}

export interface WatchResult {
  status: WatchStatus;
  /** One line: why it failed (undefined on success). */
  reason?: string;
  deploymentId: string;
  taskDefinition?: string;
  counts?: DeploymentCounts;
  /** The deployment ECS created to roll ours back (circuit breaker), when known. */
  rollbackDeploymentId?: string;
  /** Set when ours was replaced by a deployment that is not a rollback (someone else deployed): do not roll back. */
  replacedBy?: string;
  timeline: TimelineEntry[];
  stoppedTasks: StoppedTaskReport[];
  failedTaskLogs?: FailedTaskLogs;
  health?: HealthCheckResult;
  startedAt: Date;
  finishedAt: Date;
}

/**
 * The evidence under a failed watch's error annotation: the first stopped tasks (all of them are in the job summary),
 * the failed task's last log lines, then `more` (e.g. what on-failure did). Undefined when there is nothing to say.
 */
export function failureEvidence(watch: WatchResult, more: string[] = []): string | undefined {
  const logs = watch.failedTaskLogs;
  const hidden = watch.stoppedTasks.length - 3;
  const body = [
    ...watch.stoppedTasks.slice(0, 3).flatMap((task) => task.lines),
    ...(hidden > 0 ? [`(${hidden} more stopped tasks in the job summary)`] : []),
    ...(logs ? ['', `Last log lines of task ${logs.taskId} (${logs.container}):`, ...logs.lines] : []),
    ...(more.length > 0 ? ['', ...more] : []),
  ].join('\n');
  return body.trim() || undefined;
}

export async function watchDeployment(clients: WatchClients, options: WatchOptions): Promise<WatchResult> {
  const watcher = new DeploymentWatcher(clients, options);
  return watcher.run();
}

class DeploymentWatcher {
  private readonly timeline: TimelineEntry[] = [];
  private readonly seenEvents = new Set<string>();
  private readonly stoppedSeen = new Set<string>();
  private readonly stillStopping = new Set<string>();
  private readonly stopped: StoppedTaskReport[] = [];
  /** Ids of the tasks that service events said were started since our deployment began. */
  private readonly startedTasks = new Set<string>();
  private readonly startedAt = new Date();
  private lastProgress = '';
  private lastFailed = 0;
  /** A new event said a task failed or one of ours stopped: worth a ListTasks. */
  private stopReported = false;
  private deploymentCreatedAt?: Date;
  private deploymentTaskDefinition?: string;

  constructor(
    private readonly clients: WatchClients,
    private readonly options: WatchOptions,
  ) {}

  async run(): Promise<WatchResult> {
    const { options } = this;
    const deadline = options.deadline?.getTime() ?? this.startedAt.getTime() + options.timeoutSeconds * 1000;
    let service: Service | undefined;
    let verdict: DeploymentVerdict | undefined;
    for (;;) {
      options.signal?.throwIfAborted();
      service = (await findService(this.clients.ecs, options.cluster, options.service)).service;
      if (!service) {
        return this.finish('FAILED', { reason: `service ${options.service} no longer exists` });
      }
      verdict = this.observe(service);
      if (this.somethingStopped(verdict.counts)) await this.describeNewlyStopped(service);
      if (verdict.kind !== 'in-progress') break;
      const left = deadline - Date.now();
      if (left <= 0) {
        const counts = verdict.counts ? ` (${progressLine(verdict.counts)})` : '';
        return this.failWith(service, 'TIMED_OUT', {
          reason: `deployment ${options.deploymentId} did not finish within ${formatSeconds(options.timeoutSeconds)}${counts}`,
          counts: verdict.counts,
        });
      }
      await sleep(Math.min(options.pollSeconds * 1000, left), options.signal);
    }

    switch (verdict.kind) {
      case 'completed':
        return this.completed(verdict.counts);
      case 'failed':
        return this.failWith(service, 'FAILED', { reason: verdict.reason, counts: verdict.counts });
      case 'rolling-back':
        return this.failWith(service, 'ROLLED_BACK', {
          reason: verdict.reason,
          counts: verdict.counts,
          rollbackDeploymentId: verdict.rollbackDeploymentId,
        });
      case 'replaced':
        return this.failWith(service, 'FAILED', {
          reason: verdict.reason,
          counts: verdict.counts,
          replacedBy: verdict.replacedBy ?? 'unknown',
        });
    }
  }

  /** Prints new events and changed counts; returns the verdict on our deployment. */
  private observe(service: Service): DeploymentVerdict {
    const ours = service.deployments?.find((d) => d.id === this.options.deploymentId);
    if (ours?.createdAt && !this.deploymentCreatedAt) this.deploymentCreatedAt = ours.createdAt;
    if (ours?.taskDefinition) this.deploymentTaskDefinition = ours.taskDefinition;
    const since = this.deploymentCreatedAt ?? this.startedAt;
    for (const event of newEvents(service.events, this.seenEvents, since)) {
      this.seenEvents.add(eventKey(event));
      this.record('event', event.message ?? '', event.createdAt);
      const news = taskNews(event.message);
      for (const id of news.started) this.startedTasks.add(id);
      if (reportsStoppedTaskOf(news, this.startedTasks)) this.stopReported = true;
    }
    const verdict = classifyDeployment(service, this.options.deploymentId, {
      previousTaskDefinition: this.options.previousTaskDefinition,
    });
    if (verdict.counts) {
      const line = progressLine(verdict.counts);
      if (line !== this.lastProgress) {
        this.lastProgress = line;
        this.record('progress', line);
      }
    }
    return verdict;
  }

  /**
   * Whether ListTasks may find a newly stopped task of ours: the failed count rose since the last poll (ECS counts
   * consecutive failures, so it can drop and rise again), an event reported one, or tasks seen stopping have not
   * finished stopping. Otherwise no task calls are made.
   */
  private somethingStopped(counts: DeploymentCounts | undefined): boolean {
    const failedRose = counts !== undefined && counts.failed > this.lastFailed;
    if (counts) this.lastFailed = counts.failed;
    const reported = this.stopReported;
    this.stopReported = false;
    return failedRose || reported || this.stillStopping.size > 0;
  }

  private async completed(counts: DeploymentCounts): Promise<WatchResult> {
    const check = this.options.healthCheck;
    if (!check) return this.finish('COMPLETED', { counts });
    this.record('health', `rollout completed; checking ${check.url} (up to ${formatSeconds(check.timeoutSeconds)})`);
    const health = await pollHealth(check.url, {
      timeoutSeconds: check.timeoutSeconds,
      pollSeconds: this.options.pollSeconds,
      signal: this.options.signal,
      onChange: (verdict) => this.record('health', `${check.url} answered ${verdict.detail}`),
    });
    this.options.signal?.throwIfAborted();
    if (health.healthy) return this.finish('COMPLETED', { counts, health });
    return this.finish('HEALTH_CHECK_FAILED', {
      reason: `${check.url} was not healthy within ${formatSeconds(check.timeoutSeconds)} after the rollout completed (last answer: ${health.detail})`,
      counts,
      health,
    });
  }

  private async failWith(service: Service, status: WatchStatus, fields: Partial<WatchResult>): Promise<WatchResult> {
    await this.describeNewlyStopped(service).catch((error: unknown) => {
      this.options.onWarning?.(`Could not describe the stopped tasks: ${errorText(error)}`);
    });
    const failedTaskLogs = await this.failedTaskLogs().catch((error: unknown) => {
      this.options.onWarning?.(`Could not read the failed task's log lines: ${errorText(error)}`);
      return undefined;
    });
    return this.finish(status, { ...fields, failedTaskLogs });
  }

  private finish(status: WatchStatus, fields: Partial<WatchResult>): WatchResult {
    const text = fields.reason ? `${status}: ${fields.reason}` : status;
    this.record('outcome', text);
    return {
      status,
      deploymentId: this.options.deploymentId,
      taskDefinition: this.deploymentTaskDefinition,
      timeline: this.timeline,
      stoppedTasks: this.stopped,
      startedAt: this.startedAt,
      finishedAt: new Date(),
      ...fields,
    };
  }

  private record(kind: TimelineKind, text: string, at: Date = new Date()): void {
    this.timeline.push({ at, kind, text });
    this.options.onProgress?.(kind === 'event' ? `event: ${text}` : text, kind === 'event' ? new Date() : at);
  }

  /** ListTasks(STOPPED) then DescribeTasks only for tasks not seen before; describes those of our deployment. */
  private async describeNewlyStopped(service: Service): Promise<void> {
    const { ecs } = this.clients;
    const arns = await listStoppedTasks(ecs, this.options.cluster, service.serviceName ?? this.options.service);
    const fresh = arns.filter((arn) => !this.stoppedSeen.has(arn));
    if (fresh.length === 0) return;
    for (const task of await describeTasks(ecs, this.options.cluster, fresh)) this.consider(task);
  }

  private consider(task: Task): void {
    const arn = task.taskArn ?? '';
    if (task.lastStatus !== 'STOPPED') {
      this.stillStopping.add(arn);
      return;
    }
    this.stillStopping.delete(arn);
    this.stoppedSeen.add(arn);
    if (!this.isOurs(task)) return;
    const lines = stoppedTaskLines(task);
    const main = this.mainContainerName();
    const container = task.containers?.find((c) => c.name === main) ?? task.containers?.[0];
    this.stopped.push({
      taskArn: arn,
      taskId: taskIdOf(arn),
      at: task.stoppedAt ?? new Date(),
      lines,
      exitCode: container?.exitCode ?? undefined,
    });
    this.record('task', lines.join('\n'), new Date());
  }

  private isOurs(task: Task): boolean {
    if (task.startedBy && task.startedBy.startsWith('ecs-svc/')) return task.startedBy === this.options.deploymentId;
    if (task.taskDefinitionArn !== this.deploymentTaskDefinition) return false;
    const since = this.deploymentCreatedAt?.getTime() ?? 0;
    return (task.createdAt?.getTime() ?? Number.MAX_SAFE_INTEGER) >= since;
  }

  private mainContainerName(): string | undefined {
    if (this.options.container) return this.options.container;
    try {
      return this.options.taskDefinition ? chooseContainer(this.options.taskDefinition, undefined).name : undefined;
    } catch {
      return undefined;
    }
  }

  /** The last lines of one failed task's main container: a crash (non-zero exit) first. */
  private async failedTaskLogs(): Promise<FailedTaskLogs | undefined> {
    const { logs } = this.clients;
    if (!logs || this.stopped.length === 0) return undefined;
    const task =
      this.stopped.find((t) => t.exitCode !== undefined && t.exitCode !== 0) ??
      this.stopped.find((t) => t.exitCode !== undefined) ??
      this.stopped[0];
    if (!task) return undefined;
    let definition = this.options.taskDefinition;
    if (!definition && this.deploymentTaskDefinition) {
      definition = (await describeTaskDefinition(this.clients.ecs, this.deploymentTaskDefinition)).definition;
    }
    if (!definition) return undefined;
    const container = chooseContainer(definition, this.options.container);
    const location = awslogsLocation(container, task.taskId);
    if (!location) return undefined;
    const lines = await lastLogLines(logs, location.group, location.stream, FAILED_TASK_LOG_LINES);
    if (lines.length === 0) return undefined;
    return {
      taskId: task.taskId,
      container: container.name ?? '?',
      group: location.group,
      stream: location.stream,
      lines,
    };
  }
}

export interface IdleOptions extends WaitReporter {
  cluster: string;
  service: string;
  timeoutSeconds: number;
  /** See WatchOptions.deadline. */
  deadline?: Date;
  pollSeconds: number;
  signal?: AbortSignal;
}

export interface IdleResult {
  /** The deployment we waited for, if there was one. */
  waitedFor?: string;
  service: Service;
}

/** If a deployment is in flight, waits for it to finish (printing that), so we do not race it. */
export async function waitForIdle(clients: WatchClients, options: IdleOptions): Promise<IdleResult> {
  const deadline = options.deadline?.getTime() ?? Date.now() + options.timeoutSeconds * 1000;
  const progress = (line: string) => options.onProgress?.(line, new Date());
  let service = await requireService(clients.ecs, options.cluster, options.service);
  const first = deploymentInFlight(service);
  if (!first) return { service };
  progress(
    `Waiting for deployment ${first.id} (${shortTaskDefinition(first.taskDefinition)}, ${progressLine(countsOf(first))}) to finish before deploying`,
  );
  const seen = new Set((service.events ?? []).map(eventKey));
  let lastLine = '';
  for (;;) {
    await sleep(options.pollSeconds * 1000, options.signal);
    options.signal?.throwIfAborted();
    service = await requireService(clients.ecs, options.cluster, options.service);
    for (const event of newEvents(service.events, seen)) {
      seen.add(eventKey(event));
      progress(`event: ${event.message}`);
    }
    const inFlight = deploymentInFlight(service);
    if (!inFlight) {
      progress(`Deployment ${first.id} finished; the service is idle`);
      return { waitedFor: first.id, service };
    }
    const line = `${inFlight.id}: ${progressLine(countsOf(inFlight))}`;
    if (line !== lastLine) progress((lastLine = line));
    if (Date.now() >= deadline) {
      throw new Error(
        `Deployment ${inFlight.id} of service '${options.service}' was still in progress after ${formatSeconds(options.timeoutSeconds)}; not deploying over it (set wait-for-idle: false to do so)`,
      );
    }
  }
}

export interface NewPrimaryOptions {
  cluster: string;
  service: string;
  /** Whether this PRIMARY deployment is the one waited for (not one that was there before). */
  isNew: (id: string, primary: Deployment) => boolean;
  /** Give up (undefined) once this passes. */
  deadline: Date;
  pollSeconds: number;
  signal?: AbortSignal;
  /** A service that is gone is a ServiceNotFoundError (default: keep waiting, as if it had no new deployment yet). */
  serviceMustExist?: boolean;
}

/** Waits for a PRIMARY deployment that ECS starts on its own (a rollback); its id, or undefined at the deadline. */
export async function waitForNewPrimary(ecs: ECSClient, options: NewPrimaryOptions): Promise<string | undefined> {
  for (;;) {
    const service = options.serviceMustExist
      ? await requireService(ecs, options.cluster, options.service)
      : (await findService(ecs, options.cluster, options.service)).service;
    const primary = primaryDeployment(service);
    if (primary?.id && options.isNew(primary.id, primary)) return primary.id;
    options.signal?.throwIfAborted();
    if (Date.now() >= options.deadline.getTime()) return undefined;
    await sleep(options.pollSeconds * 1000, options.signal);
  }
}
