import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRollout } from '../../cli/commands/rollout';

/** `ringmaster rollout start --config FILE` sends the plan config as the API's `planConfig`. */
describe('ringmaster rollout start --config', () => {
  let server: http.Server;
  let url: string;
  const bodies: unknown[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => { data += c.toString(); });
      req.on('end', () => {
        bodies.push(JSON.parse(data));
        res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ rolloutId: 'r-1', uiUrl: 'http://ui/r-1' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { now: () => new Date('2026-12-04T08:00:00Z'), stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) } };
  };
  const env = () => ({ RINGMASTER_API_URL: url, RINGMASTER_TOKEN: 'rm_test' });

  it('sends what the file says as planConfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringmaster-cli-'));
    const file = join(dir, 'plan-config.yaml');
    writeFileSync(file, 'growth:\n  low: [1, 5, 25]\nmaxHighWaveSize: 5\n');
    const t = io();
    expect(await runRollout(['start', '--feature', 'smart-approval-routing', '--config', file], t.io, env())).toBe(0);
    expect(bodies.at(-1)).toEqual({ featureKey: 'smart-approval-routing', planConfig: { growth: { low: [1, 5, 25] }, maxHighWaveSize: 5 } });
  });

  it('a bad config names its line and starts nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringmaster-cli-'));
    const file = join(dir, 'plan-config.yaml');
    writeFileSync(file, 'growth:\n  low: [1, "x"]\n');
    const before = bodies.length;
    await expect(runRollout(['start', '--feature', 'smart-approval-routing', '--config', file], io().io, env()))
      .rejects.toThrow(`${file} has 1 problem; nothing was started:\n  ${file}:2 growth.low[1]: line 2, field growth.low[1]: expected a number, got "x"`);
    expect(bodies.length).toBe(before);
  });
});
