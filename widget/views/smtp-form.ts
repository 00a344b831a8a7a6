import { html, nothing, type TemplateResult } from "lit";
import { METHOD_NAMES } from "../messages.js";
import { presetForAddress, type ProviderPreset } from "../providers.js";
import type { Mailbox, Methods, OAuthProvider, Problem } from "../types.js";
import { button, checkField, errorNotice, textField } from "./controls.js";

/** What the admin has typed so far; the port stays text until it is sent. */
export interface SmtpDraft {
  username: string;
  password: string;
  host: string;
  port: string;
  secure: boolean;
}

export interface SmtpFormProps {
  mailbox: Mailbox;
  methods: Methods;
  draft: SmtpDraft;
  problem: Problem | null;
  busy: boolean;
  blocked: boolean;
  onInput: (event: Event) => void;
  onSubmit: (event: SubmitEvent) => void;
  onApplyPreset: (preset: ProviderPreset) => void;
  onSelectOAuth: (provider: OAuthProvider) => void;
}

/** The form starts from the saved settings or, before any, from the provider's published ones. */
export function initialDraft(mailbox: Mailbox): SmtpDraft {
  if (mailbox.smtp) return { ...mailbox.smtp, port: String(mailbox.smtp.port), password: "" };

  const preset = presetForAddress(mailbox.address);
  return {
    username: mailbox.address,
    password: "",
    host: preset?.host ?? "",
    port: String(preset?.port ?? 587),
    secure: preset?.secure ?? true,
  };
}

/** The draft after the admin changed one of its inputs. */
export function withInput(draft: SmtpDraft, input: HTMLInputElement): SmtpDraft {
  const next = { ...draft };
  const name = input.name as keyof SmtpDraft;

  if (name === "secure") next.secure = input.checked;
  else next[name] = input.value;
  // Port 465 only ever speaks TLS; the checkbox still has the last word.
  if (name === "port" && input.value.trim() === "465") next.secure = true;

  return next;
}

export function smtpForm(props: SmtpFormProps): TemplateResult {
  const { mailbox, draft, problem } = props;
  const passwordSaved = mailbox.method === "smtp";
  const fieldless = problem && !problem.field ? problem : null;

  return html`<div class="panel" id="method-panel">
    <h4 class="sr-only">SMTP</h4>
    ${providerHint(props)} ${replacesNote(mailbox)}
    <form part="form" novalidate @input=${props.onInput} @submit=${props.onSubmit}>
      <div class="fields">
        ${textField({
          name: "username",
          label: "Username",
          value: draft.username,
          hint: "Usually the email address itself",
          // Not "username": the browser would offer the admin's own HRMS login here.
          autocomplete: "off",
          problem,
        })}
        ${textField({
          name: "password",
          label: "Password",
          value: draft.password,
          type: "password",
          hint: passwordSaved ? "A password is saved. Leave empty to keep it." : undefined,
          autocomplete: "new-password",
          problem,
        })}
        ${textField({
          name: "host",
          label: "SMTP server",
          value: draft.host,
          hint: "e.g. smtp.example.com",
          problem,
        })}
        ${textField({
          name: "port",
          label: "Port",
          value: draft.port,
          inputmode: "numeric",
          hint: "Usually 587 or 465",
          problem,
        })}
      </div>
      ${checkField({
        name: "secure",
        label: "Requires SSL/TLS",
        checked: draft.secure,
        hint: "Encrypted from the start on port 465, upgraded (STARTTLS) on other ports. Turn off only for a server without encryption.",
        problem,
      })}
      ${fieldless ? errorNotice(fieldless) : nothing}
      <div class="row">
        ${button({
          id: "save-smtp",
          label: "Save SMTP",
          busyLabel: "Saving…",
          kind: "primary",
          type: "submit",
          busy: props.busy,
          blocked: props.blocked,
        })}
      </div>
    </form>
  </div>`;
}

function providerHint(props: SmtpFormProps): TemplateResult {
  const preset = presetForAddress(props.mailbox.address);
  if (!preset) {
    return html`<p class="hint">
      Your email provider publishes these settings; ask your IT team if you are unsure.
    </p>`;
  }

  const { draft } = props;
  const differs =
    draft.host !== preset.host ||
    draft.port !== String(preset.port) ||
    draft.secure !== preset.secure;
  const oauth = preset.oauth && props.methods[preset.oauth] ? preset.oauth : undefined;

  return html`<div class="notice" part="notice">
    <p>
      ${preset.name}: server <strong>${preset.host}</strong>, port <strong>${preset.port}</strong>,
      SSL/TLS ${preset.secure ? "yes" : "no"}. ${preset.note}
    </p>
    <div class="row">
      ${
        differs
          ? html`<button type="button" class="link" @click=${() => props.onApplyPreset(preset)}>
              Use these settings
            </button>`
          : nothing
      }
      ${
        oauth
          ? html`<button type="button" class="link" @click=${() => props.onSelectOAuth(oauth)}>
              Connect with ${METHOD_NAMES[oauth]} sign-in instead, with no password stored
            </button>`
          : nothing
      }
    </div>
  </div>`;
}

function replacesNote(mailbox: Mailbox): TemplateResult | typeof nothing {
  if (!mailbox.method || mailbox.method === "smtp") return nothing;
  return html`<p class="hint">
    Saving SMTP settings replaces the ${METHOD_NAMES[mailbox.method]} connection.
  </p>`;
}
