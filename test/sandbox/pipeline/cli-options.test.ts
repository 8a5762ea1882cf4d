import { CliError, parseCliOptions } from '../../../sandbox/pipeline/cli-options.js';

describe('npm run sandbox flags', () => {
  it('parses the modes, --quiet and --time-scale in both spellings', () => {
    expect(parseCliOptions([])).toEqual({ mode: 'pipeline', quiet: false });
    expect(parseCliOptions(['--serve'])).toEqual({ mode: 'serve', quiet: false });
    expect(parseCliOptions(['--quiet', '--time-scale', '0.2'])).toEqual({
      mode: 'pipeline',
      quiet: true,
      timeScale: 0.2,
    });
    expect(parseCliOptions(['--time-scale=0.5']).timeScale).toBe(0.5);
    expect(parseCliOptions(['--serve', '--help'])).toEqual({ mode: 'help', quiet: false });
  });

  it('refuses bad time scales by name, unknown flags, and --quiet with --serve', () => {
    expect(() => parseCliOptions(['--time-scale', 'fast'])).toThrow(
      "--time-scale must be a positive number, got 'fast'",
    );
    expect(() => parseCliOptions(['--time-scale'])).toThrow(CliError);
    expect(() => parseCliOptions(['--time-scale', '0'])).toThrow(CliError);
    expect(() => parseCliOptions(['--bogus'])).toThrow("Unknown option '--bogus'");
    expect(() => parseCliOptions(['--serve', '--quiet'])).toThrow('--quiet applies to the pipeline');
  });
});
