import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from './errors.js';
import type { AccessPolicy } from './access.js';
import type { FaultInjector } from './faults.js';
import { uuid } from './ids.js';
import type { Handler, QueryService, RecordedRequest, RestXmlService, XmlRoute } from '../model.js';

/**
 * The wire: AWS JSON 1.1 for ECS, CloudWatch Logs, ECR, Secrets Manager and SSM (POST /, X-Amz-Target
 * '<prefix>.<Operation>', errors as {"__type", "message"}), REST-XML for CloudFront, Query for ELB v2 and IAM. Faults are decided before a request is handled, so a
 * retry of a faulted request is always safe. Every request is recorded.
 */

type JsonService = 'ecs' | 'logs' | 'ecr' | 'secretsmanager' | 'ssm';

/** Target prefix -> the service as IAM names it (its actions are `<service>:<Operation>`). */
const TARGETS: Record<string, JsonService> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  Logs_20140328: 'logs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  secretsmanager: 'secretsmanager',
  AmazonSSM: 'ssm',
};

export interface ProtocolHandlers {
  ecs: Record<string, Handler>;
  logs: Record<string, Handler>;
  ecr: Record<string, Handler>;
  secretsmanager: Record<string, Handler>;
  ssm: Record<string, Handler>;
  /** Actions a test denies answer AccessDeniedException (JSON services). */
  access: AccessPolicy;
  /** What an `unapplied` fault answers, per operation (see FaultOptions.unappliedRate): nothing is changed. */
  unapplied: Record<string, Handler>;
  cloudfront: RestXmlService;
  /**
   * The AWS Query protocol (form-encoded POST, XML answers): Elastic Load Balancing v2 and IAM, told apart by the
   * request's `Version` (the first service answers a request without one).
   */
  query: QueryService[];
  faults: FaultInjector;
  requests: RecordedRequest[];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** What a proxy or load balancer in front of an API answers when the API behind it fails. */
const HTML_ERROR_PAGE =
  '<!doctype html>\n<html><head><title>500 Internal Server Error</title></head>\n' +
  '<body><center><h1>500 Internal Server Error</h1></center></body></html>\n';

function sendHtmlError(res: ServerResponse, entry: RecordedRequest): void {
  entry.status = 500;
  entry.errorCode = 'HtmlErrorPage';
  res.writeHead(500, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(HTML_ERROR_PAGE) });
  res.end(HTML_ERROR_PAGE);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': uuid(),
  });
  res.end(text);
}

async function handleJson(
  handlers: ProtocolHandlers,
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
): Promise<void> {
  const [prefix, operation = ''] = target.split('.');
  const service = TARGETS[prefix];
  const text = await readBody(req);
  let input: Record<string, unknown>;
  try {
    input = text ? JSON.parse(text) : {};
  } catch {
    input = {};
  }
  const entry: RecordedRequest = { service: service ?? 'ecs', operation, input, at: Date.now(), status: 0 };
  handlers.requests.push(entry);
  const fail = (status: number, code: string, message: string) => {
    entry.status = status;
    entry.errorCode = code;
    sendJson(res, status, { __type: code, message });
  };
  if (!service) return fail(400, 'UnknownOperationException', `Unknown target ${target}`);

  const fault = handlers.faults.decide(operation);
  if (fault === 'hang') {
    entry.errorCode = 'NeverAnswered';
    return;
  }
  if (fault === 'drop') {
    entry.errorCode = 'ConnectionDropped';
    req.socket.destroy();
    return;
  }
  if (fault === 'throttle') return fail(400, 'ThrottlingException', 'Rate exceeded');
  if (fault === 'server-error') return fail(500, 'ServerException', 'Internal server error. Please try again.');
  if (fault === 'html-error') return sendHtmlError(res, entry);

  const unapplied = fault === 'unapplied' ? handlers.unapplied[operation] : undefined;
  if (unapplied) entry.errorCode = 'Unapplied';
  const handler = unapplied ?? handlers[service][operation];
  if (!handler) return fail(400, 'UnknownOperationException', `The simulator does not implement ${operation}.`);
  try {
    handlers.access.check(service, operation);
    const output = await handler(input);
    entry.status = 200;
    sendJson(res, 200, output);
  } catch (error) {
    if (error instanceof AwsError) return fail(error.status, error.code, error.message);
    const message = error instanceof Error ? error.message : String(error);
    fail(500, service === 'ecs' ? 'ServerException' : 'ServiceUnavailableException', `Simulator error: ${message}`);
  }
}

async function handleCloudFront(
  handlers: ProtocolHandlers,
  req: IncomingMessage,
  res: ServerResponse,
  baseUrl: string,
  route: XmlRoute,
): Promise<void> {
  const body = await readBody(req);
  const entry: RecordedRequest = {
    service: 'cloudfront',
    operation: route.operation,
    input: { DistributionId: route.distributionId },
    at: Date.now(),
    status: 0,
  };
  handlers.requests.push(entry);
  const fault = handlers.faults.decide(route.operation);
  let reply: { status: number; headers: Record<string, string>; body: string; errorCode?: string; input?: unknown };
  if (fault === 'drop') {
    entry.errorCode = 'ConnectionDropped';
    req.socket.destroy();
    return;
  } else if (fault === 'throttle') {
    reply = handlers.cloudfront.error(400, 'Throttling', 'Rate exceeded');
  } else if (fault === 'html-error') {
    sendHtmlError(res, entry);
    return;
  } else if (fault === 'server-error') {
    reply = handlers.cloudfront.error(500, 'ServiceUnavailable', 'Internal server error. Please try again.');
  } else {
    reply = handlers.cloudfront.handle(baseUrl, route, body);
    entry.input = reply.input;
  }
  entry.status = reply.status;
  if (reply.errorCode) entry.errorCode = reply.errorCode;
  res.writeHead(reply.status, {
    ...reply.headers,
    'x-amzn-requestid': uuid(),
    'content-length': Buffer.byteLength(reply.body),
  });
  res.end(reply.body);
}

async function handleQuery(handlers: ProtocolHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const form = new URLSearchParams(body);
  const action = form.get('Action') ?? '';
  const query = handlers.query.find((q) => q.version === form.get('Version')) ?? (handlers.query[0] as QueryService);
  const entry: RecordedRequest = {
    service: query.service,
    operation: action,
    input: {},
    at: Date.now(),
    status: 0,
  };
  handlers.requests.push(entry);
  const fault = handlers.faults.decide(action);
  if (fault === 'drop') {
    entry.errorCode = 'ConnectionDropped';
    req.socket.destroy();
    return;
  }
  const reply =
    fault === 'throttle'
      ? query.error(400, 'Throttling', 'Rate exceeded')
      : fault === 'server-error'
        ? query.error(500, 'InternalFailure', 'Internal server error. Please try again.')
        : query.handle(body);
  entry.input = reply.input ?? {};
  entry.status = reply.status;
  if (reply.errorCode) entry.errorCode = reply.errorCode;
  res.writeHead(reply.status, {
    'content-type': 'text/xml',
    'x-amzn-requestid': uuid(),
    'content-length': Buffer.byteLength(reply.body),
  });
  res.end(reply.body);
}

const isForm = (req: IncomingMessage) =>
  req.method === 'POST' && (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');

export async function startHttpServer(handlers: ProtocolHandlers): Promise<{ server: Server; url: string }> {
  let url = '';
  const server = createServer((req, res) => {
    const target = req.headers['x-amz-target'];
    const path = (req.url ?? '/').split('?')[0];
    const route = handlers.cloudfront.route(req.method ?? 'GET', path);
    const work =
      typeof target === 'string'
        ? handleJson(handlers, req, res, target)
        : route
          ? handleCloudFront(handlers, req, res, url, route)
          : isForm(req)
            ? handleQuery(handlers, req, res)
            : Promise.resolve(
                sendJson(res, 404, {
                  __type: 'UnknownOperationException',
                  message: `No route for ${req.method} ${path}`,
                }),
              );
    work.catch((error) => {
      if (!res.headersSent) sendJson(res, 500, { __type: 'ServerException', message: String(error) });
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url };
}
