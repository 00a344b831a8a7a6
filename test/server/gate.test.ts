import { describe, expect, it } from "vitest";
import { KeyedGate } from "../../server/delivery/gate.js";
import { deferred, settled, type Deferred } from "../support/deferred.js";

/** Tasks that record when they start and end only when the test ends them. */
function heldTasks(gate: KeyedGate) {
  const started: string[] = [];
  const endings = new Map<string, Deferred<string>>();
  const running = new Map<string, number>();
  const mostRunning = new Map<string, number>();

  return {
    started,
    mostRunningOf: (key: string) => mostRunning.get(key) ?? 0,
    through(key: string, name: string): Promise<string> {
      const ending = deferred<string>();
      endings.set(name, ending);
      return gate.through(key, async () => {
        started.push(name);
        const now = (running.get(key) ?? 0) + 1;
        running.set(key, now);
        mostRunning.set(key, Math.max(mostRunning.get(key) ?? 0, now));
        try {
          return await ending.promise;
        } finally {
          running.set(key, (running.get(key) ?? 1) - 1);
        }
      });
    },
    async end(name: string) {
      endings.get(name)!.resolve(`${name} done`);
      await settled();
    },
    async fail(name: string, error: Error) {
      endings.get(name)!.reject(error);
      await settled();
    },
  };
}

/**
 * The keys the gate still holds. Forgetting a key changes nothing a caller can observe (a new
 * lane behaves as the old one did), only the memory the gate keeps; so this reads the map.
 */
const keysHeldBy = (gate: KeyedGate) => [
  ...(gate as unknown as { lanes: Map<string, unknown> }).lanes.keys(),
];

describe("one key", () => {
  it("runs at most the limit of tasks at once and starts the others as places free up", async () => {
    const tasks = heldTasks(new KeyedGate(2));

    const results = ["t1", "t2", "t3", "t4"].map((name) => tasks.through("acme", name));
    await settled();
    const atFirst = [...tasks.started];
    await tasks.end("t2");
    const afterOneEnded = [...tasks.started];
    await tasks.end("t1");
    await tasks.end("t3");
    await tasks.end("t4");

    expect(atFirst).toEqual(["t1", "t2"]);
    expect(afterOneEnded).toEqual(["t1", "t2", "t3"]);
    expect(tasks.started).toEqual(["t1", "t2", "t3", "t4"]);
    expect(tasks.mostRunningOf("acme")).toBe(2);
    await expect(Promise.all(results)).resolves.toEqual([
      "t1 done",
      "t2 done",
      "t3 done",
      "t4 done",
    ]);
  });

  it("lets the oldest waiting task in first, whichever running task ends", async () => {
    const tasks = heldTasks(new KeyedGate(1));

    const results = ["t1", "t2", "t3", "t4"].map((name) => tasks.through("acme", name));
    await tasks.end("t1");
    await tasks.end("t2");
    await tasks.end("t3");
    await tasks.end("t4");

    expect(tasks.started).toEqual(["t1", "t2", "t3", "t4"]);
    await Promise.all(results);
  });

  it("keeps a task that arrives as a place is handed on from slipping in beside the next", async () => {
    const tasks = heldTasks(new KeyedGate(1));

    const first = tasks.through("acme", "t1");
    const second = tasks.through("acme", "t2");
    const third = first.then(() => tasks.through("acme", "t3"));
    await settled();
    await tasks.end("t1");
    const whileTheSecondRuns = [...tasks.started];
    await tasks.end("t2");
    await tasks.end("t3");

    expect(whileTheSecondRuns).toEqual(["t1", "t2"]);
    expect(tasks.started).toEqual(["t1", "t2", "t3"]);
    expect(tasks.mostRunningOf("acme")).toBe(1);
    await Promise.all([first, second, third]);
  });

  it("hands the place of a task that failed on to the next one, and passes the failure back", async () => {
    const tasks = heldTasks(new KeyedGate(1));

    const failed = expect(tasks.through("acme", "t1")).rejects.toThrow("connection refused");
    const next = tasks.through("acme", "t2");
    await settled();
    await tasks.fail("t1", new Error("connection refused"));
    await tasks.end("t2");

    await failed;
    await expect(next).resolves.toBe("t2 done");
    expect(tasks.started).toEqual(["t1", "t2"]);
  });

  it("hands on the place of a task that throws before returning a promise", async () => {
    const gate = new KeyedGate(1);

    const failed = gate.through("acme", () => {
      throw new Error("no transport");
    });
    const next = gate.through("acme", async () => "sent");

    await expect(failed).rejects.toThrow("no transport");
    await expect(next).resolves.toBe("sent");
  });
});

describe("several keys", () => {
  it("lets the tasks of one key run while another key is full", async () => {
    const tasks = heldTasks(new KeyedGate(1));

    const acme = [tasks.through("acme", "acme-1"), tasks.through("acme", "acme-2")];
    const globex = [tasks.through("globex", "globex-1"), tasks.through("globex", "globex-2")];
    await settled();
    const atFirst = [...tasks.started];
    await tasks.end("globex-1");
    const afterGlobexMovedOn = [...tasks.started];
    for (const name of ["globex-2", "acme-1", "acme-2"]) await tasks.end(name);

    expect(atFirst).toEqual(["acme-1", "globex-1"]);
    expect(afterGlobexMovedOn).toEqual(["acme-1", "globex-1", "globex-2"]);
    expect(tasks.mostRunningOf("acme")).toBe(1);
    expect(tasks.mostRunningOf("globex")).toBe(1);
    await Promise.all([...acme, ...globex]);
  });
});

describe("forgetting keys", () => {
  it("holds a key while a task of it runs or waits, and forgets it once the last one ended", async () => {
    const gate = new KeyedGate(1);
    const tasks = heldTasks(gate);

    const results = [tasks.through("acme", "t1"), tasks.through("acme", "t2")];
    await settled();
    const whileBothAreThere = keysHeldBy(gate);
    await tasks.end("t1");
    const whileTheLastRuns = keysHeldBy(gate);
    await tasks.end("t2");
    await Promise.all(results);

    expect(whileBothAreThere).toEqual(["acme"]);
    expect(whileTheLastRuns).toEqual(["acme"]);
    expect(keysHeldBy(gate)).toEqual([]);
  });

  it("forgets a key whose last task failed", async () => {
    const gate = new KeyedGate(2);

    await expect(
      gate.through("acme", async () => {
        throw new Error("connection refused");
      }),
    ).rejects.toThrow("connection refused");

    expect(keysHeldBy(gate)).toEqual([]);
  });

  it("forgets one key without touching another that still runs", async () => {
    const gate = new KeyedGate(1);
    const tasks = heldTasks(gate);

    const acme = tasks.through("acme", "acme-1");
    const globex = tasks.through("globex", "globex-1");
    await tasks.end("acme-1");
    await acme;
    const afterAcmeEnded = keysHeldBy(gate);
    await tasks.end("globex-1");
    await globex;

    expect(afterAcmeEnded).toEqual(["globex"]);
    expect(keysHeldBy(gate)).toEqual([]);
  });

  it("gives a forgotten key its full limit again", async () => {
    const gate = new KeyedGate(2);
    const tasks = heldTasks(gate);

    const before = [tasks.through("acme", "t1"), tasks.through("acme", "t2")];
    await tasks.end("t1");
    await tasks.end("t2");
    await Promise.all(before);
    const after = ["t3", "t4", "t5"].map((name) => tasks.through("acme", name));
    await settled();
    const startedAgain = tasks.started.slice(2);
    for (const name of ["t3", "t4", "t5"]) await tasks.end(name);
    await Promise.all(after);

    expect(startedAgain).toEqual(["t3", "t4"]);
    expect(tasks.mostRunningOf("acme")).toBe(2);
  });
});

describe("a long queue", () => {
  it("runs every one of thousands of waiting tasks exactly once, in the order they came", async () => {
    const gate = new KeyedGate(1);
    const first = deferred<void>();
    const ran: string[] = [];
    let running = 0;
    let mostRunning = 0;
    const late: Promise<void>[] = [];
    const task = (name: string) => async () => {
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      ran.push(name);
      // Tasks that arrive while the queue is read from far down its length go to its end.
      if (name.endsWith("00") && !name.startsWith("late")) {
        late.push(gate.through("acme", task(`late after ${name}`)));
      }
      await (name === "0" ? first.promise : Promise.resolve());
      running -= 1;
    };
    const names = Array.from({ length: 5000 }, (_, index) => String(index));

    const results = names.map((name) => gate.through("acme", task(name)));
    await settled();
    const beforeTheFirstEnded = ran.length;
    first.resolve();
    await Promise.all(results);
    await Promise.all(late);

    const lateNames = names.filter((name) => name.endsWith("00")).map((n) => `late after ${n}`);
    expect(beforeTheFirstEnded).toBe(1);
    expect(ran).toEqual([...names, ...lateNames]);
    expect(mostRunning).toBe(1);
    expect(keysHeldBy(gate)).toEqual([]);
  });

  it("keeps the limit and the order when several tasks run at once and some fail", async () => {
    const gate = new KeyedGate(3);
    const hold = deferred<void>();
    const started: number[] = [];
    let running = 0;
    let mostRunning = 0;
    const count = 3000;

    const results = Array.from({ length: count }, (_, index) =>
      gate.through("acme", async () => {
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        started.push(index);
        await (index < 3 ? hold.promise : Promise.resolve());
        running -= 1;
        if (index % 7 === 0) throw new Error(`task ${index} failed`);
        return index;
      }),
    );
    await settled();
    const beforeAnyEnded = [...started];
    hold.resolve();
    const outcomes = await Promise.allSettled(results);

    expect(beforeAnyEnded).toEqual([0, 1, 2]);
    expect(started).toEqual(Array.from({ length: count }, (_, index) => index));
    expect(mostRunning).toBe(3);
    expect(outcomes.filter((outcome) => outcome.status === "rejected")).toHaveLength(
      Math.ceil(count / 7),
    );
    expect(keysHeldBy(gate)).toEqual([]);
  });
});
