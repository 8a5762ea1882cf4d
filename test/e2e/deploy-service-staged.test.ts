import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Simulator } from '../../sandbox/sim/model.js';
import { SEED } from '../../sandbox/sim/seed.js';
import { runBundle, startBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import { describeService } from '../support/sim-clients.js';
import { useSeededSim } from '../support/sim-fixtures.js';
import { serviceRevisionArn as rev } from '../support/seeded-service.js';
import { waitFor } from '../support/wait-for.js';

/** deploy-service and rollback through their bundles on a service that ECS deploys in stages (issue 25). */

const { cluster: CLUSTER, service: SERVICE } = SEED;
const BASE = { cluster: CLUSTER, service: SERVICE, 'poll-interval-seconds': '0.05', 'timeout-minutes': '2' };

const STRATEGIES = {
  BLUE_GREEN: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
  LINEAR: {
    strategy: 'LINEAR',
    bakeTimeInMinutes: 5,
    linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 5 },
  },
  CANARY: {
    strategy: 'CANARY',
    bakeTimeInMinutes: 5,
    canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
  },
} as const;

function deploy(sim: Simulator, inputs: Record<string, string>): Promise<BundleResult> {
  return runBundle('deploy-service', { env: sim.env(), timeoutMs: 120_000, inputs: { ...BASE, ...inputs } });
}

async function newestRecord(ecs: ECSClient): Promise<ServiceDeployment> {
  const list = await ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE }));
  const arn = list.serviceDeployments![0].serviceDeploymentArn!;
  return (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })))
    .serviceDeployments![0];
}

const stageRows = (summary: string) => [...summary.matchAll(/stage ([A-Z_]+)/g)].map((m) => m[1]);

describe.each(Object.keys(STRATEGIES) as Array<keyof typeof STRATEGIES>)('a %s service', (name) => {
  const ctx = useSeededSim('each', { deployment: STRATEGIES[name] });

  it('deploys: stages in the log and the summary timeline, COMPLETED when the service deployment is SUCCESSFUL', async () => {
    const result = await deploy(ctx.sim, { image: 'app:v2' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('COMPLETED');
    const lines = result.lines.join('\n');
    expect(lines).toContain(`deploys with ECS ${name}: watching its stages`);
    expect(lines).toMatch(/stage PRODUCTION_TRAFFIC_SHIFT: production \d+(\.\d+)?% \/ test 100% on the new revision/);
    expect(lines).toMatch(/bake time left: /);
    const stages = new Set(stageRows(result.summary));
    for (const stage of ['SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP'])
      expect(stages).toContain(stage);
    if (name !== 'BLUE_GREEN') expect(lines).toMatch(/production (10|50)% \/ test 100%/);
    expect((await newestRecord(ctx.ecs)).status).toBe('SUCCESSFUL');
    expect((await describeService(ctx.ecs)).taskDefinition).toBe(rev(2));
  });

  it('fails within a poll when the new tasks crash once production traffic reached them, with the evidence', async () => {
    // Healthy through the scale-up (~70 simulated s) and the test traffic (~60 s more), then exits 3: during the
    // linear and canary shifts (5-minute steps), during the bake for blue/green (its shift is a single move).
    ctx.sim.images.define('app:crashes', {
      crashAfterSeconds: 130,
      exitCode: 3,
      logLines: ['Booting worker', 'django.db.utils.OperationalError: could not connect'],
    });
    const result = await deploy(ctx.sim, { image: 'app:crashes' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('ROLLED_BACK');
    const error = result.errors[0]!.message;
    expect(error).toMatch(/ROLLBACK_(REQUESTED|IN_PROGRESS)|Circuit Breaker/);
    expect(error).toMatch(/Task [0-9a-f]{32} stopped \(EssentialContainerExited\)/);
    expect(error).toContain('exited with code 3');
    expect(error).toContain('django.db.utils.OperationalError: could not connect');
    // Ended at the first poll after ECS began the rollback (the new deployment FAILED), not after it finished.
    const id = result.outputs['deployment-id']!;
    const failedAt = ctx.sim.timeline.find(
      (e) => e.kind === 'deployment' && e.subject === id && e.value === 'FAILED',
    )!.at;
    expect(ctx.sim.calls('DescribeServiceDeployments').filter((r) => r.at >= failedAt).length).toBeLessThanOrEqual(1);
    const record = await newestRecord(ctx.ecs);
    expect(record.rollback?.reason).toMatch(/Circuit Breaker/);
    const stagesSeen = stageRows(result.stdout);
    expect(stagesSeen).toContain('PRODUCTION_TRAFFIC_SHIFT');
  });
});

describe('wait-until serving, a paused hook, and rollback during the bake (BLUE_GREEN, 60-minute bake)', () => {
  const ctx = useSeededSim('each', {
    deployment: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 },
  });

  it('serving returns once production traffic is all on the new revision, before the bake ends', async () => {
    const result = await deploy(ctx.sim, { image: 'app:v2', 'wait-until': 'serving' });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('SERVING');
    const record = await newestRecord(ctx.ecs);
    expect(record.status).toBe('IN_PROGRESS');
    expect(record.lifecycleStage).toMatch(/POST_PRODUCTION_TRAFFIC_SHIFT|BAKE_TIME/);
    expect(record.targetServiceRevision?.requestedProductionTrafficWeight).toBe(100);
    expect(result.summary).toMatch(
      /Production traffic is all on the new revision; the old revision keeps running through the bake time/,
    );
  });

  it('on-failure rollback: waits for ECS to finish rolling back and says when traffic was back', async () => {
    ctx.sim.images.define('app:crashes', { crashAfterSeconds: 130, exitCode: 3 });
    const result = await deploy(ctx.sim, { image: 'app:crashes', 'on-failure': 'rollback' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('ROLLED_BACK');
    expect(result.errors[0]!.message).toMatch(
      /ECS rolled back on its own: ROLLBACK_SUCCESSFUL; production traffic was all back on the old revision [\d.]+s after the failure was seen/,
    );
    expect((await newestRecord(ctx.ecs)).status).toBe('ROLLBACK_SUCCESSFUL');
    expect((await describeService(ctx.ecs)).taskDefinition).toBe(rev(1));
  });

  it('rollback during the bake: StopServiceDeployment ROLLBACK, traffic back on the old revision, says how long it took', async () => {
    const served = await deploy(ctx.sim, { image: 'app:v2', 'wait-until': 'serving' });
    expect(served.outputs.status).toBe('SERVING');
    const result = await runBundle('rollback', {
      env: ctx.sim.env(),
      timeoutMs: 120_000,
      inputs: { ...BASE, 'poll-interval-seconds': '0.05' },
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.summary).toContain(
      `| **Path** | StopServiceDeployment ROLLBACK (BLUE_GREEN): ECS moved production traffic back to ${SEED.serviceFamily}:1, still running |`,
    );
    const traffic = /Production traffic all back on \S+:1 \d+(\.\d)?s after StopServiceDeployment\./;
    expect(result.summary).toMatch(new RegExp(`\\| \\*\\*Traffic back\\*\\* \\| ${traffic.source} \\|`));
    expect(result.lines.join('\n')).toMatch(traffic);
    const record = await newestRecord(ctx.ecs);
    expect(record.status).toBe('ROLLBACK_SUCCESSFUL');
    expect((await describeService(ctx.ecs)).taskDefinition).toBe(rev(1));
  });
});

describe('a PAUSE hook at POST_SCALE_UP', () => {
  const ctx = useSeededSim('each', {
    deployment: {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 1,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }],
    },
  });

  it('is reported with the commands to continue or roll back, and the watch carries on once continued', async () => {
    const running = startBundle('deploy-service', {
      env: ctx.sim.env(),
      timeoutMs: 120_000,
      inputs: { ...BASE, image: 'app:v2' },
    });
    const line = await running.waitForLine(/paused at POST_SCALE_UP by lifecycle hook/);
    expect(line).toMatch(/aws ecs continue-service-deployment --service-deployment-arn \S+ --hook-id [0-9a-f-]{36}/);
    expect(line).toContain('--action ROLLBACK');
    const record = await newestRecord(ctx.ecs);
    const hookId = record.lifecycleHookDetails![0].hookId!;
    await ctx.ecs.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: record.serviceDeploymentArn!, hookId }),
    );
    const result = await running.result;
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('COMPLETED');
    expect(result.warnings.some((w) => w.message.includes('paused at POST_SCALE_UP'))).toBe(true);
    await waitFor(async () => ((await newestRecord(ctx.ecs)).status === 'SUCCESSFUL' ? true : undefined));
  });
});
