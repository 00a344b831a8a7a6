import type { Browser, Locator, Page } from "playwright-core";
import type { HostPage } from "./host-page.js";
import type { RunningService } from "./service.js";

export interface WidgetPage {
  page: Page;
  widget: Locator;
  /** What the admin sees: the element without its screen-reader-only live regions. */
  view: Locator;
  /** The text last put in the live regions: `status` is polite, `alert` assertive. */
  announced(): Promise<{ status: string; alert: string }>;
  /** The status badge's text. */
  status(): Promise<string>;
  /** Every `status-change` the host page heard, as "previous>status" with "none" for null. */
  statusChanges(): Promise<string[]>;
  /** The codes of every `api-error` the host page heard. */
  apiErrors(): Promise<string[]>;
  /** Replaces the element's token at run time, as a host does before the old one expires. */
  setToken(token: string): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

/** A tenant no other test uses, so tests share one service without meeting each other. */
export function uniqueTenant(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Date.now().toString(36)}`;
}

interface Heard {
  statusChanges: string[];
  apiErrors: string[];
}

/** Opens the host page with the element signed in as an admin of `tenant`. */
export async function openWidget(
  browser: Browser,
  host: HostPage,
  service: RunningService,
  tenant: string,
  options: { token?: string; ignoreHttpsErrors?: boolean } = {},
): Promise<WidgetPage> {
  const token = options.token ?? (await service.harness.token(tenant));
  const context = await browser.newContext({
    viewport: { width: 900, height: 900 },
    ignoreHTTPSErrors: options.ignoreHttpsErrors ?? false,
  });
  const page = await context.newPage();

  // Listening from the first script on proves that the event bubbles out of the shadow root.
  await page.addInitScript(() => {
    const heard: Heard = { statusChanges: [], apiErrors: [] };
    (window as unknown as { heard: Heard }).heard = heard;
    document.addEventListener("status-change", (event) => {
      const { previous, status } = (event as CustomEvent).detail;
      heard.statusChanges.push(`${previous ?? "none"}>${status ?? "none"}`);
    });
    document.addEventListener("api-error", (event) => {
      heard.apiErrors.push((event as CustomEvent).detail.code);
    });
  });
  await page.goto(host.url({ api: service.api, token }));

  const widget = page.locator("hrms-email-integration");
  const live = (role: string) => widget.locator(`[role="${role}"].sr-only`).innerText();
  return {
    page,
    widget,
    view: widget.locator('[part="base"]'),
    announced: async () => ({ status: await live("status"), alert: await live("alert") }),
    status: () => widget.locator('[part="status"]').innerText(),
    statusChanges: () =>
      page.evaluate(() => (window as unknown as { heard: Heard }).heard.statusChanges),
    apiErrors: () => page.evaluate(() => (window as unknown as { heard: Heard }).heard.apiErrors),
    setToken: (next) =>
      page.evaluate((value) => {
        document.querySelector("hrms-email-integration")!.token = value;
      }, next),
    close: () => context.close(),
  };
}
