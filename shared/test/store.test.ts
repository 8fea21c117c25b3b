import { randomUUID } from 'node:crypto';
import { EmbeddedStore } from '@casino/shared/store';
import { MongoStore } from '@casino/shared/store/mongo';
import mongoose from 'mongoose';
import { storeContract } from './store-contract';

// The embedded store is the default and always runs.
storeContract({ kind: 'embedded', create: () => new EmbeddedStore(`contract_${randomUUID().slice(0, 8)}`) });

// MongoDB runs when a server is given; its tests are otherwise reported as skipped, never as passed.
const mongoUrl = process.env.MONGO_URL;
if (!mongoUrl) console.log('store contract: MongoDB half skipped because MONGO_URL is not set (set MONGO_URL=mongodb://127.0.0.1:27017 to run it)');
const database = `casino_contract_${randomUUID().slice(0, 8)}`;
storeContract(
  {
    kind: 'mongodb',
    create: () => new MongoStore(mongoUrl!, database),
    async dispose() {
      const connection = await mongoose.createConnection(mongoUrl!, { dbName: database }).asPromise();
      await connection.dropDatabase();
      await connection.close();
    },
  },
  !mongoUrl,
);
