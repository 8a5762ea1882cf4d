import type { Inputs } from '../../lib/runner/inputs.js';
import { readWaitInputs, type WaitInputs } from '../../lib/ecs/wait-inputs.js';
import { parseRollbackTo, type RollbackTo } from './rollback-target.js';

/** Every input of rollback, read and validated before any AWS call (same ranges as deploy-service). */
export interface RollbackInputs extends WaitInputs {
  cluster: string;
  service: string;
  to: RollbackTo;
  /** The `to` input as given, for messages. */
  toText: string;
  dryRun: boolean;
  /** Check the target's images, secrets and log groups before changing anything. */
  verify: boolean;
}

export function readRollbackInputs(inputs: Inputs): RollbackInputs {
  const cluster = inputs.string('cluster', { required: true });
  const service = inputs.string('service', { required: true });
  const toText = inputs.string('to', { default: 'previous' });
  const to = parseRollbackTo(toText);
  const waiting = readWaitInputs(inputs);
  const dryRun = inputs.boolean('dry-run', false);
  const verify = inputs.boolean('verify', true);
  return { cluster, service, to, toText, ...waiting, dryRun, verify };
}
