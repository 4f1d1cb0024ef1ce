/**
 * The API process: `tsx api/main.ts`. Configuration comes from the environment only.
 */
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { BuiltinFlagProvider } from '../activities/flags/builtin';
import { PostedMetricsStore } from '../activities/metrics/posted';
import { DEFAULT_DB_FILE, storeFromEnv } from '../activities/store';
import { temporalSettingsFromEnv } from '../workers/connection';
import { createApp } from './app';
import { DEFAULT_UI_URL } from './deps';

export interface ApiSettings {
  port: number;
  host: string;
  /** The app store's file, as `storeFromEnv` opens it (RINGMASTER_DB_FILE). */
  dbFile: string;
  /** Posted metrics live in the same file by default, so the worker reads what the API was sent. */
  metricsDbFile: string;
  uiBaseUrl: string;
}

export function apiSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (0-65535), not ${JSON.stringify(env.PORT)}`);
  const dbFile = env.RINGMASTER_DB_FILE || DEFAULT_DB_FILE;
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dbFile,
    metricsDbFile: env.RINGMASTER_METRICS_DB || dbFile,
    uiBaseUrl: env.RINGMASTER_UI_URL || DEFAULT_UI_URL,
  };
}

async function main(): Promise<void> {
  const logger = pino({ name: 'ringmaster-api', level: process.env.LOG_LEVEL ?? 'info' });
  const settings = apiSettingsFromEnv();
  const temporal = temporalSettingsFromEnv();
  const store = storeFromEnv(process.env);
  const postedMetrics = new PostedMetricsStore({ path: settings.metricsDbFile });
  // Connection.lazy: the API starts (and /readyz says why it is not ready) while Temporal is down.
  const connection = Connection.lazy(temporal.connection);
  const client = new Client({ connection, namespace: temporal.namespace });
  const app = createApp({
    store, postedMetrics, logger,
    flags: new BuiltinFlagProvider(store),
    temporal: { client, taskQueue: temporal.taskQueue, namespace: temporal.namespace, uiBaseUrl: settings.uiBaseUrl },
  });
  const server = app.listen(settings.port, settings.host, () => {
    logger.info({ port: settings.port, db: settings.dbFile, temporal: temporal.address, namespace: temporal.namespace }, `Ringmaster API on http://${settings.host}:${settings.port} (docs at /docs)`);
  });
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    server.close(() => {
      void connection.close().finally(async () => {
        postedMetrics.close();
        await store.close();
        process.exit(0);
      });
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`ringmaster api: ${err.message}`);
    process.exit(1);
  });
}
