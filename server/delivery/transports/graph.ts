import type { Transport } from "nodemailer";
import { apiTransport, type AccessTokenSource, type ApiSendInfo } from "./oauth-api.js";

/**
 * Sends through Microsoft Graph's `POST /me/sendMail`, the MIME message in base64 as a text
 * body. Graph rather than SMTP AUTH, which Microsoft turns off by default for tenants.
 * Graph keeps a copy in the account's Sent Items, as Outlook would.
 * https://learn.microsoft.com/graph/api/user-sendmail#example-4-send-a-new-message-using-mime-format
 *
 * Known limit: Graph takes at most 4 MB in one request, a base64 message included. Larger
 * messages need a draft and an upload session, not built yet; see docs/oauth.md.
 */
export function graphTransport(apiUrl: string, token: AccessTokenSource): Transport<ApiSendInfo> {
  const url = `${apiUrl.replace(/\/+$/, "")}/me/sendMail`;
  return apiTransport("graph", token, (raw) => ({
    provider: "microsoft",
    url,
    contentType: "text/plain",
    body: raw.toString("base64"),
  }));
}
