// Form controls shared by the views: labelled fields that show their own error, and buttons
// that show progress while their call runs.
import { html, nothing, type TemplateResult } from "lit";
import { describeFieldProblem, describeProblem, fieldFor } from "../messages.js";
import type { Problem } from "../types.js";

export interface TextFieldOptions {
  name: string;
  label: string;
  value: string;
  type?: "text" | "email" | "password";
  hint?: string;
  problem: Problem | null;
  autocomplete?: string;
  inputmode?: "numeric";
}

export function textField(options: TextFieldOptions): TemplateResult {
  const { name, hint } = options;
  const error = errorFor(name, options.problem);

  return html`<div class="field">
    <label for=${name} part="label">${options.label}</label>
    <input
      id=${name}
      name=${name}
      part="input"
      type=${options.type ?? "text"}
      .value=${options.value}
      autocomplete=${options.autocomplete ?? nothing}
      inputmode=${options.inputmode ?? nothing}
      spellcheck="false"
      aria-invalid=${error ? "true" : nothing}
      aria-describedby=${describedBy(name, hint, error) ?? nothing}
    />
    ${hint ? html`<span id="${name}-hint" class="hint">${hint}</span>` : nothing}
    ${fieldError(name, error)}
  </div>`;
}

export interface CheckFieldOptions {
  name: string;
  label: string;
  checked: boolean;
  hint?: string;
  problem: Problem | null;
}

export function checkField(options: CheckFieldOptions): TemplateResult {
  const { name, hint } = options;
  const error = errorFor(name, options.problem);

  return html`<div class="field">
    <div class="check">
      <input
        id=${name}
        name=${name}
        part="input"
        type="checkbox"
        .checked=${options.checked}
        aria-invalid=${error ? "true" : nothing}
        aria-describedby=${describedBy(name, hint, error) ?? nothing}
      />
      <label for=${name} part="label">${options.label}</label>
    </div>
    ${hint ? html`<span id="${name}-hint" class="hint">${hint}</span>` : nothing}
    ${fieldError(name, error)}
  </div>`;
}

export interface ButtonOptions {
  id: string;
  label: string;
  /** Shown with a spinner while this button's call runs. */
  busyLabel?: string;
  busy?: boolean;
  /** Another call runs: the button stays focusable but does nothing. */
  blocked: boolean;
  kind?: "primary" | "danger";
  type?: "button" | "submit";
  onClick?: (event: Event) => void;
}

export function button(options: ButtonOptions): TemplateResult {
  const { kind, busy } = options;
  const part = kind ? `button ${kind}-button` : "button";

  // aria-disabled rather than disabled: a disabled button drops keyboard focus to the page,
  // and the admin would have to find the way back after every save.
  return html`<button
    id=${options.id}
    part=${part}
    class=${[kind, busy ? "busy" : ""].filter(Boolean).join(" ") || nothing}
    type=${options.type ?? "button"}
    aria-disabled=${options.blocked ? "true" : nothing}
    @click=${options.onClick ?? nothing}
  >
    ${busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}
    ${busy && options.busyLabel ? options.busyLabel : options.label}
  </button>`;
}

export function errorNotice(problem: Problem | null, prefix = ""): TemplateResult | typeof nothing {
  if (!problem) return nothing;
  return html`<div class="notice error" part="error">
    <p>${prefix}${describeProblem(problem)}</p>
  </div>`;
}

function errorFor(name: string, problem: Problem | null): string {
  return problem && fieldFor(problem) === name ? describeFieldProblem(problem, name) : "";
}

function describedBy(name: string, hint: string | undefined, error: string): string | undefined {
  const ids = [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function fieldError(name: string, error: string): TemplateResult | typeof nothing {
  return error ? html`<span id="${name}-error" class="field-error">${error}</span>` : nothing;
}
