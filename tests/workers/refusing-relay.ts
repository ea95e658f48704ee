// A tiny SMTP relay for the workerd tests (started by global-setup.ts, Node side) that refuses some addresses
// the way real relays do: RCPT TO an address at `undeliverable.test` gets a permanent 550 5.1.1 ("user
// unknown"), one at `greylisted.test` a temporary 450. Everything else is accepted and counted (not stored:
// the mail catcher is for reading mail). Plain SMTP on loopback, enough of RFC 5321 for worker-mailer.
import net from "node:net";

export type RefusingRelay = { port: number; accepted(): number; close(): Promise<void> };

export const REFUSED_DOMAIN = "undeliverable.test";
export const GREYLISTED_DOMAIN = "greylisted.test";

export async function startRefusingRelay(): Promise<RefusingRelay> {
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = "";
    let inData = false;
    let recipients = 0;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 refusing-relay.test ESMTP");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          buffer = buffer.slice(end + 5);
          inData = false;
          accepted += recipients;
          reply("250 2.0.0 Ok: queued");
          continue;
        }
        const eol = buffer.indexOf("\r\n");
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") reply("250-refusing-relay.test\r\n250 8BITMIME");
        else if (verb === "HELO") reply("250 refusing-relay.test");
        else if (verb === "MAIL") {
          recipients = 0;
          reply("250 2.1.0 Ok");
        } else if (verb === "RCPT") {
          const address = line.match(/<([^>]*)>/)?.[1] ?? "";
          const domain = address.split("@").pop()?.toLowerCase();
          if (domain === REFUSED_DOMAIN) reply(`550 5.1.1 <${address}>: Recipient address rejected: User unknown in virtual mailbox table`);
          else if (domain === GREYLISTED_DOMAIN) reply(`450 4.2.0 <${address}>: Recipient address rejected: Greylisted, try again later`);
          else {
            recipients++;
            reply("250 2.1.5 Ok");
          }
        } else if (verb === "DATA") {
          if (recipients === 0) reply("554 5.5.1 Error: no valid recipients");
          else {
            inData = true;
            reply("354 End data with <CR><LF>.<CR><LF>");
          }
        } else if (verb === "RSET") {
          recipients = 0;
          reply("250 2.0.0 Ok");
        } else if (verb === "NOOP") reply("250 2.0.0 Ok");
        else if (verb === "QUIT") {
          reply("221 2.0.0 Bye");
          socket.end();
        } else reply("502 5.5.2 Error: command not recognized");
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
