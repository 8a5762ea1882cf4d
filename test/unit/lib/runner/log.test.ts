import { jobLogLines } from '../../../../lib/runner/log.js';

describe('jobLogLines', () => {
  it('prints ordinary lines as they are', () => {
    expect(jobLogLines('Applying auth.0001_initial... OK\n')).toEqual(['Applying auth.0001_initial... OK']);
  });

  it('wraps lines that look like workflow commands in stop-commands so the runner shows them as text', () => {
    expect(jobLogLines('  ::add-mask::x\nnext', () => 'tok')).toEqual([
      '::stop-commands::tok',
      '  ::add-mask::x',
      'next',
      '::tok::',
    ]);
  });
});
