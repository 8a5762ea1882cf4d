import type {
  CapacityProviderStrategyItem,
  Failure,
  KeyValuePair,
  NetworkConfiguration,
  RunTaskCommandInput,
  Service,
  Tag,
  Task,
} from '@aws-sdk/client-ecs';
import type { KeyValue } from '../../lib/runner/inputs.js';
import { InputError } from '../../lib/runner/inputs.js';
import { describeStoppedTask, exitCodeMeaning, oneLine } from '../../lib/ecs/stopped-tasks.js';

/** Pure decisions for running a one-off task: where it runs, what it is told, and whether it succeeded. */

export interface ExplicitLaunch {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp?: 'ENABLED' | 'DISABLED';
  launchType?: string;
  platformVersion?: string;
}

export interface LaunchPlan {
  networkConfiguration?: NetworkConfiguration;
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  /** The settings taken from the service (`subnets`, `launch type`, ...), for the log. */
  fromService: string[];
}

/**
 * Network configuration, launch type or capacity providers, and platform version: each explicit input wins,
 * then the service's setting, then the defaults (FARGATE, public IP DISABLED).
 */
export function planLaunch(explicit: ExplicitLaunch, service: Service | undefined, networkMode?: string): LaunchPlan {
  const fromService = service?.networkConfiguration?.awsvpcConfiguration;
  const fromServiceLabels: string[] = [];
  const pick = <T>(label: string, mine: T | undefined, theirs: T | undefined, fallback?: T): T | undefined => {
    if (mine !== undefined) return mine;
    if (theirs !== undefined) {
      fromServiceLabels.push(label);
      return theirs;
    }
    return fallback;
  };
  const subnets = pick('subnets', nonEmpty(explicit.subnets), nonEmpty(fromService?.subnets));
  const securityGroups = pick(
    'security groups',
    nonEmpty(explicit.securityGroups),
    nonEmpty(fromService?.securityGroups),
  );
  const assignPublicIp = pick('public IP', explicit.assignPublicIp, fromService?.assignPublicIp, 'DISABLED');

  const plan: LaunchPlan = { fromService: fromServiceLabels };
  if (subnets) {
    plan.networkConfiguration = {
      awsvpcConfiguration: { subnets, ...(securityGroups ? { securityGroups } : {}), assignPublicIp },
    };
  } else if (networkMode === 'awsvpc') {
    throw new InputError(
      `Input 'subnets' is required: the task definition uses awsvpc networking and no 'service' was given to copy it from`,
    );
  }

  if (explicit.launchType) {
    plan.launchType = explicit.launchType;
  } else if (service?.capacityProviderStrategy && service.capacityProviderStrategy.length > 0) {
    plan.capacityProviderStrategy = service.capacityProviderStrategy;
    fromServiceLabels.push('capacity provider strategy');
  } else {
    plan.launchType = pick('launch type', undefined, service?.launchType, 'FARGATE');
  }
  const platformVersion = pick('platform version', explicit.platformVersion, service?.platformVersion);
  if (platformVersion && plan.launchType !== 'EC2') plan.platformVersion = platformVersion;
  return plan;
}

function nonEmpty(list: string[] | undefined): string[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

export interface RunRequestParts {
  cluster: string;
  taskDefinitionArn: string;
  container: string;
  command: string[];
  environment: KeyValue[];
  launch: LaunchPlan;
  startedBy: string;
  tags: Tag[];
  /** Idempotency token, so a retried RunTask never starts a second task. */
  clientToken: string;
}

export function runTaskRequest(parts: RunRequestParts): RunTaskCommandInput {
  const environment: KeyValuePair[] = parts.environment.map(({ name, value }) => ({ name, value }));
  return {
    cluster: parts.cluster,
    taskDefinition: parts.taskDefinitionArn,
    count: 1,
    ...(parts.launch.launchType ? { launchType: parts.launch.launchType as RunTaskCommandInput['launchType'] } : {}),
    ...(parts.launch.capacityProviderStrategy
      ? { capacityProviderStrategy: parts.launch.capacityProviderStrategy }
      : {}),
    ...(parts.launch.networkConfiguration ? { networkConfiguration: parts.launch.networkConfiguration } : {}),
    ...(parts.launch.platformVersion ? { platformVersion: parts.launch.platformVersion } : {}),
    overrides: {
      containerOverrides: [
        { name: parts.container, command: parts.command, ...(environment.length > 0 ? { environment } : {}) },
      ],
    },
    startedBy: parts.startedBy,
    ...(parts.tags.length > 0 ? { tags: parts.tags } : {}),
    clientToken: parts.clientToken,
  };
}

/** `RESOURCE:MEMORY (arn:...)`, one line per failure RunTask returned. */
export function describeRunTaskFailures(failures: Failure[]): string[] {
  return failures.map((failure) => {
    const detail = failure.detail ? `: ${oneLine(failure.detail)}` : '';
    const arn = failure.arn ? ` (${failure.arn})` : '';
    return `${failure.reason ?? 'unknown reason'}${detail}${arn}`;
  });
}

export type TaskOutcome =
  | { ok: true; exitCode: 0; notes: string[] }
  | {
      ok: false;
      kind: 'failed-to-start' | 'exit-code' | 'sidecar-stopped-task' | 'stopped';
      exitCode?: number;
      /** One line for the annotation title's message and the summary. */
      reason: string;
      /** Further lines: the task's stop reason and each container's. */
      details: string[];
    };

/**
 * Whether a stopped one-off task succeeded: only the named container's exit code decides. A sidecar exiting
 * non-zero is a note; an essential sidecar that stopped the task before the container finished is the reason.
 */
export function decideOutcome(task: Task, containerName: string, essentialContainers: string[] = []): TaskOutcome {
  const description = describeStoppedTask(task);
  const details = [description.headline, ...description.containers];
  const container = (task.containers ?? []).find((c) => c.name === containerName);
  const exitCode = container?.exitCode ?? undefined;
  const others = (task.containers ?? []).filter((c) => c.name !== containerName);

  if (task.stopCode === 'TaskFailedToStart') {
    const reasons = [oneLine(task.stoppedReason), ...(task.containers ?? []).map((c) => oneLine(c.reason))];
    const distinct = [...new Set(reasons.filter(Boolean))];
    return {
      ok: false,
      kind: 'failed-to-start',
      reason: `The task failed to start: ${distinct.join('; ') || 'no reason given'}`,
      details,
    };
  }
  if (exitCode === 0) {
    const notes = others
      .filter((c) => c.exitCode !== undefined && c.exitCode !== null && c.exitCode !== 0)
      .map((c) => `Sidecar ${c.name} exited with code ${c.exitCode}; it does not decide the outcome`);
    return { ok: true, exitCode: 0, notes };
  }
  const culprit =
    task.stopCode === 'EssentialContainerExited'
      ? others.find((c) => essentialContainers.includes(c.name ?? '') && c.exitCode !== undefined && c.exitCode !== 0)
      : undefined;
  if (culprit) {
    const own = exitCode === undefined ? 'before it finished' : `(it exited with code ${exitCode})`;
    return {
      ok: false,
      kind: 'sidecar-stopped-task',
      ...(exitCode !== undefined ? { exitCode } : {}),
      reason: `Essential container ${culprit.name} exited with code ${culprit.exitCode} and stopped the task; container ${containerName} was stopped ${own}`,
      details,
    };
  }
  if (exitCode !== undefined) {
    const why = oneLine(container?.reason);
    return {
      ok: false,
      kind: 'exit-code',
      exitCode,
      reason: `Container ${containerName} exited with code ${exitCode}${exitCodeMeaning(exitCode)}${why ? `: ${why}` : ''}`,
      details,
    };
  }
  return {
    ok: false,
    kind: 'stopped',
    reason: `The task stopped without an exit code for container ${containerName}: ${oneLine(task.stoppedReason) || task.stopCode || 'no reason given'}`,
    details,
  };
}
