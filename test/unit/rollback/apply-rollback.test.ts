import { jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeServicesCommand,
  ECSClient,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { applyRollback, type ApplyOptions } from '../../../actions/rollback/apply-rollback.js';
import { onFakeClock } from '../../support/fake-clock.js';
import { rollbackPrinter } from '../../../actions/rollback/log.js';

// The waits run on a fake clock: their pauses move it forward, nothing really sleeps.
onFakeClock();

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/c/s/abc';
const options: ApplyOptions = {
  cluster: 'c',
  service: 's',
  taskDefinition: td(2),
  knownDeploymentIds: new Set(['ecs-svc/old', 'ecs-svc/inflight']),
  pollSeconds: 0.01,
  deadline: new Date(Date.now() + 60_000),
  reporter: rollbackPrinter,
};
const stop = { kind: 'stop-deployment' as const, serviceDeploymentArn: SD, reason: 'in flight' };
const withPrimary = (id: string, revision: number): { services: Service[] } => ({
  services: [
    { serviceName: 's', status: 'ACTIVE', deployments: [{ id, status: 'PRIMARY', taskDefinition: td(revision) }] },
  ],
});

beforeEach(() => {
  ecsMock.reset();
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

it('updates the service to the target with a new deployment, never anything else', async () => {
  ecsMock.on(UpdateServiceCommand).resolves({ service: withPrimary('ecs-svc/new', 2).services[0] });
  const applied = await applyRollback(ecs, { kind: 'update-service', taskDefinitionArn: td(2), reason: 'r' }, options);
  expect(applied).toEqual({
    deploymentId: 'ecs-svc/new',
    action: 'UpdateService to web:2 (forceNewDeployment)',
    call: 'UpdateService',
  });
  expect(ecsMock.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
    cluster: 'c',
    service: 's',
    taskDefinition: td(2),
    forceNewDeployment: true,
  });
  expect(ecsMock.calls()).toHaveLength(1);
});

it('stops the deployment with ROLLBACK and returns the new PRIMARY deployment of the target once ECS starts it', async () => {
  ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD });
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce(withPrimary('ecs-svc/inflight', 5)) // not started yet
    .resolves(withPrimary('ecs-svc/rollback', 2));
  const applied = await applyRollback(ecs, stop, options);
  expect(applied).toEqual({
    deploymentId: 'ecs-svc/rollback',
    action: 'StopServiceDeployment abc (stopType ROLLBACK)',
    call: 'StopServiceDeployment',
  });
  expect(ecsMock.commandCalls(StopServiceDeploymentCommand)[0]?.args[0].input).toEqual({
    serviceDeploymentArn: SD,
    stopType: 'ROLLBACK',
  });
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
});

it('falls back to updating the service when the stop is refused (the deployment finished meanwhile)', async () => {
  ecsMock
    .on(StopServiceDeploymentCommand)
    .rejects(Object.assign(new Error('deployment is not in progress'), { name: 'ConflictException' }));
  ecsMock.on(UpdateServiceCommand).resolves({ service: withPrimary('ecs-svc/new', 2).services[0] });
  const applied = await applyRollback(ecs, stop, options);
  expect(applied).toMatchObject({ deploymentId: 'ecs-svc/new', call: 'UpdateService' });
  expect(ecsMock.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toMatchObject({ taskDefinition: td(2) });
});

it('does not update the service after ECS accepted the stop, even if no rollback deployment shows up', async () => {
  ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD });
  ecsMock.on(DescribeServicesCommand).resolves(withPrimary('ecs-svc/inflight', 5));
  await expect(applyRollback(ecs, stop, { ...options, deadline: new Date(Date.now() + 50) })).rejects.toThrow(
    'ECS accepted the rollback but started no deployment of web:2 before the timeout',
  );
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
});
