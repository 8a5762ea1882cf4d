import { ecsCall } from './ecs-wire.js';

/**
 * The image a service runs now, read from ECS as the admin-command workflow reads it (DescribeServices -> the
 * service's task definition -> DescribeTaskDefinition -> the named container's image): never a mutable tag.
 */

export interface ServiceImage {
  /** `startupwebapp-service-task:5` */
  taskDefinition: string;
  image: string;
}

interface ServicesReply {
  services?: Array<{ status?: string; taskDefinition?: string }>;
}
interface TaskDefinitionReply {
  taskDefinition?: { containerDefinitions?: Array<{ name?: string; image?: string; essential?: boolean }> };
}

/** `container` undefined: the only essential container (the API stand-in's view of "what serves"). */
export async function serviceImage(
  endpoint: string,
  cluster: string,
  service: string,
  container?: string,
): Promise<ServiceImage | undefined> {
  const reply = await ecsCall<ServicesReply>(endpoint, 'DescribeServices', { cluster, services: [service] });
  const taskDefinition = reply.services?.find((s) => s.status === 'ACTIVE')?.taskDefinition;
  if (!taskDefinition) return undefined;
  const described = await ecsCall<TaskDefinitionReply>(endpoint, 'DescribeTaskDefinition', { taskDefinition });
  const containers = described.taskDefinition?.containerDefinitions ?? [];
  const chosen = container
    ? containers.find((c) => c.name === container)
    : (containers.find((c) => c.essential !== false) ?? containers[0]);
  if (!chosen?.image) return undefined;
  return { taskDefinition: taskDefinition.slice(taskDefinition.lastIndexOf('/') + 1), image: chosen.image };
}
