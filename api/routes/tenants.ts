import type { Request } from 'express';
import { z } from 'zod';
import { Tenant } from '../../shared/model/tenant';
import { parseTenants, type ImportFormat, type ImportResult } from '../../shared/import/tenants';
import { formatPath } from '../../shared/import/errors';
import { ApiError, notFound, storedTenantsInvalid, type Issue } from '../errors';
import { can } from '../roles';
import { route } from '../route';
import { ImportQuery, ImportReport, TenantDetail, TenantIdParams, TenantList, TenantListQuery, TenantPatch } from '../schemas';

const MEDIA_FORMAT: Array<[string, ImportFormat]> = [
  ['text/csv', 'csv'],
  ['application/json', 'json'],
  ['application/yaml', 'yaml'],
  ['application/x-yaml', 'yaml'],
  ['text/yaml', 'yaml'],
];

/** text/plain says nothing about the format: the parser sniffs it (or uses the file name). */
function formatFromContentType(req: Request): ImportFormat | undefined {
  return MEDIA_FORMAT.find(([type]) => req.is(type))?.[1];
}

function importIssues(result: ImportResult): Issue[] {
  return result.errors.map((e) => ({ path: e.field, message: e.message, line: e.line, ...(e.column ? { column: e.column } : {}) }));
}

const DocumentBody = z.string().min(1, 'the body is empty; send the tenant file (CSV, JSON, YAML or the pipe table) as the request body');

export const tenantRoutes = [
  route({
    method: 'post', path: '/api/v1/tenants/import', operationId: 'importTenants', tag: 'tenants',
    summary: 'Import tenants from CSV, JSON, YAML or the en/zh pipe table',
    description: 'The body is the file itself. Every problem names its line (and column). `dryRun=true` returns the report without saving.',
    roles: can.manageRegistry, action: 'import tenants',
    query: ImportQuery, body: DocumentBody, bodyKind: 'document',
    documentTypes: ['text/csv', 'application/json', 'application/yaml', 'text/plain'],
    responses: {
      200: { description: 'Parsed (and, unless a dry run, saved)', schema: ImportReport },
      422: { description: 'The file has errors; nothing was saved. The body carries the full report.', schema: ImportReport },
    },
    async handler({ query, body, deps, req }) {
      const result = parseTenants(body, {
        format: query.format ?? formatFromContentType(req),
        filename: query.filename,
        asOf: new Date().toISOString(),
        mode: query.mode,
      });
      const dryRun = query.dryRun ?? false;
      const report = {
        ok: result.ok, dryRun, format: result.format, saved: 0,
        tenants: result.tenants.map((t) => t.id), skipped: result.skipped, errors: result.errors,
      };
      if (!result.ok) {
        const n = result.errors.length;
        throw new ApiError(422, 'import-failed', `${n} problem${n === 1 ? '' : 's'} in the ${result.format} file, nothing was saved; first: ${result.errors[0]?.message}`, importIssues(result), report);
      }
      if (!dryRun) await deps.store.putTenants(result.tenants);
      return { body: { ...report, saved: dryRun ? 0 : result.tenants.length } };
    },
  }),
  route({
    method: 'get', path: '/api/v1/tenants', operationId: 'listTenants', tag: 'tenants',
    summary: 'List tenants, filtered by tier of the newest risk profile, region or a search text',
    roles: can.read, action: 'list tenants', query: TenantListQuery,
    description: 'A stored tenant that no longer validates (saved before a stricter check, e.g. an impossible date such as 2026-02-30 or a freeze window that ends before it starts) is not left out silently: it is listed in `invalid` with its field paths, what is wrong and how to fix it.',
    responses: { 200: { description: 'Tenants with their newest risk profile, and the stored tenants that no longer validate', schema: TenantList } },
    async handler({ query, deps }) {
      const page = await deps.store.listTenants(query);
      return { body: { tenants: page.tenants, count: page.tenants.length, invalid: page.invalid } };
    },
  }),
  route({
    method: 'get', path: '/api/v1/tenants/{id}', operationId: 'getTenant', tag: 'tenants',
    summary: 'A tenant with its newest risk profile and the history of its profiles',
    roles: can.read, action: 'read tenants', params: TenantIdParams,
    responses: {
      200: { description: 'The tenant', schema: TenantDetail },
      409: { description: 'The stored tenant no longer validates (`stored-tenant-invalid`): the body names each field, what is wrong, how to fix it, and carries the stored document as `stored`' },
    },
    async handler({ params, deps }) {
      const { tenants: [tenant], invalid } = await deps.store.readTenants([params.id]);
      if (invalid.length > 0) throw storedTenantsInvalid(invalid, { stored: await deps.store.getStoredTenantDocument(params.id) });
      if (!tenant) throw notFound(`tenant ${params.id}`);
      const history = await deps.store.getRiskProfileHistory(params.id);
      return { body: { tenant, riskProfile: history[0] ?? null, history } };
    },
  }),
  route({
    method: 'patch', path: '/api/v1/tenants/{id}', operationId: 'updateTenant', tag: 'tenants',
    summary: 'Change some fields of a tenant (the id cannot change)',
    description: 'Also repairs a stored tenant that no longer validates: patch the fields the 409 `stored-tenant-invalid` (or the tenant list\'s `invalid`) names. The patch is applied to the stored document as it is, and the result must validate.',
    roles: can.manageRegistry, action: 'update tenants', params: TenantIdParams, body: TenantPatch,
    responses: {
      200: { description: 'The updated tenant', schema: Tenant },
      400: { description: 'The patched tenant is invalid; for a stored tenant that did not validate, the issues name the fields still to fix' },
      409: { description: 'The stored document is not a JSON object, so there is nothing to patch: re-import the tenant' },
    },
    async handler({ params, body, deps }) {
      const existing = await deps.store.getStoredTenantDocument(params.id);
      if (existing === undefined) throw notFound(`tenant ${params.id}`);
      if (typeof existing !== 'object' || existing === null || Array.isArray(existing)) {
        const { invalid } = await deps.store.readTenants([params.id]);
        throw storedTenantsInvalid(invalid);
      }
      const merged = Tenant.safeParse({ ...existing, ...body, id: params.id });
      if (!merged.success) {
        // A field the patch did not send is still the stored one: say so, or the path looks like the caller's mistake.
        const issues = merged.error.issues.map((i) => (String(i.path[0]) in body
          ? { path: ['body', ...i.path.map(String)].join('.'), message: i.message }
          : { path: formatPath(i.path), message: `the stored tenant's ${formatPath(i.path)} is invalid too: ${i.message}; send a corrected ${String(i.path[0])} in the same patch` }));
        throw new ApiError(400, 'validation-failed', `the patched tenant is invalid: ${issues[0].path}: ${issues[0].message}`, issues);
      }
      await deps.store.putTenants([merged.data]);
      return { body: merged.data };
    },
  }),
  route({
    method: 'delete', path: '/api/v1/tenants/{id}', operationId: 'deleteTenant', tag: 'tenants',
    summary: 'Remove a tenant from the registry (running rollouts keep their plan)',
    roles: can.manageRegistry, action: 'delete tenants', params: TenantIdParams,
    responses: { 204: { description: 'Deleted' } },
    async handler({ params, deps }) {
      if (!(await deps.store.deleteTenant(params.id))) throw notFound(`tenant ${params.id}`);
      return { status: 204 };
    },
  }),
];
