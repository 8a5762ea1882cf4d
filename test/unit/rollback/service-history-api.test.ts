import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import { listActiveRevisions, readServiceHistory } from '../../../actions/rollback/service-history-api.js';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const sd = (id: string) => `arn:aws:ecs:us-east-1:123456789012:service-deployment/c/s/${id}`;
const sr = (id: string) => `arn:aws:ecs:us-east-1:123456789012:service-revision/c/s/${id}`;

beforeEach(() => ecsMock.reset());

describe('readServiceHistory', () => {
  it('pages through the history and resolves each target revision to its task definition', async () => {
    ecsMock
      .on(ListServiceDeploymentsCommand, { nextToken: undefined })
      .resolves({
        serviceDeployments: [
          {
            serviceDeploymentArn: sd('a'),
            status: 'SUCCESSFUL',
            targetServiceRevisionArn: sr('1'),
            createdAt: new Date(1000),
          },
        ],
        nextToken: 'page2',
      })
      .on(ListServiceDeploymentsCommand, { nextToken: 'page2' })
      .resolves({
        serviceDeployments: [
          {
            serviceDeploymentArn: sd('b'),
            status: 'ROLLBACK_SUCCESSFUL',
            targetServiceRevisionArn: sr('2'),
            createdAt: new Date(2000),
          },
        ],
      });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [{ serviceDeploymentArn: sd('b'), sourceServiceRevisions: [{ arn: sr('1') }] }],
    });
    ecsMock.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [
        { serviceRevisionArn: sr('1'), taskDefinition: td(1) },
        { serviceRevisionArn: sr('2'), taskDefinition: td(2) },
      ],
    });

    const history = await readServiceHistory(ecs, 'c', 's');

    expect(history.records).toEqual([
      expect.objectContaining({ serviceDeploymentArn: sd('a'), status: 'SUCCESSFUL', taskDefinitionArn: td(1) }),
      expect.objectContaining({
        serviceDeploymentArn: sd('b'),
        status: 'ROLLBACK_SUCCESSFUL',
        taskDefinitionArn: td(2),
        sourceTaskDefinitionArns: [td(1)],
      }),
    ]);
    // Sources are described only for the newest (rolled back) deployment, not for every one.
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)[0]?.args[0].input).toEqual({
      serviceDeploymentArns: [sd('b')],
    });
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(2);
  });

  it('describes revisions at most 20 at a time', async () => {
    const briefs = Array.from({ length: 25 }, (_, i) => ({
      serviceDeploymentArn: sd(`d${i}`),
      status: 'SUCCESSFUL' as const,
      targetServiceRevisionArn: sr(`r${i}`),
      createdAt: new Date(i * 1000),
    }));
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: briefs });
    ecsMock.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => ({
      serviceRevisions: input.serviceRevisionArns.map((arn) => ({
        serviceRevisionArn: arn,
        taskDefinition: td(Number(arn.slice(-2).replace('r', ''))),
      })),
    }));
    const history = await readServiceHistory(ecs, 'c', 's');
    const sizes = ecsMock
      .commandCalls(DescribeServiceRevisionsCommand)
      .map((c) => c.args[0].input.serviceRevisionArns?.length);
    expect(sizes).toEqual([20, 5]);
    expect(history.records?.[24]?.taskDefinitionArn).toBe(td(24));
  });

  it('returns no records, and why, when the history API is denied', async () => {
    const denied = Object.assign(new Error('not authorized to perform ecs:ListServiceDeployments'), {
      name: 'AccessDeniedException',
    });
    ecsMock.on(ListServiceDeploymentsCommand).rejects(denied);
    const history = await readServiceHistory(ecs, 'c', 's');
    expect(history.records).toBeUndefined();
    expect(history.problem).toMatch(/^AccessDeniedException: not authorized/);
  });

  it.each(['ServerException', 'ThrottlingException', 'SyntaxError'])(
    'returns no records, and why, when a call fails with %s (the history only informs the choice)',
    async (name) => {
      ecsMock.on(ListServiceDeploymentsCommand).rejects(Object.assign(new Error('boom'), { name }));
      const history = await readServiceHistory(ecs, 'c', 's');
      expect(history).toEqual({ records: undefined, problem: `${name}: boom` });
    },
  );

  it('a failure of the calls after the list counts the same', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [{ serviceDeploymentArn: 'arn:d1', status: 'IN_PROGRESS', createdAt: new Date() }],
    });
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .rejects(Object.assign(new Error('down'), { name: 'ServerException' }));
    expect(await readServiceHistory(ecs, 'c', 's')).toEqual({ records: undefined, problem: 'ServerException: down' });
  });

  it('a cancel is not a missing history: it is thrown', async () => {
    const cancel = new AbortController();
    ecsMock.on(ListServiceDeploymentsCommand).callsFake(() => {
      cancel.abort();
      throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    });
    await expect(readServiceHistory(ecs, 'c', 's', { signal: cancel.signal })).rejects.toThrow('aborted');
  });

  const pages = (order: 'newest first' | 'oldest first') => (input: { nextToken?: string }) => {
    const page = Number(input.nextToken ?? 0);
    const ids = Array.from({ length: 100 }, (_, i) => page * 100 + i);
    return {
      serviceDeployments: ids.map((i) => ({
        serviceDeploymentArn: sd(`d${i}`),
        status: 'SUCCESSFUL' as const,
        createdAt: new Date(order === 'oldest first' ? i * 1000 : 10_000_000 - i * 1000),
      })),
      nextToken: String(page + 1), // more than maxPages pages
    };
  };

  it('reads at most maxPages pages of 100, keeping the newest when ECS lists newest first', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).callsFake(pages('newest first'));
    const history = await readServiceHistory(ecs, 'c', 's', { maxPages: 3 });
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(3);
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)[0]?.args[0].input.maxResults).toBe(100);
    expect(history.records).toHaveLength(300);
    expect(history.problem).toBeUndefined();
  });

  it('counts a truncated history listed oldest first as unavailable: its newest deployments are missing', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).callsFake(pages('oldest first'));
    const history = await readServiceHistory(ecs, 'c', 's', { maxPages: 3 });
    expect(history.records).toBeUndefined();
    expect(history.problem).toBe('more than 300 deployments, listed oldest first: the newest are not among those read');
  });

  it('reads the sources of a rolled-back deployment that is second newest (a rollback recorded on its own)', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        { serviceDeploymentArn: sd('c'), status: 'SUCCESSFUL', createdAt: new Date(3000) },
        { serviceDeploymentArn: sd('b'), status: 'ROLLBACK_SUCCESSFUL', createdAt: new Date(2000) },
        { serviceDeploymentArn: sd('a'), status: 'ROLLBACK_SUCCESSFUL', createdAt: new Date(1000) },
      ],
    });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    await readServiceHistory(ecs, 'c', 's');
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)[0]?.args[0].input).toEqual({
      serviceDeploymentArns: [sd('b')],
    });
  });
});

describe('listActiveRevisions', () => {
  it('keeps only the exact family (familyPrefix also matches longer names), newest first, across pages', async () => {
    ecsMock
      .on(ListTaskDefinitionsCommand, { nextToken: undefined })
      .resolves({
        taskDefinitionArns: [td(3), 'arn:aws:ecs:us-east-1:123456789012:task-definition/web-worker:9'],
        nextToken: 't',
      })
      .on(ListTaskDefinitionsCommand, { nextToken: 't' })
      .resolves({ taskDefinitionArns: [td(7), td(1)] });
    const revisions = await listActiveRevisions(ecs, 'web');
    expect(revisions.map((r) => r.revision)).toEqual([7, 3, 1]);
    expect(ecsMock.commandCalls(ListTaskDefinitionsCommand)[0]?.args[0].input).toMatchObject({
      familyPrefix: 'web',
      status: 'ACTIVE',
    });
  });
});
