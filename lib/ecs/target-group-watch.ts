import type { ECSClient, Service, ServiceEvent } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClientConfig } from '../aws/config.js';
import type { TargetGroupSettings } from '../elb/target-groups.js';
import type { DeploymentCounts } from './deployment-state.js';
import { taskNews } from './deployment-events.js';
import { describeTasks, listServiceTasks } from './service-api.js';
import { judgeServing, serviceTaskOf, servingLine, type ServingVerdict, type TargetGroupHealth } from './serving.js';
import { drainLeftText, drainSeconds, type RolloutMoments } from './rollout-phases.js';
import { nowDate } from '../runner/time.js';
import { addressesToLookUp, oldAtFirstLook, presumedOurs, type AddressBook, type KnownTasks } from './task-lookups.js';

/**
 * Watching the service's target groups while one deployment rolls out: read each group's settings once, then on each
 * poll the health of its targets, matched to the service's tasks by address, so the waiting can say how many new
 * targets are healthy, how many old ones drain and for how long yet, and when the new revision serves all traffic.
 * Once it does, the target groups are not read again: the drain's end follows from its start and the delay.
 * Tasks are looked up (ListTasks, DescribeTasks) only when lib/ecs/task-lookups.ts says it is needed.
 */

export interface TargetGroupClients {
  ecs: ECSClient;
  /** What the ELB client is built with, on first use: a service without a load balancer never loads it. */
  elbConfig: AwsClientConfig;
}

/** The ELB calls, loaded with the client only when a service has target groups. */
const elbApi = () => import('../elb/target-groups-api.js');

export interface TargetGroupWatchOptions {
  cluster: string;
  service: string;
  deploymentId: string;
  startedAt: Date;
  /** Tasks already described, shared with the stopped-task evidence (lib/ecs/task-lookups.ts). */
  known?: KnownTasks;
  /**
   * Look up the tasks behind targets presumed ours before saying the new revision serves all traffic (`wait-until:
   * serving` returns on it). Otherwise the targets that appear during the rollout are taken for ours without a call.
   */
  confirmServing?: boolean;
}

export interface ServingObservation {
  verdict: ServingVerdict;
  /** One line per target group, e.g. `startupwebapp-tg: new 2/2 healthy · old 2 draining (about 4m 35s left of 5m)`. */
  lines: string[];
}

export class TargetGroupWatch {
  readonly moments: RolloutMoments;
  groups: TargetGroupSettings[] = [];
  /** Why the target groups could not be read (then nothing is judged). */
  unavailable?: string;
  private loaded = false;
  private readonly tasks: KnownTasks;
  /** Target addresses ListTasks could not explain: not looked up again. */
  private readonly unexplained = new Set<string>();
  /** Old addresses from the first look at the targets (undefined before it, or when it could not tell). */
  private before?: Set<string>;
  private looked = false;
  private last?: ServingObservation;

  constructor(
    private readonly clients: TargetGroupClients,
    private readonly options: TargetGroupWatchOptions,
  ) {
    this.moments = { startedAt: options.startedAt, finishedAt: options.startedAt };
    this.tasks = options.known ?? new Map();
  }

  /** The service's target group ARNs (one per load balancer entry). */
  static targetGroupArns(service: Service): string[] {
    return [...new Set((service.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((a): a is string => !!a))];
  }

  /**
   * Reads the groups' settings on the first call. Returns undefined when the service has no target group or they
   * cannot be read (`unavailable` says why; the caller decides whether that matters).
   */
  async load(service: Service): Promise<TargetGroupSettings[] | undefined> {
    if (!this.loaded) {
      this.loaded = true;
      const arns = TargetGroupWatch.targetGroupArns(service);
      if (arns.length > 0) {
        try {
          this.groups = await (await elbApi()).describeTargetGroups(await this.elb(), arns);
        } catch (error) {
          this.unavailable = `${(error as Error).name}: ${(error as Error).message}`;
        }
      }
    }
    return this.groups.length > 0 && !this.unavailable ? this.groups : undefined;
  }

  /** Events of our deployment: when its tasks started, when ECS deregistered old targets (the drain's start). */
  noteEvent(event: ServiceEvent): void {
    const at = event.createdAt ?? nowDate();
    const message = event.message ?? '';
    if (!this.moments.newTasksStartedAt && taskNews(message).started.length > 0) this.moments.newTasksStartedAt = at;
    const deregistered = /deregistered \d+ targets? in \(target-group ([^)\s]+)\)/.exec(message);
    if (deregistered && this.groups.some((g) => g.arn === deregistered[1])) this.drainStarted(at);
  }

  /** One poll: the targets' health (until the new revision serves all traffic), judged and worded. */
  async observe(service: Service, counts: DeploymentCounts, now = nowDate()): Promise<ServingObservation | undefined> {
    const groups = await this.load(service);
    if (!groups) return undefined;
    this.moments.finishedAt = now;
    if (counts.running >= counts.desired && counts.pending === 0) this.moments.newTasksRunningAt ??= now;
    if (this.last?.verdict.serving) return this.reword(this.last.verdict, now);

    const { describeTargetHealth } = await elbApi();
    const elb = await this.elb();
    const health: TargetGroupHealth[] = [];
    for (const group of groups) health.push({ group, targets: await describeTargetHealth(elb, group.arn) });
    const targets = health.flatMap((h) => h.targets);
    if (!this.looked) {
      this.looked = true;
      this.before = oldAtFirstLook(targets, counts.running);
    }
    const addresses = targets.map((t) => t.id);
    await this.explain(addressesToLookUp(addresses, this.book(), false));
    let verdict = this.judge(counts, health, addresses);
    if (verdict.serving && this.options.confirmServing) {
      const doubtful = addressesToLookUp(addresses, this.book(), true);
      if (doubtful.length > 0) {
        await this.explain(doubtful);
        verdict = this.judge(counts, health, addresses);
      }
    }
    if (verdict.groups.every((g) => g.newHealthy >= g.wanted) && counts.running >= counts.desired) {
      this.moments.newHealthyAt ??= now;
    }
    if (verdict.groups.some((g) => g.oldDraining > 0)) this.drainStarted(now);
    if (verdict.serving) this.moments.servingAt ??= now;
    return this.reword(verdict, now);
  }

  private judge(counts: DeploymentCounts, groups: TargetGroupHealth[], addresses: string[]): ServingVerdict {
    return judgeServing({
      deploymentId: this.options.deploymentId,
      desired: counts.desired,
      running: counts.running,
      pending: counts.pending,
      tasks: [...this.tasks.values()],
      presumedOurs: presumedOurs(addresses, this.book()),
      groups,
    });
  }

  private book(): AddressBook {
    return { known: this.tasks, before: this.before, unexplained: this.unexplained };
  }

  private client?: ElasticLoadBalancingV2Client;

  private async elb(): Promise<ElasticLoadBalancingV2Client> {
    return (this.client ??= (await elbApi()).elbClient(this.clients.elbConfig));
  }

  noteCompleted(at: Date): void {
    this.moments.completedAt ??= at;
    this.moments.finishedAt = at;
  }

  noteFinished(at: Date): void {
    this.moments.finishedAt = at;
  }

  private drainStarted(at: Date): void {
    if (!this.moments.drainStartedAt || at < this.moments.drainStartedAt) this.moments.drainStartedAt = at;
  }

  private reword(verdict: ServingVerdict, now: Date): ServingObservation {
    const delay = drainSeconds(this.groups);
    const started = this.moments.drainStartedAt;
    const left = started && delay !== undefined ? drainLeftText(started, delay, now) : undefined;
    this.last = { verdict, lines: verdict.groups.map((counts) => servingLine(counts, left)) };
    return this.last;
  }

  /** Looks up the tasks behind these addresses (ListTasks, then DescribeTasks of the tasks not described yet). */
  private async explain(unknown: string[]): Promise<void> {
    if (unknown.length === 0) return;
    const { ecs } = this.clients;
    const arns = await listServiceTasks(ecs, this.options.cluster, this.options.service, 'RUNNING');
    const fresh = arns.filter((arn) => !this.tasks.has(arn));
    const described = fresh.length > 0 ? await describeTasks(ecs, this.options.cluster, fresh) : [];
    for (const task of described.map(serviceTaskOf)) this.tasks.set(task.arn, task);
    const explained = new Set([...this.tasks.values()].map((t) => t.ip));
    for (const ip of unknown) if (!explained.has(ip)) this.unexplained.add(ip);
  }
}
