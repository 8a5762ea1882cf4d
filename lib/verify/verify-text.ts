import { shortImage } from '../ecr/image-refs.js';
import type { Check } from './verify-plan.js';
import type { CheckResult, Verification } from './verify-run.js';

/** The words of a verification, for the log, the annotations and the job summary of every action. Pure. */

export interface VerificationText {
  /** One line per problem that fails the run (something the task needs does not exist). */
  problems: string[];
  /** One line per check that could not be made (not allowed, or an error): the run goes on. */
  warnings: string[];
  /** What was found, one line per check. */
  found: string[];
  /** What was not checked, and why. */
  notChecked: string[];
}

export function verificationText(verification: Verification): VerificationText {
  const text: VerificationText = { problems: [], warnings: [], found: [], notChecked: [] };
  for (const result of verification.results) {
    if (result.outcome === 'found') text.found.push(`${subject(result.check)}: exists`);
    else if (result.outcome === 'missing') text.problems.push(missingText(result));
    else if (result.outcome === 'denied') {
      text.warnings.push(
        `Could not check ${subject(result.check)}: the role may not call ${result.permission}. ` +
          `Add ${result.permission} on ${result.resource} to its policy to have it checked before each change`,
      );
    } else text.warnings.push(`Could not check ${subject(result.check)}: ${result.error}`);
  }
  for (const skipped of verification.notChecked) {
    text.notChecked.push(`${skipped.what} (container ${skipped.container}): not checked, ${skipped.why}`);
  }
  return text;
}

/** `image startupwebapp-backend:4f2c9e1 (container web)`, `secret DATABASE_PASSWORD (container web)`. */
export function subject(check: Check): string {
  const containers = `container${check.containers.length > 1 ? 's' : ''} ${check.containers.join(', ')}`;
  if (check.kind === 'image') return `image ${shortImage(check.ref)} (${containers})`;
  if (check.kind === 'log-group') return `log group ${check.group} (${containers})`;
  return `secret ${check.names.join(', ')} (${containers})`;
}

function missingText(result: Extract<CheckResult, { outcome: 'missing' }>): string {
  const check = result.check;
  if (check.kind === 'image') {
    const { ref } = check;
    const where = `registry ${ref.registryId}, ${ref.region}`;
    if (result.what === 'repository') {
      return `${subject(check)}: ECR repository ${ref.repository} does not exist (${where})`;
    }
    const what = ref.digest ? `digest ${ref.digest}` : `tag ${ref.tag}`;
    const tags = result.newestTags;
    const instead =
      tags === undefined ? '' : tags.length === 0 ? '; it has no tagged image' : `; newest tags: ${tags.join(', ')}`;
    return `${subject(check)}: ${what} is not in ECR repository ${ref.repository} (${where})${instead}`;
  }
  if (check.kind === 'log-group') {
    return (
      `${subject(check)}: CloudWatch log group ${check.group} does not exist in ${check.region} ` +
      `(create it, or set awslogs-create-group "true" and allow logs:CreateLogGroup to the execution role)`
    );
  }
  const store =
    check.ref.store === 'secretsmanager'
      ? `Secrets Manager secret ${check.ref.secretId}`
      : `SSM parameter ${check.ref.parameter}`;
  return `${subject(check)}: its reference names ${store}, which does not exist`;
}

/** The line that says the check passed: `Verified 1 image, 4 secret references and 1 log group`. */
export function verifiedLine(verification: Verification): string {
  const count = (kind: Check['kind']) => verification.results.filter((r) => r.check.kind === kind).length;
  const parts = [
    plural(count('image'), 'image'),
    plural(count('secret'), 'secret'),
    plural(count('log-group'), 'log group'),
  ];
  return `Checked before any change: ${parts.join(', ')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
