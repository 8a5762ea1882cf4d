import { mockClient } from 'aws-sdk-client-mock';
import { ECSClient, DescribeServicesCommand } from '@aws-sdk/client-ecs';

it('aws-sdk-client-mock intercepts an ESM client', async () => {
  const ecs = mockClient(ECSClient);
  ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'x' }] });
  const out = await new ECSClient({ region: 'us-east-1' }).send(new DescribeServicesCommand({ services: ['x'] }));
  expect(out.services?.[0]?.serviceName).toBe('x');
});
