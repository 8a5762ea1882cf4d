import { createServer, type Server } from 'node:http';
import { jest } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { Inputs } from '../../lib/runner/inputs.js';

/**
 * An "AWS endpoint" that answers every request HTTP 500 with an HTML page, as a proxy or load balancer in front of an
 * API does; every SDK client of the process is pointed at it (AWS_ENDPOINT_URL) while it runs.
 */

export const HTML_PAGE =
  '<!doctype html>\n<html><head><title>500 Internal Server Error</title></head><body></body></html>';

/** What each action's AWS errors must read like when the answer is that page. */
export const NAMED_CALL =
  /^[A-Z][A-Za-z0-9]+ failed: HTTP 500, (answer was not JSON|no error code in the answer) \(starts "<!doctype html> <html><head><title>500 I…"\); request id html-req-1$/;

export interface HtmlEndpoint {
  url: string;
  stop(): Promise<void>;
}

export async function startHtmlEndpoint(): Promise<HtmlEndpoint> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(500, {
        'content-type': 'text/html',
        'x-amzn-requestid': 'html-req-1',
        'x-amz-request-id': 'html-req-1',
      });
      res.end(HTML_PAGE);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  delete process.env.GITHUB_OUTPUT;
  delete process.env.GITHUB_STEP_SUMMARY;
  return {
    url,
    async stop() {
      process.env = saved;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Action inputs as the runner would give them, from a plain object. */
export function inputsOf(values: Record<string, string>): Inputs {
  return new Inputs((name) => values[name] ?? '');
}

/** Runs `work` and returns what it threw (fails the test when it did not throw). */
export async function thrownBy(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to fail');
}

/**
 * Registers jest hooks that run each test with every SDK client pointed at the HTML endpoint and stdout silenced (the
 * actions print as they go).
 */
export function useHtmlEndpoint(): void {
  let endpoint: HtmlEndpoint | undefined;
  beforeEach(async () => {
    endpoint = await startHtmlEndpoint();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await endpoint?.stop();
  });
}
