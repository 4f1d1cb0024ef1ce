import { temporalSettingsFromEnv } from '../workers/connection';

describe('temporalSettingsFromEnv', () => {
  test.each([
    [{}, '127.0.0.1:7233', 'default', 'ringmaster', false],
    [{ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_NAMESPACE: 'rollouts', TASK_QUEUE: 'rm' }, 'temporal.internal:7233', 'rollouts', 'rm', false],
    [{ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' }, 'ns.acct.tmprl.cloud:7233', 'default', 'ringmaster', true],
  ])('%j', (env, address, namespace, taskQueue, tls) => {
    const s = temporalSettingsFromEnv(env as NodeJS.ProcessEnv);
    expect([s.address, s.namespace, s.taskQueue, Boolean(s.connection.tls)]).toEqual([address, namespace, taskQueue, tls]);
  });

  test('a certificate without its key is refused with a clear message', () => {
    expect(() => temporalSettingsFromEnv({ TEMPORAL_TLS_CERT: '/x.pem' } as NodeJS.ProcessEnv)).toThrow(/must be set together/);
  });

  test('an unreadable certificate names the variable and path', () => {
    expect(() => temporalSettingsFromEnv({ TEMPORAL_TLS_CERT: '/nope.pem', TEMPORAL_TLS_KEY: '/nope.key' } as NodeJS.ProcessEnv)).toThrow(/TEMPORAL_TLS_CERT at \/nope.pem/);
  });
});
