import fs from 'node:fs';
import path from 'node:path';
import { startDevServer, ROOT, type DevServer } from '../../scripts/dev-server';

// Jest talks to one real Temporal dev server started here (rather than createLocal per file):
// one server start per run, our own search attributes registered, and the same lifecycle code
// the demo uses. Set RINGMASTER_TEST_TEMPORAL_ADDRESS to run the suite against a server you run.
export default async function globalSetup(): Promise<void> {
  if (process.env.RINGMASTER_TEST_TEMPORAL_ADDRESS) {
    process.env.TEMPORAL_ADDRESS = process.env.RINGMASTER_TEST_TEMPORAL_ADDRESS;
    return;
  }
  const dbFile = path.join(ROOT, '.data', 'test', `temporal-${process.pid}.sqlite`);
  fs.rmSync(dbFile, { force: true });
  const server: DevServer = await startDevServer({ headless: true, port: 0, dbFile });
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_NAMESPACE = server.namespace;
  (globalThis as { __ringmasterTemporal?: { server: DevServer; dbFile: string } }).__ringmasterTemporal = { server, dbFile };
}
