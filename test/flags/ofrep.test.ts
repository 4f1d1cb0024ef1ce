import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { BuiltinFlagProvider } from '../../activities/flags/builtin';
import type { FlagChange } from '../../activities/ports';
import { openSqliteStore, type SqliteStore } from '../../activities/store/sqlite';
import { ofrepRouter } from '../../api/ofrep';
import { smartExport } from '../store/fixtures';

const enable = (tenantId: string, enabled = true): FlagChange => ({
  featureKey: 'smart-export', tenantId, enabled, rolloutId: 'r-9', actor: 'rollout:r-9',
  reason: enabled ? 'wave w1 go' : 'advisory rollback accepted by sre:kim', idempotencyKey: `r-9:${tenantId}:${enabled ? 'enable' : 'rollback'}`,
});

let store: SqliteStore;
let flags: BuiltinFlagProvider;
let server: Server;
let baseUrl: string;
let client: Client;

beforeAll(async () => {
  store = openSqliteStore(':memory:');
  flags = new BuiltinFlagProvider(store);
  await store.putFeature(smartExport);
  const app = express();
  app.use(ofrepRouter(flags));
  server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await OpenFeature.setProviderAndWait('ofrep-test', new OFREPProvider({ baseUrl }));
  client = OpenFeature.getClient('ofrep-test');
});

afterAll(async () => {
  await OpenFeature.close();
  await new Promise((resolve) => server.close(resolve));
  await store.close();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}${path}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });

describe('OFREP through the real OpenFeature SDK', () => {
  it('turns a tenant on for the app the moment a rollout applies the flag, and off on rollback', async () => {
    const tenant = { targetingKey: 'northwind-health' };
    expect(await client.getBooleanDetails('smart-export', false, tenant)).toMatchObject({ value: false, reason: 'DEFAULT', variant: 'off' });

    await flags.apply(enable('northwind-health'));
    expect(await client.getBooleanValue('smart-export', false, tenant)).toBe(true);
    const details = await client.getBooleanDetails('smart-export', false, tenant);
    expect(details).toMatchObject({ value: true, reason: 'TARGETING_MATCH', variant: 'on', flagMetadata: { rolloutId: 'r-9', changedBy: 'rollout:r-9' } });
    expect(await client.getBooleanValue('smart-export', false, { targetingKey: 'fabrikam' })).toBe(false);

    await flags.apply(enable('northwind-health', false));
    expect(await client.getBooleanDetails('smart-export', true, tenant)).toMatchObject({ value: false, reason: 'TARGETING_MATCH' });
  });

  it('gives the SDK FLAG_NOT_FOUND for an unknown flag and TARGETING_KEY_MISSING without a tenant', async () => {
    expect(await client.getBooleanDetails('no-such-flag', true, { targetingKey: 'fabrikam' })).toMatchObject({ value: true, errorCode: 'FLAG_NOT_FOUND' });
    expect(await client.getBooleanDetails('smart-export', true, {})).toMatchObject({ value: true, errorCode: 'TARGETING_KEY_MISSING' });
  });
});

describe('OFREP over plain HTTP', () => {
  it.each([
    ['broken JSON', '{"context": {"targetingKey": ', 'PARSE_ERROR'],
    ['a context that is not an object', '{"context": 5}', 'INVALID_CONTEXT'],
    ['a numeric targeting key', '{"context": {"targetingKey": 42}}', 'INVALID_CONTEXT'],
    ['no body at all', '', 'TARGETING_KEY_MISSING'],
  ])('answers %s with 400 and %s', async (_case, body, errorCode) => {
    const single = await post('/ofrep/v1/evaluate/flags/smart-export', body);
    expect(single.status).toBe(400);
    expect(await single.json()).toMatchObject({ key: 'smart-export', errorCode, errorDetails: expect.any(String) });
    const bulk = await post('/ofrep/v1/evaluate/flags', body);
    expect(bulk.status).toBe(400);
    expect(await bulk.json()).toMatchObject({ errorCode });
  });

  it('answers an unknown flag with 404 FLAG_NOT_FOUND', async () => {
    const res = await post('/ofrep/v1/evaluate/flags/audit-log-v3', '{"context": {"targetingKey": "fabrikam"}}');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ key: 'audit-log-v3', errorCode: 'FLAG_NOT_FOUND', errorDetails: "no flag 'audit-log-v3' in the Ringmaster flag store" });
  });

  it('serves the bulk evaluation with an ETag, 304 while nothing changed, a new ETag after a change', async () => {
    const body = '{"context": {"targetingKey": "lotus-retail", "region": "apac"}}';
    const first = await post('/ofrep/v1/evaluate/flags', body);
    expect(first.status).toBe(200);
    const etag = first.headers.get('ETag') as string;
    expect(((await first.json()) as { flags: unknown[] }).flags).toEqual([expect.objectContaining({ key: 'smart-export', value: false, reason: 'DEFAULT' })]);

    expect((await post('/ofrep/v1/evaluate/flags', body, { 'If-None-Match': etag })).status).toBe(304);

    await flags.apply(enable('lotus-retail'));
    const changed = await post('/ofrep/v1/evaluate/flags', body, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).not.toBe(etag);
    expect(((await changed.json()) as { flags: unknown[] }).flags).toEqual([expect.objectContaining({ key: 'smart-export', value: true, reason: 'TARGETING_MATCH' })]);
  });
});
