/**
 * Planner speed and memory on generated fleets: `npm run bench:plan [-- --runs N --warmup N --sizes 10000,100000]`.
 * `npm run bench:plan` builds and runs the compiled bench (dist/), as `bin/ringmaster.js` runs a
 * built CLI; `tsx bench/plan.ts` runs it from source. Each size runs in two child processes of its
 * own (node with the same loader as this one), so no figure carries another size's heap:
 * - one plan: the fleet, then a single plan, as a one-shot `ringmaster plan` plans it. Its peak RSS
 *   is the memory target's figure: node (and tsx, run from source), the generated fleet and the plan. It also
 *   gives the peak RSS before the plan (the high-water mark of node, tsx and generating the fleet)
 *   and the heap the finished plan keeps (after full GCs).
 * - repeated plans: the first plan of a fresh process (V8 compiling as it goes) and the steady state
 *   of a long-running API or worker process, the median of `--runs` plans after `--warmup` plans,
 *   then risk scoring alone. Its peak RSS is a different figure, reported apart: V8 grows its heap
 *   over many plans because it may, not because a plan needs it.
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

type OnePlan = { rssMb: number; rssBeforeMb: number; planHeapMb: number; waves: number; holds: number };
type Repeated = { firstMs: number; medianMs: number; cpuMs: number; scoringCpuMs: number; rssMb: number };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = (since: NodeJS.CpuUsage) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
const mb = (bytes: number) => bytes / 1_048_576;
const peakRss = () => mb(process.resourceUsage().maxRSS * 1024);
// The children run with --expose-gc, so heap figures are live objects, not garbage awaiting
// collection. Right after a 100k plan the first two collections sometimes leave about 30 MB that
// the third frees (likely garbage kept by a marking cycle under way during the plan), so the heap
// is read after five.
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const fullGc = () => { for (let i = 0; i < 5; i++) gc(); };

function onePlan(n: number): OnePlan {
  const tenants = generateFleet(n, 42, { asOf });
  const feature = benchFeature();
  fullGc();
  const rssBeforeMb = peakRss();
  const heapBefore = process.memoryUsage().heapUsed;
  const plan = buildPlan({ tenants, feature, asOf });
  // Read before any further collection: the peak is what the plan cost while it was being built.
  const rssMb = peakRss();
  fullGc();
  const planHeapMb = mb(process.memoryUsage().heapUsed - heapBefore);
  return { rssMb, rssBeforeMb, planHeapMb, waves: plan.waves.length, holds: plan.holds.length };
}

/** Wall time and this process's CPU time: on a shared, loaded box the CPU time is the steadier one. */
function repeated(n: number, runs: number, warmup: number): Repeated {
  const tenants = generateFleet(n, 42, { asOf });
  const feature = benchFeature();
  const touched = touchedConfigs(feature);
  fullGc();
  const t0 = process.hrtime.bigint();
  buildPlan({ tenants, feature, asOf });
  const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
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
  return { firstMs, medianMs: median(wall), cpuMs: median(cpu), scoringCpuMs: median(scoring), rssMb: peakRss() };
}

function child<T>(...args: string[]): T {
  const out = execFileSync(process.execPath, [...process.execArgv, '--expose-gc', __filename, '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as T;
}

if (process.argv[2] === '--child') {
  const [mode, n, runs, warmup] = process.argv.slice(3);
  const result = mode === 'once' ? onePlan(Number(n)) : repeated(Number(n), Number(runs), Number(warmup));
  process.stdout.write(JSON.stringify(result));
} else {
  const option = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const runs = option('runs', 10);
  const warmup = Math.max(1, option('warmup', 5));
  const listed = process.argv.indexOf('--sizes');
  const sizes = listed > 0 ? process.argv[listed + 1].split(',').map(Number) : SIZES;
  const loader = process.execArgv.some((a) => a.includes('tsx')) ? 'sources through tsx' : 'compiled';
  console.log(`buildPlan on generated fleets (seed 42), node ${process.version} (${loader}), load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores.`);
  console.log(`Speed: first plan of a fresh process, then the median of ${runs} runs after ${warmup} warm-up plans. Peak RSS, one plan: a fresh process that generates the fleet and plans it once (the target's figure); after ${warmup + runs} plans: the speed process, ${runs} scoring passes included.`);
  console.log('| tenants | first plan ms | median wall ms | median CPU ms | of which risk scoring (CPU ms) | target ms | peak RSS, one plan MB | peak RSS before buildPlan MB | plan heap MB | peak RSS after repeated plans MB | waves | holds | verdict |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const n of sizes) {
    const once = child<OnePlan>('once', String(n));
    const r = child<Repeated>('repeated', String(n), String(runs), String(warmup));
    const target = TARGET_MS[n];
    const ok = (target === undefined || Math.min(r.medianMs, r.cpuMs) <= target) && once.rssMb <= TARGET_RSS_MB;
    console.log(`| ${n.toLocaleString('en')} | ${r.firstMs.toFixed(0)} | ${r.medianMs.toFixed(0)} | ${r.cpuMs.toFixed(0)} | ${r.scoringCpuMs.toFixed(0)} | ${target ?? '–'} | ${once.rssMb.toFixed(0)} | ${once.rssBeforeMb.toFixed(0)} | ${once.planHeapMb.toFixed(0)} | ${r.rssMb.toFixed(0)} | ${once.waves} | ${once.holds} | ${ok ? 'meets target' : 'MISSES target'} |`);
  }
}
