import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SmtpSink } from "../support/smtp-sink.js";
import { seriousViolations } from "./support/axe.js";
import { focused, focusIsVisible, screenshot, skipBrowserTests } from "./support/browser.js";
import type { HostPage } from "./support/host-page.js";
import type { RunningService } from "./support/service.js";
import { startBrowserWorld, type BrowserWorld } from "./support/world.js";
import { openWidget, uniqueTenant } from "./support/widget-page.js";

const ADDRESS = "people@acme.example";
const PASSWORD = "keyboard-password";

/** Presses Tab until `target` has focus; every stop on the way must show where focus is. */
async function tabTo(page: Page, target: string, backwards = false): Promise<void> {
  for (let presses = 0; presses < 25; presses += 1) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    const stop = await focused(page);
    if (stop !== "body") expect(await focusIsVisible(page), `focus ring on ${stop}`).toBe(true);
    if (stop === target) return;
  }
  throw new Error(`${target} cannot be reached with the Tab key`);
}

describe.skipIf(skipBrowserTests)("the widget for keyboard and screen reader users", () => {
  let host: HostPage;
  let service: RunningService;
  let sink: SmtpSink;
  let browser: Browser;

  let world: BrowserWorld | undefined;

  beforeAll(async () => {
    world = await startBrowserWorld({ [ADDRESS]: PASSWORD });
    ({ host, service, sink, browser } = world);
  });

  afterAll(() => world?.close());

  it("takes an admin from no mailbox to active and back with the keyboard alone", async () => {
    const { page, widget, status, close } = await openWidget(
      browser,
      host,
      service,
      uniqueTenant("keyboard"),
    );
    await widget.getByRole("button", { name: "Create Mailbox" }).waitFor();

    await tabTo(page, "input#displayName");
    await page.keyboard.type("Acme People");
    await tabTo(page, "input#address");
    await page.keyboard.type(ADDRESS);
    await page.keyboard.press("Enter");

    await widget.getByRole("button", { name: "Save SMTP" }).waitFor();
    expect(await focused(page)).toBe("h3#connect-heading");

    await tabTo(page, "input#password");
    await page.keyboard.type(PASSWORD);
    await tabTo(page, "input#host");
    await page.keyboard.type("127.0.0.1");
    await tabTo(page, "input#port");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type(String(sink.port));
    await tabTo(page, "button#save-smtp");
    await page.keyboard.press("Enter");

    await widget.getByRole("button", { name: "Send Test Mail" }).waitFor();
    expect(await focused(page)).toBe("button#test-mail");
    await page.keyboard.press("Enter");

    await widget.getByText(`All mail to your employees now leaves from ${ADDRESS}.`).waitFor();
    expect(await status()).toBe("Active");

    await tabTo(page, "button#delete", true);
    await page.keyboard.press("Enter");
    expect(await focused(page)).toBe("button#delete-cancel");
    await page.keyboard.press("Escape");
    expect(await focused(page)).toBe("button#delete");
    expect(await status()).toBe("Active");

    await page.keyboard.press("Enter");
    await tabTo(page, "button#delete-confirm", true);
    await page.keyboard.press("Enter");

    await widget.getByRole("button", { name: "Create Mailbox" }).waitFor();
    expect(await focused(page)).toBe("input#displayName");

    await close();
  });

  it("has no serious or critical axe-core violations in any step", async () => {
    const { page, widget, view, close } = await openWidget(
      browser,
      host,
      service,
      uniqueTenant("axe"),
    );
    await widget.getByRole("button", { name: "Create Mailbox" }).waitFor();
    const seen: Record<string, unknown[]> = {};
    const check = async (step: string) => {
      seen[step] = await seriousViolations(page);
    };

    await check("no mailbox");

    await widget.getByRole("button", { name: "Create Mailbox" }).click();
    await view.getByText("Enter a display name.").waitFor();
    await check("create form with an error");

    await widget.getByLabel("Display name").fill("Acme People");
    await widget.getByLabel("Official email address").fill(ADDRESS);
    await widget.getByRole("button", { name: "Create Mailbox" }).click();
    await widget.getByLabel("SMTP server").fill("127.0.0.1");
    await widget.getByLabel("Port").fill(String(sink.port));
    await widget.getByLabel("Password").fill("not-the-password");
    await widget.getByRole("button", { name: "Save SMTP" }).click();
    await widget.getByRole("button", { name: "Send Test Mail" }).click();
    await view.getByText("The test mail failed.").waitFor();
    await check("failed test mail");

    await widget.getByRole("button", { name: "Gmail" }).click();
    await view.getByText("Gmail is unavailable:").waitFor();
    await check("unavailable method");
    await screenshot(page, "08-method-unavailable");

    await widget.getByRole("button", { name: "SMTP" }).click();
    await widget.getByLabel("Password").fill(PASSWORD);
    await widget.getByRole("button", { name: "Save SMTP" }).click();
    await widget.getByRole("button", { name: "Send Test Mail" }).click();
    await view
      .getByText("Test mail passed", { exact: false })
      .first()
      .waitFor({ state: "attached" });
    await widget.locator("summary").click();
    await check("active, with its history");

    await widget.getByRole("button", { name: "Delete Mailbox" }).click();
    await check("delete confirmation");

    expect(seen).toEqual({
      "no mailbox": [],
      "create form with an error": [],
      "failed test mail": [],
      "unavailable method": [],
      "active, with its history": [],
      "delete confirmation": [],
    });
    await close();
  });
});
