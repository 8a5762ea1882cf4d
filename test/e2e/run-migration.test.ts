import { DescribeTasksCommand, type ECSClient, type RunTaskCommandInput } from '@aws-sdk/client-ecs';
import type { Simulator } from '../../sandbox/sim/model.js';
import { SEED } from '../../sandbox/sim/seed.js';
import { startBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import { describeTaskDefinition, registerTaskDefinition } from '../../lib/ecs/task-definition-api.js';
import { startSim, stopSim } from '../support/sim-clients.js';
import { useSeededSim } from '../support/sim-fixtures.js';
import { waitFor } from '../support/wait-for.js';

/** run-migration through its bundle against the sandbox, with simulated minutes taking about a second. */

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend';
const seeded = useSeededSim('all', undefined, { timeScale: 0.01 });
let sim: Simulator;
let ecs: ECSClient;
beforeAll(() => ({ sim, ecs } = seeded));

const base = {
  cluster: SEED.cluster,
  'task-definition': SEED.migrationFamily,
  service: SEED.service,
  'poll-interval-seconds': 0.05,
};

function run(inputs: Record<string, string | number | undefined>): Promise<BundleResult> {
  return start(inputs).result;
}

/** The bundle running in the background, for tests that signal it or change the sandbox mid-run. */
function start(inputs: Record<string, string | number | undefined>) {
  return startBundle('run-migration', { inputs: { ...base, ...inputs }, env: sim.env(), timeoutMs: 90_000 });
}

function runTaskCalls(): RunTaskCommandInput[] {
  return sim.calls('RunTask').map((call) => call.input as RunTaskCommandInput);
}

async function describe1(taskArn: string) {
  const response = await ecs.send(new DescribeTasksCommand({ cluster: SEED.cluster, tasks: [taskArn] }));
  return response.tasks![0]!;
}

const numbered = (result: BundleResult, total: number) =>
  result.lines.filter((line) => new RegExp(`^line \\d+ of ${total}$`).test(line));
const expectedLines = (from: number, to: number, total: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i} of ${total}`);

test('success: every one of 10,000 log lines printed once and in order, including the last ones', async () => {
  sim.images.define(`${REPO}:big`, { commands: { '*': { logLines: 10_000, exitCode: 0, runSeconds: 60 } } });
  const result = await run({ image: `${REPO}:big`, environment: 'DATABASE_NAME=healthtech_experiment' });
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(numbered(result, 10_000)).toEqual(expectedLines(1, 10_000, 10_000));
  expect(result.outputs['exit-code']).toBe('0');
  expect(result.outputs['task-id']).toMatch(/^[0-9a-f]+$/);
  expect(result.outputs['log-group']).toBe(SEED.migrationLogGroup);
  expect(result.outputs['log-stream']).toBe(`migration/migration/${result.outputs['task-id']}`);
  expect(result.outputs['log-url']).toContain('$252Fecs$252Fstartupwebapp-migrations');
  expect(Number(result.outputs['duration-seconds'])).toBeGreaterThan(0);
  expect(result.summary).toContain('Migration on healthtech_experiment succeeded');
  expect(result.summary).toContain(`${REPO}:big`);
  const call = runTaskCalls().at(-1)!;
  expect(call.overrides?.containerOverrides).toEqual([
    {
      name: 'migration',
      command: ['python', 'manage.py', 'migrate', '--noinput'],
      environment: [{ name: 'DATABASE_NAME', value: 'healthtech_experiment' }],
    },
  ]);
  expect(call.startedBy).toBe('gha/bartgottschalk_startup_web_app_server_side/4242/1');
  expect(call.tags).toEqual(
    expect.arrayContaining([
      { key: 'github:run-id', value: '4242' },
      { key: 'github:repository', value: 'bartgottschalk/startup_web_app_server_side' },
      { key: 'github:sha', value: '0123456789abcdef0123456789abcdef01234567' },
    ]),
  );
});

test('exit code 1: fails with the code and the last 50 log lines in the annotation and summary', async () => {
  sim.images.define(`${REPO}:broken`, { commands: { '*': { logLines: 80, exitCode: 1, runSeconds: 5 } } });
  const result = await run({ image: `${REPO}:broken`, environment: 'DATABASE_PASSWORD=hunter2-secret' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs['exit-code']).toBe('1');
  const [error] = result.errors;
  expect(result.errors).toHaveLength(1);
  expect(error?.title).toBe('Migration failed');
  expect(error?.message.split('\n')[0]).toBe('Container migration exited with code 1');
  expect(error?.message).toContain(['Last 50 log lines:', ...expectedLines(31, 80, 80)].join('\n'));
  expect(error?.message).not.toContain('line 30 of 80');
  expect(result.summary).toContain('## Migration failed'); // no DATABASE_NAME: the task definition sets none, as today's
  expect(result.summary).toContain('line 80 of 80');
  // secret-looking override values are masked, and never printed or summarised in clear
  expect(result.masks).toContain('hunter2-secret');
  expect(result.lines.join('\n')).not.toContain('hunter2-secret');
  expect(result.summary).not.toContain('hunter2-secret');
});

test('an image that cannot be pulled: the stopped reason and container reason, as a failure to start', async () => {
  sim.images.define(`${REPO}:missing`, { pull: 'fail' });
  // Not verified first (verify.test.ts has that): the task is started and cannot pull, as on AWS.
  const result = await run({ image: `${REPO}:missing`, verify: 'false' });
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]?.title).toBe('Migration task failed to start');
  expect(result.errors[0]?.message).toMatch(
    /^The task failed to start: CannotPullContainerError: .*startupwebapp-backend:missing: not found/,
  );
  expect(result.outputs['exit-code']).toBeUndefined();
  expect(result.outputs['stopped-reason']).toMatch(/^CannotPullContainerError/);
  expect(result.summary).toContain('TaskFailedToStart');
});

test('RunTask failures are printed and fail the run', async () => {
  sim.images.define(`${REPO}:nomem`, { placementFailure: 'RESOURCE:MEMORY' });
  const result = await run({ image: `${REPO}:nomem` });
  expect(result.exitCode).toBe(1);
  expect(result.lines.some((line) => line.startsWith('RunTask failure: RESOURCE:MEMORY'))).toBe(true);
  expect(result.errors[0]?.message).toMatch(/^RunTask did not start the task: RESOURCE:MEMORY/);
  expect(result.summary).toContain('RESOURCE:MEMORY');
});

test('timeout: the task is stopped with a reason naming the run, and the run fails saying how long and in what state', async () => {
  sim.images.define(`${REPO}:slow`, { commands: { '*': { logLines: 100_000, exitCode: 0, runSeconds: 100_000 } } });
  // 6 s: time enough for the task to be RUNNING by then even on a busy machine.
  const result = await run({ image: `${REPO}:slow`, 'timeout-minutes': 0.1 });
  expect(result.exitCode).toBe(1);
  expect(result.errors[0]?.title).toBe('Migration timed out');
  expect(result.errors[0]?.message.split('\n')[0]).toMatch(
    /^Timed out after 6(\.\d+)?s: the task was RUNNING and was stopped$/,
  );
  const stop = sim.calls('StopTask').at(-1)!.input as { task: string; reason: string };
  expect(stop.task).toBe(result.outputs['task-arn']);
  expect(stop.reason).toMatch(
    /^Timed out after 0\.1 minutes: stopped by GitHub Actions workflow 'Deploy to production' run 4242/,
  );
  const task = await describe1(result.outputs['task-arn']!);
  expect(task.desiredStatus).toBe('STOPPED');
  expect(task.stopCode).toBe('UserInitiated');
});

test('timeout: exit-code is the code the container stopped with, never one reported while it ran', async () => {
  // The container reports exitCode 0 while RUNNING (as an emulator did): the stopped task's 143 is the output.
  sim.images.define(`${REPO}:early-zero`, {
    exitCodeWhileRunning: 0,
    commands: { '*': { logLines: 10, exitCode: 0, runSeconds: 100_000 } },
  });
  const result = await run({ image: `${REPO}:early-zero`, 'timeout-minutes': 0.02 });
  expect(result.exitCode).toBe(1);
  expect(result.errors[0]?.message.split('\n')[0]).toMatch(
    /^Timed out after [\d.]+s: the task was RUNNING and was stopped$/,
  );
  expect(result.outputs['exit-code']).toBe('143');
  expect(result.summary).toContain('| **Exit code** | 143 |');

  // One that ignores SIGTERM is killed after its stop timeout (2 simulated minutes here): 137.
  const described = await describeTaskDefinition(ecs, SEED.migrationFamily);
  await registerTaskDefinition(ecs, {
    ...described.definition,
    family: 'stubborn-migration',
    containerDefinitions: [{ ...described.definition.containerDefinitions![0]!, stopTimeout: 120 }],
  });
  sim.images.define(`${REPO}:stubborn`, {
    exitCodeWhileRunning: 0,
    ignoresSigterm: true,
    commands: { '*': { logLines: 10, exitCode: 0, runSeconds: 100_000 } },
  });
  const killed = await run({
    'task-definition': 'stubborn-migration',
    image: `${REPO}:stubborn`,
    'timeout-minutes': 0.02,
  });
  expect(killed.outputs['exit-code']).toBe('137');
  expect(killed.summary).toContain('| **Exit code** | 137 |');
});

test('cancel: a container still stopping when the action ends gives no exit-code (not the 0 it reported while running)', async () => {
  // A slower clock, so the 2-minute stop timeout outlasts the 5 s the action waits for STOPPED after a cancel.
  const slowContext = await startSim({ timeScale: 0.1 });
  const { sim: slow, ecs: slowEcs } = slowContext;
  try {
    await slow.seedStartupWebApp();
    const described = await describeTaskDefinition(slowEcs, SEED.migrationFamily);
    await registerTaskDefinition(slowEcs, {
      ...described.definition,
      family: 'stubborn-migration',
      containerDefinitions: [{ ...described.definition.containerDefinitions![0]!, stopTimeout: 120 }],
    });
    slow.images.define(`${REPO}:stubborn`, {
      exitCodeWhileRunning: 0,
      ignoresSigterm: true,
      commands: { '*': { logLines: 100_000, exitCode: 0, runSeconds: 100_000 } },
    });
    const running = startBundle('run-migration', {
      inputs: {
        ...base,
        'task-definition': 'stubborn-migration',
        image: `${REPO}:stubborn`,
        'poll-interval-seconds': 0.5,
      },
      env: slow.env(),
      timeoutMs: 90_000,
    });
    await running.waitForLine(/^line \d+ of 100000$/);
    running.signal('SIGTERM');
    const result = await running.result;
    expect(result.errors[0]?.message.split('\n')[0]).toMatch(
      /^Cancelled after [\d.]+s: the task was RUNNING and was told to stop \((DEACTIVATING|STOPPING) when the action ended\)$/,
    );
    expect(result.outputs['exit-code']).toBeUndefined();
    expect(result.summary).not.toContain('Exit code');
  } finally {
    await stopSim(slowContext);
  }
});

test('SIGTERM (a cancelled run): the task is stopped within seconds, final log lines printed, exit non-zero', async () => {
  sim.images.define(`${REPO}:cancel`, { commands: { '*': { logLines: 100_000, exitCode: 0, runSeconds: 100_000 } } });
  const running = start({ image: `${REPO}:cancel` });
  await running.waitForLine(/Task RUNNING after/); // the action has seen it RUNNING, not only its first lines
  const signalled = Date.now();
  running.signal('SIGTERM');
  const result = await running.result;
  // Within seconds, where the task would run for 1,000 more (a wide margin for a busy machine).
  expect(Date.now() - signalled).toBeLessThan(20_000);
  expect(result.exitCode).toBe(1);
  expect(result.errors.map((e) => e.title)).toEqual(['Migration cancelled']);
  expect(result.errors[0]?.message).toMatch(/^Cancelled after .*: the task was RUNNING and was stopped/);
  expect(result.errors[0]?.message).toContain('Last 50 log lines:');
  const stop = sim.calls('StopTask').at(-1)!.input as { task: string; reason: string };
  expect(stop.task).toBe(result.outputs['task-arn']);
  expect(stop.reason).toContain('Workflow run cancelled: stopped by GitHub Actions');
  expect(stop.reason).toContain(
    'https://github.com/bartgottschalk/startup_web_app_server_side/actions/runs/4242/attempts/1',
  );
  const task = await describe1(result.outputs['task-arn']!);
  expect(task.desiredStatus).toBe('STOPPED');
});

test('sidecar-first task definition: judged on the only essential container, a failing sidecar noted', async () => {
  const described = await describeTaskDefinition(ecs, SEED.migrationFamily);
  const migration = described.definition.containerDefinitions![0]!;
  await registerTaskDefinition(ecs, {
    ...described.definition,
    family: 'sidecar-first-migration',
    containerDefinitions: [
      { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:sidecar', essential: false },
      { ...migration, image: `${REPO}:sidecar-ok` },
    ],
  });
  sim.images.define('public.ecr.aws/aws-observability/aws-for-fluent-bit:sidecar', {
    commands: { '*': { logLines: 0, exitCode: 3, runSeconds: 1 } },
  });
  sim.images.define(`${REPO}:sidecar-ok`, { commands: { '*': { logLines: 3, exitCode: 0, runSeconds: 10 } } });
  const result = await run({ 'task-definition': 'sidecar-first-migration' });
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(result.outputs['exit-code']).toBe('0');
  expect(runTaskCalls().at(-1)!.overrides?.containerOverrides?.[0]?.name).toBe('migration');
  expect(numbered(result, 3)).toEqual(expectedLines(1, 3, 3));
  expect(result.warnings.map((w) => w.message)).toContain(
    'Sidecar log-router exited with code 3; it does not decide the outcome',
  );
});

test('an essential sidecar that stops the task is reported as the reason; several essentials need `container`', async () => {
  const described = await describeTaskDefinition(ecs, SEED.migrationFamily);
  const migration = described.definition.containerDefinitions![0]!;
  await registerTaskDefinition(ecs, {
    ...described.definition,
    family: 'essential-sidecar-migration',
    containerDefinitions: [
      { name: 'db-proxy', image: 'example/db-proxy:crashing', essential: true },
      { ...migration, image: `${REPO}:long` },
    ],
  });
  sim.images.define('example/db-proxy:crashing', { commands: { '*': { logLines: 0, exitCode: 1, runSeconds: 5 } } });
  sim.images.define(`${REPO}:long`, { commands: { '*': { logLines: 5, exitCode: 0, runSeconds: 1_000 } } });
  const runsBefore = sim.calls('RunTask').length;
  const unnamed = await run({ 'task-definition': 'essential-sidecar-migration' });
  expect(unnamed.exitCode).toBe(1);
  expect(unnamed.errors[0]?.message).toMatch(
    /^task definition essential-sidecar-migration:1 has 2 essential containers \(db-proxy, migration\): set input 'container'/,
  );
  expect(sim.calls('RunTask').length).toBe(runsBefore);

  const result = await run({ 'task-definition': 'essential-sidecar-migration', container: 'migration' });
  expect(result.exitCode).toBe(1);
  expect(result.errors[0]?.message.split('\n')[0]).toMatch(
    /^Essential container db-proxy exited with code 1 and stopped the task; container migration was stopped/,
  );
});

test('a container without awslogs: said once, and the run carries on to its exit code', async () => {
  const described = await describeTaskDefinition(ecs, SEED.migrationFamily);
  const { logConfiguration: _unused, ...migration } = described.definition.containerDefinitions![0]!;
  await registerTaskDefinition(ecs, {
    ...described.definition,
    family: 'no-logs-migration',
    containerDefinitions: [{ ...migration, image: `${REPO}:nologs` }],
  });
  sim.images.define(`${REPO}:nologs`, { commands: { '*': { logLines: 2, exitCode: 0, runSeconds: 1 } } });
  const result = await run({ 'task-definition': 'no-logs-migration' });
  expect(result.exitCode).toBe(0);
  expect(result.warnings.filter((w) => /does not log with awslogs/.test(w.message))).toHaveLength(1);
  expect(result.outputs['exit-code']).toBe('0');
  expect(result.outputs['log-group']).toBeUndefined();
});

test('image input: registers a revision with the image, every other field kept (unknown ones too), and runs it', async () => {
  const described = await describeTaskDefinition(ecs, SEED.migrationFamily);
  const original = await registerTaskDefinition(ecs, {
    ...described.definition,
    family: 'future-fields-migration',
    restartPolicy: { enabled: false },
    someFutureField: { nested: ['kept'] },
    containerDefinitions: described.definition.containerDefinitions!.map((c) => ({ ...c, futureContainerKey: 42 })),
  });
  sim.images.define(`${REPO}:v2`, { commands: { '*': { logLines: 1, exitCode: 0, runSeconds: 1 } } });
  const result = await run({ 'task-definition': 'future-fields-migration', image: `${REPO}:v2` });
  expect(result.exitCode).toBe(0);
  const arn = result.outputs['task-definition-arn']!;
  expect(arn).toMatch(new RegExp(`task-definition/future-fields-migration:${(original.revision as number) + 1}$`));
  expect(runTaskCalls().at(-1)!.taskDefinition).toBe(arn);
  const registered = (await describeTaskDefinition(ecs, arn)).definition;
  expect(registered.restartPolicy).toEqual({ enabled: false });
  expect(registered.someFutureField).toEqual({ nested: ['kept'] });
  expect(registered.containerDefinitions?.[0]).toMatchObject({ image: `${REPO}:v2`, futureContainerKey: 42 });
  expect(registered.containerDefinitions?.[0]?.secrets).toEqual(original.containerDefinitions?.[0]?.secrets);
  expect(result.summary).toContain(`future-fields-migration:${original.revision} with the new image`);
});

test('network configuration copied from the service; explicit inputs win', async () => {
  sim.images.define(`${REPO}:net`, { commands: { '*': { logLines: 1, exitCode: 0, runSeconds: 1 } } });
  const copied = await run({ image: `${REPO}:net` });
  expect(copied.exitCode).toBe(0);
  const first = runTaskCalls().at(-1)!;
  expect(first.networkConfiguration).toEqual({
    awsvpcConfiguration: { subnets: SEED.subnets, securityGroups: SEED.securityGroups, assignPublicIp: 'DISABLED' },
  });
  expect(first.launchType).toBe('FARGATE');
  expect(first.platformVersion).toBe('LATEST');
  expect(copied.lines).toContain(
    `From service ${SEED.service}: subnets, security groups, public IP, launch type, platform version`,
  );

  const explicit = await run({
    image: `${REPO}:net`,
    subnets: 'subnet-0ffffffffffffff01',
    'assign-public-ip': 'ENABLED',
    'platform-version': '1.4.0',
  });
  expect(explicit.exitCode).toBe(0);
  expect(runTaskCalls().at(-1)!).toMatchObject({
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ['subnet-0ffffffffffffff01'],
        securityGroups: SEED.securityGroups,
        assignPublicIp: 'ENABLED',
      },
    },
    platformVersion: '1.4.0',
  });
});

test('bad inputs fail with one line naming the input, before any task is run or registered', async () => {
  const before = { run: sim.calls('RunTask').length, register: sim.calls('RegisterTaskDefinition').length };
  const cases: Array<[Record<string, string | number | undefined>, RegExp]> = [
    [{ cluster: 'no-such-cluster' }, /^Input 'cluster' names 'no-such-cluster', which was not found$/],
    [
      { 'task-definition': 'no-such-family' },
      /^Input 'task-definition': task definition 'no-such-family' was not found/,
    ],
    [{ service: 'no-such-service' }, /^Input 'service' names 'no-such-service', which was not found in cluster/],
    [
      { container: 'web' },
      /^Input 'container' names 'web', which is not in task definition startupwebapp-migration-task:\d+/,
    ],
    [{ environment: 'DATABASE_NAME healthtech' }, /^Input 'environment' line 1 must be KEY=VALUE/],
    [{ command: '{"migrate": true}' }, /^Input 'command' must be a command line or a JSON array of strings/],
    [{ 'timeout-minutes': 400 }, /^Input 'timeout-minutes' must be a number between 0.01 and 360, got '400'$/],
    [{ 'task-definition': undefined, service: undefined }, /^Input 'task-definition' is required when no 'service'/],
  ];
  const results = await Promise.all(cases.map(([inputs]) => run({ image: `${REPO}:never`, ...inputs })));
  results.forEach((result, i) => {
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(cases[i]![1]);
  });
  expect(sim.calls('RunTask').length).toBe(before.run);
  expect(sim.calls('RegisterTaskDefinition').length).toBe(before.register);
});

test('fault injection (throttling and 500s on 20% of calls): the run is still complete and correct', async () => {
  sim.images.define(`${REPO}:faults`, { commands: { '*': { logLines: 1_000, exitCode: 0, runSeconds: 30 } } });
  const runsBefore = sim.calls('RunTask').filter((c) => c.status === 200).length;
  sim.faults.set({ throttleRate: 0.1, serverErrorRate: 0.1, seed: 7 });
  let result: BundleResult;
  try {
    result = await run({ image: `${REPO}:faults` }); // the default retries: max-attempts 5, adaptive
  } finally {
    sim.faults.clear();
  }
  const faulted = sim.requests.filter((r) => r.errorCode === 'ThrottlingException' || r.status >= 500);
  expect(faulted.length).toBeGreaterThan(3);
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(numbered(result, 1_000)).toEqual(expectedLines(1, 1_000, 1_000));
  expect(sim.calls('RunTask').filter((c) => c.status === 200).length).toBe(runsBefore + 1);
});

test('stop-on-timeout false: the run fails on the timeout and leaves the task running', async () => {
  sim.images.define(`${REPO}:keep`, { commands: { '*': { logLines: 10, exitCode: 0, runSeconds: 100_000 } } });
  const stopsBefore = sim.calls('StopTask').length;
  const result = await run({ image: `${REPO}:keep`, 'timeout-minutes': 0.1, 'stop-on-timeout': 'false' });
  expect(result.exitCode).toBe(1);
  expect(result.errors[0]?.message.split('\n')[0]).toMatch(
    /^Timed out after [\d.]+s: the task was RUNNING and was left running$/,
  );
  expect(sim.calls('StopTask').length).toBe(stopsBefore);
  expect((await describe1(result.outputs['task-arn']!)).desiredStatus).toBe('RUNNING');
});

test('a task still PENDING when the timeout comes is stopped, and the reason says it never ran', async () => {
  sim.images.define(`${REPO}:stuck`, { startSeconds: 100_000 });
  const result = await run({ image: `${REPO}:stuck`, 'timeout-minutes': 0.01 });
  expect(result.exitCode).toBe(1);
  expect(result.errors[0]?.title).toBe('Migration timed out');
  expect(result.errors[0]?.message).toMatch(
    /^Timed out after [\d.]+s: the task was still (PROVISIONING|PENDING) \(it never started running\) and was stopped$/,
  );
  const task = await describe1(result.outputs['task-arn']!);
  expect(task.lastStatus).toBe('STOPPED');
  expect(task.stoppedReason).toMatch(/^Timed out after 0.01 minutes: stopped by GitHub Actions/);
  expect(result.summary).toContain('never started running');
});

test('stream-logs false: no log lines printed, yet a failure still shows the last 50', async () => {
  sim.images.define(`${REPO}:quiet`, { commands: { '*': { logLines: 60, exitCode: 2, runSeconds: 2 } } });
  const result = await run({ image: `${REPO}:quiet`, 'stream-logs': 'false' });
  expect(result.exitCode).toBe(1);
  expect(numbered(result, 60)).toEqual([]);
  expect(result.errors[0]?.message).toContain(['Last 50 log lines:', ...expectedLines(11, 60, 60)].join('\n'));
  expect(result.outputs['log-stream']).toBe(`migration/migration/${result.outputs['task-id']}`);
  expect(result.summary).toContain('line 60 of 60');
});

test('SIGINT with stop-on-cancel false: the run ends at once as cancelled and leaves the task running', async () => {
  sim.images.define(`${REPO}:sigint`, { commands: { '*': { logLines: 100_000, exitCode: 0, runSeconds: 100_000 } } });
  const stopsBefore = sim.calls('StopTask').length;
  const running = start({ image: `${REPO}:sigint`, 'stop-on-cancel': 'false' });
  // The action has seen the task RUNNING (log lines can be read before its next DescribeTasks says so).
  await running.waitForLine(/Task RUNNING after/);
  const signalled = Date.now();
  running.signal('SIGINT');
  const result = await running.result;
  // At once: no wait for the task, nor for a stop (a wide margin for a busy machine).
  expect(Date.now() - signalled).toBeLessThan(10_000);
  expect(result.exitCode).toBe(1);
  expect(result.warnings.map((w) => w.message)).toContain(
    'Received SIGINT: the workflow run was cancelled, cleaning up',
  );
  expect(result.errors[0]?.message).toMatch(/^Cancelled after [\d.]+s: the task was RUNNING and was left running/);
  expect(sim.calls('StopTask').length).toBe(stopsBefore);
  expect((await describe1(result.outputs['task-arn']!)).desiredStatus).toBe('RUNNING');
});

test('SIGINT while the runner is behind reading the log: the run still ends with its error annotation', async () => {
  const longLine = (i: number) => `${i} ${'x'.repeat(200)}`;
  const lines = Array.from({ length: 40_000 }, (_, i) => longLine(i)); // the first batch alone is ~360 KB
  sim.images.define(`${REPO}:behind`, { commands: { '*': { logLines: lines, exitCode: 0, runSeconds: 100_000 } } });
  const running = start({ image: `${REPO}:behind`, 'stop-on-cancel': 'false' });
  // The action has read the first batch and begun printing it; from here the runner falls behind: the pipe fills and the
  // action's writes wait in its buffer. (Waiting only for the task to run let SIGINT come before the first read.)
  await running.waitForLine(/ x{200}$/);
  running.child.stdout!.pause();
  running.signal('SIGINT');
  // The summary is written after the error annotation, as the last thing before the process exits.
  await waitFor(async () => (running.summarySoFar().includes('## Migration failed') ? true : undefined));
  running.child.stdout!.resume();
  const result = await running.result;
  expect(result.lines.filter((line) => line.endsWith('x'.repeat(200))).length).toBeGreaterThan(1_000); // the premise
  expect(result.exitCode).toBe(1);
  expect(result.errors.map((e) => e.title)).toEqual(['Migration cancelled']);
});

test('cancelled before the task runs: the PENDING task is stopped, and the summary says so', async () => {
  sim.images.define(`${REPO}:slowstart`, { startSeconds: 100_000 });
  const running = start({ image: `${REPO}:slowstart` });
  await running.waitForLine(/Task (PROVISIONING|PENDING)/);
  running.signal('SIGTERM');
  const result = await running.result;
  expect(result.exitCode).toBe(1);
  expect(result.errors.map((e) => e.title)).toEqual(['Migration cancelled']);
  expect(result.errors[0]?.message).toMatch(
    /the task was still (PROVISIONING|PENDING) \(it never started running\) and was stopped$/,
  );
  const task = await describe1(result.outputs['task-arn']!);
  expect(task.lastStatus).toBe('STOPPED');
  expect(task.stoppedReason).toMatch(/^Workflow run cancelled: stopped by GitHub Actions/);
  expect(result.summary).toContain('## Migration failed');
});

test('DescribeTasks failing on every poll: the run gives up watching, stops the task and says why', async () => {
  sim.images.define(`${REPO}:blind`, { commands: { '*': { logLines: 100_000, exitCode: 0, runSeconds: 100_000 } } });
  const running = start({ image: `${REPO}:blind`, 'max-attempts': 1 });
  try {
    await running.waitForLine(/Task RUNNING after/); // the action has seen it RUNNING, not only its first lines
    sim.faults.set({ serverErrorRate: 1, operations: ['DescribeTasks'] });
    const result = await running.result;
    sim.faults.clear();
    expect(result.exitCode).toBe(1);
    expect(result.errors.map((e) => e.title)).toEqual(['Migration not watched']);
    expect(result.errors[0]?.message).toMatch(
      /^Lost track of the task after [\d.]+s \(DescribeTasks failed 5 times in a row: .+\): the task was RUNNING and was told to stop/,
    );
    const stop = sim.calls('StopTask').at(-1)!.input as { task: string; reason: string };
    expect(stop.task).toBe(result.outputs['task-arn']);
    expect(stop.reason).toMatch(/^The action lost track of the task: stopped by GitHub Actions/);
  } finally {
    sim.faults.clear();
  }
});
