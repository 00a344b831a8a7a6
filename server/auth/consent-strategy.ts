import type { Strategy } from "passport";
import type { OAuthProvider } from "./grant.js";

/** One provider's consent as Passport runs it, with what this service needs to know of it. */
export interface ConsentStrategy {
  provider: OAuthProvider;
  /** Its `verify` hands Passport a Grant as the "user". */
  strategy: Strategy;
  /** Options for `passport.authenticate` when the consent starts, for the mailbox's address. */
  startOptions(address: string): Record<string, unknown>;
  /** Whether a Passport `fail` of this strategy means the state did not match. */
  isStateFailure(info: unknown): boolean;
}
