import type { AddressInfo, Socket } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ChangingSmtpServer {
  port: number;
  /** Changes the password, as an admin of the mail provider would, and hangs up on everyone. */
  changePassword(password: string): void;
  close(): Promise<void>;
}

/**
 * A plain-text SMTP server whose password changes under a connected mailbox: what makes an
 * active mailbox fail for good. Hanging up matters, since an open pooled connection stays
 * logged in with the old password.
 */
export async function startChangingSmtpServer(
  username: string,
  password: string,
): Promise<ChangingSmtpServer> {
  let current = password;
  const sockets = new Set<Socket>();
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, done) {
      if (auth.username === username && auth.password === current) {
        return done(null, { user: username });
      }
      done(
        Object.assign(new Error("5.7.8 Authentication credentials invalid"), {
          responseCode: 535,
        }),
      );
    },
    onData(stream, _session, done) {
      stream.resume();
      stream.on("end", () => done());
    },
  });
  server.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));

  return {
    port: (server.server.address() as AddressInfo).port,
    changePassword(next) {
      current = next;
      sockets.forEach((socket) => socket.destroy());
    },
    close: () =>
      new Promise<void>((done) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => done());
      }),
  };
}
