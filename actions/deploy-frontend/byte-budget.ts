/**
 * At most `limit` bytes held at once across concurrent uploads: a file waits until its bytes fit, first come first
 * served. One held alone may exceed the limit (it never would wait forever). Bounds memory by bytes, not by file count.
 */
export class ByteBudget {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; start: () => void }> = [];

  constructor(readonly limit: number) {}

  /** Runs `work` once `bytes` fit in the budget, and gives them back when it ends. */
  async hold<T>(bytes: number, work: () => Promise<T>): Promise<T> {
    await this.take(bytes);
    try {
      return await work();
    } finally {
      this.used -= bytes;
      this.startWaiting();
    }
  }

  get held(): number {
    return this.used;
  }

  private take(bytes: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(bytes)) {
      this.used += bytes;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push({
        bytes,
        start: () => {
          this.used += bytes;
          resolve();
        },
      }),
    );
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.limit;
  }

  private startWaiting(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) this.waiting.shift()!.start();
  }
}
