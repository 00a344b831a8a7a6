import { SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createEmbedToken,
  EmbedTokenVerifier,
  verifyEmbedToken,
  type EmbedClaims,
} from "../../server/auth/embed-token.js";

const SECRET = "embed-token-test-secret-that-is-long-enough-42";
const ADMIN: EmbedClaims = { tenant: "acme", sub: "admin-1", email: "admin@acme.example" };
const START = new Date("2026-06-01T09:00:00Z");

const seconds = () => Math.floor(Date.now() / 1000);
const advance = (by: number) => vi.setSystemTime(Date.now() + by * 1000);
const tokenFor = (tenant: string, expiresInSeconds?: number) =>
  createEmbedToken({ ...ADMIN, tenant }, SECRET, { expiresInSeconds });
const sign = (claims: Record<string, unknown>, alg = "HS256", secret = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
const good = () => ({ ...ADMIN, exp: seconds() + 600 });

async function refusal(verifying: Promise<unknown>) {
  const error = await verifying.then(
    () => expect.fail("the token was accepted"),
    (caught: unknown) => caught as { status: number; code: string; message: string },
  );
  return { status: error.status, code: error.code, message: error.message };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a token seen for the first time", () => {
  it("is accepted when signed with the secret, and answers its claims", async () => {
    const verifier = new EmbedTokenVerifier(SECRET);

    const claims = await verifier.verify(await tokenFor("acme"));

    expect(claims).toEqual({ ...ADMIN, name: undefined });
  });

  const refusals: [string, () => Promise<string>, string][] = [
    ["an expired token", () => sign({ ...good(), exp: seconds() - 120 }), "has expired"],
    [
      "a token that lives longer than an hour",
      () => sign({ ...good(), exp: seconds() + 7200 }),
      "longer than an hour",
    ],
    ["a token not valid yet", () => sign({ ...good(), nbf: seconds() + 600 }), "is not valid"],
    ["a token without an expiry", () => sign({ ...good(), exp: undefined }), "is not valid"],
    ["a token without a tenant", () => sign({ ...good(), tenant: undefined }), "is not valid"],
    ["a token without a subject", () => sign({ ...good(), sub: undefined }), "is not valid"],
    [
      "a token whose tenant is too long",
      () => sign({ ...good(), tenant: "t".repeat(201) }),
      "lacks a tenant",
    ],
    [
      "a token with an email that is no address",
      () => sign({ ...good(), email: "admin" }),
      "lacks a tenant",
    ],
    [
      "a token signed with another secret",
      () => sign(good(), "HS256", "another-secret-another-secret-1234"),
      "is not valid",
    ],
    ["a token signed with HS512", () => sign(good(), "HS512"), "is not valid"],
    [
      "an unsigned token (alg none)",
      async () => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
        return `${part({ alg: "none", typ: "JWT" })}.${part(good())}.`;
      },
      "is not valid",
    ],
    ["garbage", async () => "not.a.token", "is not valid"],
  ];

  it.each(refusals)("is refused when it is %s", async (_name, make, message) => {
    const verifier = new EmbedTokenVerifier(SECRET);

    const refused = await refusal(verifier.verify(await make()));

    expect(refused).toEqual({
      status: 401,
      code: "unauthorized",
      message: expect.stringContaining(message),
    });
    expect(verifier.size).toBe(0);
  });

  it("is checked the same way by verifyEmbedToken, which remembers nothing", async () => {
    const token = await tokenFor("acme");

    expect(await verifyEmbedToken(token, SECRET)).toEqual({ ...ADMIN, name: undefined });
    expect(await refusal(verifyEmbedToken(`${token}x`, SECRET))).toMatchObject({ status: 401 });
  });
});

describe("a token accepted before", () => {
  it("is answered again with the very claims it was accepted with", async () => {
    const verifier = new EmbedTokenVerifier(SECRET);
    const token = await tokenFor("acme");

    const first = await verifier.verify(token);
    const again = await verifier.verify(token);

    expect(again).toBe(first);
    expect(Object.isFrozen(again)).toBe(true);
  });

  it("is refused once its expiry has passed, and forgotten", async () => {
    const verifier = new EmbedTokenVerifier(SECRET);
    const token = await tokenFor("acme", 60);
    await verifier.verify(token);

    advance(60 + 31);

    expect(await refusal(verifier.verify(token))).toEqual({
      status: 401,
      code: "unauthorized",
      message: "the embed token has expired",
    });
    expect(verifier.size).toBe(0);
  });

  it("is still accepted within the clock tolerance after its expiry", async () => {
    const verifier = new EmbedTokenVerifier(SECRET);
    const token = await tokenFor("acme", 60);
    await verifier.verify(token);

    advance(60 + 29);

    expect(await verifier.verify(token)).toMatchObject({ tenant: "acme" });
  });

  it("is refused when the clock is set back before its not-before time", async () => {
    const verifier = new EmbedTokenVerifier(SECRET);
    const token = await sign({ ...good(), nbf: seconds() });
    await verifier.verify(token);

    advance(-120);

    expect(await refusal(verifier.verify(token))).toMatchObject({
      status: 401,
      message: "the embed token is not valid",
    });
  });

  it("is refused when the clock is set back so far that it would live longer than an hour", async () => {
    const verifier = new EmbedTokenVerifier(SECRET);
    const token = await tokenFor("acme");
    await verifier.verify(token);

    advance(-120);

    expect(await refusal(verifier.verify(token))).toMatchObject({
      status: 401,
      message: "the embed token lives longer than an hour",
    });
  });

  it("does not vouch for a tampered copy: another tenant in the payload is refused", async () => {
    const verifier = new EmbedTokenVerifier(SECRET);
    const token = await tokenFor("acme");
    await verifier.verify(token);
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, tenant: "other" })).toString(
      "base64url",
    );

    const refused = await refusal(verifier.verify(`${header}.${forged}.${signature}`));

    expect(refused).toMatchObject({ status: 401, message: "the embed token is not valid" });
  });

  it("does not vouch for a copy with its signature changed", async () => {
    const verifier = new EmbedTokenVerifier(SECRET);
    const token = await tokenFor("acme");
    await verifier.verify(token);
    const last = token.at(-1) === "A" ? "B" : "A";

    const refused = await refusal(verifier.verify(token.slice(0, -1) + last));

    expect(refused).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("is refused by a verifier of another secret", async () => {
    const ours = new EmbedTokenVerifier(SECRET);
    const theirs = new EmbedTokenVerifier("a-different-secret-that-is-long-enough-77");
    const token = await tokenFor("acme");
    await ours.verify(token);

    expect(await refusal(theirs.verify(token))).toMatchObject({ status: 401 });
  });
});

describe("the tokens kept", () => {
  it("never include a refused one: a refused token is checked and refused each time", async () => {
    const verifier = new EmbedTokenVerifier(SECRET);
    const expired = await sign({ ...good(), exp: seconds() - 120 });

    await refusal(verifier.verify(expired));
    const again = await refusal(verifier.verify(expired));

    expect(again.message).toBe("the embed token has expired");
    expect(verifier.size).toBe(0);
  });

  it("stay within the capacity, the oldest forgotten first", async () => {
    const verifier = new EmbedTokenVerifier(SECRET, { capacity: 2 });
    const [first, second, third] = await Promise.all(["a", "b", "c"].map((t) => tokenFor(t)));
    const claimsOfFirst = await verifier.verify(first!);
    const claimsOfSecond = await verifier.verify(second!);
    await verifier.verify(third!);

    expect(verifier.size).toBe(2);
    expect(await verifier.verify(second!)).toBe(claimsOfSecond);
    const firstAgain = await verifier.verify(first!);
    expect(firstAgain).not.toBe(claimsOfFirst);
    expect(firstAgain).toEqual(claimsOfFirst);
  });

  it("stay within the capacity however many tokens come", async () => {
    const verifier = new EmbedTokenVerifier(SECRET, { capacity: 10 });
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, n) => tokenFor(`t${n}`)));

    for (const token of tokens) await verifier.verify(token);

    expect(verifier.size).toBe(10);
  });
});
