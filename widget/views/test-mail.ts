import { html, nothing, type TemplateResult } from "lit";
import { METHOD_NAMES } from "../messages.js";
import type { Mailbox, Problem } from "../types.js";
import { button, errorNotice } from "./controls.js";
import { formatTime } from "./time.js";

export interface TestMailProps {
  mailbox: Mailbox;
  problem: Problem | null;
  busy: boolean;
  blocked: boolean;
  onSend: () => void;
}

/** The last step: a mail through the connection, which activates the mailbox when it passes. */
export function testMail(props: TestMailProps): TemplateResult | typeof nothing {
  const { mailbox } = props;
  if (!mailbox.method) return nothing;

  // The failed test just made is shown as it happened; an older failure only as a reminder.
  const lastError =
    !props.problem && mailbox.status === "configured" && mailbox.lastError
      ? { code: mailbox.lastError.code, message: mailbox.lastError.message }
      : null;

  return html`<section aria-labelledby="test-heading">
    <h3 id="test-heading">Send a test mail</h3>
    <p>${explanation(mailbox)}</p>
    ${errorNotice(props.problem, "The test mail failed. ")}
    ${errorNotice(lastError, "The last test mail failed. ")}
    <div class="row">
      ${button({
        id: "test-mail",
        label: "Send Test Mail",
        busyLabel: "Sending test mail…",
        kind: mailbox.status === "active" ? undefined : "primary",
        busy: props.busy,
        blocked: props.blocked,
        onClick: props.onSend,
      })}
    </div>
    ${
      props.busy
        ? html`<p class="hint">This can take a few seconds while the mail server answers.</p>`
        : nothing
    }
  </section>`;
}

function explanation(mailbox: Mailbox): string {
  const method = METHOD_NAMES[mailbox.method ?? "smtp"];
  if (mailbox.status === "active" && mailbox.activatedAt) {
    return `Active since ${formatTime(mailbox.activatedAt)}. A new test mail checks the ${method} connection again.`;
  }
  return `A mail is sent through the ${method} connection. When it goes through, the mailbox becomes active and all mail leaves from ${mailbox.address}.`;
}
