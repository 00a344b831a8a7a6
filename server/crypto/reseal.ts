import type { Context } from "../context.js";

/**
 * After SECRET_KEY is rotated, seals every stored credential again with the new key, so that
 * the previous key can be dropped from PREVIOUS_SECRET_KEYS once this has run.
 */
export async function resealCredentials(
  ctx: Pick<Context, "models" | "box" | "log">,
): Promise<number> {
  const mailboxes = await ctx.models.Mailbox.findAll({ attributes: ["id", "credentials"] });
  let resealed = 0;
  for (const mailbox of mailboxes) {
    if (!mailbox.credentials || !ctx.box.isStale(mailbox.credentials)) continue;
    const fresh = ctx.box.seal(ctx.box.open(mailbox.credentials));
    await ctx.models.Mailbox.update(
      { credentials: fresh },
      { where: { id: mailbox.id, credentials: mailbox.credentials } },
    );
    resealed += 1;
  }
  if (resealed > 0) ctx.log.info({ resealed }, "credentials sealed again with the current key");
  return resealed;
}
