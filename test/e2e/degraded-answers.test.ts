import { type ECSClient } from '@aws-sdk/client-ecs';
import { SEED, type Simulator } from '../../sandbox/sim/index.js';
import { runBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import { describeService } from '../support/sim-clients.js';
import { deploySettled, serviceChangesSince, serviceRevisionArn } from '../support/seeded-service.js';
import { useSeededSim } from '../support/sim-fixtures.js';

/**
 * Degraded AWS answers the simulator injects on purpose: a history API answering an HTML error page, and an
 * UpdateService that answers as if accepted without starting a deployment. The bundles must say which call failed
 * and how, go on where the answer was not needed, and never claim a deployment they did not start.
 */

const { cluster: CLUSTER, service: SERVICE, serviceFamily: FAMILY } = SEED;
const rev = serviceRevisionArn;
const FAST = { 'poll-interval-seconds': '0.1', 'timeout-minutes': '1', 'max-attempts': '2' };
const HISTORY_DOWN =
  /^Could not read the service deployment history \(ListServiceDeployments failed: HTTP 500, answer was not JSON \(starts "<!doctype html>/;

const seeded = useSeededSim('each');
let sim: Simulator;
let ecs: ECSClient;
beforeEach(() => {
  ({ sim, ecs } = seeded);
});

const deploy = (image: string) => deploySettled(ecs, { image });

function run(action: 'rollback' | 'deploy-service', inputs: Record<string, string>): Promise<BundleResult> {
  return runBundle(action, {
    inputs: { cluster: CLUSTER, service: SERVICE, ...FAST, ...inputs },
    env: sim.env(),
    timeoutMs: 90_000,
  });
}

const changes = (since: number) => serviceChangesSince(sim, since);

describe('rollback while ListServiceDeployments answers HTTP 500 with an HTML page', () => {
  beforeEach(async () => {
    await deploy('app:v2'); // :2
    await deploy('app:v3'); // :3
    sim.faults.set({ operations: ['ListServiceDeployments'], htmlErrorRate: 1 });
  });

  it('an explicit target rolls back, warning that the history was unavailable and why', async () => {
    const result = await run('rollback', { to: '2' });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ 'to-task-definition-arn': rev(2), status: 'COMPLETED' });
    expect(result.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(HISTORY_DOWN));
    expect(sim.calls('ListServiceDeployments').length).toBe(2); // max-attempts 2: retried once, then given up
  });

  it('a dry run works and changes nothing', async () => {
    const before = sim.requests.length;
    const result = await run('rollback', { to: '1', 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ 'to-task-definition-arn': rev(1), status: 'NOOP' });
    expect(result.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(HISTORY_DOWN));
    expect(changes(before)).toEqual([]);
  });

  it('previous falls back to the ACTIVE revisions and says so', async () => {
    const result = await run('rollback', {});
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ 'to-task-definition-arn': rev(2), status: 'COMPLETED' });
    const warning = result.warnings.map((w) => w.message).find((m) => HISTORY_DOWN.test(m));
    expect(warning).toMatch(/choosing among the ACTIVE revisions of startupwebapp-service-task$/);
    expect(result.summary).toContain('the service deployment history could not be read');
  });
});

describe('an UpdateService answer without a new deployment', () => {
  it('rollback fails clearly and reports no deployment as its own', async () => {
    await deploy('app:v2');
    sim.faults.set({ operations: ['UpdateService'], unappliedRate: 1 });
    const result = await run('rollback', {});
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(
      new RegExp(
        `^UpdateService to ${FAMILY}:1 was accepted, but its answer shows no new deployment: the PRIMARY deployment ecs-svc/\\d+ \\(${FAMILY}:2\\) was already on the service`,
      ),
    );
    expect(result.outputs['deployment-id']).toBeUndefined();
    expect(result.outputs.status).toBeUndefined();
    expect(result.summary).not.toMatch(/COMPLETED/);
    expect((await describeService(ecs)).taskDefinition).toBe(rev(2));
  });

  it('deploy-service fails clearly instead of watching the deployment that was already there', async () => {
    sim.faults.set({ operations: ['UpdateService'], unappliedRate: 1 });
    const result = await run('deploy-service', { image: 'app:v2' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(
      new RegExp(`^UpdateService to ${FAMILY}:2 was accepted, but its answer shows no new deployment`),
    );
    expect(result.outputs['deployment-id']).toBeUndefined();
    expect(result.outputs.status).toBeUndefined();
  });
});
