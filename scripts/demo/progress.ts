/**
 * Progress lines from two successive rollout statuses: one per wave phase change and one per
 * tenant state change, with the reason where the state needs one.
 */
import type { TenantOutcome } from '../../shared/model/rollout';

export interface StatusView {
  phase: string;
  paused: boolean;
  pauseReason?: string;
  waves: Array<{ waveId: string; phase: string; stopReason?: string }>;
  runningWaves: Array<{ waveId: string; phase: string }>;
  tenants: TenantOutcome[];
}

export interface Snapshot {
  phase: string;
  waves: Map<string, string>;
  tenants: Map<string, string>;
}

export const emptySnapshot = (): Snapshot => ({ phase: '', waves: new Map(), tenants: new Map() });

/** States whose reason is the news: why a tenant was held back, deferred or rolled back. */
const explained = new Set(['held', 'deferred', 'excluded', 'rejected', 'rolled-back']);

export function snapshotOf(status: StatusView): Snapshot {
  const waves = new Map(status.waves.map((w) => [w.waveId, w.phase]));
  // A running wave knows its phase better than the parent's last summary.
  for (const w of status.runningWaves) waves.set(w.waveId, w.phase);
  return { phase: status.phase, waves, tenants: new Map(status.tenants.map((t) => [t.tenantId, t.state])) };
}

export function progressLines(prev: Snapshot, status: StatusView, waveLabel: (waveId: string) => string): { lines: string[]; next: Snapshot } {
  const next = snapshotOf(status);
  const lines: string[] = [];
  if (next.phase !== prev.phase) lines.push(`rollout ${prev.phase ? `${prev.phase} → ` : ''}${next.phase}${status.paused && status.pauseReason ? ` (${status.pauseReason})` : ''}`);
  for (const [waveId, phase] of next.waves) {
    if (prev.waves.get(waveId) === phase || (phase === 'scheduled' && !prev.waves.has(waveId))) continue;
    const stop = status.waves.find((w) => w.waveId === waveId)?.stopReason;
    lines.push(`wave ${waveLabel(waveId)}: ${phase}${stop ? ` (${stop})` : ''}`);
  }
  for (const t of status.tenants) {
    if (prev.tenants.get(t.tenantId) === t.state) continue;
    lines.push(`  tenant ${t.tenantId}: ${t.state}${explained.has(t.state) ? ` (${t.reason})` : ''}`);
  }
  return { lines, next };
}
