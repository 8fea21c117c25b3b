// Loaded with `node --import` before the service itself, so Sentry sees every module load.
import { initSentry } from '@casino/shared/sentry';

initSentry('gateway');
