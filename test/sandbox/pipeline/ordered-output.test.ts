import { OrderedOutput } from '../../../sandbox/pipeline/ordered-output.js';

/** Parallel jobs, shown in turn. */

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
