import { z } from 'zod';
import type { AppStore } from '../../activities/store/types';
import { PREVIEW } from '../../activities/store/types';
import type { Feature } from '../../shared/model/feature';
import { Plan } from '../../shared/model/plan';
import type { Tenant } from '../../shared/model/tenant';
import { buildPlan } from '../../shared/plan/build';
import { withNoticeReview } from '../../shared/monitoring/durations';
import { defaultPlanConfig, withCalendarAndLanes } from '../../shared/plan/config';
import { renderPlan, type RenderContext } from '../../shared/plan/render';
import { deadlinePassed } from '../../shared/plan/warnings';
import { ApiError, notFound, storedFeaturesInvalid, storedTenantsInvalid } from '../errors';
import { can } from '../roles';
import { route, type RouteResult } from '../route';
import { PlanFormat, PlanPreviewBody } from '../schemas';

/**
 * The tenants a plan is for: the named ones (every id must exist) or the whole registry. A stored
 * tenant among them that no longer validates is a 409 naming it, its fields and the fix: leaving
 * it out silently would plan (and roll out) without a tenant the caller asked for.
 */
export async function tenantsFor(store: AppStore, ids: string[] | undefined): Promise<Tenant[]> {
  const { tenants, invalid } = await store.readTenants(ids);
  if (invalid.length > 0) throw storedTenantsInvalid(invalid);
  if (ids) {
    const found = new Set(tenants.map((t) => t.id));
    const missing = [...new Set(ids)].filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new ApiError(400, 'unknown-tenants', `${missing.length} tenant id${missing.length === 1 ? ' is' : 's are'} not in the registry: ${missing.slice(0, 10).join(', ')}`,
        missing.map((id) => ({ path: 'body.tenantIds', message: `unknown tenant ${id}` })));
    }
  }
  if (tenants.length === 0) throw new ApiError(409, 'no-tenants', 'the tenant registry is empty; import tenants first (POST /api/v1/tenants/import)');
  return tenants;
}

/** The stored feature; a 409 stored-feature-invalid naming its fields and the fix when it no longer validates. */
export async function storedFeature(store: AppStore, key: string): Promise<Feature> {
  const { features: [feature], invalid } = await store.readFeatures([key]);
  if (invalid.length > 0) throw storedFeaturesInvalid(invalid);
  if (!feature) throw notFound(`feature ${key} (POST /api/v1/features to describe it)`);
  return feature;
}

/** A 422 when the feature's deadline is not after the planning instant (the CLI exits 2 for it). */
export function assertDeadlineAhead(feature: Feature, asOf: string, stored: boolean): void {
  const passed = deadlinePassed(feature, asOf);
  if (!passed) return;
  const fix = stored ? `; PUT /api/v1/features/${feature.key} with a later deadline, or without one` : '';
  throw new ApiError(422, 'invalid-feature', `feature ${feature.key}: ${passed}`, [{ path: stored ? 'deadline' : 'body.feature.deadline', message: `${passed}${fix}` }]);
}

/** The plan as the CLI prints it: the same renderer (and readiness preview) for every format. */
export function planResult(plan: Plan, format: z.infer<typeof PlanFormat>, context?: RenderContext): RouteResult {
  const text = renderPlan(plan, format, context);
  const contentType = format === 'json' ? 'application/json' : format === 'markdown' ? 'text/markdown; charset=utf-8' : 'text/plain; charset=utf-8';
  return { body: text, contentType };
}

export const planRoutes = [
  route({
    method: 'post', path: '/api/v1/plans/preview', operationId: 'previewPlan', tag: 'plans',
    summary: 'Score the tenants and build the wave plan for a feature, without starting anything',
    description: 'The same output as `ringmaster plan`: JSON (default), markdown or the text table. The profiles are kept as the tenants\' "preview" risk profile.',
    roles: can.preview, action: 'preview plans', body: PlanPreviewBody,
    responses: {
      200: { description: 'The plan (application/json; text/markdown or text/plain for the other formats)', schema: Plan },
      404: { description: 'Unknown feature' },
      409: { description: 'The registry has no tenants (`no-tenants`), a stored tenant of the plan no longer validates (`stored-tenant-invalid`, naming each tenant, field and fix), or the stored feature does not (`stored-feature-invalid`)' },
      422: { description: 'The feature\'s deadline has already passed' },
    },
    async handler({ body, deps }) {
      const feature = withNoticeReview(body.feature ?? (await storedFeature(deps.store, body.featureKey as string)), deps.noticeReviewSeconds);
      const tenants = await tenantsFor(deps.store, body.tenantIds);
      const asOf = body.asOf ?? new Date().toISOString();
      assertDeadlineAhead(feature, asOf, body.feature === undefined);
      const adjustments = await deps.store.getRiskAdjustments(tenants.map((t) => t.id));
      const config = withCalendarAndLanes(body.planConfig ?? defaultPlanConfig, { calendar: body.calendar, lanes: body.lanes });
      const plan = buildPlan({ tenants, feature, asOf, adjustments, config });
      await deps.store.putRiskProfiles(PREVIEW, plan.profiles, asOf);
      return planResult(plan, body.format, { tenants, feature, calendar: config.calendar });
    },
  }),
];
