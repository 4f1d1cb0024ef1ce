/**
 * The API on a random port over a real SQLite file and the real Temporal dev server from jest's
 * global setup, with one token per role. Requests go over real HTTP.
 */
import { FileDelivery } from '../../activities/delivery/file';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import axios, { type AxiosResponse } from 'axios';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { openSqliteStore, type SqliteStore } from '../../activities/store/sqlite';
import { BuiltinFlagProvider } from '../../activities/flags/builtin';
import { PostedMetricsStore } from '../../activities/metrics/posted';
import type { TokenRole } from '../../activities/store/records';
import { createApp } from '../../api/app';

export const PEOPLE: Record<TokenRole, string> = {
  admin: 'alice-admin',
  pm: 'paula-pm',
  approver: 'bob-approver',
  sre: 'sam-sre',
  viewer: 'vic-viewer',
};

export interface ApiHarness {
  url: string;
  /** The store's file, for a second process (or the CLI) to open. */
  dbFile: string;
  store: SqliteStore;
  client: Client;
  connection: Connection;
  flags: BuiltinFlagProvider;
  postedMetrics: PostedMetricsStore;
  taskQueue: string;
  namespace: string;
  token: Record<TokenRole, string>;
  /** Another admin, for four-eyes: not the one who starts rollouts. */
  secondAdmin: string;
  call(method: string, url: string, opts?: { token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<AxiosResponse>;
  close(): Promise<void>;
}

let counter = 0;

/** `noticeReviewSeconds`: the review time previews give notice drafts, as RINGMASTER_NOTICE_REVIEW_HOURS does (none unless set). */
export async function startApi(taskQueue = `api-test-${process.pid}-${++counter}-${Date.now()}`, options: { noticeReviewSeconds?: number } = {}): Promise<ApiHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringmaster-api-'));
  const dbFile = path.join(dir, 'ringmaster.sqlite');
  const store = openSqliteStore(dbFile);
  const token = {} as Record<TokenRole, string>;
  for (const [role, name] of Object.entries(PEOPLE) as Array<[TokenRole, string]>) token[role] = (await store.createToken({ name, role })).token;
  const secondAdmin = (await store.createToken({ name: 'carol-admin', role: 'admin' })).token;
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace });
  const flags = new BuiltinFlagProvider(store);
  const postedMetrics = new PostedMetricsStore();
  const app = createApp({
    store, flags, postedMetrics, delivery: new FileDelivery(path.join(dir, 'notices')),
    temporal: { client, taskQueue, namespace, uiBaseUrl: 'http://ui.example:8233' },
    logger: pino({ level: 'silent' }), ...options,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, dbFile, store, client, connection, flags, postedMetrics, taskQueue, namespace, token, secondAdmin,
    call(method, target, opts = {}) {
      const auth = opts.token === null ? {} : { Authorization: `Bearer ${opts.token ?? token.admin}` };
      return axios.request({
        method, url: `${url}${target}`, data: opts.body, headers: { ...auth, ...opts.headers },
        validateStatus: () => true, maxBodyLength: Infinity, maxContentLength: Infinity,
      });
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      postedMetrics.close();
      await store.close();
      await connection.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function example(name: string): string {
  return fs.readFileSync(path.join(__dirname, '..', '..', 'examples', name), 'utf8');
}
