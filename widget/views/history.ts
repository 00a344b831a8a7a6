import { html, type TemplateResult } from "lit";
import { describeEvent } from "../messages.js";
import type { MailboxEvent } from "../types.js";
import { formatTime } from "./time.js";

export interface HistoryProps {
  events: MailboxEvent[] | null;
}

/** What happened to the mailbox, newest first, folded away until asked for. */
export function history(props: HistoryProps): TemplateResult {
  const { events } = props;

  return html`<section>
    <details part="history">
      <summary>History${events ? ` (${events.length})` : ""}</summary>
      ${
        events === null
          ? html`<p class="muted">The history could not be loaded.</p>`
          : html`<ol>
              ${events.map(
                (event) =>
                  html`<li>
                    <time datetime=${event.at}>${formatTime(event.at)}</time>
                    <span>${describeEvent(event)}</span>
                  </li>`,
              )}
            </ol>`
      }
    </details>
  </section>`;
}
