import { Writable } from 'node:stream';
import { written } from '../../../../lib/runner/output-flush.js';

/** A stream like a pipe the runner is slow to read: each write completes only when the test lets it. */
function slowPipe() {
  const held: Array<() => void> = [];
  const taken: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      held.push(() => {
        taken.push(chunk.toString());
        callback();
      });
    },
  });
  const releaseOne = () => held.shift()?.();
  return { stream, taken, releaseOne, pending: () => held.length };
}

test('resolves at once when nothing is waiting to be written', async () => {
  const { stream } = slowPipe();
  await expect(written(stream)).resolves.toBeUndefined();
});

test('resolves only after every earlier write has left, the last one included', async () => {
  const pipe = slowPipe();
  pipe.stream.write('line 1\n');
  pipe.stream.write('line 2\n');
  pipe.stream.write('::error::the verdict\n');
  let done = false;
  const flushed = written(pipe.stream).then(() => (done = true));
  while (pipe.pending() > 0) {
    expect(done).toBe(false);
    pipe.releaseOne();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await flushed;
  expect(pipe.taken.join('')).toBe('line 1\nline 2\n::error::the verdict\n');
});

test('does not wait on a stream that was destroyed', async () => {
  const pipe = slowPipe();
  pipe.stream.write('lost\n');
  pipe.stream.destroy();
  await expect(written(pipe.stream)).resolves.toBeUndefined();
});
