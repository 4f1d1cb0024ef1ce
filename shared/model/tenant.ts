import { z } from 'zod';
import { calendarDayProblem } from './as-of';

/**
 * The one thing wrong with a date text, or undefined: its leading YYYY-MM-DD's month or day when
 * they name no real day (Date.parse rolls an impossible day over, 2026-02-30 is 2 March, which
 * would silently move a renewal or a freeze), else a text that is no ISO-8601 date at all. One
 * issue per value: 2027-13-45 is a month that does not exist, not also "not a date".
 */
function dateProblem(s: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  const wrongDay = m ? calendarDayProblem(m[1], m[2], m[3]) : undefined;
  if (wrongDay) return wrongDay;
  return Number.isNaN(Date.parse(s)) ? 'expected an ISO-8601 date or date-time' : undefined;
}

/** ISO-8601 date or date-time, kept as a string so the model stays JSON and history friendly. */
export const IsoDateTime = z.string().superRefine((s, ctx) => {
  const problem = dateProblem(s);
  // Aborting, so a freeze window's end-after-start check does not compare an unreadable date too.
  if (problem) ctx.addIssue({ code: 'custom', message: problem, input: s, continue: false });
});

export const IntegrationKind = z.enum(['sso', 'crm', 'chat', 'webhooks', 'api', 'erp', 'data-warehouse', 'custom']);
export type IntegrationKind = z.infer<typeof IntegrationKind>;

export const Integration = z.strictObject({
  kind: IntegrationKind,
  /** Product name of the connected system, lower-case: 'salesforce', 'okta', 'slack', 'sap'. */
  system: z.string().min(1),
  /** Version of the connector / connected system, when known ('2.3', '52.0'). */
  version: z.string().min(1).optional(),
});
export type Integration = z.infer<typeof Integration>;

export const Customization = z.strictObject({
  kind: z.enum(['setting', 'script', 'field']),
  /** Setting key / script name / field name, matched against a feature change's `touches.settings`. */
  key: z.string().min(1),
  description: z.string().optional(),
});
export type Customization = z.infer<typeof Customization>;

export const SlaTierName = z.enum(['standard', 'gold', 'platinum']);
export const SlaTier = z.union([
  SlaTierName,
  z.strictObject({ uptimePercent: z.number().min(90).max(100) }),
]);
export type SlaTier = z.infer<typeof SlaTier>;

export const TicketSeverity = z.enum(['P1', 'P2', 'P3', 'P4']);
export type TicketSeverity = z.infer<typeof TicketSeverity>;

export const Ticket = z.strictObject({
  id: z.string().min(1),
  severity: TicketSeverity,
  opened: IsoDateTime,
  subject: z.string().default(''),
  /**
   * Only counted, as a pipe-table cell does ("2 P1 tickets"): the id and the opening date are
   * placeholders (the import's date), so no reason may quote them as the ticket's.
   */
  counted: z.boolean().optional(),
});
export type Ticket = z.infer<typeof Ticket>;

/**
 * A date-only freeze end means "through that day", as the CSV and table importers read it: it
 * ends at the day's last second (UTC), not at its first, so `end: 2026-12-20` in YAML or JSON
 * freezes the 20th too.
 */
function throughTheDay(end: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(end) ? `${end}T23:59:59Z` : end;
}

export const FreezeWindow = z.strictObject({
  start: IsoDateTime,
  end: IsoDateTime.overwrite(throughTheDay),
  reason: z.string().min(1),
}).refine((f) => Date.parse(f.end) >= Date.parse(f.start), { message: 'expected a freeze window that ends after it starts (start/end swapped?)', path: ['end'] });
export type FreezeWindow = z.infer<typeof FreezeWindow>;

export const Regime = z.enum(['SOX', 'HIPAA', 'GDPR', 'PCI-DSS', 'FedRAMP', 'SOC2', 'ISO27001', 'other']);
export const RegulatedIndustry = z.enum(['finance', 'healthcare', 'public-sector', 'other']);

export const Contact = z.strictObject({
  role: z.enum(['admin', 'technical', 'business', 'executive-sponsor', 'csm']),
  name: z.string().min(1),
  email: z.string().email().optional(),
  phone: z.string().optional(),
});
export type Contact = z.infer<typeof Contact>;

/** What a tenant without metrics on record is assumed to run at. */
export const DEFAULT_BASELINE = { errorRate: 0.005, requestsPerMinute: 100 } as const;

export const BaselineField = z.enum(['errorRate', 'requestsPerMinute']);
export type BaselineField = z.infer<typeof BaselineField>;

/**
 * Shared lists for `assumed`, in field order, so tenants without a baseline (every pipe-table
 * row) keep one reference each instead of a list of their own.
 */
const ASSUMED = {
  both: Object.freeze(['errorRate', 'requestsPerMinute'] as BaselineField[]),
  errorRate: Object.freeze(['errorRate'] as BaselineField[]),
  requestsPerMinute: Object.freeze(['requestsPerMinute'] as BaselineField[]),
};

/**
 * The tenant's usual error rate and traffic. A field not given takes the default and is named in
 * `assumed`, so thresholds can say the baseline was assumed rather than measured. `assumed` is
 * written back with the tenant: a stored tenant parsed again keeps it, and one stored before it
 * existed (defaults already filled in) still parses, read as measured (what it was is not known).
 */
const Baseline = z.strictObject({
  /** Error ratio 0..1 over a normal week (0.004 = 0.4 %). */
  errorRate: z.number().min(0).max(1).optional(),
  requestsPerMinute: z.number().nonnegative().optional(),
  /** The fields that were not given and hold the default; absent when both were given. */
  assumed: z.array(BaselineField).optional(),
}).transform((b): { errorRate: number; requestsPerMinute: number; assumed?: readonly BaselineField[] } => {
  // A stored `assumed` counts only while the field still holds the default: a tenant read back,
  // given its real error rate and written again is measured.
  const error = b.errorRate === undefined || (b.errorRate === DEFAULT_BASELINE.errorRate && (b.assumed?.includes('errorRate') ?? false));
  const traffic = b.requestsPerMinute === undefined || (b.requestsPerMinute === DEFAULT_BASELINE.requestsPerMinute && (b.assumed?.includes('requestsPerMinute') ?? false));
  const baseline = { errorRate: b.errorRate ?? DEFAULT_BASELINE.errorRate, requestsPerMinute: b.requestsPerMinute ?? DEFAULT_BASELINE.requestsPerMinute };
  if (!error && !traffic) return baseline;
  return { ...baseline, assumed: error && traffic ? ASSUMED.both : error ? ASSUMED.errorRate : ASSUMED.requestsPerMinute };
  // The default outermost (a value the transform would give for `{}`), so a tenant patch, which
  // drops defaults, leaves a baseline it does not name alone.
}).default(() => ({ ...DEFAULT_BASELINE, assumed: ASSUMED.both }));

export const Tenant = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash or underscore'),
  name: z.string().min(1),
  users: z.number().int().nonnegative(),
  region: z.string().min(1).default('us'),
  /** IANA time zone, e.g. 'America/New_York', 'Asia/Shanghai'. */
  timeZone: z.string().min(1).default('UTC').refine(isIanaZone, { message: 'expected an IANA time zone such as Europe/Berlin' }),
  locale: z.enum(['en', 'zh-CN']).default('en'),
  internal: z.boolean().default(false),
  betaOptIn: z.boolean().default(false),
  integrations: z.array(Integration).default([]),
  customizations: z.array(Customization).default([]),
  sla: SlaTier.default('standard'),
  contract: z.strictObject({
    arr: z.number().nonnegative().optional(),
    renewalDate: IsoDateTime.optional(),
  }).default({}),
  /** 0 (failing) … 100 (thriving), from the CRM / customer-success tool. */
  health: z.number().min(0).max(100).default(70),
  openTickets: z.array(Ticket).default([]),
  strategic: z.strictObject({
    anchor: z.boolean().default(false),
    executiveEscalation: z.boolean().default(false),
  }).default({ anchor: false, executiveEscalation: false }),
  regulated: z.strictObject({
    industry: RegulatedIndustry.optional(),
    regimes: z.array(Regime).default([]),
  }).default({ regimes: [] }),
  freezeWindows: z.array(FreezeWindow).default([]),
  contacts: z.array(Contact).default([]),
  baseline: Baseline,
});
export type Tenant = z.infer<typeof Tenant>;
/** What an importer or API caller writes: defaults not yet applied. */
export type TenantInput = z.input<typeof Tenant>;

/**
 * Building an Intl.DateTimeFormat is the slow part of parsing a tenant, and a fleet uses a few
 * dozen zones. Only valid zones are remembered: there are a few hundred, while bad input is unbounded.
 */
const validZones = new Set<string>();

export function isIanaZone(zone: string): boolean {
  if (validZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    validZones.add(zone);
    return true;
  } catch {
    return false;
  }
}
