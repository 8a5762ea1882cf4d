import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { FaultPlan, type FaultKind } from './faults.js';
import { classifyRequest, type S3RequestInfo } from './operations.js';

/**
 * S3 on loopback: s3rver (a real S3-compatible server from npm) behind a proxy that records every request and can
 * inject faults. Path-style URLs (the SDK uses them for an IP endpoint).
 */

export const SANDBOX_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface RecordedRequest extends S3RequestInfo {
  status: number;
  /** What the proxy did instead of forwarding, if anything. */
  injected?: FaultKind;
  headers: Record<string, string>;
}

export interface S3Sandbox {
  /** The proxy's URL: what clients talk to. */
  url: string;
  region: string;
  env(): Record<string, string>;
  createBucket(name: string): Promise<void>;
  requests: RecordedRequest[];
  /** Recorded requests with this operation name (e.g. 'PutObject'). */
  count(operation: string): number;
  clearRequests(): void;
  faults: FaultPlan;
  directory: string;
  stop(): Promise<void>;
}

export async function startS3Server(options: { region?: string; directory?: string } = {}): Promise<S3Sandbox> {
  const region = options.region ?? 'us-east-1';
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 's3-sandbox-'));
  const backend = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false });
  const backendAddress = (await backend.run()) as AddressInfo;
  const requests: RecordedRequest[] = [];
  const faults = new FaultPlan();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const proxy = http.createServer((req, res) => {
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : (value ?? ''),
      ]),
    );
    const info = classifyRequest(req.method ?? 'GET', req.url ?? '/', headers);
    const record: RecordedRequest = { ...info, status: 0, headers };
    requests.push(record);
    const fault = faults.decide(info);
    if (fault) {
      record.injected = fault;
      req.resume();
      if (fault === 'drop') {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      const throttle = fault === 'throttle';
      record.status = throttle ? 503 : 500;
      const code = throttle ? 'SlowDown' : 'InternalError';
      const message = throttle
        ? 'Please reduce your request rate.'
        : 'We encountered an internal error. Please try again.';
      req.on('end', () => {
        res.writeHead(record.status, { 'content-type': 'application/xml', connection: 'close' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
        );
      });
      return;
    }
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: backendAddress.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (upstreamRes) => {
        record.status = upstreamRes.statusCode ?? 0;
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      record.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  return {
    url,
    region,
    directory,
    requests,
    faults,
    env: () => ({
      AWS_ENDPOINT_URL_S3: url,
      AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
      AWS_REGION: region,
    }),
    async createBucket(name: string) {
      const response = await fetch(`${url}/${name}`, { method: 'PUT' });
      if (!response.ok && response.status !== 409) {
        throw new Error(`Creating bucket '${name}' failed: HTTP ${response.status} ${await response.text()}`);
      }
    },
    count: (operation) => requests.filter((r) => r.operation === operation).length,
    clearRequests: () => void requests.splice(0, requests.length),
    async stop() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      agent.destroy();
      await backend.close();
      if (!options.directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}
