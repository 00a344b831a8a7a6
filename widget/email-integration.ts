import { html, LitElement, type PropertyValues, type TemplateResult } from "lit";
import { ApiClient, ApiError } from "./api-client.js";
import { awaitConsent, openConsentWindow } from "./consent-window.js";
import { apiErrorEvent, statusChangeEvent } from "./events.js";
import {
  announceProblem,
  fieldFor,
  METHOD_NAMES,
  PROVIDER_NAMES,
  statusLabel,
  suspectField,
} from "./messages.js";
import { presetForAddress, type ProviderPreset } from "./providers.js";
import { styles } from "./styles.js";
import type {
  Mailbox,
  MailboxEvent,
  MailboxStatus,
  Method,
  Methods,
  OAuthProvider,
  Problem,
} from "./types.js";
import { checkMailbox, checkSmtp, isProblem } from "./validation.js";
import { button, errorNotice } from "./views/controls.js";
import { connection } from "./views/connection.js";
import { createForm } from "./views/create-form.js";
import { history } from "./views/history.js";
import { mailboxSummary } from "./views/mailbox-summary.js";
import { initialDraft, withInput, type SmtpDraft } from "./views/smtp-form.js";
import { testMail } from "./views/test-mail.js";

type Action = "create" | "delete" | "smtp" | "test" | OAuthProvider;

/** A problem remembers which step it belongs to, so that it is shown next to that step. */
type Placed = Problem & { area: Action | "load" };

const NO_METHODS: Methods = { smtp: false, google: false, microsoft: false };

// After a consent window, the provider's pages may have cut it off from this one, so no report
// arrives; the admin coming back to this window is then the only sign left.
const CONSENT_FOCUS_WINDOW_MS = 10 * 60_000;

/**
 * Lets a tenant's admin send the HRMS's mail from the tenant's own business address: create
 * the mailbox, connect it by SMTP, Gmail or Microsoft, activate it with a test mail, follow its
 * status and history, and delete it.
 *
 * @tag hrms-email-integration
 *
 * @attr api - Base address of the mail service, e.g. `https://mail.example.com`. Empty means
 *   the page's own origin. Consent reports are only accepted from this origin.
 * @attr token - The embed token the host backend signed for the signed-in admin. Tokens expire:
 *   set a fresh one (attribute or property) before then; the element reloads with it.
 *
 * @fires status-change - `{status, previous, mailbox}` (`StatusChangeDetail`) when the mailbox
 *   status becomes known or changes, `null` meaning no mailbox. Bubbles, composed.
 * @fires api-error - `{code, message, status}` (`ApiErrorDetail`) when a call to the service
 *   fails. On `unauthorized`, set a fresh token. Bubbles, composed.
 *
 * @cssprop --email-integration-text - Text colour. Default `#1f2937`.
 * @cssprop --email-integration-muted - Secondary text colour. Default `#4b5563`.
 * @cssprop --email-integration-surface - Background of the card and inputs. Default `#ffffff`.
 * @cssprop --email-integration-subtle - Background of notices. Default `#f3f4f6`.
 * @cssprop --email-integration-border - Card and separator lines. Default `#d1d5db`.
 * @cssprop --email-integration-control-border - Input and button borders. Default `#6b7280`.
 * @cssprop --email-integration-accent - Primary buttons and links. Default `#1d4ed8`.
 * @cssprop --email-integration-accent-text - Text on primary buttons. Default `#ffffff`.
 * @cssprop --email-integration-danger - Errors and Delete Mailbox. Default `#b91c1c`.
 * @cssprop --email-integration-success - The Active badge. Default `#166534`.
 * @cssprop --email-integration-warning - The Inactive badge. Default `#92400e`.
 * @cssprop --email-integration-focus - Focus ring. Default `#2563eb`.
 * @cssprop --email-integration-radius - Corner radius. Default `6px`.
 *
 * @csspart base - The card around everything.
 * @csspart heading - The "E-Mail Integration" title.
 * @csspart status - The status badge.
 * @csspart form - The create and SMTP forms.
 * @csspart label - Field labels.
 * @csspart input - Text inputs and the SSL/TLS checkbox.
 * @csspart button - Every button; also `primary-button`, `danger-button` or `method-button`.
 * @csspart methods - The row of connection methods.
 * @csspart notice - Information and warning boxes.
 * @csspart error - Error boxes.
 * @csspart history - The folded mailbox history.
 */
export class EmailIntegration extends LitElement {
  static override styles = styles;

  static override properties = {
    api: { type: String },
    token: { type: String },
    loaded: { state: true },
    mailbox: { state: true },
    methods: { state: true },
    events: { state: true },
    selected: { state: true },
    draft: { state: true },
    busy: { state: true },
    problem: { state: true },
    confirmingDelete: { state: true },
    announcement: { state: true },
    alert: { state: true },
  };

  api = "";
  token = "";

  private loaded = false;
  private mailbox: Mailbox | null = null;
  private methods: Methods = NO_METHODS;
  private events: MailboxEvent[] | null = [];
  private selected: Method | null = null;
  private draft: SmtpDraft | null = null;
  private busy: Action | null = null;
  private problem: Placed | null = null;
  private confirmingDelete = false;
  private announcement = "";
  private alert = "";

  private reportedStatus: MailboxStatus | null | undefined = undefined;
  // Answers can overtake each other; only the latest request's answer is shown.
  private loadGeneration = 0;
  private eventsGeneration = 0;
  private pendingFocus: string | null = null;
  private consentFocusUntil = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("focus", this.onWindowFocus);
  }

  override disconnectedCallback(): void {
    window.removeEventListener("focus", this.onWindowFocus);
    super.disconnectedCallback();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has("token") || changed.has("api")) && this.token) void this.load();

    if (this.pendingFocus) {
      this.renderRoot.querySelector<HTMLElement>(this.pendingFocus)?.focus();
      this.pendingFocus = null;
    }
  }

  // The live regions stay outside the aria-busy card: some screen readers hold back what a busy
  // region says until it is done, and "Sending test mail…" must be heard while it is sent.
  protected override render(): TemplateResult {
    return html`<div class="card" part="base" aria-busy=${this.busy ? "true" : "false"}>
        <h2 part="heading">E-Mail Integration</h2>
        <p class="muted intro">
          Send HRMS mail to your employees from your own business address instead of the default
          notification address.
        </p>
        ${this.renderBody()}
      </div>
      <div class="sr-only" role="status">${this.announcement}</div>
      <div class="sr-only" role="alert">${this.alert}</div>`;
  }

  private renderBody(): TemplateResult {
    const loadProblem = this.problemFor("load");
    if (!this.loaded) {
      if (loadProblem) {
        return html`${errorNotice(loadProblem)}
          <div class="row">
            ${button({ id: "retry", label: "Try again", blocked: false, onClick: this.load })}
          </div>`;
      }
      return html`<p class="row muted">
        <span class="spinner" aria-hidden="true"></span>Loading…
      </p>`;
    }

    const blocked = this.busy !== null;
    if (!this.mailbox) {
      return html`${errorNotice(loadProblem)}
      ${createForm({
        problem: this.problemFor("create"),
        busy: this.busy === "create",
        blocked,
        onSubmit: this.onCreate,
      })}`;
    }

    const { mailbox } = this;
    return html`${errorNotice(loadProblem)}
    ${mailboxSummary({
      mailbox,
      confirmingDelete: this.confirmingDelete,
      problem: this.problemFor("delete"),
      busy: this.busy === "delete",
      blocked,
      onDelete: this.onDelete,
      onConfirmDelete: this.onConfirmDelete,
      onCancelDelete: this.onCancelDelete,
    })}
    ${connection({
      mailbox,
      methods: this.methods,
      selected: this.selected,
      draft: this.draft ?? initialDraft(mailbox),
      problem: this.selected === "smtp" ? this.smtpProblem() : this.problemFor(this.selected),
      busy: this.busy !== null && this.busy === this.selected,
      blocked,
      onSelect: this.onSelectMethod,
      onAuthenticate: this.onAuthenticate,
      onSmtpInput: this.onSmtpInput,
      onSaveSmtp: this.onSaveSmtp,
      onApplyPreset: this.onApplyPreset,
    })}
    ${testMail({
      mailbox,
      problem: this.problemFor("test"),
      busy: this.busy === "test",
      blocked,
      onSend: this.onSendTestMail,
    })}
    ${history({ events: this.events })}`;
  }

  /** A failed test mail also points at the SMTP setting most likely at fault. */
  private smtpProblem(): Problem | null {
    const { problem } = this;
    if (problem?.area === "smtp") return problem;
    if (problem?.area === "test" && this.mailbox?.method === "smtp") return suspectField(problem);
    return null;
  }

  private problemFor(area: Placed["area"] | null): Problem | null {
    return area && this.problem?.area === area ? this.problem : null;
  }

  // Loading

  private load = async (): Promise<void> => {
    const generation = ++this.loadGeneration;
    const before = this.reportedStatus;

    try {
      const { mailbox, methods } = await this.client().getMailbox();
      if (generation !== this.loadGeneration) return;

      this.methods = methods;
      this.showMailbox(mailbox);
      if (this.problem?.area === "load") this.problem = null;
      if (this.loaded && before !== this.reportedStatus) {
        this.announce(mailbox ? `The mailbox is now ${statusLabel(mailbox)}.` : "No mailbox.");
      }
      this.loaded = true;
    } catch (error) {
      if (generation === this.loadGeneration) this.fail("load", error);
    }
  };

  private async loadEvents(): Promise<void> {
    const generation = ++this.eventsGeneration;
    const events = await this.client()
      .events()
      .catch(() => null);
    if (generation === this.eventsGeneration) this.events = events;
  }

  /** Takes the service's word for the mailbox, and tells the host page when its status moved. */
  private showMailbox(mailbox: Mailbox | null): void {
    const shown = this.mailbox;
    const sameMailbox =
      shown !== null &&
      mailbox !== null &&
      shown.address === mailbox.address &&
      shown.createdAt === mailbox.createdAt;

    if (!sameMailbox) {
      this.selected = mailbox ? this.suggestedMethod(mailbox) : null;
      this.draft = mailbox ? initialDraft(mailbox) : null;
      this.confirmingDelete = false;
      this.problem = null;
    }
    this.mailbox = mailbox;
    if (mailbox) void this.loadEvents();

    const status = mailbox?.status ?? null;
    if (status === this.reportedStatus) return;

    const previous = this.reportedStatus ?? null;
    this.reportedStatus = status;
    this.dispatchEvent(statusChangeEvent({ status, previous, mailbox }));
  }

  /** An active mailbox needs nothing; otherwise the method in use, or the likeliest one. */
  private suggestedMethod(mailbox: Mailbox): Method | null {
    if (mailbox.status === "active") return null;
    if (mailbox.method) return mailbox.method;

    const oauth = presetForAddress(mailbox.address)?.oauth;
    if (oauth && this.methods[oauth]) return oauth;
    return this.methods.smtp ? "smtp" : null;
  }

  // Actions

  private onCreate = (event: SubmitEvent): void => {
    event.preventDefault();
    if (this.busy) return;

    const data = new FormData(event.target as HTMLFormElement);
    const displayName = String(data.get("displayName") ?? "").trim();
    const address = String(data.get("address") ?? "").trim();
    const invalid = checkMailbox(displayName, address);
    if (invalid) return this.reject("create", invalid);

    void this.run("create", async (client) => {
      this.showMailbox(await client.createMailbox(displayName, address));
      this.announce(
        `Mailbox created. Replies to HRMS mail now reach ${address}. Next, connect the mailbox.`,
      );
      this.focusAfterRender("#connect-heading");
    });
  };

  private onDelete = (): void => {
    if (this.busy) return;
    this.confirmingDelete = true;
    this.focusAfterRender("#delete-cancel");
  };

  private onCancelDelete = (): void => {
    if (this.busy) return;
    this.confirmingDelete = false;
    this.focusAfterRender("#delete");
  };

  private onConfirmDelete = (): void => {
    if (this.busy) return;

    void this.run("delete", async (client) => {
      await client.deleteMailbox();
      this.showMailbox(null);
      this.announce("Mailbox deleted. Mail leaves from the default address again.");
      this.focusAfterRender("#displayName");
    });
  };

  /** Also reached from links inside a panel that then goes away: focus lands on the method. */
  private onSelectMethod = (method: Method): void => {
    this.selected = method;
    if (this.problem && this.problem.area !== "test") this.problem = null;
    this.focusAfterRender(`#method-${method}`);
  };

  private onSmtpInput = (event: Event): void => {
    if (!this.mailbox) return;
    const input = event.target as HTMLInputElement;

    this.draft = withInput(this.draft ?? initialDraft(this.mailbox), input);
    if (this.problem && fieldFor(this.problem) === input.name) this.problem = null;
  };

  private onApplyPreset = (preset: ProviderPreset): void => {
    if (!this.mailbox) return;
    const draft = this.draft ?? initialDraft(this.mailbox);

    this.draft = { ...draft, host: preset.host, port: String(preset.port), secure: preset.secure };
    this.announce(`${preset.name} settings filled in.`);
    this.focusAfterRender("#host");
  };

  private onSaveSmtp = (event: SubmitEvent): void => {
    event.preventDefault();
    if (this.busy || !this.mailbox) return;

    const draft = this.draft ?? initialDraft(this.mailbox);
    const input = checkSmtp(draft, this.mailbox.method === "smtp");
    if (isProblem(input)) return this.reject("smtp", input);

    void this.run("smtp", async (client) => {
      const mailbox = await client.saveSmtp(input);
      this.showMailbox(mailbox);
      this.draft = initialDraft(mailbox);
      this.announce("SMTP settings saved. Send a test mail to activate the mailbox.");
      this.focusAfterRender("#test-mail");
    });
  };

  private onSendTestMail = (): void => {
    if (this.busy) return;
    this.announce("Sending test mail…");

    void this.run("test", async (client) => {
      const result = await client.sendTestMail();
      this.showMailbox(result.mailbox);
      if (!result.ok) return this.reject("test", result.error, "The test mail failed. ");

      this.announce(
        `Test mail sent. The mailbox is active: mail now leaves from ${result.mailbox.address}.`,
      );
    });
  };

  private onAuthenticate = (provider: OAuthProvider): void => {
    if (this.busy) return;

    const popup = openConsentWindow();
    if (!popup) {
      return this.reject(provider, {
        code: "popup_blocked",
        message: "Your browser blocked the sign-in window. Allow pop-ups for this page.",
      });
    }
    this.consentFocusUntil = Date.now() + CONSENT_FOCUS_WINDOW_MS;
    this.announce(`Opening the ${PROVIDER_NAMES[provider]} sign-in window.`);

    void this.run(provider, async (client) => {
      const updatedAt = this.mailbox?.updatedAt;
      try {
        popup.location.href = await client.startOAuth(provider);
      } catch (error) {
        popup.close();
        throw error;
      }

      const outcome = await awaitConsent(popup, this.apiOrigin(), provider);
      if (outcome && !outcome.ok && outcome.error) return this.reject(provider, outcome.error);

      await this.load();
      const mailbox = this.mailbox;
      if (mailbox?.method === provider && (outcome?.ok || mailbox.updatedAt !== updatedAt)) {
        this.announce(
          `Authenticated with ${METHOD_NAMES[provider]} as ${mailbox.account}. ` +
            "Send a test mail to activate the mailbox.",
        );
        this.focusAfterRender("#test-mail");
      }
    });
  };

  private onWindowFocus = (): void => {
    if (Date.now() < this.consentFocusUntil && this.busy === null) void this.load();
  };

  /** Runs one call with its button showing progress and every other action held back. */
  private async run(action: Action, step: (client: ApiClient) => Promise<void>): Promise<void> {
    this.busy = action;
    this.problem = null;
    this.alert = "";

    try {
      await step(this.client());
    } catch (error) {
      this.fail(action, error);
    } finally {
      this.busy = null;
    }
  }

  private fail(area: Placed["area"], error: unknown): void {
    if (!(error instanceof ApiError)) {
      // A bug on this side, not an answer: the admin still gets a way out, the developer a trace.
      console.error("<hrms-email-integration>", error);
      return this.reject(area, {
        code: "widget_error",
        message: "Something went wrong on this page. Reload it and try again.",
      });
    }

    const { code, message, status } = error;
    this.dispatchEvent(apiErrorEvent({ code, message, status }));
    this.reject(area, { code: error.code, message: error.message, field: error.field });

    // The mailbox changed under the admin (another tab, another admin): show it as it is.
    if (["mailbox_exists", "no_mailbox", "not_configured"].includes(error.code)) void this.load();
  }

  private reject(area: Placed["area"], problem: Problem, prefix = ""): void {
    this.problem = { ...problem, area };
    this.say("alert", prefix + announceProblem(problem));

    const field = fieldFor(problem);
    if (field && (area === "create" || area === "smtp")) this.focusAfterRender(`#${field}`);
  }

  // Plumbing

  private announce(text: string): void {
    this.alert = "";
    this.say("announcement", text);
  }

  /** Screen readers skip a live region whose text did not change; a trailing space changes it. */
  private say(region: "announcement" | "alert", text: string): void {
    this[region] = this[region] === text ? `${text}\u00a0` : text;
  }

  private focusAfterRender(selector: string): void {
    this.pendingFocus = selector;
    this.requestUpdate();
  }

  private client(): ApiClient {
    return new ApiClient(this.api.replace(/\/+$/, ""), this.token);
  }

  private apiOrigin(): string {
    return new URL(this.api || location.href, location.href).origin;
  }
}
