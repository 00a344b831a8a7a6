import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium; a browser is never downloaded for these tests. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Without Chromium the browser tests are skipped, loudly. On CI they must run: a missing
 * browser there is a broken setup, so the tests are left to fail at launch.
 */
export const skipBrowserTests = !existsSync(CHROMIUM_PATH) && process.env.CI !== "true";

if (skipBrowserTests) {
  console.warn(
    `SKIPPED: widget browser tests, no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`,
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

const ARTIFACTS = join("test-artifacts", "widget");

/** Keeps a picture of a state for people to look at; nothing asserts on it. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The element that has focus, looking through shadow roots, as `tag#id`. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element) return "";
    return element.id ? `${element.localName}#${element.id}` : element.localName;
  });
}

/** Whether the focused element draws a focus indicator (an outline or a box shadow). */
export function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element) return false;
    const style = getComputedStyle(element);
    const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    return outlined || style.boxShadow !== "none";
  });
}
