// A TCP forwarder to put between a client and a server, so a test can make
// the server unreachable (stop: the listener closes and every connection
// through it is destroyed) and reachable again on the same port (start),
// without touching the server itself.
import { createServer, connect, type Server, type Socket } from "node:net";

export type Forwarder = {
  /** The port it listens on, the same across stop and start. */
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** How many connections have been made through it. */
  connections(): number;
};

export async function tcpForwarder(target: { host: string; port: number }): Promise<Forwarder> {
  const sockets = new Set<Socket>();
  let made = 0;
  let server: Server | undefined;
  let port = 0;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    // A reset is what stop() is for; the other side sees it as a lost connection.
    socket.on("error", () => {});
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((inbound) => {
        made++;
        const outbound = connect(target.port, target.host);
        track(inbound);
        track(outbound);
        inbound.pipe(outbound).pipe(inbound);
        inbound.once("close", () => outbound.destroy());
        outbound.once("close", () => inbound.destroy());
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });

  await listen();
  return {
    get port() {
      return port;
    },
    async stop() {
      const s = server;
      server = undefined;
      const closed = s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    start: listen,
    connections: () => made,
  };
}
