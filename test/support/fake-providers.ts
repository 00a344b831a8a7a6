import type { IntegrationOptions } from "../../server/integration.js";
import { startFakeGmail } from "./fake-gmail.js";
import { startFakeGraph } from "./fake-graph.js";
import type { FakeMailApi } from "./fake-mail-api.js";
import {
  startFakeGoogle,
  startFakeMicrosoft,
  type FakeOAuthProvider,
} from "./fake-oauth-provider.js";

/** Google and Microsoft on loopback: their sign-in and their mail APIs. */
export interface FakeProviders {
  google: FakeOAuthProvider;
  gmail: FakeMailApi;
  microsoft: FakeOAuthProvider;
  graph: FakeMailApi;
  /** The service's settings that point at them, as GOOGLE_* / MICROSOFT_* would. */
  settings: Required<Pick<IntegrationOptions, "google" | "microsoft">>;
  close(): Promise<void>;
}

export async function startFakeProviders(): Promise<FakeProviders> {
  const google = await startFakeGoogle();
  const gmail = await startFakeGmail(google);
  const microsoft = await startFakeMicrosoft();
  const graph = await startFakeGraph(microsoft);
  return {
    google,
    gmail,
    microsoft,
    graph,
    settings: {
      google: {
        clientId: "google-client-id",
        clientSecret: "google-client-secret",
        endpoints: {
          authUrl: `${google.url}/authorize`,
          tokenUrl: `${google.url}/token`,
          userinfoUrl: `${google.url}/userinfo`,
          revokeUrl: `${google.url}/revoke`,
          gmailApiUrl: gmail.url,
        },
      },
      microsoft: {
        clientId: "microsoft-client-id",
        clientSecret: "microsoft-client-secret",
        tenant: "contoso",
        metadataUrl: microsoft.metadataUrl,
        graphApiUrl: `${graph.url}/v1.0`,
      },
    },
    async close() {
      await Promise.all([gmail.close(), graph.close(), google.close(), microsoft.close()]);
    },
  };
}
