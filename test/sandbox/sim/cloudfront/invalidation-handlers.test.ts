import { CreateInvalidationCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { waitFor } from '../../../support/wait-for.js';
import { useSeededSim } from '../../../support/sim-fixtures.js';

describe('CloudFront invalidations', () => {
  const ctx = useSeededSim('all');
  afterEach(() => ctx.sim.faults.clear());

  it('creates a CloudFront invalidation that completes', async () => {
    const created = await ctx.cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: 'E2EXAMPLE',
        InvalidationBatch: { CallerReference: 'run-4242', Paths: { Quantity: 2, Items: ['/index.html', '/js/*'] } },
      }),
    );
    expect(created.Location).toContain(`/invalidation/${created.Invalidation!.Id}`);
    expect(created.Invalidation!.Status).toBe('InProgress');
    expect(created.Invalidation!.InvalidationBatch!.Paths!.Items).toEqual(['/index.html', '/js/*']);
    // Completed after 10 simulated seconds: polled as a client would, until it says so.
    const got = await waitFor(async () => {
      const answer = await ctx.cloudfront.send(
        new GetInvalidationCommand({ DistributionId: 'E2EXAMPLE', Id: created.Invalidation!.Id }),
      );
      return answer.Invalidation!.Status === 'Completed' ? answer : undefined;
    });
    expect(got.Invalidation!.Status).toBe('Completed');
    expect(got.Invalidation!.CreateTime).toBeInstanceOf(Date);
    expect(ctx.sim.calls('CreateInvalidation')[0].input).toMatchObject({
      InvalidationBatch: { CallerReference: 'run-4242' },
    });
  });
});
