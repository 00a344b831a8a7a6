import { html, nothing, type TemplateResult } from "lit";
import { METHOD_NAMES } from "../messages.js";
import type { Method, Methods } from "../types.js";

export interface MethodPickerProps {
  methods: Methods;
  selected: Method | null;
  connected: Method | null;
  onSelect: (method: Method) => void;
}

const ORDER: Method[] = ["smtp", "google", "microsoft"];

/**
 * Toggle buttons rather than tabs: each reveals one method's panel below, and an unavailable
 * method stays focusable so that its panel can say why.
 */
export function methodPicker(props: MethodPickerProps): TemplateResult {
  return html`<div class="methods" part="methods" role="group" aria-labelledby="connect-heading">
    ${ORDER.map(
      (method) =>
        html`<button
          id="method-${method}"
          part="button method-button"
          type="button"
          aria-pressed=${props.selected === method ? "true" : "false"}
          aria-controls=${props.selected === method ? "method-panel" : nothing}
          @click=${() => props.onSelect(method)}
        >
          ${METHOD_NAMES[method]}
          ${props.connected === method ? html`<span class="off">(connected)</span>` : nothing}
          ${props.methods[method] ? nothing : html`<span class="off">(unavailable)</span>`}
        </button>`,
    )}
  </div>`;
}
