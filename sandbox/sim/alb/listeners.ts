import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Service } from '../model.js';
import type { World } from '../world.js';

/**
 * One loopback listener per service, standing in for its load balancer: GET /health answers 200
 * {"status":"healthy"} while at least one RUNNING and healthy task of the service runs, else 503.
 */
export class AlbListeners {
  private readonly servers: Server[] = [];

  constructor(private readonly world: World) {}

  async open(service: Service): Promise<number> {
    const server = createServer((req, res) => {
      const healthy = this.world
        .tasksOf(service)
        .some((t) => t.desiredStatus === 'RUNNING' && t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY');
      const status = req.url?.split('?')[0] === '/health' ? (healthy ? 200 : 503) : 404;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        status === 404 ? '{"message":"Not Found"}' : JSON.stringify({ status: healthy ? 'healthy' : 'unhealthy' }),
      );
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.servers.push(server);
    return (server.address() as AddressInfo).port;
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
