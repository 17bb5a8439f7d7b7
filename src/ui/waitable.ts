/** A value that arrives later, once; later settles are ignored. */
export class Deferred<T> {
  readonly promise: Promise<T>;
  private settle: (value: T) => void = () => {};
  private done = false;

  constructor() {
    this.promise = new Promise<T>((resolve) => {
      this.settle = resolve;
    });
  }

  get settled(): boolean {
    return this.done;
  }

  resolve(value: T): void {
    if (this.done) return;
    this.done = true;
    this.settle(value);
  }
}

/** A list that grows until it is closed; readers wait for the item at an index. */
export class GrowingList<T> {
  readonly items: T[] = [];
  private closed = false;
  private waiters: Array<() => void> = [];

  push(item: T): void {
    this.items.push(item);
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves once the list is closed. */
  async whenClosed(): Promise<void> {
    while (!this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** The item at `index` once it exists, or undefined when the list closes without it. */
  async at(index: number): Promise<T | undefined> {
    while (index >= this.items.length && !this.closed) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.items[index];
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
