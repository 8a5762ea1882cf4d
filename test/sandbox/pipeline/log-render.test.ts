import { LogRenderer } from '../../../sandbox/pipeline/log-render.js';
import { parseWorkflowCommand } from '../../../sandbox/run-bundle.js';
import { PLAIN } from '../../../sandbox/pipeline/style.js';

/** The job log as GitHub shows it. */

describe('the job log', () => {
  it('interprets workflow commands: groups indent, annotations are labelled, debug and masks are hidden', () => {
    const renderer = new LogRenderer(PLAIN);
    const shown = [
      '::add-mask::s3cr3t-value',
      'plain line with s3cr3t-value inside',
      '::group::Plan: 2 to upload',
      '+ index.html',
      '::endgroup::',
      '::debug::not for people',
      '::error title=Deployment FAILED::first line%0A%0Asecond s3cr3t-value line',
      '::warning::careful',
    ].flatMap((line) => renderer.render(line));
    expect(shown).toEqual([
      'plain line with *** inside',
      '▾ Plan: 2 to upload',
      '  + index.html',
      'Error: Deployment FAILED: first line',
      '',
      '  second *** line',
      'Warning: careful',
    ]);
  });

  it('parses command properties with escapes', () => {
    expect(parseWorkflowCommand('::error title=A%3A b%2C c::x%25y')).toEqual({
      name: 'error',
      properties: { title: 'A: b, c' },
      data: 'x%y',
    });
    expect(parseWorkflowCommand('not :: a command')).toBeUndefined();
  });
});
