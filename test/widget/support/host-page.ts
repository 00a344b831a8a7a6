import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";

export interface HostPage {
  /** The host page's origin: another origin than the mail service's, as in production. */
  origin: string;
  /** The address of a page with `<hrms-email-integration api token>` on it. */
  url(options: { api: string; token: string }): string;
  close(): Promise<void>;
}

/** The bundle as the build script makes it (same entry and options), kept in memory. */
async function buildBundle(): Promise<string> {
  const result = await build({
    entryPoints: ["widget/index.ts"],
    bundle: true,
    format: "esm",
    minify: true,
    target: "es2021",
    legalComments: "none",
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0]!.text;
}

/**
 * An HRMS page on its own loopback port that embeds the element with one script tag. It lives
 * on loopback like the service, so that the browser's local network checks stay out of it.
 */
export async function startHostPage(): Promise<HostPage> {
  const bundle = await buildBundle();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://host");
    if (url.pathname === "/email-integration.js") {
      res.writeHead(200, { "Content-Type": "text/javascript" }).end(bundle);
      return;
    }
    if (url.pathname === "/") {
      res.writeHead(200, { "Content-Type": "text/html" }).end(page(url.searchParams));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    url: ({ api, token }) => `${origin}/?${new URLSearchParams({ api, token })}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function page(params: URLSearchParams): string {
  const attribute = (name: string) => escapeHtml(params.get(name) ?? "");
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Setup › Integrations · Test HRMS</title>
    <script type="module" src="/email-integration.js"></script>
  </head>
  <body>
    <main>
      <h1>Integrations</h1>
      <hrms-email-integration api="${attribute("api")}" token="${attribute("token")}"></hrms-email-integration>
    </main>
  </body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}
