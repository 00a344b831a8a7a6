import type { Response } from "supertest";
import { createLogger } from "../../../server/log.js";
import type { IntegrationOptions } from "../../../server/integration.js";
import type { FakeMailApi } from "../../support/fake-mail-api.js";
import type { FakeOAuthProvider } from "../../support/fake-oauth-provider.js";
import { startFakeProviders } from "../../support/fake-providers.js";
import { startHarness, type Harness } from "../../support/harness.js";

export const HOST_ORIGIN = "http://host.example";
export type Provider = "google" | "microsoft";

/**
 * The service with both providers configured against fakes on loopback, as an operator
 * would point it with GOOGLE_* / MICROSOFT_* / GMAIL_API_URL / GRAPH_API_URL, a logger that
 * keeps every line, and a record of every answer the service gave.
 */
export interface World {
  h: Harness;
  /** The provider settings the service was started with. */
  providers: Pick<IntegrationOptions, "google" | "microsoft">;
  google: FakeOAuthProvider;
  gmail: FakeMailApi;
  microsoft: FakeOAuthProvider;
  graph: FakeMailApi;
  logLines: string[];
  /** Every answer of the service seen through `record`: status line, headers and body. */
  answers: string[];
  record(response: Response): Response;
  /** The fake provider and mail API of one provider. */
  fakes(provider: Provider): { idp: FakeOAuthProvider; api: FakeMailApi };
  close(): Promise<void>;
}

export async function startWorld(options: IntegrationOptions = {}): Promise<World> {
  const fakes = await startFakeProviders();
  const { google, gmail, microsoft, graph, settings: providers } = fakes;
  const logLines: string[] = [];
  const answers: string[] = [];

  const h = await startHarness({
    logger: createLogger("debug", { write: (line: string) => void logLines.push(line) }),
    ...providers,
    ...options,
  });

  return {
    h,
    providers,
    google,
    gmail,
    microsoft,
    graph,
    logLines,
    answers,
    record(response) {
      answers.push(
        `${response.status} ${JSON.stringify(response.headers)}\n${response.text ?? ""}`,
      );
      return response;
    },
    fakes: (provider) =>
      provider === "google" ? { idp: google, api: gmail } : { idp: microsoft, api: graph },
    async close() {
      await h.close();
      await fakes.close();
    },
  };
}

export interface ConsentOutcome {
  /** The callback's page, or the start's when the consent ended there. */
  page: Response;
  report: {
    type: string;
    provider: string;
    ok: boolean;
    error?: { code: string; message: string };
  };
  targets: string[];
  /** The provider's redirect back to the service, for replaying it. */
  callbackPath: string | null;
}

/** Creates the tenant's mailbox for `address`. */
export async function createMailbox(world: World, tenant: string, address: string) {
  const token = await world.h.token(tenant);
  const created = world.record(
    await world.h.request
      .post("/api/mailbox")
      .set("Authorization", `Bearer ${token}`)
      .send({ displayName: "Acme HR", address }),
  );
  if (created.status !== 201) throw new Error(`mailbox not created: ${created.text}`);
}

/** Asks the API for the consent address, as the widget does before opening the popup. */
export async function consentAddress(world: World, provider: Provider, tenant: string) {
  const token = await world.h.token(tenant);
  return world.record(
    await world.h.request
      .post(`/api/mailbox/oauth/${provider}`)
      .set("Authorization", `Bearer ${token}`)
      .set("Origin", HOST_ORIGIN),
  );
}

/**
 * Runs a consent as the popup would: opens the single-use address, follows the service's
 * redirect to the provider (which signs in and consents at once, or refuses when told to),
 * and follows the provider's redirect back to the callback, keeping the consent cookie.
 */
export async function runConsent(
  world: World,
  provider: Provider,
  tenant: string,
): Promise<ConsentOutcome> {
  const address = await consentAddress(world, provider, tenant);
  if (address.status !== 200) throw new Error(`no consent address: ${address.text}`);

  const start = world.record(await world.h.request.get(pathOf(address.body.url)));
  if (start.status !== 302) return { ...readPage(start), callbackPath: null };

  const callbackPath = await visitProvider(start.headers.location!);
  const page = world.record(await world.h.request.get(callbackPath));
  return { ...readPage(page), callbackPath };
}

/** The provider's sign-in page: it answers at once with a redirect to the callback. */
export async function visitProvider(location: string): Promise<string> {
  const answer = await fetch(location, { redirect: "manual" });
  const back = answer.headers.get("location");
  if (answer.status !== 302 || !back) {
    throw new Error(`the provider answered ${answer.status}: ${await answer.text()}`);
  }
  return pathOf(back);
}

/** What the popup page would post to its opener, and where to. */
export function readPage(page: Response): Omit<ConsentOutcome, "callbackPath"> {
  const json = /<script type="application\/json" id="consent-report">(.*?)<\/script>/s.exec(
    page.text,
  );
  if (!json) throw new Error(`not a consent result page (${page.status}): ${page.text}`);
  const { report, targets } = JSON.parse(json[1]!);
  return { page, report, targets };
}

export function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

export async function getMailbox(world: World, tenant: string) {
  const token = await world.h.token(tenant);
  const answer = world.record(
    await world.h.request.get("/api/mailbox").set("Authorization", `Bearer ${token}`),
  );
  return answer.body as {
    mailbox: Record<string, unknown> | null;
    methods: Record<string, boolean>;
  };
}

export async function getEvents(world: World, tenant: string) {
  const token = await world.h.token(tenant);
  const answer = world.record(
    await world.h.request.get("/api/mailbox/events").set("Authorization", `Bearer ${token}`),
  );
  return answer.body.events as { type: string; detail: string | null }[];
}

export async function sendTestMail(world: World, tenant: string) {
  const token = await world.h.token(tenant);
  return world.record(
    await world.h.request.post("/api/mailbox/test").set("Authorization", `Bearer ${token}`),
  );
}

export async function deleteMailbox(world: World, tenant: string) {
  const token = await world.h.token(tenant);
  return world.record(
    await world.h.request.delete("/api/mailbox").set("Authorization", `Bearer ${token}`),
  );
}

/** A mailbox connected by consent and made active by a passing test mail. */
export async function activeMailbox(
  world: World,
  provider: Provider,
  tenant: string,
  address: string,
): Promise<void> {
  const { idp } = world.fakes(provider);
  idp.account = address;
  await createMailbox(world, tenant, address);
  const outcome = await runConsent(world, provider, tenant);
  if (!outcome.report.ok) throw new Error(`consent failed: ${JSON.stringify(outcome.report)}`);
  const test = await sendTestMail(world, tenant);
  if (test.status !== 200) throw new Error(`test mail failed: ${test.text}`);
}
