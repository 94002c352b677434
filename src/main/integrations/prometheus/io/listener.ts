import type Http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OpenMetricsListener } from '../../ports';
import { metricsRoute } from './http-route';
import { nodeModule } from '../../../base/node-module';

const http = nodeModule<typeof Http>('node:http');

/** A listener of its own for /metrics (the desktop app has no web face); loopback only, the settings schema sees to that. */
export const openMetricsListener: OpenMetricsListener = async (host, port, handle) => {
  const route = metricsRoute(() => handle);
  const server = http().createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Only /metrics is served here.\n');
      return;
    }
    route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
