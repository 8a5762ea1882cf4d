import { mockClient } from 'aws-sdk-client-mock';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, type Service } from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type TargetHealthStateEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { TargetGroupWatch, type TargetGroupWatchOptions } from '../../../../lib/ecs/target-group-watch.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/startupwebapp-tg/0123456789abcdef';
const OURS = 'ecs-svc/2222222222222222222';
const OLD = 'ecs-svc/1111111111111111111';
const T0 = Date.parse('2026-11-29T00:10:00Z');
const at = (s: number) => new Date(T0 + s * 1000);
const service: Service = {
  serviceName: 'web',
  loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 8000 }],
};
const task = (arn: string, startedBy: string, ip: string) => ({
  taskArn: arn,
  startedBy,
  lastStatus: 'RUNNING',
  attachments: [{ type: 'ElasticNetworkInterface', details: [{ name: 'privateIPv4Address', value: ip }] }],
});
const counts = { desired: 2, running: 2, pending: 0, failed: 0, rolloutState: 'IN_PROGRESS' };
const health = (entries: Array<[string, TargetHealthStateEnum]>) => ({
  TargetHealthDescriptions: entries.map(([id, state]) => ({
    Target: { Id: id, Port: 8000 },
    TargetHealth: { State: state },
  })),
});

/** The old targets in service, then the new ones registered, then healthy with the old ones draining. */
const OLD_IN_SERVICE: Array<[string, TargetHealthStateEnum]> = [
  ['10.0.0.1', 'healthy'],
  ['10.0.0.2', 'healthy'],
];
const NEW_INITIAL: Array<[string, TargetHealthStateEnum]> = [
  ...OLD_IN_SERVICE,
  ['10.0.0.3', 'initial'],
  ['10.0.0.4', 'initial'],
];
const NEW_SERVING: Array<[string, TargetHealthStateEnum]> = [
  ['10.0.0.1', 'draining'],
  ['10.0.0.2', 'draining'],
  ['10.0.0.3', 'healthy'],
  ['10.0.0.4', 'healthy'],
];

/** DescribeTasks' answer: two old tasks (10.0.0.1-2) and two started by `newBy` (10.0.0.3-4). */
const serviceTasks = (newBy: string) => ({
  tasks: [
    task('old-1', OLD, '10.0.0.1'),
    task('old-2', OLD, '10.0.0.2'),
    task('new-1', newBy, '10.0.0.3'),
    task('new-2', newBy, '10.0.0.4'),
  ],
});

function setup(more: Partial<TargetGroupWatchOptions> = {}) {
  const ecs = mockClient(ECSClient);
  const elb = mockClient(ElasticLoadBalancingV2Client);
  elb.on(DescribeTargetGroupsCommand).resolves({
    TargetGroups: [
      { TargetGroupArn: TG, TargetGroupName: 'startupwebapp-tg', TargetType: 'ip', HealthCheckPath: '/order/products' },
    ],
  });
  elb
    .on(DescribeTargetGroupAttributesCommand)
    .resolves({ Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '300' }] });
  ecs.on(ListTasksCommand).resolves({ taskArns: ['old-1', 'old-2', 'new-1', 'new-2'] });
  ecs.on(DescribeTasksCommand).resolves(serviceTasks(OURS));
  const watch = new TargetGroupWatch(
    {
      ecs: new ECSClient({ region: 'us-east-1' }),
      elbConfig: { region: 'us-east-1', maxAttempts: 1, retryMode: 'standard' },
    },
    { cluster: 'c', service: 'web', deploymentId: OURS, startedAt: at(0), ...more },
  );
  return { ecs, elb, watch };
}

afterEach(() => {
  mockClient(ECSClient).restore();
  mockClient(ElasticLoadBalancingV2Client).restore();
});

it('follows new targets to healthy and old ones into draining, then stops reading the target groups', async () => {
  const { ecs, elb, watch } = setup();
  elb.on(DescribeTargetHealthCommand).resolvesOnce(health(NEW_INITIAL)).resolvesOnce(health(NEW_SERVING));

  const first = await watch.observe(service, counts, at(30));
  expect(first?.verdict.serving).toBe(false);
  expect(first?.lines).toEqual(['startupwebapp-tg: new 0/2 healthy, 2 initial · old 2 in service']);

  watch.noteEvent({ createdAt: at(85), message: `(service web) deregistered 2 targets in (target-group ${TG})` });
  const second = await watch.observe(service, counts, at(90));
  expect(second?.verdict.serving).toBe(true);
  expect(second?.lines).toEqual(['startupwebapp-tg: new 2/2 healthy · old 2 draining (about 4m 55s left of 5m)']);
  expect(watch.moments).toMatchObject({ newHealthyAt: at(90), servingAt: at(90), drainStartedAt: at(85) });

  const third = await watch.observe(service, counts, at(185));
  expect(third?.lines).toEqual(['startupwebapp-tg: new 2/2 healthy · old 2 draining (about 3m 20s left of 5m)']);
  expect(elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(2);
  expect(elb.commandCalls(DescribeTargetGroupsCommand)).toHaveLength(1);
  // The tasks behind the addresses were looked up once.
  expect(ecs.commandCalls(ListTasksCommand)).toHaveLength(1);
  expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(1);
});

it('says why when the target groups cannot be read', async () => {
  const { elb, watch } = setup();
  const denied = Object.assign(
    new Error('User is not authorized to perform: elasticloadbalancing:DescribeTargetGroups'),
    {
      name: 'AccessDenied',
    },
  );
  elb.on(DescribeTargetGroupsCommand).rejects(denied);
  expect(await watch.observe(service, counts, at(5))).toBeUndefined();
  expect(watch.unavailable).toBe(
    'AccessDenied: User is not authorized to perform: elasticloadbalancing:DescribeTargetGroups',
  );
});

it('does nothing for a service without a load balancer', async () => {
  const { elb, watch } = setup();
  expect(await watch.observe({ serviceName: 'worker' }, counts, at(5))).toBeUndefined();
  expect(elb.calls()).toHaveLength(0);
});

describe('a rollout watched from its start (none of our tasks running at the first look)', () => {
  const starting = { ...counts, running: 0, pending: 2 };
  const rollout = (elb: ReturnType<typeof setup>['elb']) =>
    elb
      .on(DescribeTargetHealthCommand)
      .resolvesOnce(health(OLD_IN_SERVICE))
      .resolvesOnce(health(NEW_INITIAL))
      .resolves(health(NEW_SERVING));

  it('tells old targets from new ones without any task call', async () => {
    const { ecs, elb, watch } = setup();
    rollout(elb);
    expect((await watch.observe(service, starting, at(5)))?.lines).toEqual([
      'startupwebapp-tg: new 0/2 healthy · old 2 in service',
    ]);
    expect((await watch.observe(service, counts, at(60)))?.lines).toEqual([
      'startupwebapp-tg: new 0/2 healthy, 2 initial · old 2 in service',
    ]);
    const served = await watch.observe(service, counts, at(90));
    expect(served?.verdict.serving).toBe(true);
    expect(served?.lines).toEqual(['startupwebapp-tg: new 2/2 healthy · old 2 draining (about 5m left of 5m)']);
    expect(ecs.calls()).toHaveLength(0);
  });

  it('with confirmServing, looks the tasks up once before saying the new revision serves all traffic', async () => {
    const { ecs, elb, watch } = setup({ confirmServing: true });
    rollout(elb);
    await watch.observe(service, starting, at(5));
    await watch.observe(service, counts, at(60));
    expect(ecs.calls()).toHaveLength(0);
    expect((await watch.observe(service, counts, at(90)))?.verdict.serving).toBe(true);
    expect(ecs.commandCalls(ListTasksCommand)).toHaveLength(1);
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(1);
  });

  it('with confirmServing, does not serve when the presumed new targets turn out to be someone else’s', async () => {
    // old-1 is known already, e.g. described by the stopped-task evidence: the map is shared.
    const known = new Map([['old-1', { arn: 'old-1', startedBy: OLD, ip: '10.0.0.1' }]]);
    const { ecs, elb, watch } = setup({ confirmServing: true, known });
    rollout(elb);
    ecs.on(DescribeTasksCommand).resolves(serviceTasks(OLD));
    await watch.observe(service, starting, at(5));
    await watch.observe(service, counts, at(60));
    const seen = await watch.observe(service, counts, at(90));
    expect(seen?.verdict.serving).toBe(false);
    expect(seen?.lines).toEqual([
      'startupwebapp-tg: new 0/2 healthy · old 2 in service, 2 draining (about 5m left of 5m)',
    ]);
    await watch.observe(service, counts, at(95));
    expect(ecs.commandCalls(ListTasksCommand)).toHaveLength(1);
    expect(ecs.commandCalls(DescribeTasksCommand).map((call) => call.args[0].input.tasks)).toEqual([
      ['old-2', 'new-1', 'new-2'],
    ]);
  });
});
