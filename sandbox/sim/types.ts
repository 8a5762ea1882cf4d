/** The simulator's public types: what the end-to-end tests and benchmarks script and observe. */

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

export interface ImageBehaviour {
  pull?: 'ok' | 'fail';
  /** Simulated seconds PROVISIONING..RUNNING (default 10). */
  startSeconds?: number;
  health?: 'healthy' | 'unhealthy';
  /** Unhealthy: seconds until the scheduler stops the task (default 30). Healthy: seconds until HEALTHY (default 5). */
  healthCheckSeconds?: number;
  crashAfterSeconds?: number;
  exitCode?: number;
  /** Written to the container's awslogs stream when it starts. */
  logLines?: string[];
  /** One-off (RunTask) behaviour by effective command joined by ' '; '*' matches any, 'prefix*' a prefix. */
  commands?: Record<string, CommandBehaviour>;
  /** RunTask places no task and returns failures [{arn, reason}] with this reason (e.g. 'RESOURCE:MEMORY'). */
  placementFailure?: string;
  /** The container ignores SIGTERM: StopTask ends it with SIGKILL (exit code 137) instead of 143. */
  ignoresSigterm?: boolean;
}

export interface FaultOptions {
  throttleRate?: number;
  serverErrorRate?: number;
  dropRate?: number;
  /** Operation names the faults apply to (default: all). */
  operations?: string[];
  seed?: number;
}

export interface RecordedRequest {
  service: 'ecs' | 'logs' | 'cloudfront';
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
  kind: 'deployment' | 'task' | 'logs';
  /** Deployment id, task ARN, or 'group stream'. */
  subject: string;
  /** rolloutState, task lastStatus, or the number of events written. */
  value: string;
  detail?: string;
}

export interface Simulator {
  url: string;
  env(): Record<string, string>;
  images: { define(image: string, behaviour: ImageBehaviour): void };
  faults: { set(faults: FaultOptions): void; clear(): void };
  requests: RecordedRequest[];
  calls(operation?: string): RecordedRequest[];
  timeline: TimelineEntry[];
  albUrl(clusterName: string, serviceName: string): string;
  seedStartupWebApp(options?: { image?: string }): Promise<void>;
  stop(): Promise<void>;
}
