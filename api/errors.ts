/**
 * One error shape for every client-visible failure, and the mapping from what libraries throw
 * (body-parser, zod, Temporal, the store) to it. Anything a client sent that we cannot use is a
 * 4xx with a reason; a 500 means a bug on our side and is logged as one.
 */
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import {
  WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, isGrpcDeadlineError, isGrpcServiceError,
} from '@temporalio/client';
import {
  InvalidStoredFeaturesError, InvalidStoredTenantsError, NoticeStateError, StoreInputError, type InvalidStoredFeature, type InvalidStoredTenant,
} from '../activities/store/records';
import { expectationOf } from '../shared/import/errors';

export interface Issue {
  path: string;
  message: string;
  /** 1-based line of an imported document, when the issue comes from one. */
  line?: number;
  column?: string;
}

export const ErrorBody = z.strictObject({
  error: z.string().describe('Stable machine-readable code, e.g. validation-failed, not-found, conflict'),
  message: z.string().describe('What went wrong, in plain words'),
  issues: z.array(z.object({
    path: z.string(),
    message: z.string(),
    line: z.number().int().optional(),
    column: z.string().optional(),
  })),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
    /** Extra fields for the body, e.g. the whole import report. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): ErrorBody & Record<string, unknown> {
    return { error: this.code, message: this.message, issues: this.issues, ...this.extra };
  }
}

/**
 * A 409 for stored tenants that no longer validate (saved before a stricter check): the request
 * is fine, the registry is not. Each issue's path is the field inside the tenant, its message
 * names the tenant; `invalidTenants` lists every such tenant with its issues and how to fix it.
 */
export function storedTenantsInvalid(invalid: InvalidStoredTenant[], extra: Record<string, unknown> = {}): ApiError {
  return storedRecordsInvalid('tenant', new InvalidStoredTenantsError(invalid), invalid.map((t) => ({ name: t.id, issues: t.issues })), { invalidTenants: invalid, ...extra });
}

/**
 * The same 409 for a stored feature that no longer validates (`stored-feature-invalid`): each
 * issue's path is the field inside the feature, `invalidFeatures` lists it with its issues and fix.
 */
export function storedFeaturesInvalid(invalid: InvalidStoredFeature[], extra: Record<string, unknown> = {}): ApiError {
  return storedRecordsInvalid('feature', new InvalidStoredFeaturesError(invalid), invalid.map((f) => ({ name: f.key, issues: f.issues })), { invalidFeatures: invalid, ...extra });
}

function storedRecordsInvalid(noun: 'tenant' | 'feature', error: Error, records: { name: string; issues: Issue[] }[], extra: Record<string, unknown>): ApiError {
  const issues = records.flatMap((r) => r.issues.map((i) => ({ path: i.path, message: `${noun} ${r.name}: ${i.message}` })));
  return new ApiError(409, `stored-${noun}-invalid`, error.message, issues, extra);
}

export const notFound = (what: string): ApiError => new ApiError(404, 'not-found', `${what} does not exist`);
export const conflict = (message: string): ApiError => new ApiError(409, 'conflict', message);

export function zodIssues(error: z.ZodError, prefix?: string): Issue[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)',
    // A union says only "Invalid input"; name what each of its shapes wanted.
    message: i.code === 'invalid_union' && i.message === 'Invalid input' ? `Invalid input: expected ${expectationOf(i)}` : i.message,
  }));
}

export function validationError(error: z.ZodError, where: 'body' | 'query' | 'params'): ApiError {
  const issues = zodIssues(error, where);
  const first = issues[0];
  return new ApiError(400, 'validation-failed', `invalid request ${where}: ${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, issues);
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
  /** The raw body, on a parse failure. */
  body?: string;
}

/**
 * What a body that is JSON but neither an object nor an array is: the strict parser refuses it
 * with a SyntaxError, which must not be reported as invalid JSON.
 */
function nonObjectJson(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  return value === null ? 'null' : `a ${typeof value}`;
}

/** The error a library threw, as an ApiError; undefined when it is ours to fix (a 500). */
export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) return validationError(err, 'body');
  const bp = err as BodyParserError;
  switch (bp?.type) {
    case 'entity.parse.failed': {
      const got = nonObjectJson(bp.body);
      if (got) {
        const message = `expected a JSON object, got ${got}`;
        return new ApiError(400, 'validation-failed', `invalid request body: body: ${message}`, [{ path: 'body', message }]);
      }
      return new ApiError(400, 'malformed-json', `the request body is not valid JSON: ${bp.message}`);
    }
    case 'entity.too.large':
      return new ApiError(413, 'payload-too-large', `the request body is larger than the limit of ${bp.limit} bytes for this endpoint`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported-media-type', bp.message);
    case 'request.aborted':
      return new ApiError(400, 'request-aborted', 'the client closed the connection before the body arrived');
  }
  if (err instanceof WorkflowNotFoundError) return new ApiError(404, 'not-found', `workflow ${err.workflowId} does not exist or is no longer running`);
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return new ApiError(409, 'conflict', `a rollout with id ${err.workflowId} already exists; choose another rolloutId`);
  }
  if (err instanceof WorkflowUpdateFailedError) {
    // A validator rejection or a failed handler: the workflow's own words are the reason.
    return new ApiError(409, 'decision-rejected', err.cause?.message ?? err.message);
  }
  if (err instanceof InvalidStoredTenantsError) return storedTenantsInvalid(err.invalid);
  if (err instanceof InvalidStoredFeaturesError) return storedFeaturesInvalid(err.invalid);
  if (err instanceof NoticeStateError) return new ApiError(409, 'conflict', err.message);
  if (err instanceof StoreInputError) return new ApiError(400, 'validation-failed', err.message);
  if (isGrpcDeadlineError(err)) {
    return new ApiError(503, 'temporal-timeout', 'Temporal did not answer in time: is it reachable, and is a Ringmaster worker running for this task queue?');
  }
  if (isGrpcServiceError(err) && err.code === 14) {
    return new ApiError(503, 'temporal-unavailable', `cannot reach Temporal: ${err.details || err.message}`);
  }
  return undefined;
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const apiError = toApiError(err);
  if (apiError) {
    if (apiError.status >= 500) req.log?.warn({ err }, apiError.message);
    res.status(apiError.status).json(apiError.body());
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  res.status(500).json({ error: 'internal', message: 'an internal error occurred; the request id in X-Request-Id finds it in the logs', issues: [] });
};
