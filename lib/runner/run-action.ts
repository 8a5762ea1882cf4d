import { errorTitle, failureText } from './error-text.js';
import { commandData, InputError } from './inputs.js';
import { written } from './output-flush.js';

/** What every action's story gets besides its inputs: the AWS client settings and the cancel signal. */
export interface StoryContext<A> {
  aws: A;
  signal: AbortSignal;
}

/** The one shape of every action's `run`, in its main.ts. */
export type Story<I, A> = (inputs: I, context: StoryContext<A>) => Promise<void>;

/**
 * Runs an action with the conventions every action shares: bad input is one line and exit 1; SIGINT/SIGTERM (what
 * the runner sends on cancel) abort `signal` so the action can clean up before it exits.
 *
 * `check` reads and validates every input and must stay light (no AWS SDK, no @actions/core): a run with bad input
 * ends before the heavy modules are loaded. `load` then imports the story and runs it.
 */
export async function runAction<I, A>(
  check: () => { inputs: I; aws: A },
  load: () => Promise<Story<I, A>>,
): Promise<void> {
  let checked: { inputs: I; aws: A };
  try {
    checked = check();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    failOnInput(error);
    return;
  }
  const core = await import('@actions/core');
  const cancel = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (cancel.signal.aborted) return;
    core.warning(`Received ${name}: the workflow run was cancelled, cleaning up`, { title: 'Cancelled' });
    cancel.abort(new CancelledError(name));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const story = await load();
    await story(checked.inputs, { aws: checked.aws, signal: cancel.signal });
  } catch (error) {
    process.exitCode = 1;
    if (error instanceof InputError) {
      core.setFailed(error.message);
    } else if (error instanceof CancelledError) {
      core.error(`Cancelled by ${error.signalName}`, { title: 'Cancelled' });
    } else {
      core.error(failureText(error), { title: errorTitle(error) });
      if (core.isDebug() && error instanceof Error && error.stack) core.debug(error.stack);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  // What the AWS SDK leaves waiting after a cancel (retry back-off, adaptive rate limiting) must not hold the run open
  // past the runner's grace period; everything the action reports is written by now, once the pipes have taken it.
  if (cancel.signal.aborted) {
    await Promise.all([written(process.stdout), written(process.stderr)]);
    process.exit();
  }
}

/** What core.setFailed prints, without loading @actions/core: an error annotation and exit code 1. */
function failOnInput(error: InputError): void {
  process.stdout.write(`::error::${commandData(error.message)}\n`);
  process.exitCode = 1;
}

export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(readonly signalName: string) {
    super(`Cancelled by ${signalName}`);
  }
}
