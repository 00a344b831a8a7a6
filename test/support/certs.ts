import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const read = (name: string) =>
  readFileSync(fileURLToPath(new URL(`./certs/${name}`, import.meta.url)), "utf8");

/** The test CA, and a certificate it signed for localhost, 127.0.0.1 and ::1. */
export const testCa = read("ca.pem");
export const serverCert = { cert: read("server.pem"), key: read("server-key.pem") };
/** A self-signed certificate that nothing trusts. */
export const untrustedCert = { cert: read("untrusted.pem"), key: read("untrusted-key.pem") };
