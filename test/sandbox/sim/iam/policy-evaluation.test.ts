import { evaluate, type PolicyDocument } from '../../../../sandbox/sim/iam/policy-evaluation.js';

const policy: PolicyDocument = {
  Statement: [
    {
      Effect: 'Allow',
      Action: 'ecs:RunTask',
      Resource: 'arn:aws:ecs:us-east-1:1:task-definition/migration:*',
      Condition: { ArnEquals: { 'ecs:cluster': 'arn:aws:ecs:us-east-1:1:cluster/c' } },
    },
    { Effect: 'Allow', Action: ['ecs:Describe*'], Resource: '*' },
    { Effect: 'Deny', Action: 'ecs:DescribeTasks', Resource: '*' },
  ],
};
const context = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), [v]]));

test('an Allow needs its action, resource and condition; a missing context key fails the condition, as in IAM', () => {
  const request = { action: 'ecs:RunTask', resource: 'arn:aws:ecs:us-east-1:1:task-definition/migration:7' };
  expect(
    evaluate([policy], { ...request, context: context({ 'ecs:cluster': 'arn:aws:ecs:us-east-1:1:cluster/c' }) }),
  ).toBe('allowed');
  expect(evaluate([policy], { ...request, context: context({}) })).toBe('implicitDeny');
  expect(
    evaluate([policy], {
      ...request,
      resource: 'arn:aws:ecs:us-east-1:1:task-definition/web:1',
      context: context({ 'ecs:cluster': 'arn:aws:ecs:us-east-1:1:cluster/c' }),
    }),
  ).toBe('implicitDeny');
});

test('wildcard actions match case-insensitively; an explicit Deny wins', () => {
  expect(evaluate([policy], { action: 'ECS:DescribeServices', resource: 'x', context: context({}) })).toBe('allowed');
  expect(evaluate([policy], { action: 'ecs:DescribeTasks', resource: 'x', context: context({}) })).toBe('explicitDeny');
  expect(evaluate([policy], { action: 'ecs:StopTask', resource: 'x', context: context({}) })).toBe('implicitDeny');
});
