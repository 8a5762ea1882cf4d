import { S3Client } from '@aws-sdk/client-s3';
import {
  DirectPutter,
  objectPath,
  retryErrorType,
  sampleServerClock,
  serviceError,
} from '../../../actions/deploy-frontend/s3-direct-put-api.js';

const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };

describe('which buckets get the direct PUT path (decided by the SDK endpoint rules, no request sent)', () => {
  const client = new S3Client({ region: 'eu-west-1', credentials });
  afterAll(() => client.destroy());

  it('a general purpose bucket, virtual-hosted or path-style', async () => {
    expect(await DirectPutter.forBucket(client, 'startupwebapp-frontend')).toBeInstanceOf(DirectPutter);
    expect(await DirectPutter.forBucket(client, 'bucket.with.dots')).toBeInstanceOf(DirectPutter);
  });

  it('not an S3 Express directory bucket (sigv4-s3express) nor a multi-region access point (sigv4a)', async () => {
    expect(await DirectPutter.forBucket(client, 'site--euw1-az1--x-s3')).toBeUndefined();
    expect(
      await DirectPutter.forBucket(client, 'arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap'),
    ).toBeUndefined();
  });
});

describe('objectPath', () => {
  it('appends the key to a virtual-hosted endpoint, and after the bucket on a path-style one', () => {
    expect(objectPath(new URL('https://site.s3.eu-west-1.amazonaws.com/'), 'css/main-0.0.2.css')).toBe(
      '/css/main-0.0.2.css',
    );
    expect(objectPath(new URL('http://127.0.0.1:4568/site'), 'css/main.css')).toBe('/site/css/main.css');
  });

  it('percent-encodes each segment as RFC 3986 says, keeping the slashes', () => {
    const base = new URL('https://b.s3.amazonaws.com/');
    expect(objectPath(base, "a b/c+d/é/x!'()*~.txt")).toBe('/a%20b/c%2Bd/%C3%A9/x%21%27%28%29%2A~.txt');
    expect(objectPath(base, 'pct/a%20b.html')).toBe('/pct/a%2520b.html');
  });
});

describe('serviceError', () => {
  const headers = { 'x-amz-request-id': 'REQ1', 'x-amz-id-2': 'EXT1' };

  it("is shaped like the SDK's exceptions: S3's code as name, its message, status and request ids", () => {
    const error = serviceError(
      { statusCode: 403, headers },
      '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access &amp; more &lt;denied&gt;</Message></Error>',
    );
    expect(error).toMatchObject({
      name: 'AccessDenied',
      message: 'Access & more <denied>',
      $fault: 'client',
      $metadata: { httpStatusCode: 403, requestId: 'REQ1', extendedRequestId: 'EXT1' },
    });
  });

  it('names an error without a body after its status', () => {
    expect(serviceError({ statusCode: 503, headers: {} }, '')).toMatchObject({
      name: 'Http503',
      message: 'S3 answered HTTP 503',
      $fault: 'server',
    });
  });
});

describe('retryErrorType (what the retry strategy is told)', () => {
  const s3Error = (statusCode: number, code: string) =>
    serviceError({ statusCode, headers: {} }, `<Error><Code>${code}</Code></Error>`);

  it.each([
    { what: '503 SlowDown', error: s3Error(503, 'SlowDown'), type: 'THROTTLING' },
    { what: '500 InternalError', error: s3Error(500, 'InternalError'), type: 'TRANSIENT' },
    { what: '400 RequestTimeout', error: s3Error(400, 'RequestTimeout'), type: 'TRANSIENT' },
    {
      what: 'a dropped connection',
      error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      type: 'TRANSIENT',
    },
    { what: '403 AccessDenied', error: s3Error(403, 'AccessDenied'), type: 'CLIENT_ERROR' },
    { what: '400 BadDigest', error: s3Error(400, 'BadDigest'), type: 'CLIENT_ERROR' },
    { what: '501 NotImplemented', error: s3Error(501, 'NotImplemented'), type: 'SERVER_ERROR' },
  ])('$what -> $type', ({ error, type }) => {
    expect(retryErrorType(error)).toBe(type);
  });

  it('a clock-skew refusal is retried once the clock was corrected', () => {
    const error = s3Error(403, 'RequestTimeTooSkewed');
    expect(retryErrorType(error)).toBe('CLIENT_ERROR');
    error.$metadata.clockSkewCorrected = true;
    expect(retryErrorType(error)).toBe('TRANSIENT');
  });
});

describe('sampleServerClock (as the SDK samples the Date header of every response)', () => {
  const now = Date.UTC(2026, 10, 22, 12, 0, 0);
  const date = (offsetMs: number) => new Date(now + offsetMs).toUTCString();

  it("adopts the server's clock, and asks for a retry only when it is 4 minutes or more off", () => {
    const config = { systemClockOffset: 0 };
    expect(sampleServerClock(config, { date: date(60_000) }, now - 100, 0, now)).toBe(false);
    expect(config.systemClockOffset).toBe(60_000);
    expect(sampleServerClock(config, { date: date(-30 * 60_000) }, now - 100, 60_000, now)).toBe(true);
    expect(config.systemClockOffset).toBe(-30 * 60_000);
  });

  it('asks for a retry of a request signed before a concurrent one corrected the clock', () => {
    const config = { systemClockOffset: 30 * 60_000 };
    // signed with offset 0; another response already moved the offset to +30 min
    expect(sampleServerClock(config, { date: date(30 * 60_000) }, now - 100, 0, now)).toBe(true);
  });

  it('does not retry when the request was already signed with the right offset', () => {
    const config = { systemClockOffset: 30 * 60_000 };
    expect(sampleServerClock(config, { date: date(30 * 60_000) }, now - 100, 30 * 60_000, now)).toBe(false);
  });

  it('ignores cached answers (Age), answers that took over 15 minutes, and unreadable dates', () => {
    const config = { systemClockOffset: 0 };
    expect(sampleServerClock(config, { date: date(3_600_000), age: '10' }, now, 0, now)).toBe(false);
    expect(sampleServerClock(config, { date: date(3_600_000) }, now - 901_000, 0, now)).toBe(false);
    expect(sampleServerClock(config, { date: 'not a date' }, now, 0, now)).toBe(false);
    expect(sampleServerClock(config, {}, now, 0, now)).toBe(false);
    expect(config.systemClockOffset).toBe(0);
  });
});
