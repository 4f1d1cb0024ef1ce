import { z } from 'zod';
import type { AuditEntry } from '../model/rollout';
import { duration } from '../risk/format';

/**
 * Human decisions read back from the audit trail, with how long people took. The workflow writes
 * 'decision-raised' when it starts waiting, '<kind>:approve' / '<kind>:reject' (detail ending in
 * "(raised <iso>)") when someone decides, and 'decision-expired' when the deadline passes.
 */
export const DecisionFact = z.strictObject({
  /** 'wave-go', 'tenant-go', 'advisory-rollback', 'wave-checkpoint', 'plan'; unknown for expired or open ones. */
  kind: z.string().optional(),
  question: z.string(),
  waveId: z.string().optional(),
  tenantId: z.string().optional(),
  raisedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  latencySeconds: z.number().optional(),
  /** 'user:<id>' for people, 'rollout' when the deadline applied the default. */
  by: z.string().optional(),
  outcome: z.enum(['approved', 'rejected', 'expired', 'open']),
  reason: z.string(),
});
export type DecisionFact = z.infer<typeof DecisionFact>;

const decided = /^([a-z-]+):(approve|reject)$/;
const raisedSuffix = /\(raised ([^)]+)\)\s*$/;
const deadlineSuffix = /\s*\(deadline [^)]*\)\s*$/;

export function decisionsFromAudit(audit: AuditEntry[]): DecisionFact[] {
  const entries = [...audit].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const open: AuditEntry[] = [];
  const facts: DecisionFact[] = [];
  const sameSubject = (a: AuditEntry, b: AuditEntry) => a.waveId === b.waveId && a.tenantId === b.tenantId;
  /** The raised entry this resolution answers: the one named by its timestamp, else the latest open one on the same subject. */
  const take = (entry: AuditEntry, raisedAt?: string): AuditEntry | undefined => {
    const candidates = open.filter((r) => sameSubject(r, entry));
    const named = raisedAt === undefined ? undefined : candidates.find((r) => Date.parse(r.at) === Date.parse(raisedAt));
    const found = named ?? candidates[candidates.length - 1];
    if (found) open.splice(open.indexOf(found), 1);
    return found;
  };

  for (const entry of entries) {
    if (entry.action === 'decision-raised') {
      open.push(entry);
      continue;
    }
    const match = decided.exec(entry.action);
    if (!match && entry.action !== 'decision-expired') continue;
    const namedRaise = match ? raisedSuffix.exec(entry.detail)?.[1] : undefined;
    const raised = take(entry, namedRaise);
    const raisedAt = raised?.at ?? namedRaise;
    const latencySeconds = raisedAt === undefined ? undefined : Math.max(0, Math.round((Date.parse(entry.at) - Date.parse(raisedAt)) / 1000));
    const question = raised ? raised.detail.replace(deadlineSuffix, '') : entry.detail.replace(raisedSuffix, '').trim();
    const outcome = match ? (match[2] === 'approve' ? 'approved' : 'rejected') : 'expired';
    const waited = latencySeconds === undefined ? '' : ` after ${duration(latencySeconds)}`;
    facts.push({
      kind: match?.[1],
      question,
      waveId: entry.waveId,
      tenantId: entry.tenantId,
      raisedAt,
      resolvedAt: entry.at,
      latencySeconds,
      by: entry.actor,
      outcome,
      reason: outcome === 'expired'
        ? `nobody decided${waited}: ${entry.detail}`
        : `${outcome} by ${entry.actor}${waited}: ${entry.detail.replace(raisedSuffix, '').trim()}`,
    });
  }
  for (const r of open) {
    facts.push({ question: r.detail.replace(deadlineSuffix, ''), waveId: r.waveId, tenantId: r.tenantId, raisedAt: r.at, outcome: 'open', reason: `still waiting since ${r.at}` });
  }
  return facts;
}
