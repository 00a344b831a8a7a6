import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export interface WidgetResult {
  minifiedBytes: number;
  gzipBytes: number;
  /** Lit alone, bundled and minified the same way: the floor under any Lit element. */
  lit: { minifiedBytes: number; gzipBytes: number };
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUNDLE = "public/build/email-integration.js";

/** Builds the widget as `npm run build` does and weighs the bundle beside Lit's own weight. */
export async function benchWidget(): Promise<WidgetResult> {
  await promisify(execFile)(process.execPath, ["scripts/build-widget.mjs"], { cwd: ROOT });
  const bundle = await readFile(`${ROOT}/${BUNDLE}`);

  const lit = await build({
    stdin: { contents: 'export * from "lit";', resolveDir: ROOT, loader: "js" },
    bundle: true,
    format: "esm",
    minify: true,
    target: "es2021",
    legalComments: "none",
    write: false,
  });
  const litCode = lit.outputFiles[0]!.contents;

  return {
    minifiedBytes: bundle.length,
    gzipBytes: gzipSync(bundle).length,
    lit: { minifiedBytes: litCode.length, gzipBytes: gzipSync(litCode).length },
  };
}
