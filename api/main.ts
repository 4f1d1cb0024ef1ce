/**
 * The API process: `tsx api/main.ts`. Configuration comes from the environment only.
 */
import { deliveryFromEnv } from '../activities/delivery';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { Client, Connection } from '@temporalio/client';
import { BuiltinFlagProvider } from '../activities/flags/builtin';
import { PostedMetricsStore } from '../activities/metrics/posted';
import { DEFAULT_DB_FILE, storeFromEnv } from '../activities/store';
import { noticeReviewSecondsFromEnv } from '../activities/notices/review';
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
  /** RINGMASTER_NOTICE_REVIEW_HOURS as the worker reads it, so a preview plans as a rollout would. */
  noticeReviewSeconds: number;
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
    noticeReviewSeconds: noticeReviewSecondsFromEnv(env),
  };
}

export interface RunningApi {
  /** Where it listens, e.g. http://127.0.0.1:8080 (the real port when PORT=0). */
  url: string;
  settings: ApiSettings;
  close(): Promise<void>;
}

/** Builds the API from the environment and listens; the demo runs it in-process the same way. */
export async function startApiServer(env: NodeJS.ProcessEnv = process.env, logger: Logger = pino({ name: 'ringmaster-api', level: env.LOG_LEVEL ?? 'info' })): Promise<RunningApi> {
  const settings = apiSettingsFromEnv(env);
  const temporal = temporalSettingsFromEnv(env);
  const store = storeFromEnv(env);
  const postedMetrics = new PostedMetricsStore({ path: settings.metricsDbFile });
  // Connection.lazy: the API starts (and /readyz says why it is not ready) while Temporal is down.
  const connection = Connection.lazy(temporal.connection);
  const client = new Client({ connection, namespace: temporal.namespace });
  const app = createApp({
    store, postedMetrics, logger, noticeReviewSeconds: settings.noticeReviewSeconds,
    flags: new BuiltinFlagProvider(store),
    delivery: deliveryFromEnv(env),
    temporal: { client, taskQueue: temporal.taskQueue, namespace: temporal.namespace, uiBaseUrl: settings.uiBaseUrl },
  });
  const release = async () => {
    await connection.close();
    postedMetrics.close();
    await store.close();
  };
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(settings.port, settings.host);
      s.once('error', reject);
      s.once('listening', () => resolve(s));
    });
  } catch (err) {
    await release();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host}:${port}`;
  logger.info({ port, db: settings.dbFile, temporal: temporal.address, namespace: temporal.namespace }, `Ringmaster API on http://${settings.host}:${port} (docs at /docs)`);
  return {
    url, settings,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await release();
    },
  };
}

async function main(): Promise<void> {
  const logger = pino({ name: 'ringmaster-api', level: process.env.LOG_LEVEL ?? 'info' });
  const api = await startApiServer(process.env, logger);
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    void api.close().finally(() => process.exit(0));
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
