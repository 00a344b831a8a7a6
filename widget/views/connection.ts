import { html, nothing, type TemplateResult } from "lit";
import type { ProviderPreset } from "../providers.js";
import type { Mailbox, Method, Methods, OAuthProvider, Problem } from "../types.js";
import { methodPicker } from "./method-picker.js";
import { oauthPanel } from "./oauth-panel.js";
import { smtpForm, type SmtpDraft } from "./smtp-form.js";

export interface ConnectionProps {
  mailbox: Mailbox;
  methods: Methods;
  selected: Method | null;
  draft: SmtpDraft;
  /** The problem of the selected method's panel. */
  problem: Problem | null;
  /** The selected method's call runs. */
  busy: boolean;
  blocked: boolean;
  onSelect: (method: Method) => void;
  onAuthenticate: (provider: OAuthProvider) => void;
  onSmtpInput: (event: Event) => void;
  onSaveSmtp: (event: SubmitEvent) => void;
  onApplyPreset: (preset: ProviderPreset) => void;
}

/** The three ways to connect the mailbox, and the panel of the one chosen. */
export function connection(props: ConnectionProps): TemplateResult {
  const { mailbox } = props;

  return html`<section aria-labelledby="connect-heading">
    <h3 id="connect-heading" tabindex="-1">Connect the mailbox</h3>
    <p class="muted">Choose how this service signs in to ${mailbox.address} to send mail.</p>
    ${methodPicker({
      methods: props.methods,
      connected: mailbox.method,
      selected: props.selected,
      onSelect: props.onSelect,
    })}
    ${panel(props)}
  </section>`;
}

function panel(props: ConnectionProps): TemplateResult | typeof nothing {
  const { selected: method, mailbox } = props;
  if (method === null) return nothing;

  if (method !== "smtp") {
    return oauthPanel({
      provider: method,
      mailbox,
      available: props.methods[method],
      problem: props.problem,
      busy: props.busy,
      blocked: props.blocked,
      onAuthenticate: props.onAuthenticate,
    });
  }

  if (!props.methods.smtp) {
    return html`<div class="panel notice" id="method-panel" part="notice">
      <p><strong>SMTP is unavailable:</strong> this mail service does not allow it.</p>
    </div>`;
  }

  return smtpForm({
    mailbox,
    methods: props.methods,
    draft: props.draft,
    problem: props.problem,
    busy: props.busy,
    blocked: props.blocked,
    onInput: props.onSmtpInput,
    onSubmit: props.onSaveSmtp,
    onApplyPreset: props.onApplyPreset,
    onSelectOAuth: props.onSelect,
  });
}
