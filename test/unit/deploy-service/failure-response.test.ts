import { cancelResponse, failureResponse } from '../../../actions/deploy-service/failure-response.js';
import { cancelNote } from '../../../actions/deploy-service/log.js';
import { credentialsWarning } from '../../../lib/aws/credentials-warning.js';

describe('failureResponse', () => {
  it('does nothing on success or with on-failure: fail', () => {
    expect(failureResponse({ status: 'COMPLETED' }, 'rollback', 'a', 'b')).toEqual({ action: 'none' });
    expect(failureResponse({ status: 'FAILED' }, 'fail', 'a', 'b')).toEqual({ action: 'none' });
  });

  it('waits for the circuit breaker instead of rolling back twice', () => {
    expect(failureResponse({ status: 'ROLLED_BACK' }, 'rollback', 'a', 'b')).toEqual({
      action: 'wait-for-ecs-rollback',
    });
  });

  it('rolls back to the previous revision after a failure, a timeout or a failed health check', () => {
    for (const status of ['FAILED', 'TIMED_OUT', 'HEALTH_CHECK_FAILED'] as const) {
      expect(failureResponse({ status }, 'rollback', 'web:3', 'web:4')).toEqual({ action: 'roll-back', to: 'web:3' });
    }
  });

  it('does not undo a deployment someone else started, nor "roll back" to the same revision', () => {
    expect(failureResponse({ status: 'FAILED', replacedBy: 'ecs-svc/9' }, 'rollback', 'web:3', 'web:4').action).toBe(
      'none',
    );
    expect(failureResponse({ status: 'TIMED_OUT' }, 'rollback', 'web:3', 'web:3').action).toBe('none');
  });
});

describe('credentialsWarning', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  it('warns when the credentials expire before the wait could end', () => {
    expect(credentialsWarning(new Date('2026-11-22T11:00:00Z'), 90 * 60, now)).toMatch(
      /expire at 2026-11-22T11:00:00.000Z \(in 1h\), before the 1h 30m/,
    );
  });
  it('stays quiet for long-lived or unknown expiry', () => {
    expect(credentialsWarning(new Date('2026-11-22T12:00:00Z'), 90 * 60, now)).toBeUndefined();
    expect(credentialsWarning(undefined, 90 * 60, now)).toBeUndefined();
  });
});

describe('cancelResponse', () => {
  it('puts the previous revision back only when on-failure asks for rollbacks', () => {
    expect(cancelResponse('rollback', 'web:3', 'web:4')).toEqual({ action: 'roll-back', to: 'web:3' });
    expect(cancelResponse('fail', 'web:3', 'web:4')).toEqual({ action: 'none' });
  });
  it('has nothing to put back for a redeploy of the same revision or an unknown previous one', () => {
    expect(cancelResponse('rollback', 'web:3', 'web:3')).toEqual({ action: 'none' });
    expect(cancelResponse('rollback', undefined, 'web:4')).toEqual({ action: 'none' });
  });
});

describe('cancelNote', () => {
  const deploy = {
    cluster: 'c',
    service: 'web',
    waited: true,
    startedAt: new Date(),
    deploymentId: 'ecs-svc/1',
    previousTaskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/web:3',
    newTaskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/web:4',
  };
  it('says the deployment carries on and gives the command that undoes it', () => {
    const note = cancelNote(deploy);
    expect(note).toContain('Deployment ecs-svc/1 of web:4 carries on in ECS');
    expect(note).toContain(
      'aws ecs update-service --cluster c --service web --task-definition arn:aws:ecs:us-east-1:1:task-definition/web:3',
    );
  });
  it('names the rollback deployment when it put the previous revision back', () => {
    expect(cancelNote(deploy, 'ecs-svc/2')).toContain('put the service back on web:3 (deployment ecs-svc/2)');
  });
});
