/**
 * The fleet simulator as a process:
 *   tsx simulator/main.ts --tenants examples/fleet.yaml --feature smart-approval-routing \
 *     --faults simulator/faults.example.yaml --speed 60 [--push http://127.0.0.1:8080/api/v1/metrics]
 * Flags are read over OFREP from the API (--ofrep, RINGMASTER_OFREP_URL or RINGMASTER_API_URL);
 * counters are served on /metrics.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import axios from 'axios';
import YAML from 'yaml';
import { parseTenants } from '../shared/import/tenants';
import { formatPath } from '../shared/import/errors';
import { Faults, matchFaults, type Fault } from './fault-model';
import { simulatorEndpoints } from './endpoints';
import { startSimulator } from './simulator';

const USAGE = `usage: tsx simulator/main.ts --tenants FILE --feature KEY [options]

  --tenants FILE      tenant file (YAML, JSON, CSV or pipe table, as the importer reads it)
  --feature KEY       the feature flag to read per tenant
  --faults FILE|JSON  fault list (YAML/JSON file, or inline JSON); none by default
  --ofrep URL         OFREP base URL: the Ringmaster API (default $RINGMASTER_OFREP_URL, else
                      $RINGMASTER_API_URL, else http://127.0.0.1:8080)
  --port N            port for /metrics (default $RINGMASTER_SIMULATOR_PORT, else 9464)
  --host H            address to listen on (default 127.0.0.1)
  --tick-ms N         tick length in ms (default 1000)
  --speed X           multiplies every tenant's requestsPerMinute (default 1)
  --usage-share X     share of requests that use the feature while on (default 0.3)
  --seed N            PRNG seed, for reproducible traffic (default 1)
  --push URL          also POST each tick to the built-in metrics endpoint, e.g. http://127.0.0.1:8080/api/v1/metrics
  --token T           bearer token for OFREP and --push, an sre or admin token for --push
                      (default $RINGMASTER_API_TOKEN, else $RINGMASTER_TOKEN)
`;

class UsageError extends Error {}

function number(name: string, value: string | undefined, fallback: number, check: (n: number) => boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !check(n)) throw new UsageError(`--${name} ${JSON.stringify(value)} is not valid`);
  return n;
}

function readFaults(arg: string | undefined): Fault[] {
  if (arg === undefined) return [];
  const fromFile = fs.existsSync(arg);
  let raw: unknown;
  try {
    raw = fromFile ? YAML.parse(fs.readFileSync(arg, 'utf8')) : JSON.parse(arg);
  } catch (e) {
    throw new UsageError(`--faults ${fromFile ? arg : 'value'} cannot be read: ${(e as Error).message}`);
  }
  const parsed = Faults.safeParse((raw as { faults?: unknown } | null)?.faults ?? raw);
  if (!parsed.success) {
    throw new UsageError(`--faults ${fromFile ? arg : 'value'} is not a valid fault list:\n${parsed.error.issues.map((i) => `  faults${formatPath(i.path)}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenants: { type: 'string' }, feature: { type: 'string' }, faults: { type: 'string' }, ofrep: { type: 'string' },
      port: { type: 'string' }, host: { type: 'string' }, 'tick-ms': { type: 'string' }, speed: { type: 'string' },
      'usage-share': { type: 'string' }, seed: { type: 'string' }, push: { type: 'string' }, token: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.tenants || !values.feature) throw new UsageError('--tenants and --feature are required');
  if (!fs.existsSync(values.tenants)) throw new UsageError(`--tenants ${values.tenants}: no such file`);

  const imported = parseTenants(fs.readFileSync(values.tenants, 'utf8'), { filename: values.tenants, asOf: new Date().toISOString() });
  if (!imported.ok) throw new UsageError(`${values.tenants} has problems:\n${imported.errors.map((e) => `  ${e.message}`).join('\n')}`);

  const { ofrepUrl, token } = simulatorEndpoints(values, process.env);
  const auth = token ? { Authorization: `Bearer ${token}` } : undefined;
  const pushUrl = values.push;
  const faults = readFaults(values.faults);
  const sim = await startSimulator({
    tenants: imported.tenants,
    featureKey: values.feature,
    ofrepUrl,
    ofrepHeaders: auth,
    faults,
    port: number('port', values.port ?? process.env.RINGMASTER_SIMULATOR_PORT, 9464, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    host: values.host,
    tickMs: number('tick-ms', values['tick-ms'], 1000, (n) => Number.isInteger(n) && n >= 10),
    speed: number('speed', values.speed, 1, (n) => n > 0),
    usageShare: number('usage-share', values['usage-share'], 0.3, (n) => n >= 0 && n <= 1),
    seed: number('seed', values.seed, 1, Number.isInteger),
    push: pushUrl ? async (samples) => { await axios.post(pushUrl, { samples }, { headers: auth, timeout: 5000 }); } : undefined,
  });

  process.stdout.write(`fleet simulator: ${imported.tenants.length} tenants, feature ${values.feature}, ${faults.length} fault(s); metrics at ${sim.url}${pushUrl ? `, pushing to ${pushUrl}` : ''}\n`);
  for (const tenant of imported.tenants) {
    for (const m of matchFaults(tenant, faults)) process.stdout.write(`  ${tenant.id}: ${m.reason}, so it errors at ${m.fault.errorRate * 100} % once the feature is on\n`);
  }
  let lastReported: string | undefined;
  const report = setInterval(() => {
    const status = sim.status();
    if (status.lastError && status.lastError !== lastReported) process.stderr.write(`fleet simulator: ${status.lastError}\n`);
    lastReported = status.lastError;
  }, 5000);
  const shutdown = (): void => {
    clearInterval(report);
    sim.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`fleet simulator: ${err instanceof UsageError ? `${err.message}\n\n${USAGE}` : err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
