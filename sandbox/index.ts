import { startS3Server, SANDBOX_CREDENTIALS, type S3Sandbox } from './s3/index.js';
import { startSimulator } from './sim/index.js';
import type { Simulator, SimulatorOptions } from './sim/model.js';
import { SEED } from './sim/seed.js';

/** AWS on loopback: the S3 server and the ECS + CloudWatch Logs + CloudFront simulator, as one thing to start. */

export { SEED };
export const FRONTEND_BUCKET = 'startupwebapp-frontend-production';

export interface Sandbox {
  sim: Simulator;
  s3: S3Sandbox;
  /** Everything a process needs to reach the sandbox through the SDK's own endpoint settings. */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

export interface SandboxOptions extends SimulatorOptions {
  /** Seed StartupWebApp's cluster, service, task definitions and bucket. */
  seed?: boolean;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const [sim, s3] = await Promise.all([startSimulator(options), startS3Server({ region: options.region })]);
  if (options.seed) {
    await Promise.all([sim.seedStartupWebApp(), s3.createBucket(FRONTEND_BUCKET)]);
  }
  return {
    sim,
    s3,
    env: () => ({
      ...sim.env(),
      ...s3.env(),
      // One set of fake credentials for every service: s3rver checks signatures against its own keys.
      AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    }),
    stop: async () => {
      await Promise.all([sim.stop(), s3.stop()]);
    },
  };
}
