import { startAzurite, type LocalAzurite } from '../../scripts/lib/azurite';
import { freePort } from '../../scripts/lib/ports';

/**
 * Mocha root hooks: one real Azurite table service (in memory, on a free port) for the whole
 * run, stopped afterwards. Tests isolate themselves with their own table prefix.
 */
let azurite: LocalAzurite | undefined;

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(30000);
    azurite = await startAzurite({ port: await freePort(), inMemory: true });
    process.env.TEST_TABLES_CONNECTION_STRING = azurite.connectionString;
  },
  async afterAll() {
    await azurite?.stop();
  },
};

export function azuriteProcess(): LocalAzurite {
  if (!azurite) throw new Error('Azurite is not running (root hook not loaded?)');
  return azurite;
}
