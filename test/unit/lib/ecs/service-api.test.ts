import { mockClient } from 'aws-sdk-client-mock';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand, type Deployment } from '@aws-sdk/client-ecs';
import { updateService } from '../../../../lib/ecs/service-api.js';
import { NoNewDeploymentError } from '../../../../lib/ecs/new-deployment.js';

const td = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${n}`;
const ecsMock = mockClient(ECSClient);
const ecs = () => new ECSClient({ region: 'us-east-1' });
const service = (...deployments: Deployment[]) => ({ serviceName: 'web', status: 'ACTIVE', deployments });
const input = { cluster: 'c', service: 'web', taskDefinition: td(4) };

beforeEach(() => ecsMock.reset());

describe('updateService', () => {
  it('returns the new PRIMARY deployment of the task definition asked for', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({
      service: service({ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: td(4) }),
    });
    await expect(
      updateService(ecs(), input, { taskDefinition: td(4), knownDeploymentIds: new Set(['ecs-svc/1']) }),
    ).resolves.toBe('ecs-svc/2');
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(0);
  });

  it('fails, naming what the answer showed, when it shows no new deployment', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [service({ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: td(3) })],
    });
    ecsMock.on(UpdateServiceCommand).resolves({
      service: service({ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: td(3) }),
    });
    const error = await updateService(ecs(), input, { taskDefinition: td(4) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoNewDeploymentError);
    expect((error as Error).message).toBe(
      'UpdateService to web:4 was accepted, but its answer shows no new deployment: the PRIMARY deployment ecs-svc/1 ' +
        '(web:3) was already on the service: not watching or reporting a deployment this run did not start',
    );
    // Without the ids the caller knew, the deployments were read before the update.
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1);
  });
});
