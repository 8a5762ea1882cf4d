import {
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  type ECSClient,
  type KeyValuePair,
} from '@aws-sdk/client-ecs';
import type { Simulator } from '../../sandbox/sim/model.js';
import { SEED } from '../../sandbox/sim/seed.js';
import { runBundle, startBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import {
  deploySettled,
  registerRevision,
  serviceRevisionArn,
  startDeployment,
  waitUntilSettled,
} from '../support/seeded-service.js';
import { describeService } from '../support/sim-clients.js';
import { useSeededSim } from '../support/sim-fixtures.js';

/**
 * The rollback bundle against the ECS simulator. Each history is made in the test setup with the real SDK
 * (register, UpdateService, wait), then the bundle runs as the runner would run it.
 */

const { cluster: CLUSTER, service: SERVICE, serviceFamily: FAMILY } = SEED;
const rev = serviceRevisionArn;
const FAST = { 'poll-interval-seconds': '0.1', 'timeout-minutes': '1' };

const seeded = useSeededSim('each');
let sim: Simulator;
let ecs: ECSClient;
beforeEach(() => {
  ({ sim, ecs } = seeded);
  sim.images.define('app:broken', { pull: 'fail' });
});

const service = () => describeService(ecs);

const register = (image: string, environment?: KeyValuePair[]) => registerRevision(ecs, FAMILY, { image, environment });
const update = (taskDefinition: string) => startDeployment(ecs, taskDefinition);
const settled = (timeoutMs = 60_000) => waitUntilSettled(ecs, timeoutMs);

const deploy = (image: string, environment?: KeyValuePair[]) => deploySettled(ecs, { image, environment });

function rollback(inputs: Record<string, string>): Promise<BundleResult> {
  return runBundle('rollback', {
    inputs: { cluster: CLUSTER, service: SERVICE, ...FAST, ...inputs },
    env: sim.env(),
    timeoutMs: 90_000,
  });
}

/** Calls that change the service, made from `since` (an index into sim.requests) on. */
function changesSince(since: number) {
  return sim.requests
    .slice(since)
    .filter((r) =>
      ['UpdateService', 'StopServiceDeployment', 'DeregisterTaskDefinition', 'RegisterTaskDefinition'].includes(
        r.operation,
      ),
    );
}

it('previous after a good deploy, a rolled-back one and a bad one returns to the good one, not the failed next-older one', async () => {
  const good = await deploy('app:good'); // :2
  await deploy('app:broken'); // :3, the circuit breaker rolls it back to :2
  expect((await service()).taskDefinition).toBe(good);
  const bad = await deploy('app:bad'); // :4, completes but is bad
  const before = sim.requests.length;

  const result = await rollback({ 'health-check-url': sim.albUrl(CLUSTER, SERVICE) });

  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({
    'from-task-definition-arn': bad,
    'to-task-definition-arn': good,
    status: 'COMPLETED',
    'deployment-id': expect.stringMatching(/^ecs-svc\/\d{19}$/),
  });
  const current = await service();
  expect(current.taskDefinition).toBe(good);
  expect(current.deployments![0]!.id).toBe(result.outputs['deployment-id']);
  const changes = changesSince(before);
  expect(changes.map((c) => c.operation)).toEqual(['UpdateService']);
  expect(changes[0]!.input).toMatchObject({ taskDefinition: good, forceNewDeployment: true });
  expect(result.summary).toContain('## Rollback of startupwebapp-service: COMPLETED');
  expect(result.summary).toContain(`skipped ${FAMILY}:3 (ROLLBACK_SUCCESSFUL)`);
  expect(result.summary).toContain('| **Image** (web) | `app:bad` | `app:good` |');
  expect(result.summary).toMatch(/\| \*\*Registered\*\* \| registered 20\d\d-/);
  expect(result.summary).toContain('### Timeline');
  expect(result.summary).toContain('deployment completed');
  expect(result.summary).toMatch(/\/order\/products answered 200/);
  // The rolling path, and when production traffic was all back: the old targets out of service, from UpdateService.
  const target = `${FAMILY}:${good.split(':').pop()!}`;
  expect(result.summary).toContain(
    `| **Path** | UpdateService: a rolling deployment started ${target}'s tasks again |`,
  );
  const traffic = new RegExp(
    `Production traffic all back on ${target} (\\d+(\\.\\d)?s|\\d+m( \\d+s)?) after UpdateService\\.`,
  );
  expect(result.summary).toMatch(new RegExp(`\\| \\*\\*Traffic back\\*\\* \\| ${traffic.source} \\|`));
  expect(result.lines.join('\n')).toMatch(traffic);
});

it('wait-until serving: returns once the target revision serves all traffic, before ECS completes', async () => {
  const good = await deploy('app:good');
  await deploy('app:next');
  const result = await rollback({ to: String(Number(good.split(':').pop())), 'wait-until': 'serving' });
  expect(result.errors).toEqual([]);
  expect(result.outputs.status).toBe('SERVING');
  const id = result.outputs['deployment-id']!;
  expect(sim.timeline.some((e) => e.kind === 'deployment' && e.subject === id && e.value === 'COMPLETED')).toBe(false);
  expect(result.lines.join('\n')).toMatch(
    /The service is back on startupwebapp-service-task:\d+: the new revision serves all traffic; the old tasks drain/,
  );
  expect(result.summary).toContain('### Where the time went');
  expect((await service()).taskDefinition).toBe(good);
});

it("a rollback whose target cannot start fails with FAILED and the stopped tasks' reasons", async () => {
  await deploy('app:good');
  await deploy('app:broken'); // :3, rolled back by ECS; asking for it explicitly is allowed
  const result = await rollback({ to: '3' });

  expect(result.exitCode).toBe(1);
  expect(result.outputs).toMatchObject({ 'to-task-definition-arn': rev(3), status: 'FAILED' });
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]!.title).toBe('Rollback failed');
  expect(result.errors[0]!.message).toMatch(/^Rollback to startupwebapp-service-task:3 failed: /);
  expect(result.errors[0]!.message).toContain('CannotPullContainerError');
  expect(result.summary).toContain('## Rollback of startupwebapp-service: FAILED');
  expect(result.warnings.map((w) => w.message)).toContainEqual(
    expect.stringMatching(
      /^startupwebapp-service-task:3 was deployed before and that deployment ended ROLLBACK_SUCCESSFUL/,
    ),
  );
  expect((await settled()).taskDefinition).toBe(rev(2));
});

it('a rollback that does not finish in time is TIMED_OUT', async () => {
  sim.images.define('app:slow', { startSeconds: 3000 });
  await deploy('app:v2');
  const slowTarget = await register('app:slow'); // :3, never deployed
  const result = await rollback({ to: String(slowTarget.split(':').pop()), 'timeout-minutes': '0.01' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('TIMED_OUT');
  expect(result.errors[0]!.title).toBe('Rollback timed out');
  expect(result.outputs['deployment-id']).toMatch(/^ecs-svc\//);
});

it('rolls back to a chosen revision, given as a number or family:revision', async () => {
  await deploy('app:v2');
  await deploy('app:v3');
  const before = sim.requests.length;

  const result = await rollback({ to: `${FAMILY}:1` });

  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({ 'to-task-definition-arn': rev(1), status: 'COMPLETED' });
  expect((await service()).taskDefinition).toBe(rev(1));
  expect(changesSince(before).map((c) => c.operation)).toEqual(['UpdateService']);
  expect(result.summary).toContain(`to: ${FAMILY}:1 — the revision asked for.`);

  const again = await rollback({ to: '3' });
  expect(again.outputs).toMatchObject({ 'to-task-definition-arn': rev(3), status: 'COMPLETED' });
  expect((await service()).taskDefinition).toBe(rev(3));
});

it('stops an in-flight deployment with a rollback when previous is what ECS would roll back to', async () => {
  const good = await deploy('app:good');
  sim.images.define('app:slow', { startSeconds: 3000 }); // 15 s at this time scale: still in flight when we act
  const slow = await register('app:slow');
  const inFlight = await update(slow);
  const before = sim.requests.length;

  const result = await rollback({});

  expect(result.errors).toEqual([]);
  expect(result.outputs).toMatchObject({
    'from-task-definition-arn': slow,
    'to-task-definition-arn': good,
    status: 'COMPLETED',
  });
  expect(result.outputs['deployment-id']).not.toBe(inFlight);
  const changes = changesSince(before);
  expect(changes.map((c) => c.operation)).toEqual(['StopServiceDeployment']);
  expect(changes[0]!.input).toMatchObject({ stopType: 'ROLLBACK' });
  const current = await service();
  expect(current.taskDefinition).toBe(good);
  expect(current.deployments).toHaveLength(1);
  expect(result.summary).toMatch(/StopServiceDeployment \S+ \(stopType ROLLBACK\)/);
  expect(result.summary).toContain(
    '| **Path** | StopServiceDeployment ROLLBACK of a rolling deployment: a rolling deployment',
  );
  expect(result.summary).toMatch(
    /\| \*\*Traffic back\*\* \| Production traffic all back on \S+ \S+ after StopServiceDeployment\. \|/,
  );
});

it('is a NOOP, changing nothing, when the target already runs (also right after a circuit-breaker rollback)', async () => {
  const good = await deploy('app:good');
  await deploy('app:broken'); // rolled back to :2 by ECS
  const before = sim.requests.length;

  const previous = await rollback({});
  expect(previous.exitCode).toBe(0);
  expect(previous.outputs).toMatchObject({
    'from-task-definition-arn': good,
    'to-task-definition-arn': good,
    status: 'NOOP',
  });
  expect(previous.lines.join('\n')).toContain(`ECS already put the service back on ${FAMILY}:2`);

  const chosen = await rollback({ to: '2' });
  expect(chosen.exitCode).toBe(0);
  expect(chosen.outputs.status).toBe('NOOP');
  expect(chosen.lines).toContain(`Nothing to do: the service already runs ${FAMILY}:2.`);
  expect(chosen.summary).toContain('## Rollback of startupwebapp-service: NOOP');
  expect(changesSince(before)).toEqual([]);
});

it('dry-run says the target, its images and environment differences (names only, no value) and changes nothing', async () => {
  await deploy('app:v2', [
    { name: 'FEATURE_FLAG', value: 'on' },
    { name: 'STRIPE_API_KEY', value: 'sk_live_do_not_print' },
  ]);
  const before = sim.requests.length;

  const result = await rollback({ 'dry-run': 'true' });

  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({
    'to-task-definition-arn': rev(1),
    'from-task-definition-arn': rev(2),
    status: 'NOOP',
  });
  expect(result.outputs['deployment-id']).toBeUndefined();
  const log = result.lines.join('\n');
  expect(log).toContain(`Target:  ${FAMILY}:1 (web=${SEED.image})`);
  expect(log).toContain(`container web: image app:v2 → ${SEED.image}`);
  expect(log).toContain('container web: environment FEATURE_FLAG removed');
  expect(log).not.toContain('(was on)'); // names only, whatever the name
  expect(log).toContain('container web: environment STRIPE_API_KEY removed');
  expect(result.summary).toContain('## Rollback of startupwebapp-service (dry run): NOOP');
  expect(result.summary).toContain('Dry run, nothing changed: would update the service to');
  expect(result.masks).toContain('sk_live_do_not_print');
  expect(result.lines.join('\n') + result.summary).not.toContain('sk_live_do_not_print');
  expect(changesSince(before)).toEqual([]);
  expect((await service()).taskDefinition).toBe(rev(2));
});

describe('refusals: a clear one-line message, exit 1, and no change', () => {
  it.each([
    [
      { to: `${SEED.migrationFamily}:1` },
      /^Input 'to' names startupwebapp-migration-task:1, of family startupwebapp-migration-task/,
    ],
    [
      { to: '99' },
      new RegExp(
        `^Input 'to': task definition ${FAMILY}:99 does not exist \\(the newest ACTIVE revision to roll back to is ${FAMILY}:3\\)`,
      ),
    ],
    [
      { to: '2' },
      new RegExp(
        `^${FAMILY}:2 is INACTIVE \\(deregistered\\): ECS cannot deploy it. The newest ACTIVE alternative is ${FAMILY}:1: set input 'to' to 1`,
      ),
    ],
    [{ cluster: 'no-such-cluster' }, /^Input 'cluster': cluster 'no-such-cluster' was not found/],
    [{ service: 'no-such-service' }, /^Input 'service': service 'no-such-service' was not found in cluster/],
  ])('%p', async (inputs, message) => {
    await deploy('app:v2');
    await deploy('app:v3');
    await deploy('app:v4');
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: rev(2) }));
    const before = sim.requests.length;

    const result = await rollback(inputs);

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(message);
    expect(result.errors[0]!.message).not.toContain('\n');
    expect(changesSince(before)).toEqual([]);
    expect((await service()).taskDefinition).toBe(rev(4));
    expect(result.summary).toContain(`Refused, nothing changed: ${result.errors[0]!.message}`);
  });

  it('refuses a service deployed by CodeDeploy, whose task definition UpdateService cannot change', async () => {
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'bluegreen',
        taskDefinition: FAMILY,
        desiredCount: 1,
        launchType: 'FARGATE',
        deploymentController: { type: 'CODE_DEPLOY' },
        networkConfiguration: { awsvpcConfiguration: { subnets: SEED.subnets, securityGroups: SEED.securityGroups } },
      }),
    );
    const before = sim.requests.length;
    const result = await rollback({ service: 'bluegreen', to: '1' });
    expect(result.exitCode).toBe(1);
    expect(result.errors.map((e) => e.message)).toEqual([
      "Input 'service': service 'bluegreen' uses the CODE_DEPLOY deployment controller, whose task definition only CodeDeploy can change: roll back there",
    ]);
    expect(sim.requests.slice(before).map((r) => r.operation)).toEqual(['DescribeServices']);
  });

  it('refuses previous when it was deregistered, naming the ACTIVE alternative', async () => {
    await deploy('app:v2');
    await deploy('app:v3');
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: rev(2) }));
    const before = sim.requests.length;
    const result = await rollback({});
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]!.message).toBe(
      `${FAMILY}:2 is INACTIVE (deregistered): ECS cannot deploy it. The newest ACTIVE alternative is ${FAMILY}:1: set input 'to' to 1`,
    );
    expect(changesSince(before)).toEqual([]);
  });
});

it('with wait: false, starts the rollback, outputs its deployment id and an empty status, and returns', async () => {
  await deploy('app:v2');
  const result = await rollback({ wait: 'false' });
  expect(result.exitCode).toBe(0);
  expect(result.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
  expect(result.outputs.status).toBeUndefined();
  expect(result.lines.join('\n')).toContain(
    `Rollback deployment ${result.outputs['deployment-id']} started; not waiting.`,
  );
  const current = await service();
  expect(current.taskDefinition).toBe(rev(1));
  expect(current.deployments!.find((d) => d.status === 'PRIMARY')!.id).toBe(result.outputs['deployment-id']);
});

it('a bad input fails before any AWS call', async () => {
  const before = sim.requests.length;
  const running = startBundle('rollback', {
    inputs: { cluster: CLUSTER, service: SERVICE, to: 'latest' },
    env: sim.env(),
  });
  const result = await running.result;
  expect(result.exitCode).toBe(1);
  expect(result.errors[0]!.message).toMatch(/^Input 'to' must be 'previous'/);
  expect(sim.requests.length).toBe(before);
});

it('cancelling the job while waiting leaves the rollback running in ECS and still writes the summary', async () => {
  sim.images.define('app:slow', { startSeconds: 3000 });
  const slowTarget = await register('app:slow'); // :2
  await deploy('app:v3'); // :3 running
  const running = startBundle('rollback', {
    inputs: { cluster: CLUSTER, service: SERVICE, ...FAST, to: '2' },
    env: sim.env(),
    timeoutMs: 90_000,
  });
  await running.waitForLine(/Rollback deployment ecs-svc\/\d+ started/);
  const before = sim.requests.length;
  running.signal('SIGTERM');
  const result = await running.result;

  expect(result.exitCode).toBe(1);
  expect(result.errors.map((e) => e.title)).toContain('Cancelled');
  expect(result.summary).toContain('Cancelled while waiting; rollback deployment ecs-svc/');
  expect(changesSince(before)).toEqual([]);
  expect((await service()).taskDefinition).toBe(slowTarget);
});
