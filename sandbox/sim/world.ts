import type { Distribution } from './cloudfront/invalidation-handlers.js';
import { SecretStore } from './secrets/secret-store.js';
import { EcrRegistry } from './ecr/registry.js';
import type { SimClock } from './core/clock.js';
import { clusterNotFound } from './core/errors.js';
import { nameFromArn, uuid } from './core/ids.js';
import type { TargetGroupStore } from './alb/target-group-store.js';
import type { Behaviours } from './ecs/behaviours.js';
import type { TaskDefinitionStore } from './ecs/task-definitions.js';
import type { LogStore } from './logs/log-store.js';
import type { Cluster, Service, ServiceDeploymentRecord, ServiceRevisionRecord, Task, TimelineEntry } from './model.js';

/** Everything the simulated account holds, shared by the request handlers and the engine. */

export interface WorldConfig {
  region: string;
  accountId: string;
}

export class World {
  readonly clusters = new Map<string, Cluster>();
  readonly tasks = new Map<string, Task>();
  readonly serviceDeployments = new Map<string, ServiceDeploymentRecord>();
  readonly serviceRevisions = new Map<string, ServiceRevisionRecord>();

  /** Secrets Manager and SSM values that task secrets resolve against when a task starts. */
  readonly secrets = new SecretStore();

  /** CloudFront distributions, read by check-setup. */
  readonly distributions = new Map<string, Distribution>();
  /** The account's private ECR registry in this region: its repositories, and images that pull only if pushed. */
  readonly ecr: EcrRegistry;

  /** Django migrations applied, by database name. */
  readonly appliedMigrations = new Map<string, Set<string>>();

  appliedIn(database: string): Set<string> {
    let applied = this.appliedMigrations.get(database);
    if (!applied) this.appliedMigrations.set(database, (applied = new Set()));
    return applied;
  }

  constructor(
    readonly config: WorldConfig,
    readonly clock: SimClock,
    readonly behaviours: Behaviours,
    readonly taskDefinitions: TaskDefinitionStore,
    readonly logs: LogStore,
    readonly timeline: TimelineEntry[],
    readonly targetGroups: TargetGroupStore,
  ) {
    this.ecr = new EcrRegistry(config.region, config.accountId);
  }

  get arnPrefix(): string {
    return `arn:aws:ecs:${this.config.region}:${this.config.accountId}:`;
  }

  get callerArn(): string {
    return `arn:aws:iam::${this.config.accountId}:root`;
  }

  /** A cluster by name or ARN ('default' when omitted). */
  cluster(ref: string | undefined): Cluster {
    const cluster = this.clusters.get(nameFromArn(ref ?? 'default'));
    if (!cluster) throw clusterNotFound();
    return cluster;
  }

  record(kind: TimelineEntry['kind'], subject: string, value: string, detail?: string): void {
    this.timeline.push({ at: Date.now(), kind, subject, value, ...(detail !== undefined ? { detail } : {}) });
  }

  tasksOf(service: Service): Task[] {
    return [...this.tasks.values()].filter((t) => t.service === service);
  }

  /** Events of one service get strictly increasing times, as ECS's do: clients sort them by createdAt. */
  serviceEvent(service: Service, message: string): void {
    const createdAt = Math.max(Date.now(), (service.events[0]?.createdAt ?? 0) + 1);
    service.events.unshift({ id: uuid(), createdAt, message });
    if (service.events.length > 100) service.events.length = 100;
  }
}
