/**
 * `npm run service-keys`: a new set of the services' identity keys, as lines for `.env` (Compose
 * reads them from there) or a Kubernetes secret. Each service that calls others gets its own
 * private key (*_SIGNING_KEY); every service behind the gateway gets all the public keys.
 *
 *   npm run service-keys >> .env
 */
import { newServiceKeys } from '@casino/shared/service-identity';
import { helpRequested, runCli, unknownFlag } from '../cli-flags';
import { envLines } from '../service-keys';

const USAGE = 'usage: npm run service-keys [-- --help]   (prints a new set of *_SIGNING_KEY and *_PUBLIC_KEY lines)';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (helpRequested(USAGE, argv)) return 0;
  const unknown = argv.find((a) => a !== '--help' && a !== '-h') ?? unknownFlag(argv, []);
  if (unknown) {
    console.error(`service-keys: unknown option ${unknown}\n${USAGE}`);
    return 2;
  }
  process.stdout.write(envLines(newServiceKeys()));
  return 0;
}

runCli(main);
