import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';

/** Options both the client Connection and the worker's NativeConnection accept. */
export interface ConnectionSettings {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

/** How API and worker reach Temporal: the embedded dev server by default, any cluster by env. */
export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  connection: ConnectionSettings;
}

export function temporalSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const address = env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const certPath = env.TEMPORAL_TLS_CERT;
  const keyPath = env.TEMPORAL_TLS_KEY;
  const caPath = env.TEMPORAL_TLS_CA;
  if ((certPath && !keyPath) || (!certPath && keyPath)) {
    throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together (mTLS client certificate and its key).');
  }
  const apiKey = env.TEMPORAL_API_KEY;
  const useTls = Boolean(certPath || caPath || apiKey || env.TEMPORAL_TLS === 'true');
  const read = (p: string, what: string): Buffer => {
    try {
      return fs.readFileSync(p);
    } catch (err) {
      throw new Error(`cannot read ${what} at ${p}: ${(err as Error).message}`);
    }
  };
  const connection: ConnectionSettings = { address };
  if (useTls) {
    connection.tls = {
      serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME,
      serverRootCACertificate: caPath ? read(caPath, 'TEMPORAL_TLS_CA') : undefined,
      clientCertPair: certPath && keyPath ? { crt: read(certPath, 'TEMPORAL_TLS_CERT'), key: read(keyPath, 'TEMPORAL_TLS_KEY') } : undefined,
    };
  }
  if (apiKey) connection.apiKey = apiKey;
  return {
    address,
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TASK_QUEUE ?? 'ringmaster',
    connection,
  };
}
