/**
 * Output of jobs that run at once (a matrix), shown one job after another as GitHub shows each job's log:
 * the first unfinished job streams live, later ones are held back and flushed when their turn comes.
 */
export class OrderedOutput {
  private readonly held: string[][];
  private readonly finished: boolean[];
  private current = 0;

  constructor(
    jobs: number,
    private readonly write: (line: string) => void,
  ) {
    this.held = Array.from({ length: jobs }, () => []);
    this.finished = Array.from({ length: jobs }, () => false);
  }

  line(job: number, text: string): void {
    if (job === this.current) this.write(text);
    else this.held[job]?.push(text);
  }

  /** The job printed everything it will; the next ones catch up. */
  finish(job: number): void {
    this.finished[job] = true;
    while (this.current < this.finished.length && this.finished[this.current]) {
      this.current++;
      for (const text of this.held[this.current]?.splice(0) ?? []) this.write(text);
    }
  }
}
