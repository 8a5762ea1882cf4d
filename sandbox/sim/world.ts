import type { Behaviours } from './behaviours.js';
import type { SimClock } from './clock.js';
import { clusterNotFound } from './errors.js';
import { nameFromArn, uuid } from './ids.js';
import type { Json } from './json.js';
import type { LaunchSettings } from './launch-settings.js';
import type { LogStore } from './logs-store.js';
import type { ServiceDeploymentRecord, ServiceRevisionRecord } from './service-deployments.js';
import type { TaskDefinition, TaskDefinitionStore } from './task-definitions.js';
import type { TimelineEntry } from './types.js';

/** Everything the simulated account holds, shared by the API handlers and the engine. */

export interface Cluster {
  name: string;
  arn: string;
  createdAt: number;
  tags: Json[];
  settings: Json[];
  capacityProviders: string[];
  services: Map<string, Service>;
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface Deployment extends LaunchSettings {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: TaskDefinition;
  desiredCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /** The service deployment (history record) this deployment carries out. */
  serviceDeploymentArn: string;
  revisionArn: string;
  /** No more launches (circuit breaker without rollback, or an aborted service deployment). */
  halted: boolean;
  /** This deployment is a rollback: completing it makes its record ROLLBACK_SUCCESSFUL. */
  isRollback: boolean;
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface Service extends LaunchSettings {
  name: string;
  arn: string;
  cluster: Cluster;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  taskDefinition: TaskDefinition;
  desiredCount: number;
  loadBalancers: Json[];
  serviceRegistries: Json[];
  deploymentConfiguration: Json;
  deploymentController: Json;
  deployments: Deployment[];
  events: ServiceEvent[];
  createdAt: number;
  createdBy: string;
  roleArn?: string;
  healthCheckGracePeriodSeconds?: number;
  schedulingStrategy: string;
  enableECSManagedTags: boolean;
  propagateTags: string;
  enableExecuteCommand: boolean;
  placementConstraints: Json[];
  placementStrategy: Json[];
  tags: Json[];
  availabilityZoneRebalancing?: string;
  /** The last deployment that completed: what a circuit-breaker or requested rollback goes back to. */
  stable?: { taskDefinition: TaskDefinition; revisionArn: string; deploymentId: string };
  /** A StopServiceDeployment request the engine carries out on its next step. */
  pendingStop?: { record: ServiceDeploymentRecord; stopType: 'ROLLBACK' | 'ABORT' };
  /** Real loopback port of the service's ALB-like health listener. */
  albPort?: number;
}

export type TaskStatus =
  'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

export interface ContainerState {
  name: string;
  image: string;
  essential: boolean;
  arn: string;
  runtimeId: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  command: string;
  /** awslogs destination; `createGroup` is the `awslogs-create-group: "true"` option. */
  logTarget?: { group: string; stream: string; createGroup?: boolean };
}

export interface ScheduledStep {
  atSim: number;
  run: () => void;
}

export interface Task extends LaunchSettings {
  id: string;
  arn: string;
  cluster: Cluster;
  taskDefinition: TaskDefinition;
  group: string;
  startedBy?: string;
  overrides: Json;
  tags: Json[];
  enableExecuteCommand: boolean;
  service?: Service;
  deploymentId?: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  createdAt: number;
  connectivityAt?: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  containers: ContainerState[];
  steps: ScheduledStep[];
  version: number;
  /** A failure the service's deployment has not counted yet (circuit breaker). */
  uncountedFailure: boolean;
  availabilityZone: string;
  privateIp: string;
  /** Real ms after which a STOPPED task is forgotten (AWS keeps them about an hour). */
  forgetAt?: number;
  /** Registered in the service's target group (an ECS service event says so once per batch). */
  targetRegistered?: boolean;
}

export interface WorldConfig {
  region: string;
  accountId: string;
}

export class World {
  readonly clusters = new Map<string, Cluster>();
  readonly tasks = new Map<string, Task>();
  readonly serviceDeployments = new Map<string, ServiceDeploymentRecord>();
  readonly serviceRevisions = new Map<string, ServiceRevisionRecord>();

  constructor(
    readonly config: WorldConfig,
    readonly clock: SimClock,
    readonly behaviours: Behaviours,
    readonly taskDefinitions: TaskDefinitionStore,
    readonly logs: LogStore,
    readonly timeline: TimelineEntry[],
  ) {}

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
