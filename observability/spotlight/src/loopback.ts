import { createServer, Server } from 'node:net';

/**
 * Makes every listener in this process that names only a port bind to `host`.
 *
 * Spotlight's sidecar listens with a port and no address, which means every interface; its options
 * have no address to give. It serves whoever reaches it: the envelopes people send it, files read
 * for stack traces, an editor launched on request. This process runs nothing else, so the rule is
 * set for the whole process, before the sidecar starts.
 */
export function bindListenersTo(host: string): void {
  const listen = Server.prototype.listen;
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    if (typeof args[0] === 'number' && (args.length === 1 || args[1] === undefined || typeof args[1] === 'function')) {
      if (args[1] === undefined && args.length > 1) args[1] = host;
      else args.splice(1, 0, host);
    }
    return listen.apply(this, args as Parameters<Server['listen']>);
  } as Server['listen'];
}

/** Whether something already listens on host:port. */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}
