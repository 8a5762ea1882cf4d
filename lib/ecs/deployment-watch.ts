import type { Service, Task } from '@aws-sdk/client-ecs';
import { healthCheckText } from '../elb/target-groups.js';
import { TargetGroupWatch } from './target-group-watch.js';
import { drainEnd, gunicornTimeout, type PhaseInput } from './rollout-phases.js';
import type { WaitUntil } from './wait-inputs.js';
import { classifyDeployment, progressLine, type DeploymentCounts, type DeploymentVerdict } from './deployment-state.js';
import { eventKey, newEvents, reportsStoppedTaskOf, taskNews } from './deployment-events.js';
import type { TimelineEntry, TimelineKind } from './deployment-timeline.js';
import { healthCheckStep, type HealthCheckStepOptions } from './health-check-step.js';
import { stoppedTaskLines, taskIdOf } from './stopped-tasks.js';
import { crashedTaskLogs } from './crashed-task-logs.js';
import { describeTasks, findService, listServiceTasks } from './service-api.js';
import { serviceTaskOf } from './serving.js';
import { stoppedTasksToDescribe, type KnownTasks } from './task-lookups.js';
import { describeTaskDefinition } from './task-definition-api.js';
import { chooseContainer, type TaskDefinitionJson } from './task-definitions.js';
import { formatSeconds, now, nowDate, poll } from '../runner/time.js';
import { errorText } from '../runner/error-text.js';
import type {
  FailedTaskLogs,
  StoppedTaskReport,
  WaitReporter,
  WatchClients,
  WatchResult,
  WatchStatus,
} from './watch-result.js';

/**
 * Waiting for one deployment (ours, by id) to finish, telling what happens as it happens through `onProgress` (the
 * action prints it). Used by deploy and rollback.
 */

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
  /** Return once the new revision serves all traffic (`serving`), or when ECS completes the rollout (default). */
  waitUntil?: WaitUntil;
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
  /** Every task described in this watch, shared with the target-group watch (lib/ecs/task-lookups.ts). */
  private readonly known: KnownTasks = new Map();
  /** Ids of the tasks that service events said were started since our deployment began. */
  private readonly startedTasks = new Set<string>();
  private readonly startedAt = nowDate();
  private lastProgress = '';
  private lastFailed = 0;
  /** A new event said a task failed or one of ours stopped: worth a ListTasks. */
  private stopReported = false;
  private deploymentCreatedAt?: Date;
  private deploymentTaskDefinition?: string;
  private readonly targets?: TargetGroupWatch;
  /** Lines said once (target group settings, why they are left out). */
  private readonly said = new Set<string>();
  private lastTargetLines = { key: '', at: 0 };

  constructor(
    private readonly clients: WatchClients,
    private readonly options: WatchOptions,
  ) {
    if (clients.elbConfig) {
      this.targets = new TargetGroupWatch(
        { ecs: clients.ecs, elbConfig: clients.elbConfig },
        {
          cluster: options.cluster,
          service: options.service,
          deploymentId: options.deploymentId,
          startedAt: this.startedAt,
          known: this.known,
          confirmServing: options.waitUntil === 'serving',
        },
      );
    }
  }

  async run(): Promise<WatchResult> {
    const { options } = this;
    const deadline = options.deadline?.getTime() ?? this.startedAt.getTime() + options.timeoutSeconds * 1000;
    options.signal?.throwIfAborted();
    let last: { service: Service; verdict: DeploymentVerdict } | undefined;
    const polled = await poll(
      async (): Promise<WatchResult | undefined> => {
        const service = (await findService(this.clients.ecs, options.cluster, options.service)).service;
        if (!service) {
          return this.finish('FAILED', { reason: `service ${options.service} no longer exists` });
        }
        const verdict = this.observe(service);
        last = { service, verdict };
        if (this.somethingStopped(verdict.counts)) await this.describeNewlyStopped(service);
        if (verdict.kind !== 'in-progress') return this.settled(service, verdict);
        const serving = await this.servesAllTraffic(service, verdict.counts);
        return serving && this.options.waitUntil === 'serving' ? this.succeeded('SERVING', verdict.counts) : undefined;
      },
      { every: options.pollSeconds * 1000, deadline, signal: options.signal },
    );
    if (polled.done) return polled.value;
    options.signal?.throwIfAborted();
    const { service, verdict } = last as { service: Service; verdict: DeploymentVerdict };
    const counts = verdict.counts ? ` (${progressLine(verdict.counts)})` : '';
    return this.failWith(service, 'TIMED_OUT', {
      reason: `deployment ${options.deploymentId} did not finish within ${formatSeconds(options.timeoutSeconds)}${counts}`,
      counts: verdict.counts,
    });
  }

  /** The outcome of our deployment once it is no longer in progress. */
  private async settled(
    service: Service,
    verdict: Exclude<DeploymentVerdict, { kind: 'in-progress' }>,
  ): Promise<WatchResult> {
    switch (verdict.kind) {
      case 'completed':
        this.targets?.noteCompleted(nowDate());
        return this.succeeded('COMPLETED', verdict.counts);
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
      this.targets?.noteEvent(event);
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

  /**
   * One poll of the target groups (lib/ecs/target-group-watch.ts): tells what changed, and whether the new revision
   * serves all traffic. Target groups that cannot be read are said once and then left out.
   */
  private async servesAllTraffic(service: Service, counts: DeploymentCounts): Promise<boolean> {
    const targets = this.targets;
    if (!targets) return false;
    const serving = this.options.waitUntil === 'serving';
    let seen;
    try {
      seen = await targets.observe(service, counts);
    } catch (error) {
      this.options.onWarning?.(
        `Could not read the target health this poll: ${(error as Error).name}: ${(error as Error).message}`,
      );
      return false;
    }
    if (!seen) {
      if (targets.unavailable) {
        this.once(
          `Could not read the service's target groups (${targets.unavailable}); ` +
            (serving ? 'waiting until ECS completes the rollout instead' : 'waiting without them'),
        );
      } else if (serving) {
        this.once('The service has no target group: wait-until serving waits until ECS completes the rollout');
      }
      return false;
    }
    for (const group of targets.groups) {
      this.once(
        `Target group ${group.name}: ${healthCheckText(group.healthCheck)}; deregistration delay ${group.deregistrationDelaySeconds} s`,
      );
    }
    // The drain countdown changes every poll: say it when anything else changed, or every 30 s.
    const key = seen.lines.map((line) => line.replace(/ \((about [^)]*|ending)\)/, '')).join('\n');
    if (key !== this.lastTargetLines.key || now() - this.lastTargetLines.at >= 30_000) {
      this.lastTargetLines = { key, at: now() };
      for (const line of seen.lines) this.record('health', line);
    }
    return seen.verdict.serving;
  }

  private once(text: string): void {
    if (this.said.has(text)) return;
    this.said.add(text);
    this.record('health', text);
  }

  private async succeeded(status: 'COMPLETED' | 'SERVING', counts: DeploymentCounts): Promise<WatchResult> {
    const phases = status === 'SERVING' ? this.rolloutPhases() : undefined;
    const drainEndsAt = phases ? drainEnd(phases)?.at : undefined;
    const fields = { counts, ...(drainEndsAt ? { drainEndsAt } : {}) };
    const check = this.options.healthCheck;
    if (!check) return this.finish(status, fields);
    const when = status === 'SERVING' ? 'the new revision serves all traffic' : 'rollout completed';
    const after = status === 'SERVING' ? 'the new revision served all traffic' : 'the rollout completed';
    const step = await healthCheckStep(check, { when, after }, this.healthStepOptions());
    if (!step.failure) return this.finish(status, { ...fields, health: step.health });
    return this.finish('HEALTH_CHECK_FAILED', { reason: step.failure, counts, health: step.health });
  }

  private healthStepOptions(): HealthCheckStepOptions {
    const { pollSeconds, signal } = this.options;
    return { pollSeconds, signal, say: (text) => this.record('health', text) };
  }

  /** The moments seen and the target groups' settings, for the summary; undefined without target groups. */
  private rolloutPhases(): PhaseInput | undefined {
    const targets = this.targets;
    if (!targets || targets.groups.length === 0 || targets.unavailable) return undefined;
    return { moments: targets.moments, groups: targets.groups, workerTimeoutSeconds: this.workerTimeout() };
  }

  /** gunicorn's `--timeout` in the main container's command, when it runs gunicorn. */
  private workerTimeout(): number | undefined {
    try {
      const definition = this.options.taskDefinition;
      return definition ? gunicornTimeout(chooseContainer(definition, this.options.container).command) : undefined;
    } catch {
      return undefined;
    }
  }

  private async failWith(service: Service, status: WatchStatus, fields: Partial<WatchResult>): Promise<WatchResult> {
    await this.describeNewlyStopped(service, true).catch((error: unknown) => {
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
    this.targets?.noteFinished(nowDate());
    const rollout = this.rolloutPhases();
    return {
      status,
      deploymentId: this.options.deploymentId,
      taskDefinition: this.deploymentTaskDefinition,
      timeline: this.timeline,
      stoppedTasks: this.stopped,
      startedAt: this.startedAt,
      finishedAt: nowDate(),
      ...(rollout ? { rollout } : {}),
      ...fields,
    };
  }

  private record(kind: TimelineKind, text: string, at: Date = nowDate()): void {
    this.timeline.push({ at, kind, text });
    this.options.onProgress?.(kind === 'event' ? `event: ${text}` : text, kind === 'event' ? nowDate() : at);
  }

  /**
   * ListTasks(STOPPED) then DescribeTasks only for tasks not seen before and not known to be another deployment's;
   * describes those of our deployment.
   */
  private async describeNewlyStopped(service: Service, final = false): Promise<void> {
    const { ecs } = this.clients;
    const name = service.serviceName ?? this.options.service;
    const arns = await listServiceTasks(ecs, this.options.cluster, name, 'STOPPED');
    const fresh = stoppedTasksToDescribe(arns, this.stoppedSeen, this.known, this.options.deploymentId);
    if (fresh.length === 0) return;
    for (const task of await describeTasks(ecs, this.options.cluster, fresh)) {
      this.known.set(task.taskArn ?? '', serviceTaskOf(task));
      this.consider(task, final);
    }
  }

  /**
   * A stopped or stopping task: ours is reported once its containers all stopped (their exit codes are final). Behind
   * a load balancer a task drains, DEACTIVATING, for the deregistration delay before it is STOPPED; `final` (the watch
   * is ending) reports it as it is then, with its stop reason.
   */
  private consider(task: Task, final = false): void {
    const arn = task.taskArn ?? '';
    if (!this.isOurs(task)) {
      this.stillStopping.delete(arn);
      this.stoppedSeen.add(arn);
      return;
    }
    const stopped = task.lastStatus === 'STOPPED';
    const settled = stopped || (task.containers ?? []).every((c) => c.lastStatus === 'STOPPED');
    if (!settled && !final) {
      this.stillStopping.add(arn);
      return;
    }
    this.stillStopping.delete(arn);
    this.stoppedSeen.add(arn);
    const lines = stoppedTaskLines(task);
    const still = ` (task still ${task.lastStatus ?? '?'})`;
    if (!stopped)
      lines[0] = settled ? `${lines[0]}${still}` : `${lines[0]!.replace(' stopped', ' is stopping')}${still}`;
    const main = this.mainContainerName();
    const container = task.containers?.find((c) => c.name === main) ?? task.containers?.[0];
    this.stopped.push({
      taskArn: arn,
      taskId: taskIdOf(arn),
      at: task.stoppedAt ?? nowDate(),
      lines,
      exitCode: container?.exitCode ?? undefined,
    });
    this.record('task', lines.join('\n'), nowDate());
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
    return crashedTaskLogs(logs, definition, this.options.container, task.taskId);
  }
}
