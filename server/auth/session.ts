import connectSessionSequelize from "connect-session-sequelize";
import type { RequestHandler } from "express";
import session from "express-session";
import type { Sequelize } from "sequelize";
import type { Config } from "../config.js";
import type { Ticket } from "./tickets.js";

/** A consent has this long between opening the popup and the provider's return. */
const CONSENT_LIFETIME_MS = 10 * 60_000;

export const CONSENT_COOKIE = "email_integration_consent";

/** Which consent the popup is running, kept server-side between start and callback. */
export type ConsentSession = Ticket;

declare module "express-session" {
  interface SessionData {
    consent?: ConsentSession;
  }
}

const SequelizeStore = connectSessionSequelize(session.Store);

export interface ConsentSessions {
  middleware: RequestHandler;
  /** Drops sessions whose consent was abandoned. */
  clearExpired(): Promise<void>;
}

/**
 * The session exists only for the OAuth round trip: it carries the ticket's facts and the
 * strategies' state, nonce and PKCE verifier from the start address to the callback, and is
 * destroyed there. The cookie is limited to /auth, HttpOnly, Secure when PUBLIC_URL is https,
 * and SameSite=lax so that the provider's top-level redirect back still carries it. Sessions
 * live in the database, never in memory, so the callback may reach another instance.
 */
export function consentSessions(sequelize: Sequelize, config: Config): ConsentSessions {
  const store = new SequelizeStore({
    db: sequelize,
    tableName: "oauth_sessions",
    modelKey: "OAuthSession",
    // Expired sessions are cleared when a consent starts, rather than by a timer of its own.
    checkExpirationInterval: 0,
    expiration: CONSENT_LIFETIME_MS,
  });

  const middleware = session({
    name: CONSENT_COOKIE,
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    unset: "destroy",
    // The provider's redirect reaches the service through whatever terminates TLS for it.
    proxy: true,
    cookie: {
      path: "/auth",
      httpOnly: true,
      secure: new URL(config.publicUrl).protocol === "https:",
      sameSite: "lax",
      maxAge: CONSENT_LIFETIME_MS,
    },
  });

  return {
    middleware,
    clearExpired: async () => {
      await (store as unknown as { clearExpiredSessions(): Promise<void> }).clearExpiredSessions();
    },
  };
}
