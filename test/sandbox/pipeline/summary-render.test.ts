import { renderSummary } from '../../../sandbox/pipeline/summary-render.js';
import { PLAIN } from '../../../sandbox/pipeline/style.js';

/** The job summary as GitHub shows it. */

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
