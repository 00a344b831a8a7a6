import type { EmbedClaims } from "../auth/embed-token.js";
import type { Context } from "../context.js";
import type { MailboxRow } from "../db/models.js";
import { classify, type DeliveryFailure } from "../delivery/classify.js";
import { smtpFailureContext } from "../delivery/transports/smtp.js";
import { notConfigured } from "../errors.js";
import { recordEvent } from "./events.js";
import { requireMailbox } from "./lifecycle.js";

export type TestOutcome =
  { ok: true; mailbox: MailboxRow } | { ok: false; failure: DeliveryFailure; mailbox: MailboxRow };

/**
 * Sends a test mail through the mailbox's connection to its own address. Passing makes the
 * mailbox active and the admin who ran it the one told if it later fails. Failing records
 * the reason and leaves the status as it was: a test never makes a mailbox worse.
 */
export async function sendTestMail(
  ctx: Context,
  tenant: string,
  admin: EmbedClaims,
): Promise<TestOutcome> {
  const mailbox = await requireMailbox(ctx, tenant);
  if (!mailbox.method || mailbox.status === "created") throw notConfigured();
  const version = mailbox.connectionVersion;

  const failure = await trySending(ctx, mailbox);

  if (failure) {
    await recordFailure(ctx, mailbox, version, failure);
    return { ok: false, failure, mailbox: await mailbox.reload() };
  }

  await activate(ctx, mailbox, version, admin);
  return { ok: true, mailbox: await mailbox.reload() };
}

async function trySending(ctx: Context, mailbox: MailboxRow): Promise<DeliveryFailure | null> {
  let context = smtpFailureContext(mailbox);
  try {
    const connection = await ctx.connections.get(mailbox);
    context = connection.context;
    await connection.transporter.sendMail({
      from: { name: mailbox.displayName, address: mailbox.account ?? mailbox.address },
      to: mailbox.address,
      subject: "Test mail: your mailbox is connected",
      text: [
        `This test mail was sent through ${mailbox.displayName} <${mailbox.address}>.`,
        "",
        "It arrived, so the connection works: the mailbox is now active and your organisation's mail leaves from this address.",
      ].join("\n"),
    });
    return null;
  } catch (error) {
    // A pooled connection that failed (a refused login, say) is not kept for the next try.
    ctx.connections.close(mailbox.id);
    return classify(error, context);
  }
}

async function recordFailure(
  ctx: Context,
  mailbox: MailboxRow,
  version: number,
  failure: DeliveryFailure,
): Promise<void> {
  await ctx.models.Mailbox.update(
    { lastErrorCode: failure.code, lastErrorMessage: failure.message, lastErrorAt: new Date() },
    { where: { id: mailbox.id, connectionVersion: version } },
  );
  await recordEvent(ctx, mailbox.tenant, "test.failed", failure.message);
  ctx.log.info(
    { tenant: mailbox.tenant, mailbox: mailbox.id, method: mailbox.method, code: failure.code },
    "test mail failed",
  );
}

async function activate(
  ctx: Context,
  mailbox: MailboxRow,
  version: number,
  admin: EmbedClaims,
): Promise<void> {
  const wasActive = mailbox.status === "active";
  const now = new Date();

  // Settings saved while the test ran are not the ones that passed: leave those configured.
  const [changed] = await ctx.models.Mailbox.update(
    {
      status: "active",
      activatedAt: wasActive ? mailbox.activatedAt : now,
      lastErrorCode: null,
      lastErrorMessage: null,
      lastErrorAt: null,
      adminEmail: admin.email,
      adminName: admin.name ?? null,
    },
    { where: { id: mailbox.id, connectionVersion: version } },
  );
  if (changed === 0) return;

  await recordEvent(
    ctx,
    mailbox.tenant,
    "test.passed",
    `test mail delivered to ${mailbox.address}`,
  );
  if (!wasActive) {
    await recordEvent(
      ctx,
      mailbox.tenant,
      "mailbox.activated",
      `mail now leaves from ${mailbox.address}`,
    );
  }
  ctx.log.info(
    { tenant: mailbox.tenant, mailbox: mailbox.id, method: mailbox.method },
    "test mail passed",
  );
}
