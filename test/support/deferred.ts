/** A promise the test settles by hand, to hold work at a chosen point. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Waits until every promise callback queued so far, and every one those queue, has run. */
export const settled = () => new Promise<void>((wake) => setImmediate(wake));
