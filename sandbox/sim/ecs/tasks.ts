import { randomInt } from 'node:crypto';
import { digits, epochSeconds, taskId, uuid } from '../core/ids.js';
import type { Json } from '../core/json.js';
import { launchSettingsOf } from './launch-settings.js';
import { containersOf } from './task-definitions.js';
import { startLifecycle } from './task-lifecycle.js';
import type { LaunchSettings, ContainerState, Task } from '../model.js';
import type { World } from '../world.js';

/** Creating tasks and describing them the way DescribeTasks/RunTask answer. */

/** What the caller of createTask decides; the rest of a Task starts out the same for every task. */
export type NewTask = LaunchSettings &
  Pick<Task, 'cluster' | 'taskDefinition' | 'group' | 'startedBy' | 'service' | 'deploymentId'> &
  Partial<Pick<Task, 'overrides' | 'tags' | 'enableExecuteCommand'>>;

const ZONES = ['a', 'b', 'c'];
/** ECS's default container stop timeout. */
const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

export function createTask(world: World, spec: NewTask): Task {
  const id = taskId();
  const arn = `${world.arnPrefix}task/${spec.cluster.name}/${id}`;
  const overrides = spec.overrides ?? { containerOverrides: [], inferenceAcceleratorOverrides: [] };
  const containerOverrides = (overrides.containerOverrides ?? []) as Json[];
  const containers: ContainerState[] = containersOf(spec.taskDefinition).map((def) => {
    const override = containerOverrides.find((o) => o.name === def.name);
    const command = (override?.command ?? def.command ?? []) as string[];
    const pairs = [...((def.environment ?? []) as Json[]), ...((override?.environment ?? []) as Json[])];
    const environment = Object.fromEntries(pairs.map((pair) => [String(pair.name), String(pair.value ?? '')]));
    const options = def.logConfiguration?.logDriver === 'awslogs' ? def.logConfiguration.options : undefined;
    const group = options?.['awslogs-group'];
    const prefix = options?.['awslogs-stream-prefix'];
    return {
      name: def.name,
      image: def.image,
      essential: def.essential !== false,
      arn: `${world.arnPrefix}container/${spec.cluster.name}/${id}/${uuid()}`,
      runtimeId: `${id}-${digits(10)}`,
      lastStatus: 'PENDING',
      healthStatus: 'UNKNOWN',
      command: command.join(' '),
      environment,
      secrets: ((def.secrets ?? []) as Array<{ name?: string; valueFrom?: string }>).map((secret) => ({
        name: secret.name ?? '',
        valueFrom: secret.valueFrom ?? '',
      })),
      stopTimeoutSeconds: typeof def.stopTimeout === 'number' ? def.stopTimeout : DEFAULT_STOP_TIMEOUT_SECONDS,
      ...(group
        ? {
            logTarget: {
              group,
              stream: prefix ? `${prefix}/${def.name}/${id}` : `${def.name}/${id}`,
              createGroup: options?.['awslogs-create-group'] === 'true',
            },
          }
        : {}),
    };
  });
  const task: Task = {
    id,
    arn,
    cluster: spec.cluster,
    taskDefinition: spec.taskDefinition,
    group: spec.group,
    startedBy: spec.startedBy,
    ...launchSettingsOf(spec),
    overrides,
    tags: spec.tags ?? [],
    enableExecuteCommand: spec.enableExecuteCommand ?? false,
    service: spec.service,
    deploymentId: spec.deploymentId,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    createdAt: Date.now(),
    containers,
    steps: [],
    version: 1,
    uncountedFailure: false,
    availabilityZone: `${world.config.region}${ZONES[randomInt(0, ZONES.length)]}`,
    privateIp: `10.0.${randomInt(0, 256)}.${randomInt(1, 255)}`,
  };
  world.tasks.set(arn, task);
  startLifecycle(world, task);
  return task;
}

function timestamps(task: Task): Json {
  const out: Json = {};
  const fields = [
    'createdAt',
    'connectivityAt',
    'pullStartedAt',
    'pullStoppedAt',
    'startedAt',
    'stoppingAt',
    'executionStoppedAt',
    'stoppedAt',
  ] as const;
  for (const field of fields) if (task[field] !== undefined) out[field] = epochSeconds(task[field]);
  return out;
}

export function describeTask(task: Task): Json {
  const td = task.taskDefinition.raw;
  const subnet = task.networkConfiguration?.awsvpcConfiguration?.subnets?.[0];
  const eni = `eni-${task.id.slice(0, 17)}`;
  const attachmentId = `${task.id.slice(0, 8)}-${task.id.slice(8, 12)}-${task.id.slice(12, 16)}-${task.id.slice(16, 20)}-${task.id.slice(20, 32)}`;
  const awsvpc = td.networkMode === 'awsvpc';
  const fargate =
    task.launchType === 'FARGATE' ||
    (task.capacityProviderStrategy ?? []).some((s) => String(s.capacityProvider).startsWith('FARGATE'));
  return {
    taskArn: task.arn,
    clusterArn: task.cluster.arn,
    taskDefinitionArn: task.taskDefinition.arn,
    group: task.group,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    healthStatus: task.healthStatus,
    cpu: td.cpu,
    memory: td.memory,
    launchType: fargate ? 'FARGATE' : (task.launchType ?? 'EC2'),
    ...(task.capacityProviderStrategy?.length
      ? { capacityProviderName: task.capacityProviderStrategy[0].capacityProvider }
      : {}),
    ...(fargate ? { platformVersion: '1.4.0', platformFamily: 'Linux' } : {}),
    availabilityZone: task.availabilityZone,
    connectivity: task.connectivityAt !== undefined ? 'CONNECTED' : undefined,
    ...timestamps(task),
    ...(task.startedBy !== undefined ? { startedBy: task.startedBy } : {}),
    ...(task.stopCode !== undefined ? { stopCode: task.stopCode } : {}),
    ...(task.stoppedReason !== undefined ? { stoppedReason: task.stoppedReason } : {}),
    overrides: task.overrides,
    tags: task.tags,
    enableExecuteCommand: task.enableExecuteCommand,
    version: task.version,
    ephemeralStorage: { sizeInGiB: 20 },
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    attachments: awsvpc
      ? [
          {
            id: attachmentId,
            type: 'ElasticNetworkInterface',
            status:
              task.lastStatus === 'STOPPED'
                ? 'DELETED'
                : task.lastStatus === 'PROVISIONING'
                  ? 'PRECREATED'
                  : 'ATTACHED',
            details: [
              ...(subnet ? [{ name: 'subnetId', value: subnet }] : []),
              { name: 'networkInterfaceId', value: eni },
              { name: 'privateIPv4Address', value: task.privateIp },
            ],
          },
        ]
      : [],
    containers: task.containers.map((c) => ({
      containerArn: c.arn,
      taskArn: task.arn,
      name: c.name,
      image: c.image,
      runtimeId: c.runtimeId,
      lastStatus: c.lastStatus,
      ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
      ...(c.reason !== undefined ? { reason: c.reason } : {}),
      healthStatus: c.healthStatus,
      networkBindings: [],
      networkInterfaces: awsvpc ? [{ attachmentId, privateIpv4Address: task.privateIp }] : [],
      cpu: '0',
    })),
  };
}
