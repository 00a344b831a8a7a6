import { css } from "lit";

// Every colour pair below meets WCAG AA: 4.5:1 for text, 3:1 for borders and focus rings.
export const styles = css`
  :host {
    --_text: var(--email-integration-text, #1f2937);
    --_muted: var(--email-integration-muted, #4b5563);
    --_surface: var(--email-integration-surface, #ffffff);
    --_subtle: var(--email-integration-subtle, #f3f4f6);
    --_border: var(--email-integration-border, #d1d5db);
    --_control-border: var(--email-integration-control-border, #6b7280);
    --_accent: var(--email-integration-accent, #1d4ed8);
    --_accent-text: var(--email-integration-accent-text, #ffffff);
    --_danger: var(--email-integration-danger, #b91c1c);
    --_success: var(--email-integration-success, #166534);
    --_warning: var(--email-integration-warning, #92400e);
    --_focus: var(--email-integration-focus, #2563eb);
    --_radius: var(--email-integration-radius, 6px);

    display: block;
    font: inherit;
    color: var(--_text);
    line-height: 1.5;
  }

  :host([hidden]) {
    display: none;
  }

  * {
    box-sizing: border-box;
  }

  .card {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1.25rem;
  }

  h2,
  h3 {
    margin: 0;
    line-height: 1.3;
  }

  h2 {
    font-size: 1.25em;
  }

  h3 {
    font-size: 1.05em;
  }

  p {
    margin: 0.5rem 0;
  }

  .intro {
    margin-bottom: 1.25rem;
  }

  [tabindex="-1"]:focus {
    outline: none;
  }

  section + section {
    margin-top: 1.25rem;
    padding-top: 1.25rem;
    border-top: 1px solid var(--_border);
  }

  .muted {
    color: var(--_muted);
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
  }

  .spread {
    justify-content: space-between;
  }

  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  /* Controls */

  form {
    display: grid;
    gap: 0.875rem;
    margin-top: 0.75rem;
    max-width: 36rem;
  }

  .fields {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
    gap: 0.875rem 1rem;
  }

  .field {
    display: grid;
    gap: 0.25rem;
    align-content: start;
  }

  label {
    font-weight: 600;
  }

  .hint {
    font-size: 0.875em;
    color: var(--_muted);
  }

  input[type="text"],
  input[type="email"],
  input[type="password"] {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_control-border);
    border-radius: var(--_radius);
    padding: 0.5rem 0.625rem;
    width: 100%;
  }

  input[type="checkbox"] {
    width: 1.125rem;
    height: 1.125rem;
    margin: 0;
    accent-color: var(--_accent);
  }

  .check {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }

  [aria-invalid="true"] {
    border-color: var(--_danger);
    box-shadow: 0 0 0 1px var(--_danger);
  }

  .field-error {
    color: var(--_danger);
    font-size: 0.875em;
    font-weight: 600;
  }

  button {
    font: inherit;
    font-weight: 600;
    border-radius: var(--_radius);
    border: 1px solid var(--_control-border);
    background: var(--_surface);
    color: var(--_text);
    padding: 0.5rem 1rem;
    cursor: pointer;
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }

  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }

  button.danger {
    color: var(--_danger);
    border-color: var(--_danger);
  }

  #delete-confirm {
    background: var(--_danger);
    color: #ffffff;
  }

  button[aria-disabled="true"] {
    cursor: not-allowed;
  }

  /* The button whose call runs keeps full contrast: its label says what is happening. */
  button[aria-disabled="true"]:not(.busy) {
    opacity: 0.65;
  }

  button.link {
    border: 0;
    padding: 0;
    background: none;
    color: var(--_accent);
    text-decoration: underline;
    font-weight: inherit;
  }

  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }

  input:focus-visible {
    outline-offset: 0;
  }

  .spinner {
    width: 1em;
    height: 1em;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }

  /* Status */

  .badge {
    display: inline-block;
    padding: 0.125rem 0.625rem;
    border-radius: 999px;
    font-size: 0.875em;
    font-weight: 700;
    background: #e5e7eb;
    color: #1f2937;
  }

  .badge.active {
    background: #dcfce7;
    color: var(--_success);
  }

  .badge.configured {
    background: #dbeafe;
    color: #1e3a8a;
  }

  .badge.inactive {
    background: #fef3c7;
    color: var(--_warning);
  }

  .notice {
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    border-left-width: 4px;
    background: var(--_subtle);
    padding: 0.625rem 0.875rem;
    margin: 0.75rem 0;
  }

  .notice > :first-child {
    margin-top: 0;
  }

  .notice > :last-child {
    margin-bottom: 0;
  }

  .notice.success {
    border-left-color: var(--_success);
  }

  .notice.warning {
    border-left-color: var(--_warning);
  }

  .notice.error {
    border-left-color: var(--_danger);
    background: #fef2f2;
    color: #7f1d1d;
  }

  /* Connection methods */

  .methods {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-top: 0.75rem;
  }

  .methods button[aria-pressed="true"] {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
    background: #eff6ff;
    color: #1e3a8a;
  }

  .methods .off {
    font-weight: 400;
    color: var(--_muted);
  }

  .panel {
    margin-top: 1rem;
  }

  /* History */

  details summary {
    cursor: pointer;
    font-weight: 600;
  }

  ol {
    list-style: none;
    margin: 0.5rem 0 0;
    padding: 0;
  }

  li {
    display: grid;
    grid-template-columns: minmax(9rem, auto) 1fr;
    gap: 0 0.75rem;
    padding: 0.375rem 0;
    border-bottom: 1px solid var(--_border);
  }

  time {
    color: var(--_muted);
    font-size: 0.875em;
    padding-top: 0.1em;
  }
`;
