import { launchSettingsOf } from './launch-settings.js';
import { serviceEvents } from './service-events.js';
import { createTask } from './tasks.js';
import type { Deployment, Service, Task } from '../model.js';
import type { World } from '../world.js';

/**
 * The service scheduler starting `count` tasks of one of the service's deployments (rolling or staged alike), with the
 * `has started N tasks` service event ECS writes for them.
 */
export function startServiceTasks(world: World, service: Service, deployment: Deployment, count: number): Task[] {
  const started: Task[] = [];
  for (let i = 0; i < count; i++) {
    started.push(
      createTask(world, {
        cluster: service.cluster,
        taskDefinition: deployment.taskDefinition,
        group: `service:${service.name}`,
        startedBy: deployment.id,
        ...launchSettingsOf(deployment),
        tags: service.propagateTags === 'SERVICE' ? service.tags : [],
        enableExecuteCommand: service.enableExecuteCommand,
        service,
        deploymentId: deployment.id,
      }),
    );
  }
  if (started.length > 0) world.serviceEvent(service, serviceEvents.started(service, started));
  return started;
}
