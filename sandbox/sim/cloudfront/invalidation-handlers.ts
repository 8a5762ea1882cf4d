import type { SimClock } from '../core/clock.js';
import type { RestXmlService, XmlError, XmlReply, XmlRoute } from '../model.js';
import { alphanumeric } from '../core/ids.js';
import { escapeXml, unescapeXml } from '../../xml.js';

/**
 * A CloudFront stand-in (REST-XML): CreateInvalidation and GetInvalidation (on any distribution id), and GetDistribution
 * of the distributions a test or the seed put here (their id, status and S3 origins only).
 */

export interface Distribution {
  id: string;
  /** Origin domain names, e.g. `startupwebapp-frontend-production.s3.amazonaws.com`. */
  origins: string[];
  enabled: boolean;
}

interface Invalidation {
  id: string;
  distributionId: string;
  paths: string[];
  callerReference: string;
  createdAt: number;
  completesAtSim: number;
}

/** Simulated seconds an invalidation stays InProgress. */
const INVALIDATION_SECONDS = 10;

const XMLNS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

function cloudFrontError(status: number, code: string, message: string): XmlError {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${alphanumeric(36)}</RequestId></ErrorResponse>`,
    errorCode: code,
  };
}

export class CloudFrontStub implements RestXmlService {
  readonly invalidations = new Map<string, Invalidation>();

  constructor(
    private readonly clock: SimClock,
    readonly distributions = new Map<string, Distribution>(),
  ) {}

  readonly error = cloudFrontError;

  /** Which operation a request is, from its method and path (undefined: not CloudFront). */
  route(method: string, path: string): XmlRoute | undefined {
    const create = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation\/?$/.exec(path);
    if (create && method === 'POST')
      return { operation: 'CreateInvalidation', distributionId: decodeURIComponent(create[1]) };
    if (create && method === 'GET')
      return { operation: 'ListInvalidations', distributionId: decodeURIComponent(create[1]) };
    const distribution = /^\/2020-05-31\/distribution\/([^/]+)$/.exec(path);
    if (distribution && method === 'GET') {
      return { operation: 'GetDistribution', distributionId: decodeURIComponent(distribution[1]) };
    }
    const get = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation\/([^/]+)$/.exec(path);
    if (get && method === 'GET') {
      return {
        operation: 'GetInvalidation',
        distributionId: decodeURIComponent(get[1]),
        invalidationId: decodeURIComponent(get[2]),
      };
    }
    return undefined;
  }

  handle(baseUrl: string, route: XmlRoute, body: string): XmlReply {
    if (route.operation === 'CreateInvalidation') {
      const paths = [...body.matchAll(/<Path>([\s\S]*?)<\/Path>/g)].map((m) => unescapeXml(m[1]));
      const callerReference = unescapeXml(/<CallerReference>([\s\S]*?)<\/CallerReference>/.exec(body)?.[1] ?? '');
      const input = {
        DistributionId: route.distributionId,
        InvalidationBatch: { Paths: { Quantity: paths.length, Items: paths }, CallerReference: callerReference },
      };
      if (paths.length === 0) {
        return {
          ...cloudFrontError(400, 'InvalidArgument', 'Your request contains one or more invalid invalidation paths.'),
          operation: route.operation,
          input,
        };
      }
      const invalidation: Invalidation = {
        id: `I${alphanumeric(25, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
        distributionId: route.distributionId,
        paths,
        callerReference,
        createdAt: Date.now(),
        completesAtSim: this.clock.now() + INVALIDATION_SECONDS * 1000,
      };
      this.invalidations.set(invalidation.id, invalidation);
      return {
        status: 201,
        headers: {
          'content-type': 'text/xml',
          location: `${baseUrl}/2020-05-31/distribution/${route.distributionId}/invalidation/${invalidation.id}`,
        },
        body: this.xml(invalidation),
        operation: route.operation,
        input,
      };
    }
    if (route.operation === 'GetDistribution') return this.getDistribution(route);
    const input = { DistributionId: route.distributionId, Id: route.invalidationId };
    if (route.operation === 'GetInvalidation') {
      const invalidation = this.invalidations.get(route.invalidationId ?? '');
      if (!invalidation || invalidation.distributionId !== route.distributionId) {
        return {
          ...cloudFrontError(404, 'NoSuchInvalidation', 'The specified invalidation does not exist.'),
          operation: route.operation,
          input,
        };
      }
      return {
        status: 200,
        headers: { 'content-type': 'text/xml' },
        body: this.xml(invalidation),
        operation: route.operation,
        input,
      };
    }
    return {
      ...cloudFrontError(400, 'InvalidArgument', 'ListInvalidations is not simulated.'),
      operation: route.operation,
      input,
    };
  }

  private getDistribution(route: XmlRoute): XmlReply {
    const input = { Id: route.distributionId };
    const found = this.distributions.get(route.distributionId);
    if (!found) {
      return {
        ...cloudFrontError(404, 'NoSuchDistribution', 'The specified distribution does not exist.'),
        operation: route.operation,
        input,
      };
    }
    const origins = found.origins
      .map((domain, i) => `<Origin><Id>origin-${i + 1}</Id><DomainName>${escapeXml(domain)}</DomainName></Origin>`)
      .join('');
    const body =
      `<?xml version="1.0"?><Distribution xmlns="${XMLNS}"><Id>${escapeXml(found.id)}</Id>` +
      `<ARN>arn:aws:cloudfront::123456789012:distribution/${escapeXml(found.id)}</ARN><Status>Deployed</Status>` +
      `<DomainName>d111111abcdef8.cloudfront.net</DomainName><DistributionConfig>` +
      `<CallerReference>seed</CallerReference><Origins><Quantity>${found.origins.length}</Quantity><Items>${origins}</Items></Origins>` +
      `<Comment></Comment><Enabled>${found.enabled}</Enabled></DistributionConfig></Distribution>`;
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', etag: 'E2SEED' },
      body,
      operation: route.operation,
      input,
    };
  }

  private xml(inv: Invalidation): string {
    const status = this.clock.now() >= inv.completesAtSim ? 'Completed' : 'InProgress';
    const items = inv.paths.map((p) => `<Path>${escapeXml(p)}</Path>`).join('');
    return `<?xml version="1.0"?><Invalidation xmlns="${XMLNS}"><Id>${inv.id}</Id><Status>${status}</Status><CreateTime>${new Date(inv.createdAt).toISOString()}</CreateTime><InvalidationBatch><Paths><Quantity>${inv.paths.length}</Quantity><Items>${items}</Items></Paths><CallerReference>${escapeXml(inv.callerReference)}</CallerReference></InvalidationBatch></Invalidation>`;
  }
}
