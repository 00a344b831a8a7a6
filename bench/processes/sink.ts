import { childOptions, serveParent } from "../support/serve-parent.js";
import { startLeanSink, type LeanSinkOptions } from "../support/lean-sink.js";

/** The SMTP sink in a process of its own, so that receiving does not slow down sending. */
const sink = await startLeanSink(childOptions<LeanSinkOptions>());

serveParent({
  port: () => sink.port,
  counts: () => ({ received: sink.received(), distinct: sink.distinct() }),
  reset: () => sink.reset(),
  close: () => sink.close(),
});
