import fs from 'node:fs';
import type { DevServer } from '../../scripts/dev-server';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __ringmasterTemporal?: { server: DevServer; dbFile: string } }).__ringmasterTemporal;
  if (!started) return;
  await started.server.stop();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(started.dbFile + suffix, { force: true });
}
