// WebSocket-to-TCP proxy: lets the production driver (@neondatabase/serverless, which speaks Postgres
// over a WebSocket) reach a plain local Postgres. Loopback only, both on the listening and target side.
import net from "node:net";
import { WebSocketServer } from "ws";

export type WsProxy = { port: number; close(): Promise<void> };

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

export async function startWsProxy(opts: { port: number }): Promise<WsProxy> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: opts.port });
  wss.on("connection", (ws, req) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const address = url.searchParams.get("address") ?? "";
    const sep = address.lastIndexOf(":");
    const host = address.slice(0, sep);
    const port = Number(address.slice(sep + 1));
    if (!LOOPBACK.has(host) || !Number.isInteger(port) || port <= 0) {
      ws.close(1008, "only loopback targets are allowed");
      return;
    }
    const socket = net.connect({ host: host === "localhost" ? "127.0.0.1" : host, port });
    const pending: Buffer[] = [];
    let connected = false;
    socket.on("connect", () => {
      connected = true;
      for (const chunk of pending) socket.write(chunk);
      pending.length = 0;
    });
    socket.on("data", (data) => ws.readyState === ws.OPEN && ws.send(data));
    socket.on("close", () => ws.close());
    socket.on("error", () => ws.close());
    ws.on("message", (data: Buffer) => (connected ? socket.write(data) : pending.push(data)));
    ws.on("close", () => socket.destroy());
    ws.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  const address = wss.address();
  return {
    port: typeof address === "object" && address ? address.port : opts.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
