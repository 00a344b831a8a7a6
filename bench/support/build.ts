import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const PROCESSES = ["api-server", "burst", "delivery", "sink"];
const OUT_DIR = fileURLToPath(
  new URL("../../node_modules/.cache/email-integration-bench/", import.meta.url),
);

let built: Promise<string> | undefined;

/**
 * Compiles the benchmark's processes, with the service's sources, into plain JavaScript run by
 * plain `node`, as the built service runs. Under tsx a process carries its loader thread and
 * source maps: tens of megabytes more at rest, and every stack trace (Sequelize takes one per
 * query) several times dearer. Packages stay outside the bundle and load from node_modules.
 */
export function buildProcesses(): Promise<string> {
  built ??= build({
    entryPoints: PROCESSES.map((name) =>
      fileURLToPath(new URL(`../processes/${name}.ts`, import.meta.url)),
    ),
    outdir: OUT_DIR,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    plugins: [keepImportMetaUrl],
  }).then(() => OUT_DIR);
  return built;
}

/**
 * Files that find their neighbours through `import.meta.url` (the test certificates, the
 * package root) keep their own address once bundled into one file.
 */
const keepImportMetaUrl: Plugin = {
  name: "keep-import-meta-url",
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      const url = JSON.stringify(pathToFileURL(path).href);
      return { contents: source.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};
