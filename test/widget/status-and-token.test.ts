import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbedToken } from "../../server/auth/embed-token.js";
import { seriousViolations } from "./support/axe.js";
import { launchChromium, screenshot, skipBrowserTests } from "./support/browser.js";
import {
  startChangingSmtpServer,
  type ChangingSmtpServer,
} from "./support/changing-smtp-server.js";
import { startHostPage, type HostPage } from "./support/host-page.js";
import { startService, type RunningService } from "./support/service.js";
import { openWidget, uniqueTenant } from "./support/widget-page.js";

const ADDRESS = "payroll@acme.example";

describe.skipIf(skipBrowserTests)("the widget following the mailbox and its token", () => {
  let host: HostPage;
  let service: RunningService;
  let smtp: ChangingSmtpServer;
  let browser: Browser;

  beforeAll(async () => {
    host = await startHostPage();
    service = await startService({ allowedOrigins: [host.origin] });
    smtp = await startChangingSmtpServer(ADDRESS, "first-password");
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await smtp?.close();
    await service?.close();
    await host?.close();
  });

  /** Sets a mailbox up through the API, as an earlier visit to the widget would have. */
  async function activeMailbox(tenant: string, password: string): Promise<void> {
    const token = await service.harness.token(tenant);
    const api = (method: "post" | "put", path: string, body?: object) =>
      service.harness.request[method](`/api/mailbox${path}`)
        .set("Authorization", `Bearer ${token}`)
        .send(body);

    await api("post", "", { displayName: "Acme Payroll", address: ADDRESS }).expect(201);
    await api("put", "/smtp", {
      username: ADDRESS,
      password,
      host: "127.0.0.1",
      port: smtp.port,
      secure: false,
    }).expect(200);
    await api("post", "/test").expect(200);
  }

  it("shows an inactive mailbox with the reason and what to do, and reactivates it", async () => {
    const tenant = uniqueTenant("inactive");
    await activeMailbox(tenant, "first-password");
    smtp.changePassword("second-password");
    const sent = await service.harness.integration.send(tenant, {
      to: ["employee@acme.example"],
      subject: "Your payslip",
      text: "Attached.",
    });
    expect(sent.via).toBe("default");

    const { page, widget, view, status, statusChanges, close } = await openWidget(
      browser,
      host,
      service,
      tenant,
    );

    await view.getByText("Sending through this mailbox failed,").waitFor();
    expect(await status()).toBe("Inactive");
    await view.getByText("refused the username or password", { exact: false }).first().waitFor();
    await view.getByText("Check the connection below, save it again").waitFor();
    expect(
      await widget.getByRole("button", { name: "SMTP (connected)" }).getAttribute("aria-pressed"),
    ).toBe("true");
    await screenshot(page, "09-inactive");

    await widget.getByLabel("Password").fill("second-password");
    await widget.getByRole("button", { name: "Save SMTP" }).click();
    await widget.getByRole("button", { name: "Send Test Mail" }).click();

    await view.getByText(`All mail to your employees now leaves from ${ADDRESS}.`).waitFor();
    expect(await statusChanges()).toEqual([
      "none>inactive",
      "inactive>configured",
      "configured>active",
    ]);
    await close();
  });

  it("tells the host when its token is refused and reloads with the one the host sets", async () => {
    const tenant = uniqueTenant("token");
    const forged = await createEmbedToken(
      { tenant, sub: "someone", email: "someone@acme.example" },
      "a-secret-the-service-does-not-know",
    );
    const { page, widget, view, apiErrors, setToken, close } = await openWidget(
      browser,
      host,
      service,
      tenant,
      { token: forged },
    );

    await view.getByText("The embed token is not valid.", { exact: false }).waitFor();
    await widget.getByRole("button", { name: "Try again" }).waitFor();
    expect(await apiErrors()).toEqual(["unauthorized"]);
    await screenshot(page, "10-token-refused");

    await setToken(await service.harness.token(tenant));

    await widget.getByRole("button", { name: "Create Mailbox" }).waitFor();
    await close();
  });

  it("shows the other tenant's mailbox when the host switches the token to that tenant", async () => {
    const first = uniqueTenant("first");
    const second = uniqueTenant("second");
    await activeMailbox(second, "second-password");
    const { page, widget, view, status, close } = await openWidget(browser, host, service, first);
    await widget.getByRole("button", { name: "Create Mailbox" }).waitFor();

    await widget.getByLabel("Display name").fill("Draft for the first tenant");
    const token = await service.harness.token(second);
    await widget.evaluate((element, value) => {
      (element as HTMLElement & { token: string }).token = value;
    }, token);

    await view.getByRole("heading", { name: "Acme Payroll" }).waitFor();
    expect(await status()).toBe("Active");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "14-active-on-arrival");
    await close();
  });
});
