import { randomUUID } from 'node:crypto';
import { escapeXml } from '../../xml.js';
import type { QueryReply, QueryService } from '../model.js';
import { DEFAULT_ATTRIBUTES, type TargetGroup, type TargetGroupStore } from './target-group-store.js';

/**
 * The ELB v2 API over the AWS Query protocol, as the SDK speaks it: POST / with a form body
 * (`Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=…`), XML answers
 * `<XResponse><XResult>…</XResult><ResponseMetadata>`, errors as `<ErrorResponse><Error><Type><Code><Message>`.
 * Read calls only, plus ModifyTargetGroupAttributes so a test can change the deregistration delay as a user would.
 */

const XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

export class ElbError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

const notFound = () => new ElbError('TargetGroupNotFound', 'One or more target groups not found');
const validation = (field: string) =>
  new ElbError(
    'ValidationError',
    `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
  );

/** `Targets.member.1.Id=…` → [{ Id }]: the form's flattened lists and structures, back into values. */
export function parseQuery(body: string): { action: string; params: Record<string, unknown> } {
  const form = new URLSearchParams(body);
  const params: Record<string, unknown> = {};
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    let node = params as Record<string, unknown>;
    const parts = key.split('.');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const last = i === parts.length - 1;
      if (part === 'member') continue;
      const next = parts[i + 1];
      if (last) node[part] = value;
      else node = (node[part] ??= next === 'member' || /^\d+$/.test(next ?? '') ? [] : {}) as Record<string, unknown>;
    }
  }
  return { action: form.get('Action') ?? '', params: listsFrom(params) as Record<string, unknown> };
}

/** Objects keyed 1, 2, … (from `member.N`) become arrays in member order. */
function listsFrom(value: unknown): unknown {
  if (Array.isArray(value)) {
    return Object.keys(value)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => listsFrom((value as unknown as Record<string, unknown>)[k]));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, listsFrom(v)]));
  }
  return value;
}

type Params = Record<string, unknown>;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export class Elbv2Api implements QueryService {
  readonly service = 'elasticloadbalancing' as const;
  readonly version = '2015-12-01';

  constructor(private readonly groups: TargetGroupStore) {}

  error(status: number, code: string, message: string): QueryReply {
    const type = status >= 500 ? 'Receiver' : 'Sender';
    return { status, operation: '', errorCode: code, body: errorBody({ code, message, type }) };
  }

  handle(body: string): QueryReply {
    const { action, params } = parseQuery(body);
    try {
      const result = this.dispatch(action, params);
      return { status: 200, operation: action, input: params, body: envelope(action, result) };
    } catch (error) {
      const e = error instanceof ElbError ? error : new ElbError('InternalFailure', String(error), 500, 'Receiver');
      return { status: e.status, operation: action, input: params, errorCode: e.code, body: errorBody(e) };
    }
  }

  private dispatch(action: string, params: Params): string {
    switch (action) {
      case 'DescribeTargetGroups':
        return this.describeTargetGroups(params);
      case 'DescribeTargetGroupAttributes':
        return `<Attributes>${this.attributes(this.group(params)).join('')}</Attributes>`;
      case 'ModifyTargetGroupAttributes': {
        const group = this.group(params);
        for (const entry of list(params.Attributes) as Array<{ Key?: string; Value?: string }>) {
          if (!entry.Key || !(entry.Key in DEFAULT_ATTRIBUTES)) {
            throw new ElbError('ValidationError', `The attribute '${entry.Key}' is not supported`);
          }
          group.attributes.set(entry.Key, entry.Value ?? '');
        }
        return `<Attributes>${this.attributes(group).join('')}</Attributes>`;
      }
      case 'DescribeTargetHealth':
        return this.describeTargetHealth(params);
      default:
        throw new ElbError('InvalidAction', `The action ${action || '(none)'} is not valid for this web service.`);
    }
  }

  private group(params: Params): TargetGroup {
    const arn = params.TargetGroupArn as string | undefined;
    if (!arn) throw validation('targetGroupArn');
    const group = this.groups.groups.get(arn);
    if (!group) throw notFound();
    return group;
  }

  private describeTargetGroups(params: Params): string {
    const arns = list(params.TargetGroupArns) as string[];
    const names = list(params.Names) as string[];
    const all = [...this.groups.groups.values()];
    let found: TargetGroup[];
    if (arns.length > 0) {
      found = arns.map((arn) => this.groups.groups.get(arn)).filter((g): g is TargetGroup => g !== undefined);
      if (found.length !== new Set(arns).size) throw notFound();
    } else if (names.length > 0) {
      found = names.map((name) => this.groups.byName(name)).filter((g): g is TargetGroup => g !== undefined);
      if (found.length !== new Set(names).size) throw notFound();
    } else {
      const lb = params.LoadBalancerArn as string | undefined;
      found = lb ? all.filter((g) => g.loadBalancerArns.includes(lb)) : all;
    }
    return `<TargetGroups>${found.map(describeGroup).join('')}</TargetGroups>`;
  }

  private attributes(group: TargetGroup): string[] {
    return Object.keys(DEFAULT_ATTRIBUTES).map(
      (key) => `<member><Key>${key}</Key><Value>${escapeXml(this.groups.attribute(group, key) ?? '')}</Value></member>`,
    );
  }

  private describeTargetHealth(params: Params): string {
    const group = this.group(params);
    const asked = list(params.Targets) as Array<{ Id?: string; Port?: string }>;
    const port = (target: { Port?: string }) => Number(target.Port ?? group.port);
    const registered = [...group.targets.values()];
    const members = asked.length
      ? asked.map((t) => {
          const found = registered.find((r) => r.id === t.Id && r.port === port(t));
          return found
            ? member(found.id, found.port, found.state, found.reason, found.description)
            : member(
                t.Id ?? '?',
                port(t),
                'unused',
                'Target.NotRegistered',
                'Target is not registered to the target group',
              );
        })
      : registered.map((r) => member(r.id, r.port, r.state, r.reason, r.description));
    return `<TargetHealthDescriptions>${members.join('')}</TargetHealthDescriptions>`;
  }
}

function member(id: string, port: number, state: string, reason?: string, description?: string): string {
  const health = [
    `<State>${state}</State>`,
    reason ? `<Reason>${reason}</Reason>` : '',
    description ? `<Description>${escapeXml(description)}</Description>` : '',
  ].join('');
  return (
    `<member><HealthCheckPort>${port}</HealthCheckPort><TargetHealth>${health}</TargetHealth>` +
    `<Target><Port>${port}</Port><Id>${id}</Id></Target></member>`
  );
}

function describeGroup(group: TargetGroup): string {
  const check = group.healthCheck;
  const fields: Array<[string, string | number | boolean]> = [
    ['TargetGroupArn', group.arn],
    ['TargetGroupName', group.name],
    ['Protocol', group.protocol],
    ['Port', group.port],
    ['VpcId', group.vpcId],
    ['HealthCheckProtocol', check.protocol],
    ['HealthCheckPort', check.port],
    ['HealthCheckEnabled', check.enabled],
    ['HealthCheckIntervalSeconds', check.intervalSeconds],
    ['HealthCheckTimeoutSeconds', check.timeoutSeconds],
    ['HealthyThresholdCount', check.healthyThreshold],
    ['UnhealthyThresholdCount', check.unhealthyThreshold],
    ['HealthCheckPath', check.path],
  ];
  const lbs = group.loadBalancerArns.map((arn) => `<member>${escapeXml(arn)}</member>`).join('');
  return (
    `<member>${fields.map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('')}` +
    `<Matcher><HttpCode>${escapeXml(check.matcher)}</HttpCode></Matcher>` +
    `<LoadBalancerArns>${lbs}</LoadBalancerArns><TargetType>${group.targetType}</TargetType>` +
    `<ProtocolVersion>HTTP1</ProtocolVersion><IpAddressType>ipv4</IpAddressType></member>`
  );
}

function envelope(action: string, result: string): string {
  return (
    `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function errorBody(error: { code: string; message: string; type?: 'Sender' | 'Receiver' }): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${error.type ?? 'Sender'}</Type><Code>${error.code}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}
