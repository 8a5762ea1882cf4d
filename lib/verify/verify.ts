import type { AwsClientConfig } from '../aws/config.js';
import { regionalClients } from '../aws/clients.js';
import type { TaskDefinitionJson } from '../ecs/task-definitions.js';
import { planChecks } from './verify-plan.js';
import { runChecks } from './verify-run.js';
import { verificationText, verifiedLine, type VerificationText } from './verify-text.js';

/** Checks what a task definition needs before it is registered or run (see verify-plan.ts), and words the outcome. */

export interface VerifyOutcome {
  text: VerificationText;
  /** Something the task needs does not exist: the run must stop before changing anything. */
  failed: boolean;
  /** `Checked before any change: 1 image, 4 secret references, 1 log group`. */
  headline: string;
}

export async function verifyBeforeChange(definition: TaskDefinitionJson, aws: AwsClientConfig): Promise<VerifyOutcome> {
  const verification = await runChecks(planChecks(definition, aws.region), regionalClients(aws));
  const text = verificationText(verification);
  return { text, failed: text.problems.length > 0, headline: verifiedLine(verification) };
}

/** How a verification reads in an action's log: lines, warnings (a check not made), and the failure if any. Pure. */
export interface VerifyWords {
  lines: string[];
  warnings: string[];
  warningTitle: string;
  failure?: { title: string; reason: string; body?: string };
}

/** `unchanged` says what was not done: `nothing registered or deployed`, `no task started`. */
export function verifyWords(outcome: VerifyOutcome | undefined, unchanged: string): VerifyWords {
  const warningTitle = 'Not checked before the change';
  if (!outcome) {
    return {
      lines: ['Not checked before the change (verify: false): images, secret references, log groups'],
      warnings: [],
      warningTitle,
    };
  }
  const { text } = outcome;
  const lines = [outcome.headline, ...[...text.found, ...text.notChecked].map((line) => `  ${line}`)];
  const count = text.problems.length;
  const failure =
    count === 0
      ? undefined
      : {
          title: `Verify failed: ${unchanged}`,
          reason: count === 1 ? (text.problems[0] as string) : `${count} things the task needs do not exist`,
          ...(count > 1 ? { body: text.problems.map((line) => `- ${line}`).join('\n') } : {}),
        };
  return { lines, warnings: text.warnings, warningTitle, ...(failure ? { failure } : {}) };
}
