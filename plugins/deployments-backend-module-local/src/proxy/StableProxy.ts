import { LoggerService } from '@backstage/backend-plugin-api';
import httpProxy from 'http-proxy';
import http from 'node:http';
import net from 'node:net';

export interface ProxyTargets {
  /** Ports of the instances that take traffic now (healthy, in the pool). */
  ports(): number[];
  /** An instance refused a connection: take it out until it is healthy again. */
  failed(port: number): void;
}

const RETRYABLE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The stable URL of one service: an HTTP server on the service's own port
 * (a Spring Boot app expects to own the root path, so a port rather than a
 * path under the backend) that hands each request to the next healthy
 * instance in turn, so a canary takes its share of real traffic.
 * Proxying, headers and WebSocket upgrades are http-proxy's.
 */
export class StableProxy {
  private constructor(
    readonly port: number,
    private readonly server: http.Server,
  ) {}

  static async listen(options: {
    port: number;
    targets: ProxyTargets;
    logger: LoggerService;
    /** Named in the 503 when nothing serves. */
    name: string;
  }): Promise<StableProxy> {
    const { targets, name } = options;
    const proxy = httpProxy.createProxyServer({ xfwd: true });
    let counter = 0;
    const pick = (exclude?: number) => {
      const ports = targets.ports().filter(p => p !== exclude);
      if (ports.length === 0) return undefined;
      counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
      return ports[counter % ports.length];
    };

    const forward = (
      req: http.IncomingMessage,
      res: http.ServerResponse,
      retried?: number,
    ) => {
      const port = pick(retried);
      if (port === undefined) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`No healthy instance of ${name} is running.\n`);
        return;
      }
      proxy.web(req, res, { target: `http://127.0.0.1:${port}` }, error => {
        targets.failed(port);
        // A request without a body can go to another instance, once.
        if (
          retried === undefined &&
          !res.headersSent &&
          RETRYABLE.has(req.method ?? '')
        ) {
          forward(req, res, port);
          return;
        }
        options.logger.debug(`proxy to :${port} failed: ${error.message}`);
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        }
        res.end(`The instance of ${name} on port ${port} did not answer.\n`);
      });
    };

    const server = http.createServer((req, res) => forward(req, res));
    server.on('upgrade', (req, socket: net.Socket, head) => {
      const port = pick();
      if (port === undefined) {
        socket.destroy();
        return;
      }
      proxy.ws(req, socket, head, { target: `http://127.0.0.1:${port}` }, () =>
        socket.destroy(),
      );
    });

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new StableProxy(options.port, server);
  }

  /** Stops listening and drops open connections: the port is free after. */
  async close(): Promise<void> {
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
