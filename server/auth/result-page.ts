import { AppError } from "../errors.js";
import { PROVIDER_NAMES, type OAuthProvider } from "./grant.js";

/** The popup's message to the widget (DESIGN.md, "HTTP API"). */
export interface ConsentReport {
  type: "email-integration:oauth";
  provider: OAuthProvider;
  ok: boolean;
  error?: { code: string; message: string };
}

export const RESULT_SCRIPT_PATH = "/auth/oauth-result.js";

/**
 * The page the popup ends on. The app's CSP allows no inline script, so the report travels
 * as a JSON data block that the static script reads, posts to the opener at each of
 * `targets` (origins it may go to, never "*"), and then closes the window. The same words
 * are on the page for a window that has lost its opener.
 */
export function resultPage(
  report: ConsentReport,
  targets: string[],
  details: { account?: string } = {},
): string {
  const name = PROVIDER_NAMES[report.provider];
  const title = report.ok ? `${name}: authenticated` : `${name}: not connected`;
  const text = report.ok
    ? `Signed in as ${details.account}. The mailbox may now send a test mail.`
    : (report.error?.message ?? "The sign-in did not complete.");
  const data = JSON.stringify({ report, targets }).replace(/</g, "\\u003c");

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<script src="${RESULT_SCRIPT_PATH}" defer></script>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text)}</p>
<p>You can close this window.</p>
</main>
<script type="application/json" id="consent-report">${data}</script>
</body>
</html>
`;
}

export function successReport(provider: OAuthProvider): ConsentReport {
  return { type: "email-integration:oauth", provider, ok: true };
}

/** The report for a consent that ended in an error: AppError messages are written for admins. */
export function failureReport(provider: OAuthProvider, error: AppError): ConsentReport {
  return {
    type: "email-integration:oauth",
    provider,
    ok: false,
    error: { code: error.code, message: error.message },
  };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!,
  );
}
