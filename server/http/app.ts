import cors from "cors";
import express, { type Express, type RequestHandler, type Router } from "express";
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

/** Assembles the HTTP service: security headers, the API, the static widget bundle. */
export async function createApp(ctx: Context): Promise<Express> {
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
  const consent = () =>
    import("./routes/oauth-consent.js").then(({ consentRoutes }) => consentRoutes(ctx, tickets));

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
  // The consent brings Passport and the session store. A configured provider builds it now, so
  // that its settings fail the start; with none, it loads only if a stale popup still calls.
  const anyProvider = Boolean(ctx.config.google || ctx.config.microsoft);
  app.use("/auth", anyProvider ? await consent() : loadedOnUse(consent));

  if (ctx.config.demo.enabled) {
    app.use("/demo", demoRoutes(ctx));
    app.use(express.static(PUBLIC_DIR, { index: "index.html" }));
  }

  app.use(notFoundHandler);
  app.use(errorHandler(ctx.log));
  return app;
}

/** A router loaded at its first request; a load that failed is tried again by the next. */
function loadedOnUse(load: () => Promise<Router>): RequestHandler {
  let router: Promise<Router> | undefined;
  return (req, res, next) => {
    router ??= load().catch((error: unknown) => {
      router = undefined;
      throw error;
    });
    router.then((loaded) => loaded(req, res, next), next);
  };
}
