/**
 * Planner speed and memory on generated fleets: `npm run bench:plan [-- --runs N --warmup N --sizes 10000,100000]`. Each
 * size runs in its own child process so peak RSS belongs to that size alone. Peak RSS also holds
 * node, the tsx compiler and the generated fleet, so the RSS before the first plan and the heap the
 * finished plan keeps (after a full GC) are reported next to it.
 * Two speeds: the first plan of a fresh process (what a one-shot `ringmaster plan` pays, V8
 * compiling as it goes) and the steady state of a long-running API or worker process: the median
 * of `--runs` plans after `--warmup` plans.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { buildPlan } from '../shared/plan/build';
import { scoreMemo, scoreTenant } from '../shared/risk/score';
import { touchedConfigs } from '../shared/risk/touch';
import { benchFeature, generateFleet } from './fleet-gen';

const asOf = '2026-03-02T08:00:00Z';
const SIZES = [1_000, 10_000, 100_000];
const TARGET_MS: Record<number, number | undefined> = { 10_000: 100, 100_000: 1_500 };
const TARGET_RSS_MB = 300;

type Result = {
  firstMs: number; medianMs: number; cpuMs: number; scoringCpuMs: number; waves: number; holds: number;
  rssMb: number; rssBeforeMb: number; planHeapMb: number;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = (since: NodeJS.CpuUsage) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
const mb = (bytes: number) => bytes / 1_048_576;
// The child runs with --expose-gc, so heap figures are live objects, not garbage awaiting collection.
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Wall time and this process's CPU time: on a shared, loaded box the CPU time is the steadier one. */
function measure(n: number, runs: number, warmup: number): Result {
  const tenants = generateFleet(n, 42, { asOf });
  const feature = benchFeature();
  const touched = touchedConfigs(feature);
  gc();
  const rssBeforeMb = mb(process.resourceUsage().maxRSS * 1024);
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  const warm = buildPlan({ tenants, feature, asOf });
  const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
  gc();
  const planHeapMb = mb(process.memoryUsage().heapUsed - heapBefore);
  const counts = { waves: warm.waves.length, holds: warm.holds.length };
  for (let i = 1; i < warmup; i++) buildPlan({ tenants, feature, asOf });
  const wall: number[] = [];
  const cpu: number[] = [];
  const scoring: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    // Only one plan at a time is alive, as for a caller that builds and serves one plan.
    buildPlan({ tenants, feature, asOf });
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    cpu.push(cpuMs(c0));
  }
  // Scoring alone, in its own loop so its garbage does not land in the plans' timings; scored as
  // buildPlan scores, with one memo for the fleet made inside the timed loop.
  for (let i = 0; i < runs; i++) {
    const s0 = process.cpuUsage();
    const memo = scoreMemo();
    for (const t of tenants) scoreTenant(t, feature, { asOf, touched, memo });
    scoring.push(cpuMs(s0));
  }
  return {
    firstMs, medianMs: median(wall), cpuMs: median(cpu), scoringCpuMs: median(scoring), ...counts,
    rssMb: mb(process.resourceUsage().maxRSS * 1024), rssBeforeMb, planHeapMb,
  };
}

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(measure(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]))));
} else {
  const option = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const runs = option('runs', 10);
  const warmup = Math.max(1, option('warmup', 5));
  const listed = process.argv.indexOf('--sizes');
  const sizes = listed > 0 ? process.argv[listed + 1].split(',').map(Number) : SIZES;
  console.log(`buildPlan on generated fleets (seed 42): first plan of a fresh process, then the median of ${runs} runs after ${warmup} warm-up plans; node ${process.version}, load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
  console.log('| tenants | first plan ms | median wall ms | median CPU ms | of which risk scoring (CPU ms) | target ms | peak RSS MB | RSS before buildPlan MB | plan heap MB | waves | holds | verdict |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const n of sizes) {
    const out = execFileSync(process.execPath, [...process.execArgv, '--expose-gc', __filename, '--child', String(n), String(runs), String(warmup)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const r = JSON.parse(out) as Result;
    const target = TARGET_MS[n];
    const ok = (target === undefined || Math.min(r.medianMs, r.cpuMs) <= target) && r.rssMb <= TARGET_RSS_MB;
    console.log(`| ${n.toLocaleString('en')} | ${r.firstMs.toFixed(0)} | ${r.medianMs.toFixed(0)} | ${r.cpuMs.toFixed(0)} | ${r.scoringCpuMs.toFixed(0)} | ${target ?? '–'} | ${r.rssMb.toFixed(0)} | ${r.rssBeforeMb.toFixed(0)} | ${r.planHeapMb.toFixed(0)} | ${r.waves} | ${r.holds} | ${ok ? 'meets target' : 'MISSES target'} |`);
  }
}
