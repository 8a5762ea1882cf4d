import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/**
 * DescribeServiceDeployments calls from when ECS began the rollback (our deployment FAILED) on: at most 1 when the
 * step ended at the first poll after it, not after the rollback finished.
 */
function pollsAfterTheRollbackBegan(sim: Simulator, result: BundleResult): number {
  const id = result.outputs['deployment-id']!;
  const failedAt = sim.timeline.find((e) => e.kind === 'deployment' && e.subject === id && e.value === 'FAILED')!.at;
  // Times are whole milliseconds: a poll answered just before the engine step that began the rollback can carry the
  // same millisecond (both stress runs and npm test caught it counted as after). Only calls in a later millisecond
  // count; polls are 50 ms apart, so at most one poll can share the failure's millisecond.
  return sim.calls('DescribeServiceDeployments').filter((r) => r.at > failedAt).length;
}

const stageRows = (summary: string) => [...summary.matchAll(/stage ([A-Z_]+)/g)].map((m) => m[1]);

/** The private IPs of the running tasks of `taskDefinition`: what the ALB stand-in names as `served_by`. */
async function runningIps(ecs: ECSClient, taskDefinition: string): Promise<Set<string>> {
  const arns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE }))).taskArns!;
  const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks!;
  const running = tasks.filter((t) => t.lastStatus === 'RUNNING' && t.taskDefinitionArn === taskDefinition);
  return new Set(running.map((t) => t.containers![0].networkInterfaces![0].privateIpv4Address!));
}

/** Who answers `n` production requests through the load balancer. */
async function servedBy(sim: Simulator, n: number): Promise<string[]> {
  const served: string[] = [];
  for (let i = 0; i < n; i++) {
    const answer = await fetch(`${sim.albUrl(CLUSTER, SERVICE)}/order/products`);
    served.push(((await answer.json()) as { served_by?: string }).served_by ?? `HTTP ${answer.status}`);
  }
  return served;
}

/** The old revision, still running, serves all production traffic: now, and once ECS has finished the rollback. */
async function expectOldRevisionServing(ctx: { sim: Simulator; ecs: ECSClient }): Promise<void> {
  const old = await runningIps(ctx.ecs, rev(1));
  expect(old.size).toBeGreaterThan(0);
  for (const ip of await servedBy(ctx.sim, 10)) expect(old).toContain(ip);
  await waitFor(async () => ((await newestRecord(ctx.ecs)).status === 'ROLLBACK_SUCCESSFUL' ? true : undefined));
  expect((await describeService(ctx.ecs)).taskDefinition).toBe(rev(1));
  for (const ip of await servedBy(ctx.sim, 10)) expect(old).toContain(ip);
}

/** A lifecycle hook's Lambda that checks the new revision during the production shift, and answers FAILED. */
const HOOK = 'arn:aws:lambda:us-east-1:123456789012:function:startupwebapp-error-rate';
const FAILING_HOOK = {
  hookTargetArn: HOOK,
  lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'],
  // It watches the error rate for a minute (asking ECS to call again after 30 s twice), then fails the release.
  hookDetails: { answers: ['IN_PROGRESS', 'IN_PROGRESS', 'FAILED'] },
};
/** The production traffic on the new revision at the first shift step. */
const FIRST_STEP = { BLUE_GREEN: 100, LINEAR: 50, CANARY: 10 } as const;

describe.each(Object.keys(STRATEGIES) as Array<keyof typeof STRATEGIES>)('a %s service', (name) => {
  const ctx = useSeededSim('each', { deployment: STRATEGIES[name] });

  it('deploys: stages in the log and the summary timeline, COMPLETED when the service deployment is SUCCESSFUL', async () => {
    const result = await deploy(ctx.sim, { image: 'app:v2' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('COMPLETED');
    const lines = result.lines.join('\n');
    expect(lines).toContain(`deploys with ECS ${name}: watching its stages`);
    // Blue/green's shift is one move, a stage without work of its own that a poll on a loaded machine can miss: the
    // watch then says it passed between two polls.
    expect(lines).toMatch(
      /stage PRODUCTION_TRAFFIC_SHIFT(: production \d+(\.\d+)?% \/ test 100% on the new revision| \(passed between two polls\))/,
    );
    expect(lines).toMatch(/bake time left: /);
    const stages = new Set(stageRows(result.summary));
    for (const stage of ['SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP'])
      expect(stages).toContain(stage);
    if (name !== 'BLUE_GREEN') expect(lines).toMatch(/production (10|50)% \/ test 100%/);
    // The service's events since the deployment began, each once (the seed's own steady state is older).
    expect(lines).toMatch(
      /event: \(service startupwebapp-service\) registered 1 targets in \(target-group \S+-green\//,
    );
    expect(lines.match(/event: \(service startupwebapp-service\) has started 2 tasks/g)).toHaveLength(1);
    expect(lines.match(/event: \(service startupwebapp-service\) has reached a steady state\./g)).toHaveLength(1);
    expect(lines).toContain(
      'Final counts: 2/2 running, 0 pending of the new revision · production 100% / test 100% on the new revision',
    );
    expect(result.summary).toContain(
      '| **Final counts** | 2/2 running, 0 pending of the new revision · production 100% / test 100% on the new revision |',
    );
    expect((await newestRecord(ctx.ecs)).status).toBe('SUCCESSFUL');
    expect((await describeService(ctx.ecs)).taskDefinition).toBe(rev(2));
  });

  it('fails within a poll when the new tasks crash once production traffic reached them, with the evidence', async () => {
    // Healthy through the scale-up (~70 simulated s) and the test traffic (~60 s more), then exits 3: during the
    // linear and canary shifts (5-minute steps), during the bake for blue/green (its shift is a single move). A failure
    // during the production shift for all three: the lifecycle hook tests below.
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
    expect(pollsAfterTheRollbackBegan(ctx.sim, result)).toBeLessThanOrEqual(1);
    const record = await newestRecord(ctx.ecs);
    expect(record.rollback?.reason).toMatch(/Circuit Breaker/);
    const stagesSeen = stageRows(result.stdout);
    expect(stagesSeen).toContain('PRODUCTION_TRAFFIC_SHIFT');
  });
});

describe.each(Object.keys(STRATEGIES) as Array<keyof typeof STRATEGIES>)(
  'a %s service whose lifecycle hook fails during the production traffic shift',
  (name) => {
    const ctx = useSeededSim('each', { deployment: { ...STRATEGIES[name], lifecycleHooks: [FAILING_HOOK] } });

    it('fails within a poll of the rollback, names the stage, the traffic and the hook; the old revision serves all traffic', async () => {
      const result = await deploy(ctx.sim, { image: 'app:v2' });
      expect(result.exitCode).toBe(1);
      expect(result.outputs.status).toBe('ROLLED_BACK');
      const error = result.errors[0]!;
      expect(error.title).toBe('Deployment ROLLED_BACK');
      // The share of traffic is the one last seen at that stage (a poll on a loaded machine may miss the stage).
      const where =
        /service deployment ROLLBACK_IN_PROGRESS at PRODUCTION_TRAFFIC_SHIFT( \(production (\d+)% on the new revision\))?: /;
      expect(error.message).toMatch(where);
      const share = where.exec(error.message)![2];
      if (share !== undefined) expect(Number(share)).toBe(FIRST_STEP[name]);
      expect(error.message).toContain('Rollback: the lifecycle hook returned FAILED.');
      expect(error.message).toMatch(new RegExp(`lifecycle hook ${HOOK} \\(hook [0-9a-f-]{36}\\) answered FAILED`));
      expect(result.stdout).toMatch(
        new RegExp(`lifecycle hook ${HOOK} .* answered FAILED at PRODUCTION_TRAFFIC_SHIFT`),
      );
      expect(result.summary).toMatch(/Failed at\W+PRODUCTION_TRAFFIC_SHIFT/);
      expect(pollsAfterTheRollbackBegan(ctx.sim, result)).toBeLessThanOrEqual(1);
      // Production traffic is all back on the old revision, at once and after ECS finished.
      const record = await newestRecord(ctx.ecs);
      expect(record.targetServiceRevision?.requestedProductionTrafficWeight).toBe(0);
      expect(record.sourceServiceRevisions![0].requestedProductionTrafficWeight).toBe(100);
      await expectOldRevisionServing(ctx);
    });
  },
);

describe.each(Object.keys(STRATEGIES) as Array<keyof typeof STRATEGIES>)(
  'a %s service with a 60-minute bake: wait-until serving, and rollback during the bake',
  (name) => {
    const ctx = useSeededSim('each', { deployment: { ...STRATEGIES[name], bakeTimeInMinutes: 60 } });

    it('serving returns once production traffic is all on the new revision, before the bake ends', async () => {
      const result = await deploy(ctx.sim, { image: 'app:v2', 'wait-until': 'serving' });
      expect(result.errors).toEqual([]);
      expect(result.outputs.status).toBe('SERVING');
      const record = await newestRecord(ctx.ecs);
      expect(record.status).toBe('IN_PROGRESS');
      // The last shift step (linear, canary), after it, or the bake: all traffic moved, the bake not over.
      expect(record.lifecycleStage).toMatch(/PRODUCTION_TRAFFIC_SHIFT|BAKE_TIME/);
      expect(record.targetServiceRevision?.requestedProductionTrafficWeight).toBe(100);
      expect(result.summary).toMatch(
        /Production traffic is all on the new revision; the old revision keeps running through the bake time/,
      );
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
        `| **Path** | StopServiceDeployment ROLLBACK (${name}): ECS moved production traffic back to ${SEED.serviceFamily}:1, still running |`,
      );
      const traffic = /Production traffic all back on \S+:1 \d+(\.\d)?s after StopServiceDeployment\./;
      expect(result.summary).toMatch(new RegExp(`\\| \\*\\*Traffic back\\*\\* \\| ${traffic.source} \\|`));
      expect(result.lines.join('\n')).toMatch(traffic);
      const record = await newestRecord(ctx.ecs);
      expect(record.status).toBe('ROLLBACK_SUCCESSFUL');
      expect((await describeService(ctx.ecs)).taskDefinition).toBe(rev(1));
    });
  },
);

describe('on-failure rollback on a BLUE_GREEN service with a 60-minute bake', () => {
  const ctx = useSeededSim('each', {
    deployment: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 },
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

  it('on-failure rollback, health check failed during the bake: StopServiceDeployment ROLLBACK, waits, traffic back', async () => {
    const degraded = createServer((_req, res) => res.writeHead(503).end('{"status":"degraded"}'));
    await new Promise<void>((resolve) => degraded.listen(0, '127.0.0.1', resolve));
    try {
      const result = await deploy(ctx.sim, {
        image: 'app:v2',
        'wait-until': 'serving',
        'health-check-url': `http://127.0.0.1:${(degraded.address() as AddressInfo).port}/order/products`,
        'health-check-timeout-seconds': '1',
        'on-failure': 'rollback',
      });
      expect(result.exitCode).toBe(1);
      expect(result.outputs.status).toBe('HEALTH_CHECK_FAILED');
      const stops = ctx.sim.calls('StopServiceDeployment');
      expect(stops.map((r) => r.input)).toEqual([expect.objectContaining({ stopType: 'ROLLBACK' })]);
      expect(result.errors[0]!.message).toMatch(
        /on-failure: rollback stopped the deployment with StopServiceDeployment ROLLBACK: ROLLBACK_SUCCESSFUL; production traffic was all back on the old revision [\d.]+s after the failure was seen/,
      );
      expect((await newestRecord(ctx.ecs)).status).toBe('ROLLBACK_SUCCESSFUL');
      expect((await describeService(ctx.ecs)).taskDefinition).toBe(rev(1));
    } finally {
      degraded.closeAllConnections();
      await new Promise((resolve) => degraded.close(resolve));
    }
  });
});

/**
 * deploy-service of app:v2, sent `signal` once a log line matches `when`: checks it ended as cancelled by that signal;
 * returns its result and the warning saying what is left running.
 */
async function cancelledAt(
  sim: Simulator,
  inputs: Record<string, string>,
  when: RegExp,
  signal: NodeJS.Signals,
): Promise<{ result: BundleResult; left?: string }> {
  const running = startBundle('deploy-service', {
    env: sim.env(),
    timeoutMs: 120_000,
    inputs: { ...BASE, image: 'app:v2', ...inputs },
  });
  await running.waitForLine(when);
  running.signal(signal);
  const result = await running.result;
  expect(result.exitCode).toBe(1);
  expect(result.errors.map((e) => e.message)).toContain(`Cancelled by ${signal}`);
  return { result, left: result.warnings.find((w) => w.title === 'Cancelled: what is left running')?.message };
}

describe('cancel while a staged deployment is in flight (issue 25)', () => {
  describe('BLUE_GREEN, 60-minute bake, on-failure: rollback, cancelled during the bake', () => {
    const ctx = useSeededSim('each', { deployment: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 } });

    it('stops it with StopServiceDeployment ROLLBACK (no UpdateService), says so, and the old revision serves all traffic', async () => {
      const { result, left } = await cancelledAt(ctx.sim, { 'on-failure': 'rollback' }, /bake time left: /, 'SIGINT');
      const record = await newestRecord(ctx.ecs);
      const arn = record.serviceDeploymentArn!;
      expect(ctx.sim.calls('StopServiceDeployment').map((r) => r.input)).toEqual([
        { serviceDeploymentArn: arn, stopType: 'ROLLBACK' },
      ]);
      // Only the deploy's own UpdateService: no rolling "update back" that would start yet another deployment.
      expect(ctx.sim.calls('UpdateService')).toHaveLength(1);
      expect(result.stdout).toContain(
        `on-failure: rollback — cancelled while in flight: stopping service deployment ${arn} with StopServiceDeployment ROLLBACK`,
      );
      expect(left).toContain(
        `of startupwebapp-service-task:2 was left unfinished; on-failure: rollback stopped service deployment ${arn} ` +
          'with StopServiceDeployment ROLLBACK: ECS moves production traffic back to startupwebapp-service-task:1',
      );
      expect(result.summary).toContain('Deploy startupwebapp-service: CANCELLED');
      expect(result.summary).toContain('### Left running');
      expect(result.summary).toContain('with StopServiceDeployment ROLLBACK');
      // Production traffic is all back on the old revision, which kept running, and stays there once ECS is done.
      await waitFor(async () =>
        (await newestRecord(ctx.ecs)).targetServiceRevision?.requestedProductionTrafficWeight === 0 ? true : undefined,
      );
      await expectOldRevisionServing(ctx);
      expect(ctx.sim.calls('UpdateService')).toHaveLength(1);
    });
  });

  describe('BLUE_GREEN, 5-minute bake, on-failure: rollback, cancelled in the health check after it completed', () => {
    const ctx = useSeededSim('each', { deployment: STRATEGIES.BLUE_GREEN });

    it('leaves the completed deployment alone: no StopServiceDeployment, no UpdateService back', async () => {
      const degraded = createServer((_req, res) => res.writeHead(503).end('{"status":"degraded"}'));
      await new Promise<void>((resolve) => degraded.listen(0, '127.0.0.1', resolve));
      try {
        const inputs = {
          'on-failure': 'rollback',
          'health-check-url': `http://127.0.0.1:${(degraded.address() as AddressInfo).port}/order/products`,
          'health-check-timeout-seconds': '600',
        };
        const { left } = await cancelledAt(ctx.sim, inputs, /the deployment is SUCCESSFUL; checking http/, 'SIGINT');
        expect(ctx.sim.calls('StopServiceDeployment')).toHaveLength(0);
        expect(ctx.sim.calls('UpdateService')).toHaveLength(1);
        expect(left).toContain(
          'of startupwebapp-service-task:2 had completed (service deployment SUCCESSFUL) before the cancel: left as it is',
        );
        expect((await newestRecord(ctx.ecs)).status).toBe('SUCCESSFUL');
        expect((await describeService(ctx.ecs)).taskDefinition).toBe(rev(2));
      } finally {
        degraded.closeAllConnections();
        await new Promise((resolve) => degraded.close(resolve));
      }
    });
  });

  describe('LINEAR, on-failure: fail, cancelled during the production traffic shift', () => {
    const ctx = useSeededSim('each', { deployment: STRATEGIES.LINEAR });

    it('leaves the deployment to ECS (no call that changes anything) and says how to stop it', async () => {
      const shifting = /stage PRODUCTION_TRAFFIC_SHIFT: production 50% \/ test 100%/;
      const { result, left } = await cancelledAt(ctx.sim, {}, shifting, 'SIGTERM');
      expect(ctx.sim.calls('StopServiceDeployment')).toHaveLength(0);
      expect(ctx.sim.calls('UpdateService')).toHaveLength(1);
      const record = await newestRecord(ctx.ecs);
      expect(record.status).toBe('IN_PROGRESS');
      expect(left).toContain('of startupwebapp-service-task:2 carries on in ECS');
      expect(left).toContain(
        `aws ecs stop-service-deployment --service-deployment-arn ${record.serviceDeploymentArn} --stop-type ROLLBACK`,
      );
      expect(result.summary).toContain('Deploy startupwebapp-service: CANCELLED');
    });
  });
});

describe.each(Object.keys(STRATEGIES) as Array<keyof typeof STRATEGIES>)(
  'a %s service with a PAUSE hook at POST_SCALE_UP',
  (name) => {
    const ctx = useSeededSim('each', {
      deployment: {
        ...STRATEGIES[name],
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
  },
);
