import { LogRenderer } from '../../../sandbox/pipeline/log-render.js';
import { parseWorkflowCommand } from '../../../sandbox/run-bundle.js';
import { OrderedOutput } from '../../../sandbox/pipeline/ordered-output.js';
import { renderSummary } from '../../../sandbox/pipeline/summary-render.js';
import { PLAIN } from '../../../sandbox/pipeline/style.js';

/** How the pipeline shows a run: its log as GitHub shows it, its job summary, and parallel jobs in turn. */

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

describe('the job summary', () => {
  it('renders facts aligned, links as text, long tables and blocks shortened', () => {
    const markdown = [
      '## ✅ Deploy web: COMPLETED',
      '',
      '|  |  |',
      '| --- | --- |',
      '| **Cluster** | prod |',
      '| **Task** | [abc](https://example.com/abc) |',
      '',
      '### Timeline',
      '',
      '| UTC | What |',
      '| --- | --- |',
      ...Array.from({ length: 12 }, (_, i) => `| 00:00:${String(i).padStart(2, '0')} | event ${i} \\| a<br>b |`),
      '',
      '<details><summary>Rules &amp; more</summary>',
      '',
      '```text',
      ...Array.from({ length: 12 }, (_, i) => `log ${i}`),
      '```',
      '',
      '</details>',
    ].join('\n');
    const lines = renderSummary(markdown, PLAIN, { maxTableRows: 4, maxBlockLines: 3 });
    expect(lines).toEqual([
      '✅ Deploy web: COMPLETED',
      '  Cluster  prod',
      '  Task     abc',
      'Timeline',
      '  UTC       What',
      '  00:00:00  event 0 | a — b',
      '  … 9 more rows',
      '  00:00:10  event 10 | a — b',
      '  00:00:11  event 11 | a — b',
      '▸ Rules & more',
      '  … 10 earlier lines',
      '  log 10',
      '  log 11',
    ]);
  });
});

describe('parallel jobs', () => {
  it('are shown one after another, the first streaming live', () => {
    const written: string[] = [];
    const output = new OrderedOutput(3, (line) => written.push(line));
    output.line(1, 'b1');
    output.line(0, 'a1');
    output.line(2, 'c1');
    expect(written).toEqual(['a1']);
    output.finish(2);
    output.line(1, 'b2');
    expect(written).toEqual(['a1']);
    output.finish(0);
    expect(written).toEqual(['a1', 'b1', 'b2']);
    output.line(1, 'b3');
    output.finish(1);
    expect(written).toEqual(['a1', 'b1', 'b2', 'b3', 'c1']);
  });
});
