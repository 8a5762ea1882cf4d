import { Readable } from 'node:stream';
import { ECSClient } from '@aws-sdk/client-ecs';
import { describeTaskDefinition, registerTaskDefinition } from '../../../../lib/ecs/task-definition-api.js';

/** A client whose transport is a function, so the exact bytes on the wire can be seen without a server. */
function clientAnswering(answer: (body: unknown, target: string) => unknown) {
  const sent: Array<{ target: string; body: Record<string, unknown> }> = [];
  const client = new ECSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: {
      handle: async (request: { body: string | Uint8Array; headers: Record<string, string> }) => {
        const text = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
        const body = JSON.parse(text) as Record<string, unknown>;
        const target = request.headers['x-amz-target'] ?? '';
        sent.push({ target, body });
        const reply = JSON.stringify(answer(body, target));
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: Readable.from([Buffer.from(reply)]),
          },
        };
      },
    } as never,
  });
  return { client, sent };
}

const described = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
  family: 'web',
  revision: 7,
  status: 'ACTIVE',
  registeredAt: 1700000000,
  compatibilities: ['EC2', 'FARGATE'],
  containerDefinitions: [{ name: 'app', image: 'app:1', essential: true, restartPolicy: { enabled: true } }],
  futureTopLevelField: { keep: 'me' },
};

it('describeTaskDefinition returns fields the SDK model does not know', async () => {
  const { client } = clientAnswering(() => ({ taskDefinition: described, tags: [{ key: 'team', value: 'web' }] }));
  const result = await describeTaskDefinition(client, 'web:7');
  expect(result.definition.futureTopLevelField).toEqual({ keep: 'me' });
  expect(result.definition.containerDefinitions?.[0]?.restartPolicy).toEqual({ enabled: true });
  expect(result.tags).toEqual([{ key: 'team', value: 'web' }]);
});

it('registerTaskDefinition sends unknown fields and tags, without the read-only ones', async () => {
  const { client, sent } = clientAnswering((body) => ({ taskDefinition: { ...(body as object), revision: 8 } }));
  const registered = await registerTaskDefinition(client, described, [{ key: 'team', value: 'web' }]);
  const body = sent[0]!.body;
  expect(sent[0]!.target).toBe('AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition');
  expect(body.futureTopLevelField).toEqual({ keep: 'me' });
  expect(body.tags).toEqual([{ key: 'team', value: 'web' }]);
  for (const field of ['taskDefinitionArn', 'revision', 'status', 'registeredAt', 'compatibilities']) {
    expect(body).not.toHaveProperty(field);
  }
  expect(registered.revision).toBe(8);
  expect(registered.futureTopLevelField).toEqual({ keep: 'me' });
});
