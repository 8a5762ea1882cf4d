import { DeregisterTaskDefinitionCommand, type ECSClient, type KeyValuePair } from '@aws-sdk/client-ecs';
import { SEED, type Simulator } from '../../sandbox/sim/index.js';
import { runBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import { describeService } from '../support/sim-clients.js';
import { deploySettled, serviceChangesSince, serviceRevisionArn } from '../support/seeded-service.js';
import { useSeededSim } from '../support/sim-fixtures.js';

/**
 * Rollback's `to: -N` and `previous` against the ECS simulator: the candidates are the service's successful
 * deployments newest first, never the running revision nor one the service was rolled back from.
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

const deploy = (image: string, environment?: KeyValuePair[]) => deploySettled(ecs, { image, environment });

function rollback(inputs: Record<string, string>): Promise<BundleResult> {
  return runBundle('rollback', {
    inputs: { cluster: CLUSTER, service: SERVICE, ...FAST, ...inputs },
    env: sim.env(),
    timeoutMs: 90_000,
  });
}

const changes = (since: number) => serviceChangesSince(sim, since);

it('-1 and -2 skip failed and rolled-back deployments, and the summary lists the candidates', async () => {
  await deploy('app:good'); // :2
  await deploy('app:broken'); // :3, rolled back to :2 by the circuit breaker
  await deploy('app:v4'); // :4, completes
  expect((await describeService(ecs)).taskDefinition).toBe(rev(4));

  const second = await rollback({ to: '-2', 'dry-run': 'true' });
  expect(second.exitCode).toBe(0);
  expect(second.outputs).toMatchObject({ 'to-task-definition-arn': rev(1), status: 'NOOP' });
  expect(second.summary).toContain('### Candidates');
  expect(second.summary).toMatch(new RegExp(`\\| -1 \\| ${FAMILY}:2 \\| \`app:good\` \\| 20\\d\\d-`));
  expect(second.summary).toMatch(new RegExp(`\\| \\*\\*-2\\*\\* \\| \\*\\*${FAMILY}:1\\*\\* \\| \`${SEED.image}\``));
  expect(second.summary).toContain(`${FAMILY}:3`); // named as left out, never as a candidate
  expect(second.summary).not.toMatch(new RegExp(`\\| -\\d+ \\| ${FAMILY}:3 \\|`));

  const before = sim.requests.length;
  const first = await rollback({ to: '-1' });
  expect(first.errors).toEqual([]);
  expect(first.outputs).toMatchObject({
    'from-task-definition-arn': rev(4),
    'to-task-definition-arn': rev(2),
    status: 'COMPLETED',
  });
  expect(changes(before).map((c) => c.operation)).toEqual(['UpdateService']);

  // Rolled back from :4 to :2: neither :4 (rolled away from) nor :3 (rolled back by ECS) is offered now.
  const again = await rollback({ to: '-1', 'dry-run': 'true' });
  expect(again.outputs['to-task-definition-arn']).toBe(rev(1));
  const beyond = await rollback({ to: '-2', 'dry-run': 'true' });
  expect(beyond.exitCode).toBe(1);
  expect(beyond.errors.map((e) => e.message)).toEqual([
    `Input 'to' is -2, but there is only 1 revision to roll back to (-1 ${FAMILY}:1): choose one of those, or name a revision number`,
  ]);
  expect(beyond.summary).toContain('Refused, nothing changed');
});

it('previous and -1 agree, also right after a circuit-breaker rollback (NOOP), where -2 goes one further', async () => {
  await deploy('app:good'); // :2
  await deploy('app:broken'); // :3, rolled back to :2
  const previous = await rollback({ 'dry-run': 'true' });
  const minusOne = await rollback({ to: '-1', 'dry-run': 'true' });
  expect(previous.outputs).toMatchObject({ 'to-task-definition-arn': rev(2), status: 'NOOP' });
  expect(minusOne.outputs).toMatchObject({ 'to-task-definition-arn': rev(2), status: 'NOOP' });
  const minusTwo = await rollback({ to: '-2', 'dry-run': 'true' });
  expect(minusTwo.outputs['to-task-definition-arn']).toBe(rev(1));
});

it.each(['0', '-0', '-01', '- 1'])('to: %p fails before any AWS call, naming the input', async (to) => {
  const before = sim.requests.length;
  const result = await rollback({ to });
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]!.message).toMatch(/^Input 'to' must be 'previous', -N/);
  expect(sim.requests.length).toBe(before);
});

it('an INACTIVE revision asked for, with nothing older to offer, is refused without suggesting the release rolled back from', async () => {
  await deploy('app:v2'); // :2
  await deploy('app:v3'); // :3
  const back = await rollback({ to: '2' }); // the service leaves :3
  expect(back.outputs.status).toBe('COMPLETED');
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: rev(1) }));
  const before = sim.requests.length;

  const result = await rollback({ to: '1' });

  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  const message = result.errors[0]!.message;
  expect(message).toMatch(new RegExp(`^${FAMILY}:1 is INACTIVE \\(deregistered\\): ECS cannot deploy it`));
  expect(message).not.toContain(`${FAMILY}:3`);
  expect(message).toContain(`no ACTIVE revision older than ${FAMILY}:1`);
  expect(changes(before)).toEqual([]);
});
