import { deregisterTargets, drainSeconds } from '../alb/target-group.js';
import { invalidParameter, serviceNotFound } from '../core/errors.js';
import { nameFromArn } from '../core/ids.js';
import type { Json } from '../core/json.js';
import { page } from '../core/pagination.js';
import { arnUnder, describeEach } from './batch-describe.js';
import { validateNetwork } from './service-handlers.js';
import { containersOf } from './task-definitions.js';
import { beginStop } from './task-lifecycle.js';
import { createTask, describeTask } from './tasks.js';
import type { Handler, TaskDefinition, Task } from '../model.js';
import type { World } from '../world.js';

/** RunTask, DescribeTasks, ListTasks, StopTask. */

/** Fargate's largest task; a definition above it cannot be placed. */
const MAX_CPU = 16384;
const MAX_MEMORY = 122880;

function placementFailure(world: World, td: TaskDefinition): string | undefined {
  if (Number(td.raw.memory) > MAX_MEMORY) return 'RESOURCE:MEMORY';
  if (Number(td.raw.cpu) > MAX_CPU) return 'RESOURCE:CPU';
  for (const container of containersOf(td)) {
    const scripted = world.behaviours.of(container.image).placementFailure;
    if (scripted) return scripted;
  }
  return undefined;
}

export function tasksApi(world: World): Record<string, Handler> {
  const findTask = (clusterName: string, ref: string): Task | undefined => {
    const id = nameFromArn(ref);
    return world.tasks.get(`${world.arnPrefix}task/${clusterName}/${id}`);
  };
  return {
    RunTask(input) {
      const cluster = world.cluster(input.cluster);
      if (typeof input.taskDefinition !== 'string') throw invalidParameter('TaskDefinition can not be blank.');
      const td = world.taskDefinitions.runnable(input.taskDefinition);
      const count = input.count ?? 1;
      if (!Number.isInteger(count) || count < 1 || count > 10)
        throw invalidParameter('count must be between 1 and 10.');
      if (input.launchType && input.capacityProviderStrategy?.length) {
        throw invalidParameter('Specifying both a launch type and capacity provider strategy is not supported.');
      }
      const launchType = input.capacityProviderStrategy?.length ? undefined : (input.launchType ?? 'EC2');
      if (
        launchType === 'FARGATE' &&
        !(td.raw.requiresCompatibilities ?? []).includes('FARGATE') &&
        td.raw.networkMode !== 'awsvpc'
      ) {
        throw invalidParameter('Task definition does not support launch_type FARGATE.');
      }
      validateNetwork(td.raw, input.networkConfiguration);
      const subnets = input.networkConfiguration?.awsvpcConfiguration?.subnets;
      if (input.networkConfiguration?.awsvpcConfiguration && (!Array.isArray(subnets) || subnets.length === 0)) {
        throw invalidParameter('subnets can not be empty.');
      }
      const names = containersOf(td).map((c) => c.name);
      for (const override of (input.overrides?.containerOverrides ?? []) as Json[]) {
        if (!names.includes(override.name)) {
          throw invalidParameter(
            `Override for container named ${override.name} is not a container in the TaskDefinition.`,
          );
        }
      }
      const failureReason = placementFailure(world, td);
      if (failureReason) return { tasks: [], failures: [{ arn: cluster.arn, reason: failureReason }] };
      const tasks = [];
      for (let i = 0; i < count; i++) {
        const task = createTask(world, {
          cluster,
          taskDefinition: td,
          group: input.group ?? `family:${td.family}`,
          startedBy: input.startedBy,
          launchType,
          capacityProviderStrategy: input.capacityProviderStrategy,
          platformVersion: input.platformVersion,
          networkConfiguration: input.networkConfiguration,
          overrides: input.overrides,
          tags: input.tags,
          enableExecuteCommand: input.enableExecuteCommand,
        });
        tasks.push(describeTask(task));
      }
      return { tasks, failures: [] };
    },
    DescribeTasks(input) {
      const cluster = world.cluster(input.cluster);
      if (!Array.isArray(input.tasks) || input.tasks.length === 0) throw invalidParameter('Tasks cannot be empty.');
      if (input.tasks.length > 100)
        throw invalidParameter('Too many tasks were provided. Maximum of 100 tasks are allowed.');
      const { described: tasks, failures } = describeEach(
        input.tasks as string[],
        (ref) => findTask(cluster.name, ref),
        describeTask,
        arnUnder(`${world.arnPrefix}task/${cluster.name}/`),
      );
      return { tasks, failures };
    },
    ListTasks(input) {
      const cluster = world.cluster(input.cluster);
      if (input.serviceName && !cluster.services.has(nameFromArn(input.serviceName))) {
        throw serviceNotFound();
      }
      const desired = input.desiredStatus ?? 'RUNNING';
      const arns = [...world.tasks.values()]
        .filter((t) => t.cluster === cluster)
        .filter((t) => t.desiredStatus === desired)
        .filter((t) => !input.serviceName || t.service?.name === nameFromArn(input.serviceName))
        .filter((t) => !input.family || t.taskDefinition.family === input.family)
        .filter((t) => !input.startedBy || t.startedBy === input.startedBy)
        .filter((t) => !input.launchType || t.launchType === input.launchType)
        .map((t) => t.arn);
      const { page: taskArns, nextToken } = page(arns, input);
      return { taskArns, ...(nextToken ? { nextToken } : {}) };
    },
    StopTask(input) {
      const cluster = world.cluster(input.cluster);
      const task = typeof input.task === 'string' ? findTask(cluster.name, input.task) : undefined;
      if (!task) throw invalidParameter('The referenced task was not found.');
      beginStop(world, task, {
        stopCode: 'UserInitiated',
        reason: input.reason ?? 'Task stopped by user',
        deactivateSeconds: task.service ? drainSeconds(world, task.service, [task]) : undefined,
      });
      if (task.service) deregisterTargets(world, task.service, [task]);
      return { task: describeTask(task) };
    },
  };
}
