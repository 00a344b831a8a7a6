import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSilentServer, type SmtpSink } from "../support/smtp-sink.js";
import { screenshot, skipBrowserTests, focused } from "./support/browser.js";
import type { HostPage } from "./support/host-page.js";
import type { RunningService } from "./support/service.js";
import { startBrowserWorld, type BrowserWorld } from "./support/world.js";
import { openWidget, uniqueTenant } from "./support/widget-page.js";

const ADDRESS = "hr@acme.example";
const PASSWORD = "the-right-password";

describe.skipIf(skipBrowserTests)("an admin setting up the mailbox in the widget", () => {
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

  it("creates a mailbox, connects it by SMTP, activates it with a test mail and deletes it", async () => {
    const tenant = uniqueTenant("journey");
    const { page, widget, view, status, statusChanges, announced, close } = await openWidget(
      browser,
      host,
      service,
      tenant,
    );

    await widget.getByRole("button", { name: "Create Mailbox" }).waitFor();
    await screenshot(page, "01-no-mailbox");

    await widget.getByLabel("Display name").fill("Acme HR");
    await widget.getByLabel("Official email address").fill(ADDRESS);
    await widget.getByRole("button", { name: "Create Mailbox" }).click();

    await view.getByText(`Replies to HRMS mail now reach ${ADDRESS}`).waitFor();
    expect(await status()).toBe("Created");
    expect((await announced()).status).toContain("Mailbox created.");
    expect(await widget.getByLabel("Username").inputValue()).toBe(ADDRESS);
    await screenshot(page, "02-created");

    await widget.getByLabel("Password").fill("a-wrong-password");
    await widget.getByLabel("SMTP server").fill("127.0.0.1");
    await widget.getByLabel("Port").fill(String(sink.port));
    await widget.getByRole("button", { name: "Save SMTP" }).click();

    await view.getByText("A password is saved. Leave empty to keep it.").waitFor();
    expect(await status()).toBe("Configured");
    expect(await widget.getByLabel("Password").inputValue()).toBe("");
    expect(await focused(page)).toBe("button#test-mail");

    await widget.getByRole("button", { name: "Send Test Mail" }).click();

    await view.getByText("The test mail failed.").waitFor();
    await view.getByText("refused the username or password", { exact: false }).first().waitFor();
    expect(await widget.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    expect(await status()).toBe("Configured");
    expect((await announced()).alert).toMatch(/^The test mail failed\. .*refused the username/);
    await screenshot(page, "03-test-mail-failed");

    await widget.getByLabel("Password").fill(PASSWORD);
    expect(await widget.getByLabel("Password").getAttribute("aria-invalid")).toBeNull();
    await widget.getByRole("button", { name: "Save SMTP" }).click();
    await widget.getByRole("button", { name: "Send Test Mail" }).click();

    await view.getByText(`All mail to your employees now leaves from ${ADDRESS}.`).waitFor();
    expect(await status()).toBe("Active");
    expect((await announced()).status).toContain("Test mail sent. The mailbox is active");
    const [testMail] = sink.received;
    expect(testMail?.envelope.to).toEqual([ADDRESS]);
    expect(testMail?.user).toBe(ADDRESS);

    await view.getByText("History").click();
    await view.getByText("Mailbox activated").waitFor();
    await screenshot(page, "04-active");

    await widget.getByRole("button", { name: "Delete Mailbox" }).click();
    await view.getByText("Delete this mailbox?").waitFor();
    expect(await focused(page)).toBe("button#delete-cancel");
    await screenshot(page, "05-confirm-delete");

    await widget.getByRole("button", { name: "Delete Mailbox" }).click();

    await widget.getByRole("button", { name: "Create Mailbox" }).waitFor();
    expect(await focused(page)).toBe("input#displayName");
    expect((await announced()).status).toContain("Mailbox deleted.");
    const answer = await service.harness.request
      .get("/api/mailbox")
      .set("Authorization", `Bearer ${await service.harness.token(tenant)}`);
    expect(answer.body.mailbox).toBeNull();
    expect(await statusChanges()).toEqual([
      "none>none",
      "none>created",
      "created>configured",
      "configured>active",
      "active>none",
    ]);

    await close();
  });

  it("points at the field the service refused, and moves focus there", async () => {
    const { page, widget, view, announced, close } = await openWidget(
      browser,
      host,
      service,
      uniqueTenant("fields"),
    );

    await widget.getByLabel("Display name").fill("HR ".repeat(40));
    await widget.getByLabel("Official email address").fill(ADDRESS);
    await widget.getByRole("button", { name: "Create Mailbox" }).click();

    await view.getByText("Must be at most 100 characters.").waitFor();
    expect(await widget.getByLabel("Display name").getAttribute("aria-invalid")).toBe("true");
    expect(await focused(page)).toBe("input#displayName");
    expect((await announced()).alert).toBe("Display name: Must be at most 100 characters.");

    await widget.getByLabel("Display name").fill("Acme HR");
    await widget.getByRole("button", { name: "Create Mailbox" }).click();
    await widget.getByLabel("SMTP server").fill("smtp example com");
    await widget.getByLabel("Password").fill(PASSWORD);
    await widget.getByRole("button", { name: "Save SMTP" }).click();

    await view
      .getByText("Must be a server name such as smtp.example.com", { exact: false })
      .waitFor();
    expect(await widget.getByLabel("SMTP server").getAttribute("aria-invalid")).toBe("true");
    expect(await focused(page)).toBe("input#host");
    await screenshot(page, "06-field-refused");

    await close();
  });

  it("shows progress and holds every action back while a test mail waits on a slow server", async () => {
    const silent = await startSilentServer();
    const { page, widget, view, status, close } = await openWidget(
      browser,
      host,
      service,
      uniqueTenant("slow"),
    );

    await widget.getByLabel("Display name").fill("Acme HR");
    await widget.getByLabel("Official email address").fill(ADDRESS);
    await widget.getByRole("button", { name: "Create Mailbox" }).click();
    await widget.getByLabel("Password").fill(PASSWORD);
    await widget.getByLabel("SMTP server").fill("127.0.0.1");
    await widget.getByLabel("Port").fill(String(silent.port));
    await widget.getByRole("button", { name: "Save SMTP" }).click();
    await widget.getByRole("button", { name: "Send Test Mail" }).click();

    const sending = widget.getByRole("button", { name: "Sending test mail…" });
    await sending.waitFor();
    expect(await sending.getAttribute("aria-disabled")).toBe("true");
    expect(
      await widget.getByRole("button", { name: "Delete Mailbox" }).getAttribute("aria-disabled"),
    ).toBe("true");
    expect(await widget.locator('[part="base"]').getAttribute("aria-busy")).toBe("true");
    await screenshot(page, "07-sending-test-mail");

    await view.getByText("did not answer in time", { exact: false }).first().waitFor();
    const button = widget.getByRole("button", { name: "Send Test Mail" });
    expect(await button.getAttribute("aria-disabled")).toBeNull();
    expect(await widget.getByLabel("SMTP server").getAttribute("aria-invalid")).toBe("true");
    expect(await status()).toBe("Configured");

    await close();
    await silent.close();
  });
});
