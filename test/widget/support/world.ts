import type { Browser } from "playwright-core";
import { startSmtpSink, type SmtpSink } from "../../support/smtp-sink.js";
import { launchChromium } from "./browser.js";
import { startHostPage, type HostPage } from "./host-page.js";
import { startService, type RunningService } from "./service.js";

/** A host page on its own origin, the service allowing it, an SMTP server and Chromium. */
export interface BrowserWorld {
  host: HostPage;
  service: RunningService;
  sink: SmtpSink;
  browser: Browser;
  close(): Promise<void>;
}

export async function startBrowserWorld(logins: Record<string, string>): Promise<BrowserWorld> {
  const host = await startHostPage();
  const service = await startService({ allowedOrigins: [host.origin] });
  const sink = await startSmtpSink({ logins });
  const browser = await launchChromium();
  return {
    host,
    service,
    sink,
    browser,
    async close() {
      await browser.close();
      await sink.close();
      await service.close();
      await host.close();
    },
  };
}
