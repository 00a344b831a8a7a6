import { execFileSync } from "node:child_process";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import type { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoSmtpServer } from "../../server/demo/smtp-server.js";
import { createLogger } from "../../server/log.js";
import { seriousViolations } from "./support/axe.js";
import { launchChromium, screenshot, skipBrowserTests } from "./support/browser.js";
import { startService, type RunningService } from "./support/service.js";
import { uniqueTenant } from "./support/widget-page.js";

const MAX_GZIPPED_KB = 25;

describe("the widget bundle", () => {
  it(`is one ES module under ${MAX_GZIPPED_KB} KB gzipped, Lit included`, () => {
    const output = execFileSync(process.execPath, ["scripts/build-widget.mjs"], {
      encoding: "utf8",
    });

    const size = /public\/build\/email-integration\.js .* ([\d.]+) KB gzipped/.exec(output);
    expect(size, output).not.toBeNull();
    expect(Number(size![1])).toBeLessThan(MAX_GZIPPED_KB);
  });
});

describe.skipIf(skipBrowserTests)("the demo host page", () => {
  let service: RunningService;
  let demoSmtp: SMTPServer;
  let browser: Browser;

  beforeAll(async () => {
    execFileSync(process.execPath, ["scripts/build-widget.mjs"]);
    service = await startService({ demo: { enabled: true, smtpPort: 0 } });
    demoSmtp = await startDemoSmtpServer(
      service.harness.integration.config,
      createLogger("silent"),
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => (demoSmtp ? demoSmtp.close(() => done()) : done()));
    await service?.close();
  });

  it("lets a first-time admin activate a mailbox on the demo SMTP server, under the CSP", async () => {
    const demoPort = (demoSmtp.server.address() as AddressInfo).port;
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });

    await page.goto(`${service.api}/?tenant=${uniqueTenant("demo")}`);
    const widget = page.locator("hrms-email-integration");
    await page.getByText("Demo Admin", { exact: false }).waitFor();
    await page.getByText("127.0.0.1", { exact: true }).waitFor();

    await widget.getByLabel("Display name").fill("Acme HR");
    await widget.getByLabel("Official email address").fill("hr@acme.example");
    await widget.getByRole("button", { name: "Create Mailbox" }).click();
    await widget.getByLabel("Password").fill("anything");
    await widget.getByLabel("SMTP server").fill("127.0.0.1");
    await widget.getByLabel("Port").fill(String(demoPort));
    await widget.getByLabel("Requires SSL/TLS").uncheck();
    await widget.getByRole("button", { name: "Save SMTP" }).click();
    await widget.getByRole("button", { name: "Send Test Mail" }).click();
    await widget.locator('[part="status"]', { hasText: "Active" }).waitFor();

    await page.getByRole("button", { name: "Refresh" }).click();
    const inbox = page.locator("#inbox");
    await inbox.getByText("Test mail: your mailbox is connected").first().waitFor();
    await inbox.getByText("via mailbox").first().waitFor();
    await page.locator("#host-log").getByText("configured → active").waitFor();
    await screenshot(page, "11-demo-page");

    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
