/**
 * The OpenAPI 3.1 document, the /docs page and the markdown reference, all built from the route
 * table and the zod schemas the routes validate with.
 */
import { z } from 'zod';
import { Feature } from '../shared/model/feature';
import { Plan } from '../shared/model/plan';
import { PlanConfig, PlanConfigOverrides } from '../shared/plan/config';
import { Tenant } from '../shared/model/tenant';
import { NoticeRecord } from '../activities/store/records';
import { ErrorBody } from './errors';
import { ROLES } from './roles';
import { DOCUMENT_LIMIT, JSON_LIMIT, type RouteDef } from './route';
import {
  DecisionReceipt, ImportReport, RolloutStarted, RolloutStatusView, TenantDetail,
} from './schemas';

type JsonSchema = Record<string, unknown>;

/** Schemas worth a name in components: referenced by several operations or big enough to read once. */
const NAMED: Array<[string, z.ZodType]> = [
  ['Error', ErrorBody], ['Tenant', Tenant], ['TenantDetail', TenantDetail], ['ImportReport', ImportReport], ['Feature', Feature],
  ['Plan', Plan], ['RolloutStarted', RolloutStarted], ['RolloutStatus', RolloutStatusView], ['DecisionReceipt', DecisionReceipt],
  ['Notice', NoticeRecord],
];
const NAME_OF = new Map<z.ZodType, string>(NAMED.map(([name, schema]) => [schema, name]));

/** Every field of a schema optional, all the way down: what a partial override may carry. */
function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).filter(([k]) => k !== 'required').map(([k, v]) => [k, withoutRequired(v)]));
}

/**
 * `planConfig` is validated by merging it over the defaults (a transform, which JSON Schema cannot
 * show), so the document describes it as the plan config with every field optional.
 */
let planConfigFields: JsonSchema | undefined;
function planConfigSchema(): JsonSchema {
  if (!planConfigFields) {
    planConfigFields = withoutRequired(z.toJSONSchema(PlanConfig, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' })) as JsonSchema;
    delete planConfigFields.$schema;
  }
  return planConfigFields;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12', io, unrepresentable: 'any',
    override: (ctx) => { if (ctx.zodSchema === PlanConfigOverrides) Object.assign(ctx.jsonSchema, planConfigSchema()); },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

function schemaRef(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const name = NAME_OF.get(schema);
  return name ? { $ref: `#/components/schemas/${name}` } : jsonSchema(schema, io);
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const s = jsonSchema(field, 'input');
    const description = s.description;
    delete s.description;
    return { name, in: where, required: where === 'path' || !field.isOptional(), schema: s, ...(description ? { description } : {}) };
  });
}

function errorResponse(description: string): JsonSchema {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

function rolesText(def: RouteDef): string {
  return def.roles === 'public' ? 'public (no token)' : def.roles.join(', ');
}

function operation(def: RouteDef): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, spec] of Object.entries(def.responses)) {
    const isError = Number(status) >= 400;
    const schema = spec.schema ? schemaRef(spec.schema, 'output') : isError ? { $ref: '#/components/schemas/Error' } : undefined;
    responses[status] = schema
      ? { description: spec.description, content: { [spec.contentType ?? 'application/json']: { schema } } }
      : { description: spec.description };
  }
  const standard: Array<[string, string, boolean]> = [
    ['400', 'Invalid parameters, query or body (malformed JSON, wrong types, unknown fields)', Boolean(def.params || def.query || def.body)],
    ['401', 'Missing, malformed, unknown or revoked bearer token', def.roles !== 'public'],
    ['403', `The token's role may not do this (allowed: ${rolesText(def)})`, def.roles !== 'public'],
    ['404', 'Unknown id', Boolean(def.params)],
    ['413', `Body larger than ${def.bodyKind === 'document' ? DOCUMENT_LIMIT : def.bodyLimit ?? JSON_LIMIT}`, Boolean(def.body)],
    ['415', 'A JSON endpoint got another content type', Boolean(def.body) && def.bodyKind !== 'document'],
  ];
  for (const [status, description, applies] of standard) if (applies && !responses[status]) responses[status] = errorResponse(description);

  const op: JsonSchema = {
    operationId: def.operationId,
    tags: [def.tag],
    summary: def.summary,
    description: [def.description, `Roles: ${rolesText(def)}.`].filter(Boolean).join('\n\n'),
    'x-roles': def.roles === 'public' ? [] : [...def.roles],
    security: def.roles === 'public' ? [] : [{ bearer: [] }],
    parameters: [...parameters(def.params, 'path'), ...parameters(def.query, 'query')],
    responses,
  };
  if (def.body) {
    const content: Record<string, JsonSchema> = {};
    if (def.bodyKind === 'document') {
      for (const type of def.documentTypes ?? ['text/plain']) content[type] = { schema: { type: 'string' } };
    } else {
      content['application/json'] = { schema: schemaRef(def.body, 'input') };
    }
    op.requestBody = { required: true, content };
  }
  return op;
}

export function buildOpenApi(routes: readonly RouteDef[], version = '0.1.0'): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const def of routes) (paths[def.path] ??= {})[def.method] = operation(def);
  const schemas: Record<string, JsonSchema> = {};
  for (const [name, schema] of NAMED) schemas[name] = jsonSchema(schema, 'output');
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Ringmaster API',
      version,
      description: 'Risk-calibrated feature rollouts across the tenants of a multi-tenant SaaS, on Temporal. '
        + 'Authenticate with `Authorization: Bearer <token>` (create tokens with `ringmaster token create`). '
        + 'Every error is `{ error, message, issues: [{ path, message }] }`.',
    },
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token from `ringmaster token create --name NAME --role ROLE`' } },
      schemas,
    },
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A readable, self-contained page: no CDN (there may be no internet where this runs). */
export function renderDocsPage(doc: JsonSchema): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, JsonSchema>>;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = (op.tags as string[])[0];
      const params = (op.parameters as Array<{ name: string; in: string; required: boolean; description?: string }>)
        .map((p) => `<li><code>${escapeHtml(p.name)}</code> (${p.in}${p.required ? ', required' : ''})${p.description ? ` — ${escapeHtml(p.description)}` : ''}</li>`).join('');
      const body = op.requestBody ? `<details><summary>request body</summary><pre>${escapeHtml(JSON.stringify(op.requestBody, null, 2))}</pre></details>` : '';
      const responses = Object.entries(op.responses as Record<string, { description: string }>)
        .map(([status, r]) => `<li><b>${status}</b> ${escapeHtml(r.description)}</li>`).join('');
      const html = `<section class="op" id="${escapeHtml(String(op.operationId))}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(String(op.summary))}</p>
<p class="roles">${escapeHtml(String(op.description)).replace(/\n\n/g, '<br>')}</p>
${params ? `<ul class="params">${params}</ul>` : ''}${body}<ul class="responses">${responses}</ul></section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const schemas = Object.entries((doc.components as { schemas: Record<string, unknown> }).schemas)
    .map(([name, s]) => `<details id="schema-${name}"><summary>${name}</summary><pre>${escapeHtml(JSON.stringify(s, null, 2))}</pre></details>`).join('\n');
  const toc = [...byTag.keys()].map((t) => `<a href="#tag-${t}">${t}</a>`).join(' · ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
code,pre{font-family:ui-monospace,monospace}pre{background:#f6f8fa;padding:.75em;overflow:auto;font-size:12px}
.op{border-top:1px solid #ddd;padding:.25em 0}.m{display:inline-block;min-width:4em;text-align:center;color:#fff;border-radius:3px;font-size:12px;padding:2px 4px}
.get{background:#2b7bb9}.post{background:#2f9e44}.put{background:#e8590c}.patch{background:#ae3ec9}.delete{background:#c92a2a}
.roles{color:#555;font-size:13px}ul{margin:.25em 0}</style></head><body>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). ${toc}</p>
${[...byTag.entries()].map(([tag, ops]) => `<h2 id="tag-${tag}">${tag}</h2>\n${ops.join('\n')}`).join('\n')}
<h2>Schemas</h2>${schemas}</body></html>`;
}

/** The endpoint table with its role matrix, as docs/API.md embeds it. */
export function renderRouteTable(routes: readonly RouteDef[]): string {
  const header = `| method | path | what | ${ROLES.join(' | ')} |\n| --- | --- | --- | ${ROLES.map(() => ':-:').join(' | ')} |`;
  const rows = routes.map((r) => {
    const cells = ROLES.map((role) => (r.roles === 'public' ? 'public' : r.roles.includes(role) ? '✓' : ''));
    return `| ${r.method.toUpperCase()} | \`${r.path}\` | ${r.summary.replace(/\|/g, '\\|')} | ${cells.join(' | ')} |`;
  });
  return [header, ...rows].join('\n');
}
