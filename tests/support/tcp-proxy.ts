/**
 * A loopback TCP forwarder that can be switched off and on, standing in for a
 * database server that goes away and comes back, on a port of its own.
 */
import { createServer, connect, type Server, type Socket } from "node:net";

export interface Proxy {
  readonly port: number;
  /** Starts forwarding (again) on the same port. */
  start(): Promise<void>;
  /** Stops listening and cuts every forwarded connection. */
  stop(): Promise<void>;
  /** A silent network: connections stay open but nothing is forwarded either way until `thaw()`. */
  freeze(): void;
  thaw(): void;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function createProxy(target: { host: string; port: number }): Promise<Proxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let frozen = false;
  return {
    port,
    async start() {
      if (server) return;
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => undefined);
        }
        client.pipe(upstream).pipe(client);
        if (frozen) for (const s of [client, upstream]) s.pause();
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(port, "127.0.0.1", resolve);
      });
    },
    freeze() {
      frozen = true;
      for (const s of sockets) s.pause();
    },
    thaw() {
      frozen = false;
      for (const s of sockets) s.resume();
    },
    async stop() {
      const closing = server;
      server = null;
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}
