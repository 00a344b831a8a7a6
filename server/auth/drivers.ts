import nodemailer from "nodemailer";
import type { Config } from "../config.js";
import type { MethodDriver } from "../context.js";
import type { SecretBox } from "../crypto/secret-box.js";
import type { MailboxValues, Models } from "../db/models.js";
import { gmailApiTransport } from "../delivery/transports/gmail-api.js";
import { graphTransport } from "../delivery/transports/graph.js";
import { AccessTokens } from "./access-tokens.js";
import type { OAuthTokens } from "./grant.js";
import { GoogleTokens } from "./google-tokens.js";
import { MicrosoftTokens } from "./microsoft-tokens.js";

interface Store {
  models: Models;
  box: SecretBox;
}

/** The Gmail and Microsoft methods, each only when the operator has configured its client. */
export function oauthDrivers(
  config: Pick<Config, "google" | "microsoft">,
  store: Store,
): { google?: MethodDriver; microsoft?: MethodDriver } {
  return {
    ...(config.google && { google: googleDriver(config.google, store) }),
    ...(config.microsoft && { microsoft: microsoftDriver(config.microsoft, store) }),
  };
}

function googleDriver(config: NonNullable<Config["google"]>, store: Store): MethodDriver {
  const endpoint = new GoogleTokens(config);
  const tokens = new AccessTokens("google", endpoint, store);
  return {
    async open(mailbox) {
      const transport = gmailApiTransport(config.endpoints.gmailApiUrl, (refused) =>
        tokens.get(mailbox.id, refused),
      );
      return { transporter: nodemailer.createTransport(transport), context: {} };
    },
    async release(mailbox) {
      await endpoint.revoke(storedTokens(store, mailbox).refreshToken);
      return { revoked: true, detail: "Google consent revoked at Google; the tokens were erased" };
    },
  };
}

/**
 * Microsoft has no endpoint that revokes one app's consent for one account (revoking sign-in
 * sessions would sign the user out everywhere), so letting go erases the tokens only; the
 * account's owner can remove the app at https://myapps.microsoft.com or account.live.com.
 */
function microsoftDriver(config: NonNullable<Config["microsoft"]>, store: Store): MethodDriver {
  const tokens = new AccessTokens("microsoft", new MicrosoftTokens(config), store);
  return {
    async open(mailbox) {
      const transport = graphTransport(config.graphApiUrl, (refused) =>
        tokens.get(mailbox.id, refused),
      );
      return { transporter: nodemailer.createTransport(transport), context: {} };
    },
    async release() {
      return {
        revoked: false,
        detail:
          "Microsoft tokens erased; Microsoft offers no revocation of a single consent, so the account's owner may also remove the app from the account's settings",
      };
    },
  };
}

function storedTokens(store: Store, mailbox: MailboxValues): OAuthTokens {
  return store.box.openJson<OAuthTokens>(mailbox.credentials ?? "");
}
