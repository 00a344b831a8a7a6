import { describe, expect, it } from "vitest";
import { Batcher, type BatchLimit } from "../../server/db/batcher.js";
import { deferred, settled, type Deferred } from "../support/deferred.js";

/** A batcher whose batches are recorded and finish only when the test finishes them. */
function heldBatcher<T>(limit: BatchLimit<T> = { items: 100 }) {
  const batches: { items: T[]; done: Deferred<string[]> }[] = [];
  let finished = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  const batcher = new Batcher<T, string>(async (items) => {
    const done = deferred<string[]>();
    batches.push({ items, done });
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    try {
      return await done.promise;
    } finally {
      inFlight -= 1;
    }
  }, limit);

  /** The oldest batch not yet finished; batches run one after another. */
  async function running() {
    await settled();
    const batch = batches[finished];
    if (!batch) throw new Error("no batch is running");
    finished += 1;
    return batch;
  }

  return {
    batcher,
    batches: () => batches.map((batch) => batch.items),
    mostInFlight: () => mostInFlight,
    /** Finishes the running batch, answering each item with its own label. */
    async finishNext() {
      const batch = await running();
      batch.done.resolve(batch.items.map((item) => `result of ${String(item)}`));
      await settled();
    },
    async failNext(error: Error) {
      const batch = await running();
      batch.done.reject(error);
      await settled();
    },
  };
}

describe("gathering calls into batches", () => {
  it("runs the calls made in the same turn as one batch", async () => {
    const held = heldBatcher<string>();

    const results = ["a", "b", "c"].map((item) => held.batcher.add(item));
    await held.finishNext();

    expect(held.batches()).toEqual([["a", "b", "c"]]);
    await expect(Promise.all(results)).resolves.toEqual([
      "result of a",
      "result of b",
      "result of c",
    ]);
  });

  it("gathers the calls that arrive while a batch runs into the next batch", async () => {
    const held = heldBatcher<string>();

    const first = held.batcher.add("a");
    await settled();
    const later = [held.batcher.add("b"), held.batcher.add("c")];
    await settled();
    const beforeTheFirstFinished = held.batches();
    await held.finishNext();
    await held.finishNext();

    expect(beforeTheFirstFinished).toEqual([["a"]]);
    expect(held.batches()).toEqual([["a"], ["b", "c"]]);
    await expect(first).resolves.toBe("result of a");
    await expect(Promise.all(later)).resolves.toEqual(["result of b", "result of c"]);
  });

  it("runs one batch at a time", async () => {
    const held = heldBatcher<number>({ items: 2 });

    const results = [1, 2, 3, 4, 5].map((item) => held.batcher.add(item));
    await settled();
    results.push(held.batcher.add(6));
    await settled();
    const whileTheFirstRuns = held.batches();
    for (let batch = 0; batch < 3; batch += 1) await held.finishNext();
    await Promise.all(results);

    expect(whileTheFirstRuns).toEqual([[1, 2]]);
    expect(held.batches()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(held.mostInFlight()).toBe(1);
  });

  it("starts a new batch for a call made after the batcher went idle", async () => {
    const held = heldBatcher<string>();

    const first = held.batcher.add("a");
    await held.finishNext();
    await first;
    const second = held.batcher.add("b");
    await held.finishNext();

    expect(held.batches()).toEqual([["a"], ["b"]]);
    await expect(second).resolves.toBe("result of b");
  });

  it("gives each call the result at its own position in its batch", async () => {
    const batcher = new Batcher<number, number>(async (items) => items.map((item) => item * 10), {
      items: 3,
    });

    const results = await Promise.all([7, 3, 9, 1, 3].map((item) => batcher.add(item)));

    expect(results).toEqual([70, 30, 90, 10, 30]);
  });
});

describe("the limits of one batch", () => {
  it("takes at most the item limit into one batch, oldest calls first", async () => {
    const held = heldBatcher<number>({ items: 2 });

    const results = [1, 2, 3, 4, 5].map((item) => held.batcher.add(item));
    for (let batch = 0; batch < 3; batch += 1) await held.finishNext();

    expect(held.batches()).toEqual([[1, 2], [3, 4], [5]]);
    await expect(Promise.all(results)).resolves.toEqual(
      [1, 2, 3, 4, 5].map((n) => `result of ${n}`),
    );
  });

  it("ends a batch before the item that would take it over the weight limit", async () => {
    const held = heldBatcher<number>({ items: 100, weight: (item) => item, maxWeight: 10 });

    const results = [6, 3, 2, 6, 4].map((item) => held.batcher.add(item));
    for (let batch = 0; batch < 3; batch += 1) await held.finishNext();

    expect(held.batches()).toEqual([[6, 3], [2, 6], [4]]);
    await Promise.all(results);
  });

  it("fills a batch up to exactly the weight limit", async () => {
    const held = heldBatcher<number>({ items: 100, weight: (item) => item, maxWeight: 10 });

    const results = [4, 6].map((item) => held.batcher.add(item));
    await held.finishNext();

    expect(held.batches()).toEqual([[4, 6]]);
    await Promise.all(results);
  });

  it("sends an item heavier than the weight limit alone, between batches of the lighter ones", async () => {
    const held = heldBatcher<number>({ items: 100, weight: (item) => item, maxWeight: 10 });

    const results = [1, 2, 25, 3].map((item) => held.batcher.add(item));
    for (let batch = 0; batch < 3; batch += 1) await held.finishNext();

    expect(held.batches()).toEqual([[1, 2], [25], [3]]);
    await expect(Promise.all(results)).resolves.toEqual([
      "result of 1",
      "result of 2",
      "result of 25",
      "result of 3",
    ]);
  });

  it("ends a batch at whichever of the item limit and the weight limit comes first", async () => {
    const held = heldBatcher<number>({ items: 3, weight: (item) => item, maxWeight: 10 });

    const results = [1, 1, 1, 1, 5, 5, 5].map((item) => held.batcher.add(item));
    for (let batch = 0; batch < 3; batch += 1) await held.finishNext();

    expect(held.batches()).toEqual([
      [1, 1, 1],
      [1, 5],
      [5, 5],
    ]);
    await Promise.all(results);
  });

  it("leaves the weight unbounded when no maximum is given", async () => {
    const held = heldBatcher<number>({ items: 100, weight: (item) => item });

    const results = [1_000_000, 2_000_000].map((item) => held.batcher.add(item));
    await held.finishNext();

    expect(held.batches()).toEqual([[1_000_000, 2_000_000]]);
    await Promise.all(results);
  });
});

describe("a failed batch", () => {
  it("rejects each of its calls with the batch's error", async () => {
    const held = heldBatcher<string>();
    const failure = new Error("database is locked");

    const results = [held.batcher.add("a"), held.batcher.add("b")];
    const outcomes = Promise.allSettled(results);
    await held.failNext(failure);

    expect(await outcomes).toEqual([
      { status: "rejected", reason: failure },
      { status: "rejected", reason: failure },
    ]);
  });

  it("still runs the next batch, which succeeds on its own", async () => {
    const held = heldBatcher<string>();

    const failed = expect(held.batcher.add("a")).rejects.toThrow("database is locked");
    await settled();
    const later = [held.batcher.add("b"), held.batcher.add("c")];
    await held.failNext(new Error("database is locked"));
    await held.finishNext();

    await failed;
    await expect(Promise.all(later)).resolves.toEqual(["result of b", "result of c"]);
    expect(held.batches()).toEqual([["a"], ["b", "c"]]);
  });

  it("fails its calls too when running it throws before any promise is returned", async () => {
    let calls = 0;
    const batcher = new Batcher<string, string>(
      (items) => {
        calls += 1;
        if (calls === 1) throw new Error("statement could not be prepared");
        return Promise.resolve(items.map((item) => item.toUpperCase()));
      },
      { items: 100 },
    );

    const failed = batcher.add("a");
    await expect(failed).rejects.toThrow("statement could not be prepared");
    const next = batcher.add("b");

    await expect(next).resolves.toBe("B");
  });
});

describe("a batch that cannot be formed or answered", () => {
  it("fails the call whose item cannot be weighed, and still runs the others", async () => {
    const batcher = new Batcher<string, string>(
      (items) => Promise.resolve(items.map((item) => item.toUpperCase())),
      {
        items: 100,
        maxWeight: 10,
        weight: (item) => {
          if (item === "unweighable") throw new Error("cannot weigh");
          return 1;
        },
      },
    );

    const calls = ["unweighable", "b", "c"].map((item) => batcher.add(item));

    await expect(calls[0]).rejects.toThrow("cannot weigh");
    await expect(Promise.all(calls.slice(1))).resolves.toEqual(["B", "C"]);
  });

  it("fails every call of a batch answered with fewer results than calls", async () => {
    const batcher = new Batcher<string, string>(async () => ["only one"], { items: 100 });

    const calls = ["a", "b"].map((item) => batcher.add(item));

    await expect(calls[0]).rejects.toThrow("a batch of 2 answered 1 results");
    await expect(calls[1]).rejects.toThrow("a batch of 2 answered 1 results");
  });

  it("still takes one call at a time when the item limit is zero", async () => {
    const batcher = new Batcher<string, string>(
      async (items) => items.map((item) => item.toUpperCase()),
      { items: 0 },
    );

    await expect(Promise.all([batcher.add("a"), batcher.add("b")])).resolves.toEqual(["A", "B"]);
  });
});
