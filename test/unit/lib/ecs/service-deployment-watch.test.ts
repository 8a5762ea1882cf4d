import { mockClient } from 'aws-sdk-client-mock';
import { DescribeServiceDeploymentsCommand, ECSClient, type ServiceDeployment } from '@aws-sdk/client-ecs';
import { waitForStagedRollback } from '../../../../lib/ecs/service-deployment-watch.js';
import { stagedRollbackText } from '../../../../actions/deploy-service/staged-deploy.js';
import { onFakeClock } from '../../../support/fake-clock.js';

// The waits run on a fake clock standing still but for their pauses: nothing really sleeps.
const clock = onFakeClock(Date.UTC(2026, 11, 6, 8, 0, 0));

const ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/c/web/abc';
const ecsMock = mockClient(ECSClient);
const clients = () => ({ ecs: new ECSClient({ region: 'us-east-1', maxAttempts: 1 }) });

function deployment(status: string, weight: number): ServiceDeployment {
  return {
    serviceDeploymentArn: ARN,
    status,
    targetServiceRevision: { requestedProductionTrafficWeight: weight },
  } as ServiceDeployment;
}

beforeEach(() => ecsMock.reset());

describe('waitForStagedRollback: a read without the deployment is no answer', () => {
  it('keeps waiting when the deployment is missing from one answer, then ends at ROLLBACK_SUCCESSFUL', async () => {
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [deployment('ROLLBACK_IN_PROGRESS', 0)] })
      .resolvesOnce({ serviceDeployments: [], failures: [{ arn: ARN, reason: 'MISSING' }] })
      .resolves({ serviceDeployments: [deployment('ROLLBACK_SUCCESSFUL', 0)] });
    const lines: string[] = [];
    const back = await waitForStagedRollback(clients(), ARN, {
      deadline: new Date(clock().now() + 60_000),
      pollSeconds: 1,
      onProgress: (line) => lines.push(line),
    });
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(3);
    expect(back).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', ended: true });
    expect(back.unread).toBeUndefined();
    expect(back.trafficBackAt).toBeInstanceOf(Date);
    expect(lines).toEqual([
      'production traffic is all back on the old revision',
      'service deployment ROLLBACK_IN_PROGRESS',
      'the service deployment was not in the answer; reading it again next poll',
      'service deployment ROLLBACK_SUCCESSFUL',
    ]);
  });

  it('keeps trying through errors until the deadline, then says the end was not seen and the status unknown', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).rejects(new Error('socket hang up'));
    const started = clock().now();
    const lines: string[] = [];
    const back = await waitForStagedRollback(clients(), ARN, {
      deadline: new Date(started + 10_000),
      pollSeconds: 1,
      onProgress: (line) => lines.push(line),
    });
    // One read a second from the start to the deadline (the first at once): every poll tried again.
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(11);
    expect(clock().now() - started).toBe(10_000);
    expect(back).toMatchObject({ status: 'UNKNOWN', ended: false });
    expect(back.unread).toMatch(/DescribeServiceDeployments failed: .*socket hang up/);
    expect(back.trafficBackAt).toBeUndefined();
    // The failure is said once, not every poll.
    expect(lines).toHaveLength(1);
    const text = stagedRollbackText(back, new Date(started));
    expect(text).toMatch(/^the rollback's end was not seen before timeout-minutes ran out \(status unknown: /);
    expect(text).toContain('production traffic was not yet seen back on the old revision');
    expect(text).not.toMatch(/was all back/);
  });
});
