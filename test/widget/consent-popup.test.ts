import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMailApi } from "../support/fake-mail-api.js";
import type { FakeOAuthProvider } from "../support/fake-oauth-provider.js";
import { startFakeProviders, type FakeProviders } from "../support/fake-providers.js";
import { focused, launchChromium, screenshot, skipBrowserTests } from "./support/browser.js";
import { startHostPage, type HostPage } from "./support/host-page.js";
import { startService, type RunningService } from "./support/service.js";
import { openWidget, uniqueTenant, type WidgetPage } from "./support/widget-page.js";

const ADDRESS = "hr@acme.example";

describe.skipIf(skipBrowserTests)("consent at Google or Microsoft in a popup", () => {
  let host: HostPage;
  let google: FakeOAuthProvider;
  let gmail: FakeMailApi;
  let microsoft: FakeOAuthProvider;
  let service: RunningService;
  let browser: Browser;

  let fakes: FakeProviders | undefined;

  beforeAll(async () => {
    host = await startHostPage();
    fakes = await startFakeProviders();
    ({ google, gmail, microsoft } = fakes);
    service = await startService({ allowedOrigins: [host.origin], ...fakes.settings });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await fakes?.close();
    await host?.close();
  });

  /** The fake providers speak HTTPS with the test CA, which the browser does not know. */
  async function openWithMailbox(prefix: string): Promise<WidgetPage> {
    const widget = await openWidget(browser, host, service, uniqueTenant(prefix), {
      ignoreHttpsErrors: true,
    });
    await widget.widget.getByLabel("Display name").fill("Acme HR");
    await widget.widget.getByLabel("Official email address").fill(ADDRESS);
    await widget.widget.getByRole("button", { name: "Create Mailbox" }).click();
    await widget.widget.getByRole("button", { name: "Gmail" }).waitFor();
    return widget;
  }

  it("shows Authenticated with the account when the popup reports back, then activates by test mail", async () => {
    google.account = ADDRESS;
    const { page, widget, view, status, announced, close } = await openWithMailbox("google");

    await widget.getByRole("button", { name: "Gmail" }).click();
    const popup = page.waitForEvent("popup");
    await widget.getByRole("button", { name: "Authenticate with Google" }).click();
    await (await popup).waitForEvent("close");

    await view.getByText(`Authenticated as ${ADDRESS}`).waitFor();
    expect(await status()).toBe("Authenticated");
    expect((await announced()).status).toBe(
      `Authenticated with Gmail as ${ADDRESS}. Send a test mail to activate the mailbox.`,
    );
    expect(await focused(page)).toBe("button#test-mail");
    await screenshot(page, "12-authenticated-with-google");

    await widget.getByRole("button", { name: "Send Test Mail" }).click();

    await view.getByText(`All mail to your employees now leaves from ${ADDRESS}.`).waitFor();
    expect(gmail.received.length).toBe(1);
    await close();
  });

  it("shows why a consent did not connect the mailbox, and leaves it as it was", async () => {
    microsoft.account = "someone.else@acme.example";
    const { page, widget, view, status, announced, close } = await openWithMailbox("mismatch");

    await widget.getByRole("button", { name: "Microsoft" }).click();
    const popup = page.waitForEvent("popup");
    await widget.getByRole("button", { name: "Microsoft Authentication" }).click();
    await (await popup).waitForEvent("close");

    const problem = view.locator('[part="error"]');
    await problem.waitFor();
    expect(await status()).toBe("Created");
    expect((await announced()).alert).toBe(await problem.innerText());
    expect(
      await widget
        .getByRole("button", { name: "Microsoft Authentication" })
        .getAttribute("aria-disabled"),
    ).toBeNull();
    await screenshot(page, "13-consent-refused");

    await close();
  });
});
