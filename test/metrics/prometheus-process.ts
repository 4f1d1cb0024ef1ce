/**
 * A throwaway real Prometheus for tests: own config, own TSDB in a temp dir, loopback only,
 * stopped with SIGTERM and awaited so no process outlives the test.
 */
import { anyFreePort } from '../../scripts/dev-server';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';

export const PROMETHEUS_BIN = process.env.RINGMASTER_TEST_PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface TestPrometheus {
  url: string;
  stop(): Promise<void>;
}

export { anyFreePort as freePort } from '../../scripts/dev-server';

export async function startPrometheus(scrapeTargets: string[]): Promise<TestPrometheus> {
  if (!fs.existsSync(PROMETHEUS_BIN)) {
    throw new Error(`No Prometheus binary at ${PROMETHEUS_BIN}. Install the Debian package: apt-get install -y --no-install-recommends prometheus (or set RINGMASTER_TEST_PROMETHEUS_BIN).`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringmaster-prometheus-'));
  const targets = scrapeTargets.map((t) => new URL(t));
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    ...targets.map((t, i) => [
      `  - job_name: target-${i}`,
      `    metrics_path: ${t.pathname}`,
      '    static_configs:',
      `      - targets: ['${t.host}']`,
    ].join('\n')),
    '',
  ].join('\n'));

  const port = await anyFreePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(PROMETHEUS_BIN, [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Prometheus exited with code ${child.exitCode} before it was ready:\n${stderr}`);
    }
    const ready = await axios.get(`${url}/-/ready`, { timeout: 1000, validateStatus: () => true }).then((r) => r.status === 200, () => false);
    if (ready) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus did not become ready at ${url} within 30 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
