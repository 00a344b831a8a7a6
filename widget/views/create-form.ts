import { html, type TemplateResult } from "lit";
import type { Problem } from "../types.js";
import { button, errorNotice, textField } from "./controls.js";

export interface CreateFormProps {
  problem: Problem | null;
  busy: boolean;
  blocked: boolean;
  onSubmit: (event: SubmitEvent) => void;
}

/** The first step: name the mailbox and give its address. */
export function createForm(props: CreateFormProps): TemplateResult {
  const { problem } = props;
  const unplaced = problem && !problem.field ? problem : null;

  return html`<section aria-labelledby="create-heading">
    <h3 id="create-heading">Create a mailbox</h3>
    <p class="muted">
      Employees will receive HRMS mail from this address, and their replies will reach it.
    </p>
    <form part="form" novalidate @submit=${props.onSubmit}>
      <div class="fields">
        ${textField({
          name: "displayName",
          label: "Display name",
          value: "",
          hint: "Shown as the sender, e.g. Acme HR",
          autocomplete: "organization",
          problem,
        })}
        ${textField({
          name: "address",
          label: "Official email address",
          value: "",
          type: "email",
          hint: "e.g. hr@acme.example",
          autocomplete: "email",
          problem,
        })}
      </div>
      ${errorNotice(unplaced)}
      <div class="row">
        ${button({
          id: "create",
          label: "Create Mailbox",
          busyLabel: "Creating mailbox…",
          kind: "primary",
          type: "submit",
          busy: props.busy,
          blocked: props.blocked,
        })}
      </div>
    </form>
  </section>`;
}
