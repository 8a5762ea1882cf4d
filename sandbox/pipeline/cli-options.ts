/** `npm run sandbox [-- --serve] [--time-scale N] [--quiet]`, parsed. Pure, so the refusals are testable. */

export interface CliOptions {
  /** serve: start the sandbox, write .sandbox/env, serve until interrupted. pipeline: play the deploy pipeline. */
  mode: 'serve' | 'pipeline' | 'help';
  timeScale?: number;
  quiet: boolean;
}

export const USAGE = `Usage: npm run sandbox [-- [--serve] [--time-scale N] [--quiet]]
  (no flag)        play StartupWebApp's deploy pipeline through the action bundles against a fresh sandbox, then a recap
  --serve          start the sandbox, write its environment to .sandbox/env, and serve until Ctrl-C
  --time-scale N   real seconds per simulated second (pipeline default 0.01, --serve default 0.1)
  --quiet          pipeline: print only the recap`;

export class CliError extends Error {
  override name = 'CliError';
}

export function parseCliOptions(args: readonly string[]): CliOptions {
  const options: CliOptions = { mode: 'pipeline', quiet: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--serve') options.mode = 'serve';
    else if (arg === '--quiet') options.quiet = true;
    else if (arg === '--help' || arg === '-h') return { mode: 'help', quiet: false };
    else if (arg === '--time-scale' || arg.startsWith('--time-scale=')) {
      const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      const value = Number(text);
      if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value <= 0) {
        throw new CliError(`--time-scale must be a positive number, got '${text ?? ''}'`);
      }
      options.timeScale = value;
    } else throw new CliError(`Unknown option '${arg}'`);
  }
  if (options.mode === 'serve' && options.quiet) throw new CliError('--quiet applies to the pipeline, not to --serve');
  return options;
}
