import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { judgeHealthResponse, pollHealth } from '../../../../lib/ecs/health-check.js';
import { onFakeClock } from '../../../support/fake-clock.js';

// The waits run on a fake clock: their pauses move it forward, nothing really sleeps.
onFakeClock();

describe('judgeHealthResponse', () => {
  it('accepts 200 with a non-JSON body', () => {
    expect(judgeHealthResponse(200, 'OK').healthy).toBe(true);
  });
  it('accepts 200 with a healthy JSON status', () => {
    expect(judgeHealthResponse(200, '{"status":"healthy","database":"ok"}')).toEqual({
      healthy: true,
      detail: '200 {"status":"healthy","database":"ok"}',
    });
  });
  it('rejects 200 whose JSON status is not healthy', () => {
    expect(judgeHealthResponse(200, '{"status":"degraded"}').healthy).toBe(false);
  });
  it('rejects any other HTTP status', () => {
    expect(judgeHealthResponse(503, '{"status":"unhealthy"}')).toEqual({
      healthy: false,
      detail: '503 {"status":"unhealthy"}',
    });
  });
});

describe('pollHealth', () => {
  let server: Server;
  let answers: Array<[number, string]>;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      const [status, body] = answers.length > 1 ? answers.shift()! : answers[0]!;
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('polls until the URL turns healthy', async () => {
    answers = [
      [503, '{"status":"unhealthy"}'],
      [503, '{"status":"unhealthy"}'],
      [200, '{"status":"healthy"}'],
    ];
    const changes: string[] = [];
    const result = await pollHealth(url, {
      timeoutSeconds: 5,
      pollSeconds: 0.05,
      onChange: (v) => changes.push(v.detail),
    });
    expect(result).toMatchObject({ healthy: true, attempts: 3 });
    expect(changes).toEqual(['503 {"status":"unhealthy"}', '200 {"status":"healthy"}']);
  });

  it('gives up after the timeout with the last answer', async () => {
    answers = [[503, '{"status":"unhealthy"}']];
    const started = Date.now();
    const result = await pollHealth(url, { timeoutSeconds: 0.3, pollSeconds: 0.05 });
    expect(result).toMatchObject({ healthy: false, detail: '503 {"status":"unhealthy"}' });
    expect(Date.now() - started).toBeLessThan(10_000); // it gives up rather than polling on (a busy-machine margin)
  });

  it('reports a refused connection as unhealthy', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await pollHealth(`http://127.0.0.1:${port}/health`, { timeoutSeconds: 0.1, pollSeconds: 0.05 });
    expect(result.healthy).toBe(false);
    expect(result.detail).toMatch(/ECONNREFUSED/);
  });
});
