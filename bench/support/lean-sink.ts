import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { serverCert } from "../../test/support/certs.js";

export interface LeanSinkOptions {
  /** Waits this long before accepting each message: a slow server. */
  delayMs?: number;
}

export interface LeanSink {
  port: number;
  /** Messages accepted, repeats included. */
  received(): number;
  /** Distinct Message-IDs accepted. */
  distinct(): number;
  reset(): void;
  close(): Promise<void>;
}

const MESSAGE_ID = /^message-id:[ \t]*(<[^>\r\n]+>)/im;
const HEADER_END = "\r\n\r\n";

/**
 * An SMTP server on loopback that offers STARTTLS, accepts any login and only counts what
 * arrives by Message-ID. The test sink parses every mail, which costs more than sending it;
 * here the sink must stay out of the way of what is measured.
 */
export async function startLeanSink(options: LeanSinkOptions = {}): Promise<LeanSink> {
  let received = 0;
  let ids = new Set<string>();

  const server = new SMTPServer({
    key: serverCert.key,
    cert: serverCert.cert,
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 100,
    size: 30 * 1024 * 1024,
    onAuth(auth, _session, done) {
      done(null, { user: auth.username });
    },
    onData(stream, _session, done) {
      let head = "";
      stream.on("data", (chunk: Buffer) => {
        if (head.length < 16_384 && !head.includes(HEADER_END)) head += chunk.toString("latin1");
      });
      stream.on("end", () => {
        const id = MESSAGE_ID.exec(head.split(HEADER_END, 1)[0]!)?.[1] ?? "";
        const accept = () => {
          received += 1;
          ids.add(id);
          done();
        };
        if (options.delayMs) setTimeout(accept, options.delayMs);
        else accept();
      });
    },
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));

  return {
    port: (server.server.address() as AddressInfo).port,
    received: () => received,
    distinct: () => ids.size,
    reset() {
      received = 0;
      ids = new Set();
    },
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}
