import { jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { planRollback } from '../../../actions/rollback/plan-rollback.js';
import type { RollbackInputs } from '../../../actions/rollback/inputs.js';
import { parseRollbackTo } from '../../../actions/rollback/rollback-target.js';
import { rollbackPrinter } from '../../../actions/rollback/log.js';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const sd = (id: string) => `arn:aws:ecs:us-east-1:123456789012:service-deployment/c/s/${id}`;
const sr = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:service-revision/c/s/r${revision}`;

const inputs = (to = 'previous'): RollbackInputs => ({
  cluster: 'c',
  service: 's',
  to: parseRollbackTo(to),
  toText: to,
  wait: true,
  waitUntil: 'completed',
  timeoutSeconds: 60,
  pollSeconds: 0.01,
  dryRun: false,
  verify: true,
});

/** A service on `current`, revisions 1..5 ACTIVE, and a history of [revision, status, source?] oldest first. */
function world(current: number, history: Array<[number, string, number?]>, service: Partial<Service> = {}) {
  ecsMock.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: 's',
        status: 'ACTIVE',
        taskDefinition: td(current),
        deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: td(current), rolloutState: 'COMPLETED' }],
        ...service,
      },
    ],
  });
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    const revision = Number(input.taskDefinition.split(':').pop());
    return { taskDefinition: { taskDefinitionArn: td(revision), family: 'web', revision, status: 'ACTIVE' } };
  });
  ecsMock.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [5, 4, 3, 2, 1].map(td) });
  ecsMock.on(ListServiceDeploymentsCommand).resolves({
    serviceDeployments: history
      .map(([revision, status], i) => ({
        serviceDeploymentArn: sd(`d${i}`),
        status: status as never,
        createdAt: new Date(i * 60_000),
        targetServiceRevisionArn: sr(revision),
      }))
      .reverse(),
  });
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => ({
    serviceDeployments: input.serviceDeploymentArns.map((arn) => {
      const source = history[Number(arn.split('/d').pop())]?.[2];
      return { serviceDeploymentArn: arn, sourceServiceRevisions: source ? [{ arn: sr(source) }] : [] };
    }),
  }));
  ecsMock.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => ({
    serviceRevisions: input.serviceRevisionArns.map((arn) => ({
      serviceRevisionArn: arn,
      taskDefinition: td(Number(arn.split('/r').pop())),
    })),
  }));
}

let stdout: string[];
beforeEach(() => {
  ecsMock.reset();
  stdout = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

it('chooses the last good revision from the history, past a rolled-back one, and updates the service to it', async () => {
  world(4, [
    [2, 'SUCCESSFUL'],
    [3, 'ROLLBACK_SUCCESSFUL', 2],
    [4, 'SUCCESSFUL'],
  ]);
  const plan = await planRollback(ecs, inputs(), rollbackPrinter);
  expect(plan.from.taskDefinitionArn).toBe(td(4));
  expect(plan.to.taskDefinitionArn).toBe(td(2));
  expect(plan.action).toMatchObject({ kind: 'update-service', taskDefinitionArn: td(2) });
  expect(plan.reason).toMatch(/^to: previous — the last successful deployment before web:4 is d0 of web:2/);
  expect(plan.deploymentIds).toEqual(new Set(['ecs-svc/1']));
});

it("plans a new deployment of the current revision when ECS's own rollback to it failed", async () => {
  world(2, [
    [1, 'SUCCESSFUL'],
    [2, 'SUCCESSFUL'],
    [3, 'ROLLBACK_FAILED', 2],
  ]);
  const plan = await planRollback(ecs, inputs(), rollbackPrinter);
  expect(plan.action).toMatchObject({ kind: 'update-service', taskDefinitionArn: td(2) });
});

it('allows a named revision that was rolled back before, with a warning and a note in the reason', async () => {
  world(4, [
    [2, 'SUCCESSFUL'],
    [3, 'ROLLBACK_SUCCESSFUL', 2],
    [4, 'SUCCESSFUL'],
  ]);
  const plan = await planRollback(ecs, inputs('3'), rollbackPrinter);
  expect(plan.to.taskDefinitionArn).toBe(td(3));
  expect(plan.reason).toBe(
    'to: 3 — the revision asked for. Note: web:3 was deployed before and that deployment ended ROLLBACK_SUCCESSFUL.',
  );
  expect(stdout.join('')).toContain('::warning title=Target failed before::web:3 was deployed before');
});

it('falls back to the ACTIVE revisions, with a warning, when the history is denied', async () => {
  world(4, []);
  ecsMock
    .on(ListServiceDeploymentsCommand)
    .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
  const plan = await planRollback(ecs, inputs(), rollbackPrinter);
  expect(plan.to.taskDefinitionArn).toBe(td(3));
  expect(stdout.join('')).toContain('::warning title=No deployment history::Could not read the service deployment');
});

it.each([
  ['CODE_DEPLOY', 'CodeDeploy'],
  ['EXTERNAL', 'the external controller'],
])('refuses a %s service before reading anything else', async (type, who) => {
  world(4, [], { deploymentController: { type: type as never } });
  await expect(planRollback(ecs, inputs(), rollbackPrinter)).rejects.toThrow(
    `Input 'service': service 's' uses the ${type} deployment controller, whose task definition only ${who} can change: roll back there`,
  );
  expect(ecsMock.calls().map((c) => c.args[0].constructor.name)).toEqual(['DescribeServicesCommand']);
});

it('refuses a revision that does not exist, naming the newest ACTIVE one to use', async () => {
  world(4, [[4, 'SUCCESSFUL']]);
  ecsMock
    .on(DescribeTaskDefinitionCommand, { taskDefinition: 'web:9' })
    .rejects(Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' }));
  await expect(planRollback(ecs, inputs('9'), rollbackPrinter)).rejects.toThrow(
    "Input 'to': task definition web:9 does not exist (the newest ACTIVE revision to roll back to is web:5)",
  );
});
