// The OAuth consent runs in a popup on the provider's pages; the service's callback page then
// posts the outcome to this window (DESIGN.md "HTTP API").
import type { OAuthProvider, Problem } from "./types.js";

export interface ConsentOutcome {
  ok: boolean;
  error?: Problem;
}

const MESSAGE_TYPE = "email-integration:oauth";

const MESSAGES: Record<string, string> = {
  account_mismatch: "You signed in with another account than the mailbox address.",
  access_denied: "You did not allow this service to send email on your behalf.",
};

/**
 * Must run synchronously in the click handler: browsers block popups opened after an await.
 * The window starts blank and is sent to the consent address once the service has issued it.
 */
export function openConsentWindow(): Window | null {
  return window.open("about:blank", "email-integration-consent", "popup,width=520,height=680");
}

/**
 * Resolves with the callback page's report, or with null when the window closes without one
 * (the admin gave up, or the provider's pages cut the window off from this one).
 */
export function awaitConsent(
  popup: Window,
  origin: string,
  provider: OAuthProvider,
): Promise<ConsentOutcome | null> {
  return new Promise((resolve) => {
    const finish = (outcome: ConsentOutcome | null) => {
      clearInterval(timer);
      window.removeEventListener("message", onMessage);
      resolve(outcome);
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== origin) return;
      const outcome = parseReport(event.data, provider);
      if (outcome) finish(outcome);
    };
    // Closing a window fires nothing in its opener, so it has to be asked.
    const timer = setInterval(() => popup.closed && finish(null), 500);

    window.addEventListener("message", onMessage);
  });
}

function parseReport(data: unknown, provider: OAuthProvider): ConsentOutcome | null {
  if (typeof data !== "object" || data === null) return null;

  const report = data as Record<string, unknown>;
  if (report.type !== MESSAGE_TYPE || report.provider !== provider) return null;
  if (report.ok === true) return { ok: true };

  return { ok: false, error: toProblem(report.error) };
}

function toProblem(error: unknown): Problem {
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as Record<string, unknown>;
    if (typeof code === "string" && typeof message === "string") return { code, message };
    if (typeof code === "string") error = code;
  }

  const code = typeof error === "string" && error ? error : "oauth_failed";
  return { code, message: MESSAGES[code] ?? "The sign-in did not complete." };
}
