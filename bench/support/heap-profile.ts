import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Session } from "node:inspector/promises";

/**
 * BENCH_HEAP_PROF=<dir>: a sampling heap profile of a process, for the Memory tab of Chrome's
 * DevTools. It keeps every sampled object that outlived the young generation, including those
 * a full collection freed later: a burst's peak is what piles up in the old generation between
 * full collections, and a profile of what is still alive at the end would not show it.
 * Answers a function that writes the profile as <dir>/<name>.heapprofile, or null when unset.
 */
export async function startHeapProfile(): Promise<((name: string) => Promise<void>) | null> {
  const dir = process.env.BENCH_HEAP_PROF;
  if (!dir) return null;

  const session = new Session();
  session.connect();
  await session.post("HeapProfiler.enable");
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });

  return async (name) => {
    const { profile } = await session.post("HeapProfiler.stopSampling");
    await writeFile(join(dir, `${name}.heapprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}
