import { randomBytes } from 'node:crypto';
import { createStores, type Stores } from '../../storage';
import { TableClientFactory } from '../../storage/tableClients';

export function testConnectionString(): string {
  const cs = process.env.TEST_TABLES_CONNECTION_STRING;
  if (!cs) throw new Error('TEST_TABLES_CONNECTION_STRING is not set: run the tests through mocha (.mocharc.json starts Azurite)');
  return cs;
}

/** A table prefix no other test uses, so each test sees empty tables. */
export function uniquePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

export async function freshStores(prefix = uniquePrefix()): Promise<Stores> {
  const stores = createStores(new TableClientFactory({ connectionString: testConnectionString(), prefix }));
  await stores.ensureTables();
  return stores;
}
