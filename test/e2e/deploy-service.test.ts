import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTaskDefinitionCommand, type ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { Simulator } from '../../sandbox/sim/model.js';
import { SEED } from '../../sandbox/sim/seed.js';
import { runBundle, startBundle, type BundleOptions, type BundleResult } from '../../sandbox/run-bundle.js';
import { type TaskDefinitionJson } from '../../lib/ecs/task-definitions.js';
import {
  registerRevision,
  serviceRevisionArn,
  setDeregistrationDelay,
  startDeployment,
} from '../support/seeded-service.js';
import { describeService } from '../support/sim-clients.js';
import { waitFor } from '../support/wait-for.js';
import { useSeededSim } from '../support/sim-fixtures.js';

/** deploy-service through its bundle, against the ECS simulator seeded with the StartupWebApp service. */

const { cluster: CLUSTER, service: SERVICE, serviceFamily: FAMILY } = SEED;
const rev = serviceRevisionArn;
const POLL = 0.1;
const BASE = { cluster: CLUSTER, service: SERVICE, 'poll-interval-seconds': String(POLL), 'timeout-minutes': '1' };

const seeded = useSeededSim('each');
let sim: Simulator;
let ecs: ECSClient;
beforeEach(() => {
  ({ sim, ecs } = seeded);
});

function deploy(inputs: Record<string, string>, options: BundleOptions = {}): Promise<BundleResult> {
  return runBundle('deploy-service', { env: sim.env(), timeoutMs: 90_000, ...options, inputs: { ...BASE, ...inputs } });
}

/** Someone else's deployment of `image`, started directly with the SDK; returns its id. */
async function othersDeploy(image: string): Promise<string> {
  return startDeployment(ecs, await registerRevision(ecs, FAMILY, { image }));
}

/** A deploy of a never-starting image, cancelled with `signal` once its deployment started. */
async function cancelledDeploy(signal: NodeJS.Signals, inputs: Record<string, string> = {}): Promise<BundleResult> {
  sim.images.define('app:slow', { startSeconds: 100_000 });
  const running = startBundle('deploy-service', {
    env: sim.env(),
    inputs: { ...BASE, image: 'app:slow', ...inputs },
    timeoutMs: 90_000,
  });
  await running.waitForLine(/Deployment ecs-svc\/\d+ of .* started/);
  running.signal(signal);
  return running.result;
}

const service = () => describeService(ecs);

/** When the simulator recorded `deploymentId` reaching `state` (real epoch ms). */
function reached(deploymentId: string, state: string): number | undefined {
  return sim.timeline.find((e) => e.kind === 'deployment' && e.subject === deploymentId && e.value === state)?.at;
}

function exitedAt(result: BundleResult, startedAt: number): number {
  return startedAt + result.durationMs;
}

/** DescribeServices calls made at or after `at` (real epoch ms); read before the test describes the service itself. */
function pollsSince(at: number): number {
  return sim.calls('DescribeServices').filter((request) => request.at >= at).length;
}

/** Wall time from the action's first AWS request to its exit: the part that timeouts bound (not Node's start-up). */
function sinceFirstRequest(result: BundleResult, startedAt: number): number {
  const first = sim.requests.find((request) => request.at >= startedAt)!;
  return exitedAt(result, startedAt) - first.at;
}

it('rolls out a new image to 2 tasks, prints events and progress, and passes the health check', async () => {
  const result = await deploy({
    image: 'app:v2',
    environment: 'FEATURE_FLAG=on\nPAYMENT_API_TOKEN=tok-very-secret-123',
    'health-check-url': sim.albUrl(CLUSTER, SERVICE),
  });
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  // Success is seen by the first poll after the simulator marked the deployment COMPLETED: no poll after it.
  expect(pollsSince(reached(result.outputs['deployment-id']!, 'COMPLETED')!)).toBeLessThanOrEqual(1);
  expect(result.outputs).toMatchObject({
    status: 'COMPLETED',
    'task-definition-arn': rev(2),
    revision: '2',
    'previous-task-definition-arn': rev(1),
    'deployment-id': expect.stringMatching(/^ecs-svc\/\d{19}$/),
  });
  const id = result.outputs['deployment-id']!;
  expect(Number(result.outputs['duration-seconds'])).toBeGreaterThan(0);
  const lines = result.lines.join('\n');
  expect(lines).toContain('2/2 running, 0 pending, 0 failed · rollout COMPLETED');
  expect(lines).toMatch(/event: \(service startupwebapp-service\) has started 2 tasks/);
  expect(lines).toContain(`(deployment ${id}) deployment completed.`);
  expect(lines).toMatch(/\/order\/products answered 200/);
  expect(lines).toContain('Secrets of web (references, values not read): DATABASE_PASSWORD');
  // Each event once.
  const completedEvents = result.lines.filter((l) => l.includes(`(deployment ${id}) deployment completed.`));
  expect(completedEvents).toHaveLength(1);
  // The secret-looking value is masked and never printed or summarised.
  expect(result.masks).toContain('tok-very-secret-123');
  expect(result.lines.join('\n')).not.toContain('tok-very-secret-123');
  expect(result.summary).not.toContain('tok-very-secret-123');
  expect(result.summary).toContain('- container web: environment PAYMENT_API_TOKEN added');
  expect(result.summary).toMatch(/startupwebapp-service-task:1 → startupwebapp-service-task:2/);
  expect(result.summary).toContain('### Timeline');
  expect((await service()).taskDefinition).toBe(rev(2));
  // Behind startupwebapp-tg, new and old targets are told apart without looking up a task: no task calls at all.
  expect(lines).toMatch(/startupwebapp-tg: new 2\/2 healthy · old 2 draining/);
  expect(sim.calls('ListTasks')).toEqual([]);
  expect(sim.calls('DescribeTasks')).toEqual([]);
});

describe('wait-until (issue 16): the service is behind startupwebapp-tg, 300 s deregistration delay', () => {
  /** When the last target of `deploymentId` turned healthy in the target group (real epoch ms). */
  const lastHealthy = (deploymentId: string) =>
    Math.max(
      ...sim.timeline
        .filter((e) => e.kind === 'target' && e.value === 'healthy' && e.detail === deploymentId)
        .map((e) => e.at),
    );

  it('serving: returns once the new tasks serve all traffic, before ECS completes, and reports the drain', async () => {
    const started = Date.now();
    const result = await deploy({ image: 'app:v2', 'wait-until': 'serving' });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('SERVING');
    const id = result.outputs['deployment-id']!;
    const exited = exitedAt(result, started);
    // Within one poll (+ 1 s of exit) of the last new target turning healthy; ECS had not completed yet.
    expect(exited - lastHealthy(id)).toBeLessThan(POLL * 1000 + 1000);
    expect(reached(id, 'COMPLETED') ?? Number.MAX_SAFE_INTEGER).toBeGreaterThan(exited - 200);
    const lines = result.lines.join('\n');
    expect(lines).toContain(
      'Target group startupwebapp-tg: /order/products every 30 s, healthy after 2, unhealthy after 3, expects 200; deregistration delay 300 s',
    );
    expect(lines).toMatch(/startupwebapp-tg: new 0\/2 healthy, 2 initial · old 2 in service/);
    expect(lines).toMatch(/startupwebapp-tg: new 2\/2 healthy · old 2 draining \(about 5m left of 5m\)/);
    expect(lines).toMatch(
      new RegExp(
        `Deployment ${id} of startupwebapp-service-task:2: the new revision serves all traffic; the old tasks drain for about \\d+m( \\d+s)? more \\(deregistration delay 300 s, until \\d\\d:\\d\\d:\\d\\d UTC\\), then ECS stops them and marks deployment ${id} COMPLETED \\(not waited for: wait-until serving\\)`,
      ),
    );
    expect(lines).toMatch(
      /Advice: Draining old tasks takes 5m of this 5m\S* rollout: startupwebapp-tg's deregistration delay is 300 s \(ELB's default\)/,
    );
    expect(result.summary).toContain('## ✅ Deploy startupwebapp-service: SERVING');
    expect(result.summary).toContain('### Where the time went');
    expect(result.summary).toMatch(/\| New revision serves all traffic \| \d\d:\d\d:\d\d \|/);
    expect(result.summary).toMatch(/\| Old tasks drained \(expected\) \|/);
    expect(result.summary).toContain('```mermaid\ngantt');
    // ECS carries on draining, then completes the deployment on its own.
    await waitFor(async () => (reached(id, 'COMPLETED') ? true : undefined), 20_000);
    expect(sim.calls('DescribeTargetHealth').every((c) => c.service === 'elasticloadbalancing')).toBe(true);
    // SERVING rests on which targets are ours: their tasks were looked up once, just before saying so.
    expect(sim.calls('ListTasks').map((c) => (c.input as { desiredStatus?: string }).desiredStatus)).toEqual([
      'RUNNING',
    ]);
    expect(sim.calls('DescribeTasks')).toHaveLength(1);
  });

  it('completed: still waits for ECS to complete, after the drain', async () => {
    const started = Date.now();
    const result = await deploy({ image: 'app:v2', 'wait-until': 'completed' });
    expect(result.outputs.status).toBe('COMPLETED');
    const id = result.outputs['deployment-id']!;
    const exited = exitedAt(result, started);
    expect(exited).toBeGreaterThanOrEqual(reached(id, 'COMPLETED')!);
    // The drain (300 s at timeScale 0.005: 1.5 s) came between the last healthy target and the exit.
    expect(exited - lastHealthy(id)).toBeGreaterThan(1400);
    expect(result.summary).toMatch(/\| Old tasks drained \| \d\d:\d\d:\d\d \|/);
    expect(result.summary).toMatch(/\| COMPLETED \| \d\d:\d\d:\d\d \|/);
  });

  it('serving: the circuit breaker still fails the deployment fast, with the crash evidence', async () => {
    sim.images.define('app:crashing', { crashAfterSeconds: 5, exitCode: 3, logLines: ['ImportError: serving'] });
    const started = Date.now();
    const result = await deploy({ image: 'app:crashing', 'wait-until': 'serving' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('ROLLED_BACK');
    const id = result.outputs['deployment-id']!;
    expect(exitedAt(result, started) - reached(id, 'FAILED')!).toBeLessThan(POLL * 1000 + 1000);
    const log = result.lines.join('\n');
    expect(log).toMatch(/stopped \(EssentialContainerExited\): Essential container in task exited/);
    expect(log).toContain('ImportError: serving');
  });
});

it('fails as soon as the circuit breaker starts rolling back, before ECS finishes, with the crash log lines', async () => {
  sim.images.define('app:crashing', {
    crashAfterSeconds: 5,
    exitCode: 3,
    logLines: [
      'Booting gunicorn',
      'Traceback (most recent call last):',
      'ImportError: cannot import name settings_production',
    ],
  });
  const result = await deploy({ image: 'app:crashing' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('ROLLED_BACK');
  const id = result.outputs['deployment-id']!;
  const failedAt = reached(id, 'FAILED')!;
  expect(failedAt).toBeDefined();
  // The first poll that saw FAILED ended the watch: the step did not wait for ECS's rollback to finish.
  expect(pollsSince(failedAt)).toBeLessThanOrEqual(1);
  const rollback = (await service()).deployments!.find((d) => d.status === 'PRIMARY')!;
  expect(rollback.taskDefinition).toBe(rev(1));
  expect(result.errors[0]?.message).toContain('ECS is rolling back to startupwebapp-service-task:1');

  const log = result.lines.join('\n');
  expect(log).toMatch(/stopped \(EssentialContainerExited\): Essential container in task exited/);
  expect(log).toMatch(/container web: exited with code 3/);
  expect(log).toContain('ImportError: cannot import name settings_production');
  expect(result.errors[0]?.title).toBe('Deployment ROLLED_BACK');
  expect(result.errors[0]?.message).toMatch(/circuit breaker/);
  expect(result.errors[0]?.message).toContain('ImportError: cannot import name settings_production');
  expect(result.summary).toContain('ImportError: cannot import name settings_production');
  expect(result.summary).toContain('Stopped tasks of this deployment');
  // Each stopped task described once.
  const headlines = result.lines.filter((l) => /Task \w+ stopped/.test(l)).map((l) => /Task (\w+)/.exec(l)![1]);
  expect(new Set(headlines).size).toBe(headlines.length);
  // And asked of ECS once: no task is described twice in the run, and only tasks that stopped are.
  const described = sim
    .calls('DescribeTasks')
    .filter((c) => c.status === 200)
    .flatMap((c) => (c.input as { tasks: string[] }).tasks.map((arn) => arn.slice(arn.lastIndexOf('/') + 1)));
  expect(described.length).toBeGreaterThan(0);
  expect(new Set(described).size).toBe(described.length);
  expect([...described].sort()).toEqual([...headlines].sort());
});

it('with on-failure: rollback, waits for the circuit breaker rollback instead of starting another', async () => {
  sim.images.define('app:crashing', { crashAfterSeconds: 5 });
  const result = await deploy({ image: 'app:crashing', 'on-failure': 'rollback' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('ROLLED_BACK');
  const log = result.lines.join('\n');
  expect(log).toMatch(/ECS is already rolling back \(deployment ecs-svc\/\d+\); waiting for it to finish/);
  expect(log).toMatch(/ECS rolled back with deployment ecs-svc\/\d+: COMPLETED/);
  expect(sim.calls('UpdateService')).toHaveLength(1);
  const after = await service();
  expect(after.taskDefinition).toBe(rev(1));
  expect(after.deployments!.map((d) => d.rolloutState)).toEqual(['COMPLETED']);
});

it('with wait: false, starts the deployment, sets the outputs known so far and returns', async () => {
  sim.images.define('app:slow', { startSeconds: 100_000 });
  const before = sim.calls('DescribeServices').length;
  const result = await deploy({ image: 'app:slow', wait: 'false' });
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({ 'task-definition-arn': rev(2), 'deployment-id': expect.any(String) });
  expect(result.outputs.status).toBeUndefined();
  expect(result.summary).toContain('STARTED (not waited for)');
  expect(sim.calls('DescribeServices').length - before).toBeLessThanOrEqual(2);
});

it('explains tasks that cannot pull their image', async () => {
  sim.images.define('app:missing', { pull: 'fail' });
  const result = await deploy({ image: 'app:missing' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('ROLLED_BACK');
  expect(result.lines.join('\n')).toMatch(/stopped \(TaskFailedToStart\): CannotPullContainerError: .*app:missing/);
});

it('without a circuit breaker, fails fast on failing health checks and rolls back itself with on-failure: rollback', async () => {
  await ecs.send(
    new UpdateServiceCommand({
      cluster: CLUSTER,
      service: SERVICE,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } },
    }),
  );
  sim.images.define('app:unhealthy', { health: 'unhealthy', healthCheckSeconds: 5 });
  const result = await deploy({ image: 'app:unhealthy', 'on-failure': 'rollback' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('FAILED');
  const log = result.lines.join('\n');
  expect(log).toMatch(/the service has no circuit breaker/);
  expect(log).toMatch(/Task failed ELB health checks/);
  expect(log).toContain('putting the service back on startupwebapp-service-task:1');
  expect(log).toMatch(/Rolled back to startupwebapp-service-task:1 with deployment ecs-svc\/\d+: COMPLETED/);
  const after = await service();
  expect(after.taskDefinition).toBe(rev(1));
  expect(after.deployments).toHaveLength(1);
  expect(after.deployments![0]!.rolloutState).toBe('COMPLETED');
  expect(result.summary).toContain('### Rollback');
});

describe('with a health endpoint of our own', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200).end('{"status":"degraded","database":"down"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('reads a bounded part of an answer that never ends: 200 is healthy, the body is not held whole', async () => {
    const endless = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    try {
      const endlessUrl = `http://127.0.0.1:${(endless.address() as AddressInfo).port}/health`;
      const result = await deploy({
        image: 'app:v2',
        'health-check-url': endlessUrl,
        'health-check-timeout-seconds': '20',
      });
      expect(result.exitCode).toBe(0);
      expect(result.lines.join('\n')).toMatch(/200 x{100}/);
    } finally {
      endless.closeAllConnections();
      await new Promise((resolve) => endless.close(resolve));
    }
  });

  it('fails with HEALTH_CHECK_FAILED when the URL stays unhealthy after the rollout completes', async () => {
    const result = await deploy({ image: 'app:v2', 'health-check-url': url, 'health-check-timeout-seconds': '1' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('HEALTH_CHECK_FAILED');
    expect(result.errors[0]?.message).toMatch(/was not healthy within 1s.*last answer: 200 \{"status":"degraded"/);
    expect(result.lines.join('\n')).toContain('rollout COMPLETED');
  });
});

it('times out with the last counts and state', async () => {
  sim.images.define('app:slow', { startSeconds: 100_000 });
  const started = Date.now();
  const result = await deploy({ image: 'app:slow', 'timeout-minutes': '0.02' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('TIMED_OUT');
  expect(result.errors[0]?.message).toMatch(
    /did not finish within 1.2s \(0\/2 running, 2 pending, 0 failed · rollout IN_PROGRESS\)/,
  );
  // A safety net, not a speed test: the rollout itself would take 100,000 simulated seconds (over 8 real minutes).
  expect(sinceFirstRequest(result, started)).toBeLessThan(30_000);
});

it('waits for a deployment already in progress before deploying', async () => {
  sim.images.define('app:other', { startSeconds: 300 });
  const theirId = await othersDeploy('app:other');

  const result = await deploy({ image: 'app:v3' });
  expect(result.exitCode).toBe(0);
  expect(result.lines.join('\n')).toContain(`Waiting for deployment ${theirId}`);
  expect(result.outputs['previous-task-definition-arn']).toBe(rev(2));
  const ourUpdate = sim.calls('UpdateService').at(-1)!;
  expect(ourUpdate.at).toBeGreaterThanOrEqual(reached(theirId, 'COMPLETED')!);
});

it('registers a task-definition file with fields unknown to the code carried over and read-only ones dropped', async () => {
  const current = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: FAMILY }));
  const file = structuredClone(current.taskDefinition) as TaskDefinitionJson;
  file.containerDefinitions![0]!.image = 'app:rendered';
  (file.containerDefinitions![0] as Record<string, unknown>).restartPolicy = {
    enabled: true,
    restartAttemptPeriod: 60,
  };
  file.futureTopLevelSetting = { mode: 'shiny' };
  const dir = mkdtempSync(join(tmpdir(), 'deploy-td-'));
  writeFileSync(join(dir, 'task-definition.json'), JSON.stringify({ taskDefinition: file }, null, 2));

  const result = await deploy({ 'task-definition': 'task-definition.json' }, { cwd: dir });
  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('COMPLETED');
  const sent = sim.calls('RegisterTaskDefinition').at(-1)!.input as Record<string, unknown>;
  expect(sent.taskDefinitionArn).toBeUndefined();
  expect(sent.revision).toBeUndefined();
  expect(sent.compatibilities).toBeUndefined();
  expect(sent.futureTopLevelSetting).toEqual({ mode: 'shiny' });
  expect((sent.containerDefinitions as Array<Record<string, unknown>>)[0]!.restartPolicy).toEqual({
    enabled: true,
    restartAttemptPeriod: 60,
  });
  expect((await service()).taskDefinition).toBe(result.outputs['task-definition-arn']);
});

it('reaches the same result with 20 % of requests throttled or failing with 500', async () => {
  sim.images.define('app:v2', { startSeconds: 300 });
  sim.faults.set({ throttleRate: 0.1, serverErrorRate: 0.1, seed: 7 });
  const result = await deploy({ image: 'app:v2' });
  sim.faults.clear();
  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('COMPLETED');
  expect(sim.requests.some((r) => r.errorCode === 'ThrottlingException')).toBe(true);
  expect(sim.requests.some((r) => r.status === 500)).toBe(true);
  expect(sim.requests.length).toBeGreaterThan(15);
  expect(sim.calls('RegisterTaskDefinition').filter((r) => r.status === 200)).toHaveLength(1);
  expect((await service()).taskDefinition).toBe(rev(2));
});

describe('bad input fails before anything is registered', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-bad-'));
  writeFileSync(join(dir, 'broken.json'), '{"family": ');
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['an unknown cluster', { cluster: 'nope', image: 'app:v2' }, /cluster 'nope' was not found/],
    ['an unknown service', { service: 'nope', image: 'app:v2' }, /service 'nope' was not found/],
    ['a container not in the task definition', { image: 'app:v2', container: 'worker' }, /'container' names 'worker'/],
    ['an unreadable file', { 'task-definition': 'missing.json' }, /cannot read 'missing.json'/],
    ['invalid JSON', { 'task-definition': 'broken.json' }, /'broken.json' is not valid JSON/],
    ['both image and file', { image: 'app:v2', 'task-definition': 'broken.json' }, /both given/],
    ['neither image nor file', {}, /Set input 'image'/],
    ['an out-of-range timeout', { image: 'app:v2', 'timeout-minutes': '721' }, /'timeout-minutes'/],
    ['a URL that is not http(s)', { image: 'app:v2', 'health-check-url': 'file:///etc/passwd' }, /'health-check-url'/],
  ];
  it.each(cases)('%s', async (_name, inputs, message) => {
    const result = await deploy(inputs, { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(message);
    expect(result.errors[0]!.message.split('\n')).toHaveLength(1);
    expect(sim.calls('RegisterTaskDefinition')).toEqual([]);
    expect(sim.calls('UpdateService')).toHaveLength(0);
  });
});

it('stops waiting on SIGTERM, keeping the outputs and saying what is left running and how to undo it', async () => {
  const result = await cancelledDeploy('SIGTERM');
  expect(result.exitCode).toBe(1);
  expect(result.errors.map((e) => e.message)).toContain('Cancelled by SIGTERM');
  expect(result.outputs['deployment-id']).toMatch(/^ecs-svc\//);
  const left = result.warnings.find((w) => w.title === 'Cancelled: what is left running');
  expect(left?.message).toContain(
    `Deployment ${result.outputs['deployment-id']} of startupwebapp-service-task:2 carries on in ECS`,
  );
  expect(left?.message).toContain(`--task-definition ${rev(1)}`);
  expect(result.summary).toContain('Deploy startupwebapp-service: CANCELLED');
  expect(result.summary).toContain('### Left running');
  // Nothing was undone: with on-failure: fail the deployment is left to ECS.
  expect(sim.calls('UpdateService')).toHaveLength(1);
  expect((await service()).taskDefinition).toBe(rev(2));
});

it('with on-failure: rollback, puts the previous revision back when cancelled mid-rollout', async () => {
  const result = await cancelledDeploy('SIGINT', { 'on-failure': 'rollback' });
  expect(result.exitCode).toBe(1);
  expect(result.errors.map((e) => e.message)).toContain('Cancelled by SIGINT');
  const updates = sim.calls('UpdateService');
  expect(updates).toHaveLength(2);
  expect((updates[1]!.input as { taskDefinition?: string }).taskDefinition).toBe(rev(1));
  const rollback = (await service()).deployments!.find((d) => d.status === 'PRIMARY')!;
  expect(rollback.taskDefinition).toBe(rev(1));
  const left = result.warnings.find((w) => w.title === 'Cancelled: what is left running');
  expect(left?.message).toContain(`put the service back on startupwebapp-service-task:1 (deployment ${rollback.id})`);
});

it('bounds the whole wait by timeout-minutes: waiting for idle leaves less time for our own rollout', async () => {
  sim.images.define('app:other', { held: true });
  sim.images.define('app:slow', { startSeconds: 100_000 });
  // Once released, the other deployment must finish within the time left: its old tasks drain for 10 s, not 300 s.
  await setDeregistrationDelay(sim, 10);
  await othersDeploy('app:other');

  // 6 s in all; the other deployment is held in flight until the action has polled it 20 times (2 s at 0.1 s, longer
  // on a loaded machine: 6 s leave room for that and still tell the two ways of counting apart).
  const started = Date.now();
  const running = startBundle('deploy-service', {
    env: sim.env(),
    inputs: { ...BASE, image: 'app:slow', 'timeout-minutes': '0.1' },
    timeoutMs: 90_000,
  });
  await running.waitForLine(/Waiting for deployment/);
  const waitingFrom = Date.now();
  await waitFor(async () => (pollsSince(waitingFrom) >= 20 ? true : undefined));
  sim.images.release('app:other');
  const result = await running.result;
  expect(result.outputs.status).toBe('TIMED_OUT');
  expect(result.errors[0]?.message).toMatch(/did not finish within 6s/);
  // Counted from the action's first request (Node's start-up is not the action's to bound): the 6 s cover the wait for
  // the other deployment too, where a fresh 6 s after it would end at least 8 s after the first request.
  expect(sinceFirstRequest(result, started)).toBeLessThan(6000 + 1500);
});

describe('with temporary credentials from a container credentials endpoint on loopback', () => {
  let server: Server;
  let url: string;
  let served = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      served++;
      const expiration = new Date(Date.now() + 20 * 60_000).toISOString();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ AccessKeyId: 'ASIATEST', SecretAccessKey: 'secret', Token: 'token', Expiration: expiration }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('warns at the start when they expire before timeout-minutes could run out', async () => {
    const env = {
      ...sim.env(),
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: url,
    };
    const result = await deploy({ image: 'app:v2', 'timeout-minutes': '30' }, { env });
    expect(served).toBeGreaterThan(0);
    expect(result.exitCode).toBe(0);
    const warning = result.warnings.find((w) => w.title === 'Credentials expire before the timeout');
    expect(warning?.message).toMatch(/expire at .* \(in (19m \d+s|20m)\), before the 30m this step may wait/);
    expect(result.lines.findIndex((l) => l.includes('Registered'))).toBeGreaterThanOrEqual(0);
    expect(result.stdout.indexOf('Credentials expire')).toBeLessThan(result.stdout.indexOf('Registered'));
  });

  it('stays quiet when they outlast the wait', async () => {
    const env = { ...sim.env(), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
    const result = await deploy(
      { image: 'app:v2', 'timeout-minutes': '10' },
      { env: { ...env, AWS_CONTAINER_CREDENTIALS_FULL_URI: url } },
    );
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([]);
  });
});
