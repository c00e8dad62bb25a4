/**
 * Runs handler bodies one at a time. Update handlers that await an activity would otherwise
 * interleave; each step must be decided on the state the previous step left.
 */
export class Lock {
  private tail: Promise<unknown> = Promise.resolve();
  private held = 0;

  run<T>(work: () => Promise<T>): Promise<T> {
    this.held += 1;
    const result = this.tail.then(work);
    this.tail = result.then(
      () => (this.held -= 1),
      () => (this.held -= 1),
    );
    return result;
  }

  get idle(): boolean {
    return this.held === 0;
  }
}
