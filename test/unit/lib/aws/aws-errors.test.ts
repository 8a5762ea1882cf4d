import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ECSClient, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describeAwsError, markOperation, namedCalls, operationOf } from '../../../../lib/aws/aws-errors.js';

/** Real SDK clients against a loopback server that answers what a broken proxy or endpoint would. */

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

let server: Server;
let url: string;
let answer: Answer;
let requests: IncomingHttpHeaders[];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  requests = [];
});

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function ecs(maxAttempts = 1): ECSClient {
  const client = new ECSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts });
  client.middlewareStack.use(namedCalls);
  return client;
}

async function failure(send: () => Promise<unknown>): Promise<unknown> {
  try {
    await send();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

const HTML = '<!doctype html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';

describe('describeAwsError with the real SDK', () => {
  it('names the call, the status, the start of a non-JSON answer and the request id', async () => {
    answer = { status: 500, headers: { 'content-type': 'text/html', 'x-amzn-requestid': 'req-123' }, body: HTML };
    const error = await failure(() => ecs().send(new ListServiceDeploymentsCommand({ service: 'web' })));
    expect((error as Error).name).toBe('SyntaxError');
    expect(describeAwsError(error)).toBe(
      'ListServiceDeployments failed: HTTP 500, answer was not JSON (starts "<!doctype html> <html><head><title>502 B…"); request id req-123',
    );
  });

  it('says how many attempts the SDK made', async () => {
    answer = { status: 503, headers: { 'content-type': 'text/html' }, body: '<html>busy</html>' };
    const error = await failure(() => ecs(3).send(new ListServiceDeploymentsCommand({ service: 'web' })));
    expect(requests).toHaveLength(3);
    expect(describeAwsError(error)).toBe(
      'ListServiceDeployments failed: HTTP 503, answer was not JSON (starts "<html>busy</html>"); 3 attempts',
    );
  });

  it('a non-JSON answer with status 200 is named too', async () => {
    answer = { status: 200, headers: { 'content-type': 'text/html' }, body: HTML };
    const error = await failure(() => ecs().send(new ListServiceDeploymentsCommand({ service: 'web' })));
    expect(describeAwsError(error)).toBe(
      'ListServiceDeployments failed: HTTP 200, answer was not JSON (starts "<!doctype …")',
    );
  });

  it('a modelled AWS error keeps its name and message', async () => {
    answer = {
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r-9' },
      body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
    };
    const error = await failure(() => ecs().send(new ListServiceDeploymentsCommand({ service: 'web' })));
    expect((error as Error).name).toBe('ThrottlingException');
    expect(describeAwsError(error)).toBe(
      'ListServiceDeployments failed: HTTP 400, ThrottlingException: Rate exceeded; request id r-9',
    );
  });

  it('an error answer without a body says there was no error code', async () => {
    answer = { status: 503 };
    const error = await failure(() => ecs().send(new ListServiceDeploymentsCommand({ service: 'web' })));
    expect(describeAwsError(error)).toBe('ListServiceDeployments failed: HTTP 503, no error code in the answer');
  });

  it('XML services: an HTML answer to an S3 call is named, and S3 error codes read as before', async () => {
    const s3 = new S3Client({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, forcePathStyle: true });
    s3.middlewareStack.use(namedCalls);
    answer = { status: 502, headers: { 'content-type': 'text/html', 'x-amz-request-id': 's3-req' }, body: HTML };
    const html = await failure(() => s3.send(new ListObjectsV2Command({ Bucket: 'site' })));
    expect(describeAwsError(html)).toMatch(/^ListObjectsV2 failed: HTTP 502, .*"<!doctype html>.*; request id s3-req$/);

    answer = {
      status: 403,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': 's3-403' },
      body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
    };
    const denied = await failure(() => s3.send(new ListObjectsV2Command({ Bucket: 'site' })));
    expect(describeAwsError(denied)).toBe(
      'ListObjectsV2 failed: HTTP 403, AccessDenied: Access Denied; request id s3-403',
    );
    answer = { status: 404, headers: { 'x-amz-request-id': 'h-1' } };
    const missing = await failure(() => s3.send(new HeadObjectCommand({ Bucket: 'site', Key: 'k' })));
    expect(describeAwsError(missing)).toBe('HeadObject failed: HTTP 404, NotFound; request id h-1');
    s3.destroy();
  });

  it('no answer at all: the connection error, named', async () => {
    const closed = new ECSClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials, maxAttempts: 1 });
    closed.middlewareStack.use(namedCalls);
    const error = await failure(() => closed.send(new ListServiceDeploymentsCommand({ service: 'web' })));
    expect(describeAwsError(error)).toMatch(/^ListServiceDeployments failed: no answer \(.*ECONNREFUSED/);
  });

  it('successful answers are untouched', async () => {
    answer = {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ serviceDeployments: [{ serviceDeploymentArn: 'arn:x', status: 'SUCCESSFUL' }] }),
    };
    const out = await ecs().send(new ListServiceDeploymentsCommand({ service: 'web' }));
    expect(out.serviceDeployments?.[0]?.status).toBe('SUCCESSFUL');
  });
});

describe('describeAwsError without the SDK', () => {
  it('is undefined for errors that did not come from an AWS call', () => {
    expect(describeAwsError(new Error('plain'))).toBeUndefined();
    expect(describeAwsError('text')).toBeUndefined();
    expect(describeAwsError(undefined)).toBeUndefined();
  });

  it('uses an operation marked by hand, and keeps the first mark', () => {
    const error = Object.assign(new Error('Slow Down'), {
      name: 'SlowDown',
      $fault: 'server' as const,
      $metadata: { httpStatusCode: 503, requestId: 'x1', attempts: 5 },
    });
    markOperation(markOperation(error, 'PutObject'), 'Other');
    expect(operationOf(error)).toBe('PutObject');
    expect(Object.keys(error)).not.toContain('$operation');
    expect(describeAwsError(error)).toBe('PutObject failed: HTTP 503, SlowDown: Slow Down; request id x1, 5 attempts');
  });

  it('an empty unparseable answer says so', () => {
    const error = Object.assign(new SyntaxError('Unexpected end of JSON input'), {
      $metadata: { httpStatusCode: 502 },
      $response: { statusCode: 502, body: new Uint8Array() },
    });
    expect(describeAwsError(markOperation(error, 'DescribeServices'))).toBe(
      'DescribeServices failed: HTTP 502, answer was not JSON (empty)',
    );
  });
});
