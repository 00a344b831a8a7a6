import { html, nothing, type TemplateResult } from "lit";
import { METHOD_NAMES, PROVIDER_NAMES } from "../messages.js";
import type { Mailbox, OAuthProvider, Problem } from "../types.js";
import { button, errorNotice } from "./controls.js";

export interface OAuthPanelProps {
  provider: OAuthProvider;
  mailbox: Mailbox;
  available: boolean;
  problem: Problem | null;
  busy: boolean;
  blocked: boolean;
  onAuthenticate: (provider: OAuthProvider) => void;
}

const BUTTON_LABELS: Record<OAuthProvider, string> = {
  google: "Authenticate with Google",
  microsoft: "Microsoft Authentication",
};

const ACCOUNTS: Record<OAuthProvider, string> = {
  google: "Gmail or Google Workspace",
  microsoft: "Outlook, Hotmail, Live or Microsoft 365",
};

/** Consent at Google or Microsoft in a popup window, instead of a stored password. */
export function oauthPanel(props: OAuthPanelProps): TemplateResult {
  const { provider, mailbox } = props;
  const name = PROVIDER_NAMES[provider];

  if (!props.available) {
    return html`<div class="panel" id="method-panel">
      <div class="notice" part="notice">
        <p>
          <strong>${METHOD_NAMES[provider]} is unavailable:</strong> this mail service has not been
          registered with ${name} by its operator yet. Use SMTP instead, or ask your HRMS provider
          to turn ${name} sign-in on.
        </p>
      </div>
    </div>`;
  }

  const authenticated = mailbox.method === provider && mailbox.account;

  return html`<div class="panel" id="method-panel">
    <h4 class="sr-only">${METHOD_NAMES[provider]}</h4>
    <p>
      For ${ACCOUNTS[provider]} accounts. A ${name} window opens where you sign in as
      <strong>${mailbox.address}</strong> and allow this service to send email on your behalf.
    </p>
    <p class="hint">
      Only the access tokens that ${name} issues are kept, never your password. Deleting the mailbox
      revokes them.
    </p>
    ${
      authenticated
        ? html`<p class="notice success" part="notice">
            <strong>Authenticated</strong> as ${mailbox.account}
          </p>`
        : nothing
    }
    ${errorNotice(props.problem)}
    <div class="row">
      ${button({
        id: `authenticate-${provider}`,
        label: BUTTON_LABELS[provider],
        busyLabel: `Waiting for ${name}…`,
        kind: authenticated ? undefined : "primary",
        busy: props.busy,
        blocked: props.blocked,
        onClick: () => props.onAuthenticate(provider),
      })}
    </div>
    ${
      props.busy
        ? html`<p class="hint">Finish in the ${name} window; this page updates by itself.</p>`
        : nothing
    }
  </div>`;
}
