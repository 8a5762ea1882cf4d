import type { Json } from '../core/json.js';

/** ECS's batch Describe* answer: each reference described in order, or listed in failures as MISSING. */
export function describeEach<T>(
  refs: string[],
  find: (ref: string) => T | undefined,
  describe: (found: T) => Json,
  missingArn: (ref: string) => string = (ref) => ref,
): { described: Json[]; failures: Json[] } {
  const described: Json[] = [];
  const failures: Json[] = [];
  for (const ref of refs) {
    const found = find(ref);
    if (found !== undefined) described.push(describe(found));
    else failures.push({ arn: missingArn(ref), reason: 'MISSING' });
  }
  return { described, failures };
}

/** How a failure names a missing reference: an ARN as given, a bare name or id under `arnPrefix`. */
export const arnUnder =
  (arnPrefix: string) =>
  (ref: string): string =>
    ref.startsWith('arn:') ? ref : `${arnPrefix}${ref}`;
