/**
 * Lifecycle of the embedded Temporal dev server, shared by the tests and the demo:
 * resolve the CLI, start `temporal server start-dev` on loopback with a SQLite file under
 * .data/ (state survives a restart), pick free ports when the defaults are taken, wait until
 * the frontend answers, register Ringmaster's search attributes, and stop without leftovers.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { rolloutSearchAttributeTypes } from '../shared/temporal/search-attributes';

export const ROOT = path.resolve(__dirname, '..');

export interface DevServerOptions {
  /** SQLite file for the server's state; relative paths are under the repo root. */
  dbFile?: string;
  /** Tests run headless; the demo serves the Web UI. */
  headless?: boolean;
  port?: number;
  uiPort?: number;
  namespace?: string;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

export function resolveTemporalCli(): string {
  const out = execFileSync('bash', [path.join(ROOT, 'scripts/ensure-temporal.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const lines = out.trim().split('\n');
  return lines[lines.length - 1];
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A free TCP port on loopback (the OS picks it). */
export function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function choosePort(preferred: number | undefined, taken: number[]): Promise<number> {
  if (preferred && !taken.includes(preferred) && (await portIsFree(preferred))) return preferred;
  for (;;) {
    const p = await anyFreePort();
    if (!taken.includes(p)) return p;
  }
}

async function waitHealthy(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode} before becoming healthy`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = (err as Error).message;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`temporal dev server at ${address} not healthy after ${timeoutMs} ms: ${lastError}`);
}

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`[dev-server] ${l}\n`));
  const cli = resolveTemporalCli();
  const namespace = opts.namespace ?? 'default';
  const dbFile = path.resolve(ROOT, opts.dbFile ?? '.data/temporal.sqlite');
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  const port = await choosePort(opts.port ?? 7233, []);
  if (opts.port && port !== opts.port) log(`port ${opts.port} is taken; using ${port}`);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFile,
    '--namespace', namespace, '--log-level', 'warn',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true'];
  for (const [name, type] of Object.entries(rolloutSearchAttributeTypes)) args.push('--search-attribute', `${name}=${type}`);
  let uiUrl: string | undefined;
  if (opts.headless) {
    args.push('--headless');
  } else {
    const uiPort = await choosePort(opts.uiPort ?? port + 1000, [port]);
    args.push('--ui-port', String(uiPort));
    uiUrl = `http://localhost:${uiPort}`;
  }
  // Also pick the HTTP and metrics ports ourselves so a second server never collides.
  const httpPort = await choosePort(undefined, [port]);
  const metricsPort = await choosePort(undefined, [port, httpPort]);
  args.push('--http-port', String(httpPort), '--metrics-port', String(metricsPort));

  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) { tail.push(line); if (tail.length > 40) tail.shift(); }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const address = `127.0.0.1:${port}`;
  try {
    await waitHealthy(address, child, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- server output ---\n${tail.join('\n')}`);
  }
  log(`Temporal dev server ready at ${address}${uiUrl ? `, Web UI ${uiUrl}` : ' (headless)'}; state in ${path.relative(ROOT, dbFile)}`);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { address, namespace, uiUrl, pid: child.pid!, stop };
}

if (require.main === module) {
  // `npm run temporal:dev`: a foreground dev server with the Web UI, Ctrl-C stops it.
  startDevServer({ headless: process.argv.includes('--headless') })
    .then((server) => {
      process.stdout.write(`TEMPORAL_ADDRESS=${server.address}\n`);
      const shutdown = () => { server.stop().then(() => process.exit(0)); };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    })
    .catch((err) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    });
}
