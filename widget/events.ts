// The events the element tells its host page by; both cross the shadow root.
import type { Mailbox, MailboxStatus } from "./types.js";

/** What `status-change` carries: `null` stands for "no mailbox". */
export interface StatusChangeDetail {
  status: MailboxStatus | null;
  previous: MailboxStatus | null;
  mailbox: Mailbox | null;
}

/** What `api-error` carries. */
export interface ApiErrorDetail {
  code: string;
  message: string;
  status: number;
}

export function statusChangeEvent(detail: StatusChangeDetail): CustomEvent<StatusChangeDetail> {
  return new CustomEvent("status-change", { detail, bubbles: true, composed: true });
}

export function apiErrorEvent(detail: ApiErrorDetail): CustomEvent<ApiErrorDetail> {
  return new CustomEvent("api-error", { detail, bubbles: true, composed: true });
}
