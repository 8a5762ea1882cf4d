import { mockClient } from 'aws-sdk-client-mock';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { createInvalidation } from '../../../actions/deploy-frontend/cloudfront-api.js';

const cloudfront = mockClient(CloudFrontClient);

beforeEach(() => cloudfront.reset());

it('creates a CloudFront invalidation of the given paths and returns its id', async () => {
  cloudfront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I123', Status: 'InProgress' } as never });
  const id = await createInvalidation(new CloudFrontClient({ region: 'us-east-1' }), 'E1', ['/', '/index.html'], 'ref');
  expect(id).toBe('I123');
  expect(cloudfront.commandCalls(CreateInvalidationCommand)[0]?.args[0].input).toEqual({
    DistributionId: 'E1',
    InvalidationBatch: { CallerReference: 'ref', Paths: { Quantity: 2, Items: ['/', '/index.html'] } },
  });
});
