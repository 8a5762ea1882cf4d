import { DeleteServiceCommand, DescribeTasksCommand, ListServicesCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { useSeededSim } from '../../../support/sim-fixtures.js';
import { CLUSTER, SERVICE, describeService } from '../../../support/sim-clients.js';
import { waitFor } from '../../../support/wait-for.js';

describe('deleting a service', () => {
  const ctx = useSeededSim('each');

  it('DeleteService refuses a scaled service without force, then drains it to INACTIVE', async () => {
    await expect(ctx.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: SERVICE }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'The service cannot be stopped while it is scaled above 0.',
    });
    const deleted = await ctx.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: SERVICE, force: true }));
    expect(deleted.service!.status).toBe('DRAINING');
    expect(deleted.service!.desiredCount).toBe(0);
    const inactive = await waitFor(async () => {
      const s = await describeService(ctx.ecs);
      return s.status === 'INACTIVE' ? s : undefined;
    });
    expect(inactive.runningCount).toBe(0);
    const stopped = await ctx.ecs.send(
      new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus: 'STOPPED' }),
    );
    const { tasks } = await ctx.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: stopped.taskArns }));
    expect(tasks!.map((t) => [t.lastStatus, t.stopCode])).toEqual([
      ['STOPPED', 'ServiceSchedulerInitiated'],
      ['STOPPED', 'ServiceSchedulerInitiated'],
    ]);
    const services = await ctx.ecs.send(new ListServicesCommand({ cluster: CLUSTER }));
    expect(services.serviceArns).toEqual([]);
  });
});
