/**
 * Schemas of the documents the store keeps as JSON and the decoding that checks every row on
 * read: a row edited by hand or written by an older version fails with the table, the row and
 * the field path instead of surfacing later as a confusing type error.
 */
import { z } from 'zod';
import { formatPath } from '../../shared/import/errors';

export const TokenRole = z.enum(['admin', 'pm', 'approver', 'sre', 'viewer']);
export type TokenRole = z.infer<typeof TokenRole>;

/** A stored notice: the port's Notice plus who reviewed it and when it went out. */
export const NoticeRecord = z.strictObject({
  id: z.string().min(1),
  rolloutId: z.string().min(1),
  waveId: z.string().min(1),
  tenantId: z.string().min(1),
  locale: z.enum(['en', 'zh-CN']),
  subject: z.string(),
  markdown: z.string(),
  text: z.string(),
  source: z.enum(['template', 'llm']),
  fallbackReason: z.string().optional(),
  status: z.enum(['draft', 'approved', 'sent']),
  createdAt: z.string(),
  updatedAt: z.string(),
  editedBy: z.string().optional(),
  editedAt: z.string().optional(),
  approvedBy: z.string().optional(),
  approvedAt: z.string().optional(),
  sentAt: z.string().optional(),
  sentVia: z.string().optional(),
});
export type NoticeRecord = z.infer<typeof NoticeRecord>;

export const FlagChangeInput = z.strictObject({
  featureKey: z.string().min(1),
  tenantId: z.string().min(1),
  enabled: z.boolean(),
  rolloutId: z.string().min(1),
  actor: z.string().min(1),
  reason: z.string().min(1),
  idempotencyKey: z.string().min(1),
});

/** Stored data that does not match what the code expects. */
export class StoreDataError extends Error {
  override name = 'StoreDataError';
}

/** One field of a stored record that no longer validates. */
export interface StoredIssue { path: string; message: string }

/**
 * A stored tenant that does not validate against today's schema, typically one saved before a
 * stricter check (an impossible date such as 2026-02-30, a freeze window that ends before it
 * starts). `fix` says in plain words how to repair it.
 */
export interface InvalidStoredTenant { id: string; issues: StoredIssue[]; fix: string }

/**
 * A stored feature that does not validate against today's schema (an earliestStart after its
 * deadline, an impossible date); `fix` says how to repair it.
 */
export interface InvalidStoredFeature { key: string; issues: StoredIssue[]; fix: string }

/** The top-level fields the issues are in, as `a`, `b` for a fix; 'corrected data' when none. */
function correctedFields(issues: readonly StoredIssue[], none: string): string {
  const fields = [...new Set(issues.map((i) => /^[^.[]+/.exec(i.path)?.[0] ?? i.path).filter((f) => f !== '(root)'))];
  return fields.length ? `a corrected ${fields.map((f) => `\`${f}\``).join(', ')}` : none;
}

/** What to do about a stored tenant that no longer validates: the fields to correct and how. */
export function storedTenantFix(id: string, issues: readonly StoredIssue[]): string {
  const what = correctedFields(issues, 'corrected data');
  return `re-import tenant ${id} with corrected data (POST /api/v1/tenants/import), or PATCH /api/v1/tenants/${id} with ${what}; DELETE /api/v1/tenants/${id} removes it`;
}

/** What to do about a stored feature that no longer validates: describe it again with the fields corrected. */
export function storedFeatureFix(key: string, issues: readonly StoredIssue[]): string {
  const what = correctedFields(issues, 'a corrected description');
  return `PUT /api/v1/features/${key} again (the whole description, YAML or JSON) with ${what}`;
}

/** A stored document decoded against today's schema, or the field paths and problems of it. */
function decodeStored<S extends z.ZodType>(schema: S, doc: string): { ok: true; value: z.infer<S> } | { ok: false; issues: StoredIssue[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(doc);
  } catch (e) {
    return { ok: false, issues: [{ path: '(root)', message: `the stored document is not valid JSON (${(e as Error).message})` }] };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path) || '(root)', message: i.message })) };
}

/** A stored row decoded: its record, or what is wrong with it. */
export type DecodedRow<T, I> = { ok: true; value: T } | { ok: false; invalid: I };

/** The tenant, or what is wrong with its stored document. */
export function decodeTenantRow<S extends z.ZodType>(schema: S, row: { id: string; doc: string }): DecodedRow<z.infer<S>, InvalidStoredTenant> {
  const decoded = decodeStored(schema, row.doc);
  if (decoded.ok) return decoded;
  return { ok: false, invalid: { id: row.id, issues: decoded.issues, fix: storedTenantFix(row.id, decoded.issues) } };
}

/** The feature, or what is wrong with its stored document. */
export function decodeFeatureRow<S extends z.ZodType>(schema: S, row: { key: string; doc: string }): DecodedRow<z.infer<S>, InvalidStoredFeature> {
  const decoded = decodeStored(schema, row.doc);
  if (decoded.ok) return decoded;
  return { ok: false, invalid: { key: row.key, issues: decoded.issues, fix: storedFeatureFix(row.key, decoded.issues) } };
}

/** Rows decoded one by one: the records that validate, in order, and what is wrong with the rest. */
export function decodeRows<R, T, I>(rows: readonly R[], decode: (row: R) => DecodedRow<T, I>): { valid: T[]; invalid: I[] } {
  const valid: T[] = [];
  const invalid: I[] = [];
  for (const r of rows) {
    const decoded = decode(r);
    if (decoded.ok) valid.push(decoded.value);
    else invalid.push(decoded.invalid);
  }
  return { valid, invalid };
}

/** "stored <noun> <name> no longer validates: <path>: <problem>; …; <fix>", naming how many more there are. */
function invalidStoredMessage(noun: 'tenant' | 'feature', invalid: readonly { issues: StoredIssue[]; fix: string }[], name: string): string {
  const first = invalid[0];
  const more = invalid.length > 1 ? ` (and ${invalid.length - 1} more ${noun}${invalid.length === 2 ? '' : 's'})` : '';
  return `stored ${noun} ${name} no longer validates: ${first.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}${more}; ${first.fix}`;
}

/** Stored tenants that no longer validate, each with its id, field paths, problems and fix. */
export class InvalidStoredTenantsError extends StoreDataError {
  override name = 'InvalidStoredTenantsError';
  constructor(readonly invalid: InvalidStoredTenant[]) {
    super(invalidStoredMessage('tenant', invalid, invalid[0].id));
  }
}

/** Stored features that no longer validate, each with its key, field paths, problems and fix. */
export class InvalidStoredFeaturesError extends StoreDataError {
  override name = 'InvalidStoredFeaturesError';
  constructor(readonly invalid: InvalidStoredFeature[]) {
    super(invalidStoredMessage('feature', invalid, invalid[0].key));
  }
}

/** A notice change that its current status does not allow, or a notice that does not exist. */
export class NoticeStateError extends Error {
  override name = 'NoticeStateError';
}

/** Input a caller asked the store to write that does not match its schema. */
export class StoreInputError extends Error {
  override name = 'StoreInputError';
}

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StoreInputError(`${what} is invalid: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

export function decodeValue<S extends z.ZodType>(schema: S, raw: unknown, where: { table: string; row: string }): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new StoreDataError(`${where.table} row '${where.row}' does not match the expected shape: ${formatIssues(parsed.error)}`);
  }
  return parsed.data;
}

export function decodeDocument<S extends z.ZodType>(schema: S, json: string, where: { table: string; row: string }): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new StoreDataError(`${where.table} row '${where.row}' holds invalid JSON (${(e as Error).message})`);
  }
  return decodeValue(schema, raw, where);
}
