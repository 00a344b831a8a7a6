import type { Transport } from "nodemailer";
import { apiTransport, type AccessTokenSource, type ApiSendInfo } from "./oauth-api.js";

/**
 * Sends through Gmail's `users.messages.send`, the raw MIME message in base64url. The API
 * rather than SMTP with XOAUTH2, because SMTP needs the full `mail.google.com` scope, which
 * Google restricts, while `gmail.send` is enough here.
 * https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send
 *
 * Known limit: the message travels inside a JSON body, fit for messages of a few MB. Larger
 * ones need the media upload form of the same call (`/upload/gmail/v1/…`), not built yet
 * because no message the HRMS sends has come near it; see docs/oauth.md.
 */
export function gmailApiTransport(
  apiUrl: string,
  token: AccessTokenSource,
): Transport<ApiSendInfo> {
  const url = `${apiUrl.replace(/\/+$/, "")}/gmail/v1/users/me/messages/send`;
  return apiTransport("gmail-api", token, (raw) => ({
    provider: "google",
    url,
    contentType: "application/json",
    body: JSON.stringify({ raw: raw.toString("base64url") }),
  }));
}
