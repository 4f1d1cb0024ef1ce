import { Health } from '../schemas';
import { buildOpenApi, renderDocsPage } from '../openapi';
import { prometheusText } from '../observability';
import { route, type RouteDef } from '../route';
import type { AppDeps } from '../deps';

async function check(what: string, fn: () => Promise<unknown>): Promise<{ ok: boolean; detail: string }> {
  try {
    await fn();
    return { ok: true, detail: 'ok' };
  } catch (err) {
    return { ok: false, detail: `${what}: ${(err as Error).message}` };
  }
}

/** Probes are polled often: answer within a few seconds even when Temporal is unreachable. */
const PROBE_DEADLINE_MS = 3000;

async function readiness(deps: AppDeps) {
  const { client } = deps.temporal;
  const [temporal, store] = await Promise.all([
    check(`cannot reach Temporal namespace ${deps.temporal.namespace}`, () => client.withDeadline(Date.now() + PROBE_DEADLINE_MS, () => client.workflowService.getSystemInfo({}))),
    check('the store does not answer', () => deps.store.getFeature('readiness-probe')),
  ]);
  return { temporal, store };
}

/** Health, metrics and the API's own docs; `all` is the full table the docs describe. */
export function systemRoutes(all: () => readonly RouteDef[]) {
  return [
    route({
      method: 'get', path: '/healthz', operationId: 'healthz', tag: 'system', summary: 'Liveness: the process answers',
      roles: 'public', action: 'check health',
      responses: { 200: { description: 'Alive', schema: Health } },
      async handler() {
        return { body: { status: 'ok' } };
      },
    }),
    route({
      method: 'get', path: '/readyz', operationId: 'readyz', tag: 'system', summary: 'Readiness: Temporal and the store answer',
      roles: 'public', action: 'check readiness',
      responses: { 200: { description: 'Ready', schema: Health }, 503: { description: 'Temporal or the store is not reachable', schema: Health } },
      async handler({ deps }) {
        const checks = await readiness(deps);
        const ok = checks.temporal.ok && checks.store.ok;
        return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'unavailable', checks } };
      },
    }),
    route({
      method: 'get', path: '/metrics', operationId: 'prometheusMetrics', tag: 'system', summary: 'Prometheus metrics of the API process',
      roles: 'public', action: 'read metrics',
      responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
      async handler() {
        const { contentType, text } = await prometheusText();
        return { body: text, contentType };
      },
    }),
    route({
      method: 'get', path: '/openapi.json', operationId: 'openapi', tag: 'system', summary: 'This API as an OpenAPI 3.1 document',
      roles: 'public', action: 'read the API description',
      responses: { 200: { description: 'OpenAPI 3.1 document' } },
      async handler() {
        return { body: buildOpenApi(all()) };
      },
    }),
    route({
      method: 'get', path: '/docs', operationId: 'docs', tag: 'system', summary: 'Human-readable API reference',
      roles: 'public', action: 'read the docs',
      responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
      async handler() {
        return { body: renderDocsPage(buildOpenApi(all())), contentType: 'text/html; charset=utf-8' };
      },
    }),
  ];
}
