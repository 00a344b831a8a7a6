// Bundles the <hrms-email-integration> element, Lit included, into one ES module and reports
// its size, minified and gzipped, so that growth is seen on every build.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const outfile = "public/build/email-integration.js";

await build({
  entryPoints: ["widget/index.ts"],
  outfile,
  bundle: true,
  format: "esm",
  minify: true,
  sourcemap: true,
  target: "es2021",
  legalComments: "none",
  logLevel: "warning",
});

const code = readFileSync(outfile);
const kb = (bytes) => (bytes / 1024).toFixed(1);
console.log(
  `widget: ${outfile} ${kb(code.length)} KB minified, ${kb(gzipSync(code).length)} KB gzipped`,
);
