import type { ECSClient } from '@aws-sdk/client-ecs';
import type { AwsClientConfig } from '../../lib/aws/config.js';
import type { KeyValue } from '../../lib/runner/inputs.js';
import type { TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';
import { taskIdOf } from '../../lib/ecs/stopped-tasks.js';
import { now } from '../../lib/runner/time.js';
import type { MigrationInputs } from './inputs.js';
import { parsePlan } from './migration-plan.js';
import type { PlanRun } from './plan-policy.js';
import type { ResolvedRun } from './resolve.js';
import { followTask } from './follow-task.js';
import { runRequest } from './start-task.js';
import { startTask } from './task-api.js';
import { lastLines, taskLogs } from './task-logs.js';
import { judge } from './verdict.js';

/**
 * `migrate --plan` as a one-off task on the same revision, network and launch settings as the migration itself,
 * for one database; its log lines are collected (not streamed) and read as Django's plan.
 */

/** `python manage.py migrate --noinput` -> `python manage.py migrate --noinput --plan`. */
export function planCommand(command: readonly string[]): string[] {
  return command.includes('--plan') ? [...command] : [...command, '--plan'];
}

export async function runPlanTask(
  ecs: ECSClient,
  aws: AwsClientConfig,
  inputs: MigrationInputs,
  { resolved, definition, database }: { resolved: ResolvedRun; definition: TaskDefinitionJson; database?: string },
  signal: AbortSignal,
): Promise<PlanRun> {
  const environment: KeyValue[] = database
    ? [
        ...inputs.environment.filter((pair) => pair.name !== 'DATABASE_NAME'),
        { name: 'DATABASE_NAME', value: database },
      ]
    : inputs.environment;
  const label = database ?? '';
  const request = runRequest({ ...inputs, command: planCommand(inputs.command), environment }, resolved, definition);
  const startedAt = now();
  const started = await startTask(ecs, request);
  const unknown = (failure: string, lines: string[] = [], taskId?: string): PlanRun => ({
    database: label,
    plan: { readable: false, reason: failure, migrations: [] },
    lines,
    failure,
    ...(taskId ? { taskId } : {}),
  });
  if ('failures' in started) return unknown(`the plan task did not start: ${started.failures.join('; ')}`);
  const { taskArn } = started.task;
  const taskId = taskIdOf(taskArn);
  const lines: string[] = [];
  const logs = taskLogs(aws, resolved.container, taskId, true, (line) => lines.push(line.replace(/\r?\n$/, '')));
  const { waited, settled, stopWanted } = await followTask(
    ecs,
    inputs,
    { taskArn, startedAt, tail: logs.tail },
    signal,
  );
  const container = resolved.container.name;
  const verdictInput = { waited, settled, container, essentialContainers: resolved.essentialContainers, stopWanted };
  const verdict = judge({ ...verdictInput, label: 'Migration plan', lastLines: [] });
  if (!verdict.ok) {
    const last = logs.tail ? lines : await lastLines(aws, logs);
    return unknown(verdict.reason, last, taskId);
  }
  return { database: label, plan: parsePlan(lines), lines, taskId };
}
