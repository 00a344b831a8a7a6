// The bundle's entry: one script tag defines the element on any page.
import { EmailIntegration } from "./email-integration.js";

export { EmailIntegration };
export type { ApiErrorDetail, StatusChangeDetail } from "./events.js";

declare global {
  interface HTMLElementTagNameMap {
    "hrms-email-integration": EmailIntegration;
  }
  interface HTMLElementEventMap {
    "status-change": CustomEvent<import("./events.js").StatusChangeDetail>;
    "api-error": CustomEvent<import("./events.js").ApiErrorDetail>;
  }
}

// A page that loads the bundle twice must not fail on the second definition.
if (!customElements.get("hrms-email-integration")) {
  customElements.define("hrms-email-integration", EmailIntegration);
}
