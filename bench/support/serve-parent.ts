/**
 * The side of a benchmark process that answers its parent (see start-child.ts): each call
 * names one of the handlers given here.
 */
export interface Call {
  id: number;
  command: string;
  payload?: unknown;
}

export type Reply = { id: number; result?: unknown; error?: string } | { ready: true };

type Handler = (payload: never) => Promise<unknown> | unknown;

/**
 * Answers the parent's calls with these handlers. A `close` handler, if any, releases what
 * the process holds; once the parent disconnects, nothing is left to keep it alive.
 */
export function serveParent(handlers: Record<string, Handler>): void {
  process.on("message", async ({ id, command, payload }: Call) => {
    const handler = handlers[command];
    try {
      if (!handler && command !== "close") throw new Error(`no handler for ${command}`);
      const result = handler ? await handler(payload as never) : undefined;
      process.send!({ id, result: result ?? null } satisfies Reply);
    } catch (error) {
      process.send!({ id, error: (error as Error).stack ?? String(error) } satisfies Reply);
    }
  });
  process.send!({ ready: true } satisfies Reply);
}

/** The options the parent started this child with. */
export function childOptions<T>(): T {
  return JSON.parse(process.argv[2] ?? "{}") as T;
}
