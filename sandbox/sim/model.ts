import type { Json } from './core/json.js';

/**
 * The simulator's shared types in one place: first what the end-to-end tests and benchmarks script and observe
 * (re-exported by index.ts), then what the simulated account holds, shared by the request handlers and the engine.
 */

export interface SimulatorOptions {
  /** Real seconds per simulated second; default 1. Tests use e.g. 0.01 so a 3-minute rollout takes ~2 s. */
  timeScale?: number;
  region?: string;
  accountId?: string;
  /** Real ms between engine steps (default 20). */
  tickMs?: number;
}

export interface CommandBehaviour {
  /** A number N generates 'line 1 of N' .. 'line N of N'. */
  logLines: number | string[];
  exitCode: number;
  /** Simulated seconds the command runs (default 1). The last lines are written just before the container stops. */
  runSeconds?: number;
}

/** A Django migration an image holds: its `app_label.name` and its operations as Django's describe() words them. */
export interface SimMigration {
  name: string;
  operations: string[];
}

export interface ImageBehaviour {
  pull?: 'ok' | 'fail';
  /** Simulated seconds PROVISIONING..RUNNING (default 10). */
  startSeconds?: number;
  /** Tasks stay ACTIVATING until `images.release(image)`: a test holds a deployment in flight until it has seen what it waits for. */
  held?: boolean;
  /**
   * `unhealthy`: the app answers 500 on every path. Behind a target group its health checks then mark the task
   * unhealthy and ECS stops it once the service's health-check grace period is over; without one, it is stopped for
   * failing container health checks after `healthCheckSeconds`.
   */
  health?: 'healthy' | 'unhealthy';
  /**
   * Healthy: seconds after RUNNING until the app answers (and the task's health status is HEALTHY), default 5.
   * Unhealthy and not behind a target group: seconds until the scheduler stops it (default 30).
   */
  healthCheckSeconds?: number;
  crashAfterSeconds?: number;
  exitCode?: number;
  /** Written to the container's awslogs stream when it starts. */
  logLines?: string[];
  /**
   * The image's Django migrations: `python manage.py migrate` (and `--plan`) answer in Django's words from them and
   * the task's database state (`migrations.applied`), and a successful migrate records them applied. Wins over
   * `commands` for those commands.
   */
  migrations?: SimMigration[];
  /** One-off (RunTask) behaviour by effective command joined by ' '; '*' matches any, 'prefix*' a prefix. */
  commands?: Record<string, CommandBehaviour>;
  /** RunTask places no task and returns failures [{arn, reason}] with this reason (e.g. 'RESOURCE:MEMORY'). */
  placementFailure?: string;
  /**
   * The container ignores SIGTERM: StopTask ends it with SIGKILL (exit code 137) instead of 143, after the container
   * definition's `stopTimeout` (default 30 s), during which it keeps running.
   */
  ignoresSigterm?: boolean;
  /**
   * Reports this exit code on the container while it is still RUNNING, as an emulator the suite met did: a client
   * must only believe an exit code once the container has stopped.
   */
  exitCodeWhileRunning?: number;
}

export interface FaultOptions {
  throttleRate?: number;
  serverErrorRate?: number;
  dropRate?: number;
  /** Never answer: the request stays open until the client gives up (a network that has gone silent). */
  hangRate?: number;
  /** Answer HTTP 500 with an HTML page, as a proxy or load balancer in front of the API does. */
  htmlErrorRate?: number;
  /**
   * Answer as if the call had been accepted, changing nothing (an emulator that does not model it). Only operations
   * with such an answer take it: UpdateService (the service as it is, no new deployment).
   */
  unappliedRate?: number;
  /** Operation names the faults apply to (default: all). */
  operations?: string[];
  seed?: number;
}

export interface RecordedRequest {
  /** As IAM names it: its actions are `<service>:<operation>`. */
  service: 'ecs' | 'logs' | 'ecr' | 'secretsmanager' | 'ssm' | 'cloudfront' | 'elasticloadbalancing' | 'iam';
  operation: string;
  input: unknown;
  /** Real epoch ms when the request arrived. */
  at: number;
  /** HTTP status; 0 when the connection was dropped by fault injection. */
  status: number;
  errorCode?: string;
}

export interface TimelineEntry {
  /** Real epoch ms. */
  at: number;
  kind: 'deployment' | 'task' | 'logs' | 'target';
  /** Deployment id, task ARN, 'group stream', or 'target-group-name ip:port'. */
  subject: string;
  /** rolloutState, task lastStatus, the number of events written, or the target's state ('removed' once it left). */
  value: string;
  detail?: string;
}

export interface Simulator {
  url: string;
  env(): Record<string, string>;
  images: { define(image: string, behaviour: ImageBehaviour): void; release(image: string): void };
  faults: { set(faults: FaultOptions): void; clear(): void };
  requests: RecordedRequest[];
  calls(operation?: string): RecordedRequest[];
  timeline: TimelineEntry[];
  albUrl(clusterName: string, serviceName: string): string;
  /**
   * The account's private ECR registry (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>`): a task pulls an
   * image of it only if it was pushed. `images.define` of an exact image of it (without `pull: 'fail'`) pushes it too.
   */
  ecr: {
    push(image: string, options?: { digest?: string; pushedAt?: number }): string;
    remove(image: string): void;
    /** The tags of a repository, newest push first. */
    tags(repository: string): string[];
  };
  /** Stores an SSM parameter by its ARN (tasks resolve it; GetParameters finds it, never serving its value). */
  putParameter(arn: string, value: string): void;
  /** Denies IAM actions (`ecr:DescribeImages`, `logs:DescribeLogGroups`…): they answer AccessDeniedException. */
  access: { deny(...actions: string[]): void; allowAll(): void };
  /** `deployment`: deploymentConfiguration fields such as `{ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 }` (seed.ts). */
  seedStartupWebApp(options?: { image?: string; deployment?: Json }): Promise<void>;
  /** Which migrations each tenant database has applied (by DATABASE_NAME; startupwebapp_prod by default). */
  migrations: {
    applied(database: string): string[];
    markApplied(database: string, names: string[]): void;
  };
  /** The values of the secrets tasks resolve (made up), for checks that none was ever shown. */
  secretValues(): string[];
  /** Changes a test makes to the account directly, as its owner would in the console (check-setup's scenarios). */
  account: AccountEditor;
  stop(): Promise<void>;
}

export interface AccountEditor {
  /** A role with these inline policies (IAM policy documents); returns its ARN. */
  putRole(name: string, policies: Record<string, { Statement: unknown }>): string;
  deleteRole(name: string): void;
  /** An ECR repository of the registry `ecr` pushes to (created if absent; the settings given are changed). */
  putRepository(name: string, settings?: { imageTagMutability?: 'MUTABLE' | 'IMMUTABLE'; scanOnPush?: boolean }): void;
  /** Deletes an ECR repository with its images (`delete-repository --force`). */
  deleteRepository(name: string): void;
  putDistribution(distribution: { id: string; origins: string[]; enabled: boolean }): void;
  deleteDistribution(id: string): void;
  deleteLogGroup(name: string): void;
  deleteSecret(arn: string): void;
}

// How the wire reaches a service's handlers.

/** A REST-XML request (CloudFront): its operation and the ids in its path. */
export interface XmlRoute {
  operation: string;
  distributionId: string;
  invalidationId?: string;
}

export interface XmlReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  operation: string;
  input: unknown;
  errorCode?: string;
}

export type XmlError = Omit<XmlReply, 'operation' | 'input'>;

/** A REST-XML service: which operation a request is (undefined: not this service), its reply, its error body. */
export interface RestXmlService {
  route(method: string, path: string): XmlRoute | undefined;
  handle(baseUrl: string, route: XmlRoute, body: string): XmlReply;
  error(status: number, code: string, message: string): XmlError;
}

/** One AWS Query protocol request's answer (XML body, or ELB's `<ErrorResponse>`). */
export interface QueryReply {
  status: number;
  body: string;
  operation: string;
  input?: unknown;
  errorCode?: string;
}

/** An AWS Query protocol service: the form-encoded request body in, its reply out. */
export interface QueryService {
  /** The IAM service prefix its requests are recorded under. */
  service: RecordedRequest['service'];
  /** The API version its requests carry (`Version=`), which tells the Query services apart. */
  version?: string;
  handle(body: string): QueryReply;
  error(status: number, code: string, message: string): QueryReply;
}

/** An AWS JSON 1.1 operation: the parsed request body in, the response body out (or an AwsError thrown). */
export type Handler = (input: Json) => Json | Promise<Json>;

// What the simulated account holds.

/** How tasks are launched: set on a service, carried by each of its deployments and revisions, and by every task. */
export interface LaunchSettings {
  launchType?: string;
  capacityProviderStrategy?: Json[];
  platformVersion?: string;
  networkConfiguration?: Json;
}

/** A registered revision: the client's JSON kept verbatim (even keys we do not interpret) plus what ECS adds. */
export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  registeredAt: number;
  deregisteredAt?: number;
  raw: Json;
  tags: Json[];
}

export interface ContainerDefinition {
  name: string;
  image: string;
  essential?: boolean;
  command?: string[];
  healthCheck?: unknown;
  logConfiguration?: { logDriver?: string; options?: Record<string, string> };
  [key: string]: unknown;
}

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
  /** The plain environment the container starts with: the definition's, then the RunTask override's. */
  environment: Record<string, string>;
  /** The definition's `secrets`: references ECS resolves before the container starts. */
  secrets: Array<{ name: string; valueFrom: string }>;
  /** The definition's `stopTimeout`: how long after SIGTERM a container that ignores it is killed (ECS: 30 s). */
  stopTimeoutSeconds: number;
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
  /** Simulated time it reached RUNNING (health-check grace period, app boot). */
  runningSinceSim?: number;
}

/** The service deployment history (ListServiceDeployments & co.): one record per requested deployment. */

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export interface ServiceDeploymentRecord {
  arn: string;
  service: Service;
  createdAt: number;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  stoppedAt?: number;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  sourceRevisionArns: string[];
  targetRevisionArn: string;
  deploymentConfiguration: Json;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  breaker: {
    status: 'DISABLED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'TRIGGERED';
    failureCount: number;
    threshold: number;
  };
}

export interface ServiceRevisionRecord extends LaunchSettings {
  arn: string;
  service: Service;
  taskDefinitionArn: string;
  loadBalancers: Json[];
  serviceRegistries: Json[];
  containerImages: Json[];
  createdAt: number;
}
