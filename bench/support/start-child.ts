import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { buildProcesses } from "./build.js";
import type { Call, Reply } from "./serve-parent.js";

/**
 * Heavy parts of the benchmark run in child processes of their own, so that a sink, a load
 * generator and the code measured do not share one event loop, and a process's peak memory
 * is its own. Parent and child talk over the IPC channel: a call names a handler in the child.
 */
export interface Child {
  pid: number;
  call<T>(command: string, payload?: unknown): Promise<T>;
  /** Calls the child's `close` handler, then waits for it to exit; kills it if it hangs. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;

/**
 * Starts `bench/processes/<name>.ts`, built, with `options` as its argument.
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every child there, for Chrome's DevTools.
 */
export async function startChild(name: string, options: unknown = {}): Promise<Child> {
  const script = join(await buildProcesses(), `${name}.mjs`);
  const profile = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = fork(script, [JSON.stringify(options)], {
    execArgv: profile,
    env: { ...process.env, NODE_ENV: "production" },
    // Production logs go to stdout at level info; the benchmark pays for writing them, but
    // does not show them.
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });

  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.once("exit", (code, signal) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`bench child ${name} exited (${code ?? signal})`));
    }
    pending.clear();
  });

  await new Promise<void>((ready, fail) => {
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`bench child ${name} exited early (${code})`)));
    child.on("message", (reply: Reply) => {
      if ("ready" in reply) return ready();
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.error !== undefined) waiter?.reject(new Error(`${name}: ${reply.error}`));
      else waiter?.resolve(reply.result);
    });
  });

  const call = <T>(command: string, payload?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, command, payload } satisfies Call);
    });

  return {
    pid: child.pid!,
    call,
    async stop() {
      await call("close").catch(() => {});
      child.disconnect();
      const timer = setTimeout(() => killChild(child), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function killChild(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
