import { jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeServiceDeploymentsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { respondToStagedCancel, stagedCancelResponse } from '../../../actions/deploy-service/staged-cancel.js';
import type { DeployReport } from '../../../actions/deploy-service/summary.js';

const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3';
const NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4';
const SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/c/web/abc';
const ecsMock = mockClient(ECSClient);
const clients = () => ({ ecs: new ECSClient({ region: 'us-east-1', maxAttempts: 1 }) });
const context = { cluster: 'c', service: 'web', since: new Date(Date.now() - 60_000) };

function report(): DeployReport {
  return {
    cluster: 'c',
    service: 'web',
    waited: true,
    startedAt: new Date(),
    deploymentId: 'ecs-svc/2',
    previousTaskDefinition: OLD,
    newTaskDefinition: NEW,
  };
}

/** What the action printed (workflow commands included), read from the silenced stdout. */
let printed = () => '';
beforeEach(() => {
  ecsMock.reset();
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  printed = () => write.mock.calls.map((call) => String(call[0])).join('');
});
afterEach(() => jest.restoreAllMocks());

describe('stagedCancelResponse', () => {
  it.each([
    ['PENDING', 'stop'],
    ['IN_PROGRESS', 'stop'],
    [undefined, 'stop'],
    ['SUCCESSFUL', 'leave'],
    ['ROLLBACK_IN_PROGRESS', 'leave'],
    ['STOPPED', 'leave'],
  ])('on-failure rollback, service deployment %s: %s', (status, action) => {
    expect(stagedCancelResponse('rollback', status).action).toBe(action);
  });

  it('on-failure fail leaves even an in-flight deployment to ECS', () => {
    expect(stagedCancelResponse('fail', 'IN_PROGRESS')).toEqual({ action: 'leave', why: 'on-failure fail' });
  });
});

describe('respondToStagedCancel', () => {
  it('stops an in-flight deployment with StopServiceDeployment ROLLBACK, never UpdateService, and says so', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ status: 'IN_PROGRESS' }] });
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD });
    const deploy = report();
    await respondToStagedCancel(clients(), { ...context, onFailure: 'rollback', serviceDeploymentArn: SD }, deploy);
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { serviceDeploymentArn: SD, stopType: 'ROLLBACK' },
    ]);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(deploy.status).toBe('CANCELLED');
    expect(deploy.rollback?.note).toContain(
      `on-failure: rollback stopped service deployment ${SD} with StopServiceDeployment ROLLBACK: ECS moves production traffic back to web:3`,
    );
    expect(printed()).toContain(`stopping service deployment ${SD} with StopServiceDeployment ROLLBACK`);
  });

  it('finds the service deployment when the watch had not, and stops it even when its status cannot be read', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [{ serviceDeploymentArn: SD }] });
    ecsMock.on(DescribeServiceDeploymentsCommand).rejects(new Error('socket hang up'));
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD });
    const deploy = report();
    await respondToStagedCancel(clients(), { ...context, onFailure: 'rollback' }, deploy);
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(1);
    expect(deploy.rollback?.note).toContain('StopServiceDeployment ROLLBACK');
  });

  it('leaves a deployment that had completed alone', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ status: 'SUCCESSFUL' }] });
    const deploy = report();
    await respondToStagedCancel(clients(), { ...context, onFailure: 'rollback', serviceDeploymentArn: SD }, deploy);
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(deploy.rollback?.note).toBe(
      'Deployment ecs-svc/2 of web:4 had completed (service deployment SUCCESSFUL) before the cancel: left as it is. ' +
        'To undo it, run the rollback action.',
    );
  });

  it('with on-failure fail makes no call and says how to stop it', async () => {
    const deploy = report();
    await respondToStagedCancel(clients(), { ...context, onFailure: 'fail', serviceDeploymentArn: SD }, deploy);
    expect(ecsMock.calls()).toHaveLength(0);
    expect(deploy.rollback?.note).toContain('Deployment ecs-svc/2 of web:4 carries on in ECS');
    expect(deploy.rollback?.note).toContain(
      `aws ecs stop-service-deployment --service-deployment-arn ${SD} --stop-type ROLLBACK`,
    );
  });

  it('warns and says the deployment carries on when ECS refuses the stop', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ status: 'IN_PROGRESS' }] });
    ecsMock
      .on(StopServiceDeploymentCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    const deploy = report();
    await respondToStagedCancel(clients(), { ...context, onFailure: 'rollback', serviceDeploymentArn: SD }, deploy);
    const out = printed();
    expect(out).toMatch(
      /::warning::Could not roll back on cancel: StopServiceDeployment ROLLBACK of \S+ failed: .*not allowed/,
    );
    expect(deploy.rollback?.note).toContain('carries on in ECS');
  });
});

describe('respondToStagedCancel against an endpoint that never answers', () => {
  let server: Server;
  let endpoint: string;
  beforeAll(async () => {
    server = createServer(() => undefined); // reads the request, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up within the runner grace period (5 s), saying the deployment carries on', async () => {
    ecsMock.restore(); // the real client, against the silent endpoint (the last test of the file)
    const ecs = new ECSClient({
      region: 'us-east-1',
      endpoint,
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const deploy = report();
    const started = Date.now();
    await respondToStagedCancel({ ecs }, { ...context, onFailure: 'rollback', serviceDeploymentArn: SD }, deploy);
    // The bound is 5 s; the margin is for a busy machine. Without the bound the SDK would wait for the socket forever.
    expect(Date.now() - started).toBeLessThan(7_000);
    expect(printed()).toContain('failed: no answer in time');
    expect(deploy.rollback?.note).toContain('carries on in ECS');
  });
});
