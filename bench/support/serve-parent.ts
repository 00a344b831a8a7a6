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
 * the process holds; it runs once, when the parent calls it or, should the parent die first,
 * when the channel closes, so that nothing is left to keep the process alive.
 */
export function serveParent(handlers: Record<string, Handler>): void {
  let closed: Promise<unknown> | undefined;
  const close = () => (closed ??= Promise.resolve(handlers.close?.(undefined as never)));
  process.once("disconnect", () => void close());

  process.on("message", async ({ id, command, payload }: Call) => {
    const handler = command === "close" ? close : handlers[command];
    try {
      if (!handler) throw new Error(`no handler for ${command}`);
      const result = await handler(payload as never);
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
