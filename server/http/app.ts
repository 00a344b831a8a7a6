import cors from "cors";
import express, { type Express } from "express";
import helmet from "helmet";
import { Tickets } from "../auth/tickets.js";
import type { Context } from "../context.js";
import { demoRoutes } from "../demo/routes.js";
import { PUBLIC_DIR } from "../paths.js";
import { authenticate } from "./middleware/authenticate.js";
import { errorHandler, notFoundHandler } from "./middleware/errors.js";
import { requestLog } from "./middleware/request-log.js";
import { healthRoutes } from "./routes/health.js";
import { mailboxRoutes } from "./routes/mailbox.js";
import { oauthRoutes } from "./routes/oauth.js";
import { consentRoutes } from "./routes/oauth-consent.js";

/** Assembles the HTTP service: security headers, the API, the static widget bundle. */
export function createApp(ctx: Context): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");

  app.use(requestLog(ctx.log));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          connectSrc: ["'self'"],
          frameAncestors: ["'self'", ...ctx.config.allowedOrigins],
          formAction: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
        },
      },
      // The widget bundle is loaded by host pages on other origins.
      crossOriginResourcePolicy: { policy: "cross-origin" },
    }),
  );

  const tickets = new Tickets(ctx.sequelize);

  app.use("/healthz", healthRoutes(ctx));
  app.use("/build", cors({ origin: "*" }), express.static(`${PUBLIC_DIR}/build`, { maxAge: "5m" }));

  app.use(
    "/api",
    cors({
      origin: ctx.config.allowedOrigins,
      methods: ["GET", "POST", "PUT", "DELETE"],
      allowedHeaders: ["Authorization", "Content-Type"],
      maxAge: 600,
    }),
    express.json({ limit: "64kb" }),
    authenticate(ctx.config.embedSecret),
    mailboxRoutes(ctx),
    oauthRoutes(ctx, tickets),
  );
  app.use("/auth", consentRoutes(ctx, tickets));

  if (ctx.config.demo.enabled) {
    app.use("/demo", demoRoutes(ctx));
    app.use(express.static(PUBLIC_DIR, { index: "index.html" }));
  }

  app.use(notFoundHandler);
  app.use(errorHandler(ctx.log));
  return app;
}
