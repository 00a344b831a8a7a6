/**
 * Lets at most `limit` tasks of one key run at once; the others wait their turn, oldest
 * first. A key with nothing running is forgotten.
 */
export class KeyedGate {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly limit: number) {}

  async through<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { running: 0, waiting: [], head: 0 };
      this.lanes.set(key, lane);
    }
    if (lane.running < this.limit) lane.running += 1;
    else await new Promise<void>((enter) => lane.waiting.push(enter));

    try {
      return await task();
    } finally {
      this.handOn(key, lane);
    }
  }

  /** Passes a finished task's place to the oldest waiting one, or gives it up. */
  private handOn(key: string, lane: Lane): void {
    const next = lane.waiting[lane.head];
    if (!next) {
      lane.running -= 1;
      lane.waiting = [];
      lane.head = 0;
      if (lane.running === 0) this.lanes.delete(key);
      return;
    }
    lane.head += 1;
    // A long queue is read from its head, and cut once most of it has gone through.
    if (lane.head > 1024 && lane.head * 2 > lane.waiting.length) {
      lane.waiting = lane.waiting.slice(lane.head);
      lane.head = 0;
    }
    next();
  }
}

interface Lane {
  running: number;
  waiting: (() => void)[];
  head: number;
}
