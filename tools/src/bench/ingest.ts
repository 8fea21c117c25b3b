/**
 * A local Sentry ingest for the bench: it answers every envelope 200 and keeps only counts, so the
 * SDK does all of its work (serialise, compress, send) and the network costs nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NullIngest {
  dsn: string;
  envelopes(): number;
  bytes(): number;
  close(): Promise<void>;
}

export async function startNullIngest(): Promise<NullIngest> {
  let envelopes = 0;
  let bytes = 0;
  const server: Server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      envelopes++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://bench@127.0.0.1:${port}/1`,
    envelopes: () => envelopes,
    bytes: () => bytes,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
