import { html, nothing, type TemplateResult } from "lit";
import { statusLabel } from "../messages.js";
import type { Mailbox, Problem } from "../types.js";
import { button, errorNotice } from "./controls.js";

export interface MailboxSummaryProps {
  mailbox: Mailbox;
  confirmingDelete: boolean;
  problem: Problem | null;
  busy: boolean;
  blocked: boolean;
  onDelete: () => void;
  onConfirmDelete: () => void;
  onCancelDelete: () => void;
}

/** Which mailbox this is, what its status means for the tenant's mail, and its removal. */
export function mailboxSummary(props: MailboxSummaryProps): TemplateResult {
  const { mailbox } = props;

  return html`<section aria-labelledby="mailbox-heading">
    <div class="row spread">
      <div>
        <h3 id="mailbox-heading" tabindex="-1">${mailbox.displayName}</h3>
        <div class="muted">${mailbox.address}</div>
      </div>
      <span class="badge ${mailbox.status}" part="status">${statusLabel(mailbox)}</span>
    </div>

    ${statusNote(mailbox)}
    ${props.confirmingDelete ? deleteConfirmation(props) : deleteButton(props)}
    ${errorNotice(props.problem)}
  </section>`;
}

function statusNote(mailbox: Mailbox): TemplateResult {
  const { address } = mailbox;
  switch (mailbox.status) {
    case "created":
      return html`<p>
        Replies to HRMS mail now reach <strong>${address}</strong>. Mail still leaves from the
        default address until you connect this mailbox below and send a test mail.
      </p>`;
    case "configured":
      return html`<p>
        Connected but not tested yet: mail still leaves from the default address, with replies
        reaching <strong>${address}</strong>. Send a test mail to activate the mailbox.
      </p>`;
    case "active":
      return html`<p>All mail to your employees now leaves from <strong>${address}</strong>.</p>`;
    case "inactive":
      return html`<div class="notice warning" part="notice">
        <p>
          <strong>Sending through this mailbox failed,</strong> so mail leaves from the default
          address again; replies still reach ${address} and no mail was lost.
        </p>
        ${mailbox.lastError ? html`<p>Reason: ${mailbox.lastError.message}</p>` : nothing}
        <p>Check the connection below, save it again, and send a test mail to reactivate.</p>
      </div>`;
  }
}

function deleteButton(props: MailboxSummaryProps): TemplateResult {
  return html`<div class="row">
    ${button({
      id: "delete",
      label: "Delete Mailbox",
      kind: "danger",
      blocked: props.blocked,
      onClick: props.onDelete,
    })}
  </div>`;
}

function deleteConfirmation(props: MailboxSummaryProps): TemplateResult {
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key === "Escape") props.onCancelDelete();
  };

  return html`<div
    class="notice warning"
    part="notice"
    role="group"
    aria-labelledby="delete-question"
    @keydown=${onKeydown}
  >
    <p id="delete-question">
      <strong>Delete this mailbox?</strong> Its stored credentials are erased and any Google or
      Microsoft consent is revoked. Mail goes back to the default address, with no Reply-To.
    </p>
    <div class="row">
      ${button({
        id: "delete-confirm",
        label: "Delete Mailbox",
        busyLabel: "Deleting…",
        kind: "danger",
        busy: props.busy,
        blocked: props.blocked,
        onClick: props.onConfirmDelete,
      })}
      ${button({
        id: "delete-cancel",
        label: "Cancel",
        blocked: props.blocked,
        onClick: props.onCancelDelete,
      })}
    </div>
  </div>`;
}
