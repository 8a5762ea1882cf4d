import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ecsCall } from './ecs-wire.js';
import { SMOKE_PATHS } from './images.js';

/**
 * StartupWebApp's API as the verify job reaches it: one loopback URL where the API's routes answer as the image the
 * service runs would (the application has no health route: /order/products is what its load balancer checks). That
 * image is read per request over the ECS wire (DescribeServices, then DescribeTaskDefinition), so a deploy or a
 * rollback changes the answers as it would on AWS.
 */

export interface RouteAnswer {
  status: number;
  body: string;
}

/** A route an image gets wrong, although its tasks are healthy. */
export interface BrokenRoute extends RouteAnswer {
  image: string;
  path: string;
}

/** What the API answers on `path` when `image` serves it. Pure. */
export function apiAnswer(path: string, image: string | undefined, broken: readonly BrokenRoute[]): RouteAnswer {
  if (!(SMOKE_PATHS as readonly string[]).includes(path)) return { status: 404, body: '{"detail":"Not found"}' };
  const wrong = broken.find((route) => route.image === image && route.path === path);
  if (wrong) return { status: wrong.status, body: wrong.body };
  return { status: 200, body: JSON.stringify({ path, image: image?.slice(image.lastIndexOf(':') + 1) ?? '?' }) };
}

export interface ApiStandInOptions {
  ecsEndpoint: string;
  cluster: string;
  service: string;
  broken: readonly BrokenRoute[];
}

export interface ApiStandIn {
  /** e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  stop(): Promise<void>;
}

interface ServicesReply {
  services?: Array<{ taskDefinition?: string }>;
}
interface TaskDefinitionReply {
  taskDefinition?: { containerDefinitions?: Array<{ image?: string; essential?: boolean }> };
}

async function servingImage(options: ApiStandInOptions): Promise<string | undefined> {
  const services = await ecsCall<ServicesReply>(options.ecsEndpoint, 'DescribeServices', {
    cluster: options.cluster,
    services: [options.service],
  });
  const taskDefinition = services.services?.[0]?.taskDefinition;
  if (!taskDefinition) return undefined;
  const described = await ecsCall<TaskDefinitionReply>(options.ecsEndpoint, 'DescribeTaskDefinition', {
    taskDefinition,
  });
  const containers = described.taskDefinition?.containerDefinitions ?? [];
  return (containers.find((c) => c.essential !== false) ?? containers[0])?.image;
}

export async function startApiStandIn(options: ApiStandInOptions): Promise<ApiStandIn> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    // every failure is answered (502) before the reply is written
    void servingImage(options)
      .then((image) => apiAnswer(path, image, options.broken))
      .catch((error: Error) => ({ status: 502, body: JSON.stringify({ message: error.message }) }))
      .then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
