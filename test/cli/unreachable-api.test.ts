/**
 * An API that cannot be reached is an expected condition, not an "unexpected failure" (exit 1):
 * the CLI names the URL and what to check, and exits 3, as README documents. The real entry
 * point, as a user runs it, against a port nothing listens on.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';

const bin = join(__dirname, '..', '..', 'bin', 'ringmaster.js');

function ringmaster(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('ringmaster rollout with the API out of reach', () => {
  it('names the URL and what to check, and exits 3', () => {
    const r = ringmaster(['rollout', 'status', 'X'], { RINGMASTER_API_URL: 'http://127.0.0.1:1', RINGMASTER_TOKEN: 'x' });
    expect(r.code).toBe(3);
    expect(r.err).toBe('ringmaster: cannot reach the API at http://127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1). '
      + 'Is the API running there (npm run api)? Check RINGMASTER_API_URL (http://127.0.0.1:1).\n');
    expect(r.err).not.toContain('unexpected failure');
  });

  it('says when the URL is the default because RINGMASTER_API_URL is not set', () => {
    const r = ringmaster(['rollout', 'list'], { RINGMASTER_API_URL: '', RINGMASTER_TOKEN: 'x' });
    // Something may listen on 8080 on a developer's machine; only a refused connection is this case.
    if (!r.err.includes('ECONNREFUSED')) return;
    expect(r.code).toBe(3);
    expect(r.err).toContain('RINGMASTER_API_URL is not set, so the default http://localhost:8080 was used; set it to where the API runs.');
  });

  it('exits 3 too when the API answers that it is unavailable (503: Temporal down)', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'temporal-unavailable', message: 'cannot reach Temporal: connection refused', issues: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [bin, 'rollout', 'status', 'X'], { env: { ...process.env, RINGMASTER_API_URL: `http://127.0.0.1:${port}`, RINGMASTER_TOKEN: 'x' } });
      let err = '';
      child.stderr.on('data', (d) => { err += d; });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(3);
      expect(err).toBe(`ringmaster: the API at http://127.0.0.1:${port} is unavailable (503 temporal-unavailable): cannot reach Temporal: connection refused\n`);
    } finally {
      server.close();
    }
  });

  it('documents the exit codes in the help', () => {
    const r = ringmaster(['--help'], {});
    expect(r.code).toBe(0);
    expect(r.out).toContain('3 the API could not be reached or is unavailable');
  });
});
