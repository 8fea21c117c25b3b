import { describeEachStore } from '@casino/shared/testing/stores';
import { storeContract } from './store-contract';

// On the embedded store always; on MongoDB whenever the run has one, and reported as skipped otherwise.
describeEachStore('store contract', storeContract);
