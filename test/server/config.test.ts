import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.js";
import { startHarness } from "../support/harness.js";

const run = promisify(execFile);
const folders: string[] = [];
const tempFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), "config-"));
  folders.push(folder);
  return folder;
};
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe("configuration", () => {
  it("generates the secrets into the data folder in development, once", () => {
    const dataDir = tempFolder();

    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });

    expect(first.env).toBe("development");
    expect(first.embedSecret).toBe(second.embedSecret);
    expect(first.secretKeys.current.equals(second.secretKeys.current)).toBe(true);
    expect(
      Object.keys(JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8"))).sort(),
    ).toEqual(["EMBED_SECRET", "SECRET_KEY", "SESSION_SECRET"]);
  });

  it("has the defaults of DESIGN.md", () => {
    const config = loadConfig({ DATA_DIR: tempFolder() });

    expect(config).toMatchObject({
      port: 3000,
      publicUrl: "http://localhost:3000",
      databaseUrl: "sqlite:data/email-integration.sqlite",
      allowedOrigins: ["http://localhost:3000"],
      defaultFrom: "HRMS Notifications <notifications@localhost>",
      defaultSmtpUrl: null,
      smtpAllowPrivateHosts: true,
      google: null,
      microsoft: null,
      demo: { enabled: true, smtpPort: 2525 },
    });
  });

  it("stops a production start that lacks a secret, naming each one", () => {
    const start = () =>
      loadConfig({ NODE_ENV: "production", DATA_DIR: tempFolder(), EMBED_SECRET: "x" });

    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/SECRET_KEY, SESSION_SECRET must be set in production/);
  });

  it("turns the demo off and refuses private SMTP hosts in production", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      SECRET_KEY: "d".repeat(64),
      SESSION_SECRET: "s",
      EMBED_SECRET: "e",
      ALLOWED_ORIGINS: "https://hr.example.com, https://admin.example.com/",
    });

    expect(config.demo.enabled).toBe(false);
    expect(config.smtpAllowPrivateHosts).toBe(false);
    expect(config.allowedOrigins).toEqual(["https://hr.example.com", "https://admin.example.com"]);
  });

  it("refuses a SECRET_KEY that is not 32 bytes", () => {
    expect(() => loadConfig({ DATA_DIR: tempFolder(), SECRET_KEY: "abc" })).toThrow(
      /SECRET_KEY must be 32 bytes/,
    );
  });

  it("exits with a message naming the missing secret when npm start runs in production without it", async () => {
    const main = fileURLToPath(new URL("../../server/main.ts", import.meta.url));
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      DATA_DIR: tempFolder(),
      PORT: "0",
    };

    const outcome = await run(process.execPath, ["--import", "tsx", main], {
      env,
      timeout: 60_000,
    }).catch((error: { code: number; stderr: string }) => error);

    expect(outcome).toMatchObject({ code: 1 });
    expect((outcome as { stderr: string }).stderr).toContain(
      "configuration error: SECRET_KEY, SESSION_SECRET, EMBED_SECRET must be set in production",
    );
  });
});

describe("the demo", () => {
  it("mints demo tokens and shows the demo inbox only in development", async () => {
    const dev = await startHarness({ demo: { enabled: true, smtpPort: 0 } });
    const prod = await startHarness({ demo: { enabled: false, smtpPort: 0 } });
    try {
      const token = await dev.request.get("/demo/token?tenant=globex");
      const inbox = await dev.request.get("/demo/inbox");
      const badTenant = await dev.request.get("/demo/token?tenant=../../etc");

      expect(token.status).toBe(200);
      expect(token.body).toMatchObject({
        tenant: "globex",
        email: "admin@globex.example",
        demoSmtp: { host: "127.0.0.1", port: 0 },
      });
      const api = await dev.request.get("/api/mailbox").auth(token.body.token, { type: "bearer" });
      expect(api.status).toBe(200);
      expect(inbox.body).toEqual({ messages: [] });
      expect(badTenant.status).toBe(422);
      expect((await prod.request.get("/demo/token")).status).toBe(404);
      expect((await prod.request.get("/demo/inbox")).status).toBe(404);
    } finally {
      await dev.close();
      await prod.close();
    }
  });
});
