/**
 * Per-tenant counts from a real Prometheus over its HTTP API. One PromQL query per metric covers
 * every tenant of the request (a regex of their ids), so a wave of 500 tenants costs three
 * queries, not 1,500.
 */
import axios, { AxiosError, type AxiosInstance } from 'axios';
import { z } from 'zod';
import type { MetricsProvider, TenantSample } from '../ports';

export const PROMETHEUS_TEMPLATE_VARIABLES = ['{{tenants}}', '{{window}}', '{{feature}}'] as const;

/**
 * PromQL per metric. Each must return an instant vector with one series per tenant, labelled with
 * the tenant label. `{{tenants}}` becomes a regex of the tenant ids, `{{window}}` a range such as
 * `300s`, `{{feature}}` the feature key; all are escaped for use inside a double-quoted string.
 */
export interface PromQlTemplates {
  requests: string;
  errors: string;
  featureUsage: string;
}

export const DEFAULT_TEMPLATES: PromQlTemplates = {
  requests: 'sum by (tenant) (increase(app_requests_total{tenant=~"{{tenants}}"}[{{window}}]))',
  errors: 'sum by (tenant) (increase(app_errors_total{tenant=~"{{tenants}}"}[{{window}}]))',
  featureUsage: 'sum by (tenant) (increase(app_feature_usage_total{tenant=~"{{tenants}}",feature="{{feature}}"}[{{window}}]))',
};

const Template = z.string().refine((t) => t.includes('{{tenants}}'), 'must contain {{tenants}}, or one query could not cover a wave\'s tenants');

export const PrometheusConfig = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected the http(s) URL of Prometheus, e.g. http://prometheus:9090' }),
  templates: z.strictObject({ requests: Template, errors: Template, featureUsage: Template }).default(DEFAULT_TEMPLATES),
  /** The label that carries the tenant id in the query results. */
  tenantLabel: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a Prometheus label name').default('tenant'),
  timeoutMs: z.number().int().positive().default(10_000),
  /** Sent as `Authorization: Bearer …`, for a Prometheus behind an authenticating proxy. */
  bearerToken: z.string().min(1).optional(),
});
export type PrometheusConfig = z.infer<typeof PrometheusConfig>;
export type PrometheusConfigInput = z.input<typeof PrometheusConfig>;

/** Reads RINGMASTER_PROMETHEUS_* (see the README); a bad value is reported with the variable's name. */
export function prometheusConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PrometheusConfig {
  const vars = {
    url: 'RINGMASTER_PROMETHEUS_URL',
    requests: 'RINGMASTER_PROMETHEUS_REQUESTS_QUERY',
    errors: 'RINGMASTER_PROMETHEUS_ERRORS_QUERY',
    featureUsage: 'RINGMASTER_PROMETHEUS_FEATURE_USAGE_QUERY',
    tenantLabel: 'RINGMASTER_PROMETHEUS_TENANT_LABEL',
    timeoutMs: 'RINGMASTER_PROMETHEUS_TIMEOUT_MS',
    bearerToken: 'RINGMASTER_PROMETHEUS_BEARER_TOKEN',
  } as const;
  const raw = {
    url: env[vars.url],
    templates: {
      requests: env[vars.requests] || DEFAULT_TEMPLATES.requests,
      errors: env[vars.errors] || DEFAULT_TEMPLATES.errors,
      featureUsage: env[vars.featureUsage] || DEFAULT_TEMPLATES.featureUsage,
    },
    tenantLabel: env[vars.tenantLabel] || undefined,
    timeoutMs: env[vars.timeoutMs] ? Number(env[vars.timeoutMs]) : undefined,
    bearerToken: env[vars.bearerToken] || undefined,
  };
  const parsed = PrometheusConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const leaf = String(issue.path[issue.path.length - 1]) as keyof typeof vars;
    return `${vars[leaf] ?? issue.path.join('.')}: ${issue.message}`;
  });
  throw new Error(`Prometheus metrics configuration is invalid: ${problems.join('; ')}`);
}

/** A Prometheus answer that Ringmaster cannot use: an error body, a bad shape, or no answer at all. */
export class PrometheusQueryError extends Error {
  constructor(message: string, readonly query: string) {
    super(`${message} (query: ${query})`);
    this.name = 'PrometheusQueryError';
  }
}

/** Regex metacharacters escaped, then the result escaped for a PromQL double-quoted string. */
export function tenantRegex(tenantIds: readonly string[]): string {
  return promqlString(tenantIds.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}

function promqlString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function renderTemplate(template: string, vars: { tenantIds: readonly string[]; windowSeconds: number; featureKey: string }): string {
  return template
    .replaceAll('{{tenants}}', tenantRegex(vars.tenantIds))
    .replaceAll('{{window}}', `${vars.windowSeconds}s`)
    .replaceAll('{{feature}}', promqlString(vars.featureKey));
}

const SampleValue = z.tuple([z.number(), z.string()]);
const QueryResponse = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.object({
      resultType: z.string(),
      result: z.unknown(),
    }),
  }),
  z.object({
    status: z.literal('error'),
    errorType: z.string().optional(),
    error: z.string().optional(),
  }),
]);
const VectorResult = z.array(z.object({ metric: z.record(z.string(), z.string()), value: SampleValue }));

export class PrometheusMetricsProvider implements MetricsProvider {
  private readonly config: PrometheusConfig;
  private readonly http: AxiosInstance;

  constructor(config: PrometheusConfigInput) {
    this.config = PrometheusConfig.parse(config);
    this.http = axios.create({
      baseURL: this.config.url.replace(/\/+$/, ''),
      timeout: this.config.timeoutMs,
      headers: this.config.bearerToken ? { Authorization: `Bearer ${this.config.bearerToken}` } : {},
      // Prometheus puts its reason in a JSON body on 400/422/503; read it instead of throwing on status.
      validateStatus: () => true,
    });
  }

  async sample(req: { featureKey: string; tenantIds: string[]; windowSeconds: number }): Promise<TenantSample[]> {
    if (req.tenantIds.length === 0) return [];
    if (!Number.isInteger(req.windowSeconds) || req.windowSeconds <= 0) throw new Error(`windowSeconds must be a positive whole number of seconds, got ${req.windowSeconds}`);
    // One evaluation time for all three queries, so requests and errors describe the same window.
    const at = new Date();
    const vars = { tenantIds: req.tenantIds, windowSeconds: req.windowSeconds, featureKey: req.featureKey };
    const [requests, errors, featureUsage] = await Promise.all([
      this.query('requests', renderTemplate(this.config.templates.requests, vars), at),
      this.query('errors', renderTemplate(this.config.templates.errors, vars), at),
      this.query('featureUsage', renderTemplate(this.config.templates.featureUsage, vars), at),
    ]);
    return req.tenantIds
      .filter((id) => requests.has(id) || errors.has(id) || featureUsage.has(id))
      .map((tenantId) => {
        const r = requests.get(tenantId) ?? 0;
        const e = errors.get(tenantId) ?? 0;
        return { tenantId, requests: r, errors: e, errorRate: r === 0 ? 0 : e / r, featureUsage: featureUsage.get(tenantId) ?? 0, at: at.toISOString() };
      });
  }

  /** Tenant id → value of one metric's query. */
  private async query(metric: keyof PromQlTemplates, promql: string, at: Date): Promise<Map<string, number>> {
    const fail = (why: string) => new PrometheusQueryError(`Prometheus ${metric} query at ${this.config.url} ${why}`, promql);
    let res;
    try {
      // POST form: a wave's tenant regex can outgrow a URL.
      res = await this.http.post('/api/v1/query', new URLSearchParams({ query: promql, time: String(at.getTime() / 1000) }));
    } catch (err) {
      throw fail(`could not be sent: ${err instanceof AxiosError ? `${err.code ?? ''} ${err.message}`.trim() : String(err)}`);
    }
    const body = QueryResponse.safeParse(res.data);
    if (!body.success) {
      const shown = typeof res.data === 'string' ? res.data.slice(0, 200) : JSON.stringify(res.data)?.slice(0, 200);
      throw fail(`returned HTTP ${res.status} with a body that is not a Prometheus query response: ${shown}`);
    }
    if (body.data.status === 'error') throw fail(`was rejected (HTTP ${res.status}, ${body.data.errorType ?? 'error'}): ${body.data.error ?? 'no reason given'}`);
    if (body.data.data.resultType !== 'vector') throw fail(`returned a ${body.data.data.resultType}; the template must yield an instant vector with one series per tenant`);
    const result = VectorResult.safeParse(body.data.data.result);
    if (!result.success) throw fail(`returned a malformed vector: ${result.error.issues.map((i) => `${i.path.join('.') || 'result'}: ${i.message}`).join('; ')}`);

    const values = new Map<string, number>();
    for (const series of result.data) {
      const tenantId = series.metric[this.config.tenantLabel];
      if (tenantId === undefined) throw fail(`returned a series without the ${this.config.tenantLabel} label (${JSON.stringify(series.metric)}); group the query by ${this.config.tenantLabel}`);
      if (values.has(tenantId)) throw fail(`returned more than one series for tenant ${tenantId}; aggregate with sum by (${this.config.tenantLabel})`);
      const value = Number(series.value[1]);
      // NaN comes from a division over an empty window: no data, not zero.
      if (!Number.isNaN(value)) values.set(tenantId, value);
    }
    return values;
  }
}
