import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Service } from '../model.js';
import type { World } from '../world.js';
import { targetGroupsOf } from './target-group.js';
import { productionGroupFor } from '../ecs/staged-deployments.js';
import type { Target } from './target-group-store.js';

/**
 * One loopback listener per service, standing in for its load balancer: a request goes to a healthy target of the
 * service's (first) target group, round robin, and gets that task's answer — 200 on the app's routes such as the
 * group's health-check path `/order/products`, 404 elsewhere (there is no `/health`), 500 from an unhealthy image. With
 * only unhealthy targets the load balancer fails open and routes to them; with none, it answers 503 itself.
 */
export class AlbListeners {
  private readonly servers: Server[] = [];
  private turn = 0;

  constructor(private readonly world: World) {}

  /** The path the service's target group checks (where `albUrl` points). */
  healthPath(service: Service): string {
    return targetGroupsOf(this.world, service)[0]?.group.healthCheck.path ?? '/';
  }

  async open(service: Service): Promise<number> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] as string;
      const target = this.pick(service);
      const answer = target?.owner.probe(path);
      const status = typeof answer === 'number' ? answer : target ? 502 : 503;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body(status, path, target)));
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.servers.push(server);
    return (server.address() as AddressInfo).port;
  }

  private pick(service: Service): Target | undefined {
    // Blue/green, linear and canary services: the production listener rule's weights pick the group.
    const weighted = productionGroupFor(this.world, service, this.turn);
    const group = weighted
      ? this.world.targetGroups.groups.get(weighted)
      : targetGroupsOf(this.world, service)[0]?.group;
    if (!group) return undefined;
    const registered = [...group.targets.values()].filter((t) => t.state !== 'draining');
    const healthy = registered.filter((t) => t.state === 'healthy');
    const candidates = healthy.length > 0 ? healthy : registered.filter((t) => t.state === 'unhealthy');
    if (candidates.length === 0) return undefined;
    return candidates[this.turn++ % candidates.length];
  }

  async closeAll(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  }
}

function body(status: number, path: string, target: Target | undefined): unknown {
  if (status === 200) return { path, served_by: target?.id };
  if (status === 404) return { detail: 'Not found.' };
  if (status === 503) return { message: 'Service Temporarily Unavailable' };
  if (status === 502) return { message: 'Bad Gateway' };
  return { detail: 'Server Error (500)' };
}
