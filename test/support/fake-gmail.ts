import { FakeMailApi } from "./fake-mail-api.js";
import type { FakeOAuthProvider } from "./fake-oauth-provider.js";

/**
 * Gmail's `users.messages.send` on loopback: `{raw}` in base64url, answered with the sent
 * message's id; refusals in Google's JSON error format.
 */
export function startFakeGmail(google: FakeOAuthProvider): Promise<FakeMailApi> {
  return FakeMailApi.start(google, {
    path: "/gmail/v1/users/me/messages/send",
    scope: "https://www.googleapis.com/auth/gmail.send",
    decode(body, contentType) {
      if (!contentType.startsWith("application/json")) return null;
      const { raw } = JSON.parse(body.toString("utf8")) as { raw?: unknown };
      if (typeof raw !== "string" || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
      return Buffer.from(raw, "base64url");
    },
    accepted: (id) => ({ status: 200, body: { id, threadId: id, labelIds: ["SENT"] } }),
    unauthorized: {
      error: {
        code: 401,
        message: "Request had invalid authentication credentials.",
        status: "UNAUTHENTICATED",
      },
    },
  });
}

export function gmailError(status: number, reason: string, message: string) {
  return { error: { code: status, message, errors: [{ reason, message }] } };
}
