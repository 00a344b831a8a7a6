import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Encrypts credentials at rest with AES-256-GCM. Each sealed value names the key that sealed it
 * (`v1.<keyId>.<iv>.<tag>.<ciphertext>`), so SECRET_KEY can be rotated: the new key seals, the
 * previous ones still open what they sealed until it is written again.
 */
export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly keys: Map<string, Buffer>;

  constructor(current: Buffer, previous: Buffer[] = []) {
    this.current = { id: keyId(current), key: current };
    this.keys = new Map([current, ...previous].map((key) => [keyId(key), key]));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ["v1", this.current.id, b64(iv), b64(tag), b64(ciphertext)].join(".");
  }

  open(sealed: string): string {
    const [version, id, iv, tag, ciphertext] = sealed.split(".");
    const key = this.keys.get(id ?? "");
    if (version !== "v1" || !key || !iv || !tag || ciphertext === undefined) {
      throw new Error("sealed value has an unknown format or key");
    }
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, "base64url")),
      decipher.final(),
    ]);
    return plaintext.toString("utf8");
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }

  /** Whether a value was sealed with a key other than the current one. */
  isStale(sealed: string): boolean {
    return sealed.split(".")[1] !== this.current.id;
  }
}

function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

function b64(buffer: Buffer): string {
  return buffer.toString("base64url");
}
