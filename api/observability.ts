/**
 * Request ids, structured request logs and the API's own Prometheus metrics.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The default registry is process-wide: several apps in one process (tests) share one set of metrics. */
function requestHistogram(): Histogram<'method' | 'route' | 'status'> {
  const name = 'ringmaster_api_request_duration_seconds';
  const existing = register.getSingleMetric(name) as Histogram<'method' | 'route' | 'status'> | undefined;
  if (existing) return existing;
  collectDefaultMetrics();
  return new Histogram({
    name,
    help: 'API request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
}

export function requestLogging(logger: Logger = pino({ name: 'ringmaster-api' })): RequestHandler {
  return pinoHttp({
    logger,
    // A caller's id is kept (so one id follows a request across services); otherwise we mint one.
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

export function requestMetrics(): RequestHandler {
  const histogram = requestHistogram();
  return (req, res, next) => {
    const end = histogram.startTimer();
    res.on('finish', () => {
      // The route pattern, not the URL: ids in paths would make one series per rollout.
      const routePath = (req.route?.path as string | undefined) ?? 'unmatched';
      end({ method: req.method, route: `${req.baseUrl}${routePath}`, status: String(res.statusCode) });
    });
    next();
  };
}

export async function prometheusText(): Promise<{ contentType: string; text: string }> {
  return { contentType: register.contentType, text: await register.metrics() };
}
