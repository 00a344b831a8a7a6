import { Router } from "express";
import type { Context } from "../../context.js";
import { unavailable } from "../../errors.js";

export function healthRoutes(ctx: Context): Router {
  const router = Router();

  router.get("/", async (_req, res) => {
    await ctx.sequelize.query("SELECT 1").catch((error: unknown) => {
      throw unavailable(error);
    });

    res.json({ ok: true });
  });

  return router;
}
