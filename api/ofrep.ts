/**
 * OpenFeature Remote Evaluation Protocol (OFREP v1) over the built-in flag store, so any
 * OpenFeature SDK with the OFREP provider reads per-tenant rollout flags: `targetingKey` is the
 * tenant id. Spec: github.com/open-feature/protocol, service/openapi.yaml.
 *
 * The router reads its own body, so a malformed one becomes an OFREP PARSE_ERROR instead of the
 * app's generic JSON error; mount it before (or instead of) a global express.json().
 */
import { createHash } from 'node:crypto';
import express from 'express';
import type { BuiltinFlagProvider } from '../activities/flags/builtin';

type ErrorCode = 'PARSE_ERROR' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT' | 'FLAG_NOT_FOUND';

class OfrepRequestError extends Error {
  constructor(readonly errorCode: ErrorCode, readonly errorDetails: string, readonly status: 400 | 404 = 400) {
    super(errorDetails);
  }
}

/** The tenant the request evaluates for, from `{ context: { targetingKey } }`. */
function targetingKey(body: unknown): string {
  let parsed = body;
  if (typeof body === 'string') {
    if (body.trim() === '') throw new OfrepRequestError('TARGETING_KEY_MISSING', 'the request has no body; send { "context": { "targetingKey": "<tenant id>" } }');
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      throw new OfrepRequestError('PARSE_ERROR', `the request body is not valid JSON (${(e as Error).message})`);
    }
  }
  if (parsed === undefined || parsed === null) {
    throw new OfrepRequestError('TARGETING_KEY_MISSING', 'the request has no body; send { "context": { "targetingKey": "<tenant id>" } }');
  }
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new OfrepRequestError('INVALID_CONTEXT', 'the request body must be a JSON object with a "context" object');
  const context = (parsed as { context?: unknown }).context;
  if (context !== undefined && (typeof context !== 'object' || context === null || Array.isArray(context))) {
    throw new OfrepRequestError('INVALID_CONTEXT', '"context" must be an object');
  }
  const key = (context as { targetingKey?: unknown } | undefined)?.targetingKey;
  if (key === undefined || key === null || key === '') {
    throw new OfrepRequestError('TARGETING_KEY_MISSING', 'context.targetingKey is required: it is the tenant id the flag is evaluated for');
  }
  if (typeof key !== 'string') throw new OfrepRequestError('INVALID_CONTEXT', 'context.targetingKey must be a string (the tenant id)');
  return key;
}

function etagOf(json: string): string {
  return `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === etag || t === '*');
}

export function ofrepRouter(flags: BuiltinFlagProvider): express.Router {
  const router = express.Router();
  // Text, not JSON: a broken body must reach the handler to be answered as PARSE_ERROR.
  const body = express.text({ type: () => true, limit: '64kb' });

  router.post('/ofrep/v1/evaluate/flags/:key', body, async (req, res) => {
    const key = req.params.key;
    try {
      const tenantId = targetingKey(req.body);
      const evaluation = await flags.evaluate(key, tenantId);
      if (!evaluation) throw new OfrepRequestError('FLAG_NOT_FOUND', `no flag '${key}' in the Ringmaster flag store`, 404);
      res.json(evaluation);
    } catch (e) {
      if (!(e instanceof OfrepRequestError)) throw e;
      res.status(e.status).json({ key, errorCode: e.errorCode, errorDetails: e.errorDetails });
    }
  });

  router.post('/ofrep/v1/evaluate/flags', body, async (req, res) => {
    let tenantId: string;
    try {
      tenantId = targetingKey(req.body);
    } catch (e) {
      if (!(e instanceof OfrepRequestError)) throw e;
      res.status(e.status).json({ errorCode: e.errorCode, errorDetails: e.errorDetails });
      return;
    }
    const json = JSON.stringify({ flags: await flags.evaluateAll(tenantId) });
    const etag = etagOf(json);
    res.setHeader('ETag', etag);
    if (matchesEtag(req.get('If-None-Match'), etag)) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(json);
  });

  // OFREP's general error shape for anything unexpected (a broken store row, a closed database).
  router.use('/ofrep/v1', ((err, _req, res, _next) => {
    res.status(500).json({ errorDetails: typeof err?.message === 'string' ? err.message : String(err) });
  }) as express.ErrorRequestHandler);

  return router;
}
