import {
  DescribeClustersCommand,
  DescribeTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import { describeRunTaskFailures } from './task-run.js';

/** What run-migration does to ECS besides task definitions: check the cluster, run, watch and stop one task. */

/** The cluster's status (ACTIVE, INACTIVE…), undefined when ECS does not know it. Errors are thrown. */
export async function clusterStatus(ecs: ECSClient, cluster: string): Promise<string | undefined> {
  const response = await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
  return response.clusters?.[0]?.status;
}

/** The started task, or RunTask's failures one per line. */
export async function startTask(
  ecs: ECSClient,
  request: RunTaskCommandInput,
): Promise<{ task: Task & { taskArn: string } } | { failures: string[] }> {
  const response = await ecs.send(new RunTaskCommand(request));
  const task = response.tasks?.[0];
  if (task?.taskArn) return { task: task as Task & { taskArn: string } };
  const failures = describeRunTaskFailures(response.failures ?? []);
  return { failures: failures.length > 0 ? failures : ['no task and no failure returned'] };
}

export async function describeTask(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  signal?: AbortSignal,
): Promise<Task> {
  const response = await ecs.send(
    new DescribeTasksCommand({ cluster, tasks: [taskArn] }),
    signal ? { abortSignal: signal } : undefined,
  );
  const task = response.tasks?.[0];
  if (!task) {
    const failure = response.failures?.[0];
    throw new Error(`DescribeTasks did not return task ${taskArn}: ${failure?.reason ?? 'no reason given'}`);
  }
  return task;
}

/** StopTask with a reason ECS shows in the console, given up (retries included) after `timeoutMs`. */
export async function stopTask(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  reason: string,
  timeoutMs: number,
): Promise<void> {
  await ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason }), {
    abortSignal: AbortSignal.timeout(timeoutMs),
  });
}
