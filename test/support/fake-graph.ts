import { FakeMailApi } from "./fake-mail-api.js";
import type { FakeOAuthProvider } from "./fake-oauth-provider.js";

/**
 * Microsoft Graph's `POST /me/sendMail` on loopback, below `/v1.0` as the real one: the MIME
 * message in base64 as a text/plain body, answered 202; refusals in Graph's error format.
 */
export function startFakeGraph(microsoft: FakeOAuthProvider): Promise<FakeMailApi> {
  return FakeMailApi.start(microsoft, {
    path: "/v1.0/me/sendMail",
    scope: "https://graph.microsoft.com/Mail.Send",
    decode(body, contentType) {
      if (!contentType.startsWith("text/plain")) return null;
      const text = body.toString("ascii").trim();
      if (!/^[A-Za-z0-9+/=\r\n]+$/.test(text)) return null;
      return Buffer.from(text, "base64");
    },
    accepted: () => ({ status: 202 }),
    unauthorized: {
      error: {
        code: "InvalidAuthenticationToken",
        message: "Access token has expired or is not yet valid.",
      },
    },
  });
}

export function graphError(code: string, message: string) {
  return { error: { code, message } };
}
