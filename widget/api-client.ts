import type { Mailbox, MailboxEvent, Methods, OAuthProvider, Problem } from "./types.js";

/** A failed call: the API's stable `code`, its message and, for invalid input, the field. */
export class ApiError extends Error implements Problem {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface MailboxState {
  mailbox: Mailbox | null;
  methods: Methods;
}

export interface SmtpInput {
  username: string;
  password?: string;
  host: string;
  port: number;
  secure: boolean;
}

export type TestMailResult =
  { ok: true; mailbox: Mailbox } | { ok: false; error: Problem; mailbox: Mailbox };

// A test mail waits on a foreign SMTP server, which the service itself bounds; this only keeps
// a lost connection from leaving the admin in front of a spinner forever.
const REQUEST_TIMEOUT_MS = 90_000;

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; field?: unknown };
}

/** Talks to the mail service's `/api/mailbox` calls on behalf of one embed token. */
export class ApiClient {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async getMailbox(): Promise<MailboxState> {
    return this.call<MailboxState>("GET", "");
  }

  async createMailbox(displayName: string, address: string): Promise<Mailbox> {
    const body = await this.call<{ mailbox: Mailbox }>("POST", "", { displayName, address });
    return body.mailbox;
  }

  async deleteMailbox(): Promise<void> {
    await this.call<void>("DELETE", "");
  }

  async saveSmtp(settings: SmtpInput): Promise<Mailbox> {
    const body = await this.call<{ mailbox: Mailbox }>("PUT", "/smtp", settings);
    return body.mailbox;
  }

  /** A failed test mail is an answer, not an error: it carries the mailbox as it now is. */
  async sendTestMail(): Promise<TestMailResult> {
    return this.call<TestMailResult>(
      "POST",
      "/test",
      undefined,
      (status, body) => status === 422 && isFailedTest(body),
    );
  }

  async startOAuth(provider: OAuthProvider): Promise<string> {
    const body = await this.call<{ url: string }>("POST", `/oauth/${provider}`);
    return body.url;
  }

  async events(): Promise<MailboxEvent[]> {
    const body = await this.call<{ events: MailboxEvent[] }>("GET", "/events");
    return body.events;
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    isAnswer: (status: number, body: unknown) => boolean = () => false,
  ): Promise<T> {
    const response = await this.fetch(method, path, body);
    if (response.status === 204) return undefined as T;

    const parsed: unknown = await response.json().catch(() => null);
    if (response.ok || isAnswer(response.status, parsed)) return parsed as T;

    throw toApiError(response.status, parsed);
  }

  private async fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";

    try {
      return await fetch(`${this.base}/api/mailbox${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (cause) {
      const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
      throw timedOut
        ? new ApiError(0, "timeout", "The mail service took too long to answer. Try again.")
        : new ApiError(0, "network_error", "The mail service could not be reached. Try again.");
    }
  }
}

function isFailedTest(body: unknown): boolean {
  return typeof body === "object" && body !== null && "ok" in body && body.ok === false;
}

function toApiError(status: number, body: unknown): ApiError {
  const error = (body as ErrorBody | null)?.error;
  const code = typeof error?.code === "string" ? error.code : `http_${status}`;
  const message =
    typeof error?.message === "string" ? error.message : "The mail service failed. Try again.";
  const field = typeof error?.field === "string" ? error.field : undefined;
  return new ApiError(status, code, message, field);
}
