import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { checkNewDeployment, deploymentIdsOf } from '../../../../lib/ecs/new-deployment.js';

const td = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${n}`;
const service = (...deployments: Deployment[]): Service => ({ deployments });
const known = new Set(['ecs-svc/1']);

describe('checkNewDeployment', () => {
  it('accepts a new PRIMARY deployment of the task definition asked for', () => {
    const answer = service(
      { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: td(4) },
      { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: td(3) },
    );
    expect(checkNewDeployment(answer, { taskDefinition: td(4), knownDeploymentIds: known })).toEqual({
      ok: true,
      deployment: expect.objectContaining({ id: 'ecs-svc/2' }),
    });
  });

  it('refuses an answer whose PRIMARY deployment was already there', () => {
    const answer = service({ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: td(4) });
    expect(checkNewDeployment(answer, { taskDefinition: td(4), knownDeploymentIds: known })).toEqual({
      ok: false,
      problem:
        'its answer shows no new deployment: the PRIMARY deployment ecs-svc/1 (web:4) was already on the service',
    });
  });

  it('refuses a new PRIMARY deployment of another task definition', () => {
    const answer = service({ id: 'ecs-svc/9', status: 'PRIMARY', taskDefinition: td(5) });
    expect(checkNewDeployment(answer, { taskDefinition: td(4), knownDeploymentIds: known })).toEqual({
      ok: false,
      problem: 'its PRIMARY deployment ecs-svc/9 rolls out web:5, not web:4',
    });
  });

  it('refuses an answer without a PRIMARY deployment', () => {
    expect(checkNewDeployment(undefined, { taskDefinition: td(4), knownDeploymentIds: known })).toEqual({
      ok: false,
      problem: 'its answer has no PRIMARY deployment (expected a new one of web:4)',
    });
  });
});

it('deploymentIdsOf lists the ids on a service', () => {
  expect(deploymentIdsOf(service({ id: 'a' }, {}, { id: 'b' }))).toEqual(new Set(['a', 'b']));
  expect(deploymentIdsOf(undefined)).toEqual(new Set());
});
