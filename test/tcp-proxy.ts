/**
 * A TCP proxy between Peil and PostgreSQL for outage tests (OBLIGATIONS SEC-2): the shared server is
 * never stopped; instead the test cuts every connection through the proxy, refuses new ones, and
 * lets them through again.
 */
import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Connections open through the proxy now. */
  readonly open: number;
  /** Destroys every connection through the proxy (both sides), as a network reset does. */
  cut(): void;
  /** Stops listening and cuts: new connections are refused (ECONNREFUSED) until restore(). */
  refuse(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(
  target: { host: string; port: number },
  opts: { listening?: boolean; port?: number } = {},
): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = opts.port ?? 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      if (!s) return resolve();
      s.close(() => resolve());
    });
  const cut = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  if (opts.listening === false) {
    // Reserve a free port, then leave it closed: connections to it are refused.
    if (!port) {
      await listen();
      await stop();
    }
  } else {
    await listen();
  }
  return {
    get port() {
      return port;
    },
    get open() {
      return sockets.size / 2;
    },
    cut,
    async refuse() {
      const closing = stop();
      cut();
      await closing;
    },
    async restore() {
      if (!server) await listen();
    },
    async close() {
      const closing = stop();
      cut();
      await closing;
    },
  };
}
