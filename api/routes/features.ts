import type { Request } from 'express';
import { z } from 'zod';
import type { AppStore } from '../../activities/store/types';
import { Feature } from '../../shared/model/feature';
import { parseFeature } from '../../shared/import/feature';
import { ApiError, notFound, storedFeaturesInvalid } from '../errors';
import { can } from '../roles';
import { route } from '../route';
import { FeatureKeyParams, FeatureList } from '../schemas';

const FeatureDocument = z.string().min(1, 'the body is empty; send the feature description (YAML or JSON) as the request body');
const FEATURE_TYPES = ['application/yaml', 'application/json', 'text/yaml', 'text/plain'];

/** A feature from YAML or JSON text, or a 422 whose issues name the line of each problem. */
function readFeature(text: string, req: Request): Feature {
  const parsed = parseFeature(text, { filename: req.is('application/json') ? 'feature.json' : undefined });
  if (parsed.ok) return parsed.feature;
  const issues = parsed.errors.map((e) => ({ path: e.field, message: e.message, line: e.line }));
  throw new ApiError(422, 'invalid-feature', `the feature description has ${issues.length} problem${issues.length === 1 ? '' : 's'}; first: ${issues[0]?.message}`, issues);
}

/** Whether a feature with this key is stored, whether or not its document still validates. */
async function stored(store: AppStore, key: string): Promise<boolean> {
  return (await store.getStoredFeatureDocument(key)) !== undefined;
}

export const featureRoutes = [
  route({
    method: 'get', path: '/api/v1/features', operationId: 'listFeatures', tag: 'features',
    summary: 'Every stored feature', roles: can.read, action: 'list features',
    responses: { 200: { description: 'Features; stored features that no longer validate are listed under `invalid` with the fix', schema: FeatureList } },
    async handler({ deps }) {
      return { body: await deps.store.readFeatures() };
    },
  }),
  route({
    method: 'post', path: '/api/v1/features', operationId: 'createFeature', tag: 'features',
    summary: 'Describe a new feature (YAML or JSON body, e.g. examples/feature-smart-routing.yaml)',
    roles: can.manageRegistry, action: 'create features', body: FeatureDocument, bodyKind: 'document', documentTypes: FEATURE_TYPES,
    responses: {
      201: { description: 'Created', schema: Feature },
      409: { description: 'A feature with this key exists; PUT replaces it' },
      422: { description: 'The description is invalid; issues carry line numbers' },
    },
    async handler({ body, deps, req }) {
      const feature = readFeature(body, req);
      if (await stored(deps.store, feature.key)) {
        throw new ApiError(409, 'conflict', `feature ${feature.key} already exists; PUT /api/v1/features/${feature.key} replaces it`);
      }
      await deps.store.putFeature(feature);
      return { status: 201, body: feature, headers: { Location: `/api/v1/features/${feature.key}` } };
    },
  }),
  route({
    method: 'put', path: '/api/v1/features/{key}', operationId: 'putFeature', tag: 'features',
    summary: 'Create or replace a feature; the key in the body must match the path',
    description: 'Also repairs a stored feature that no longer validates (409 `stored-feature-invalid`): send the whole description again with the fields it names corrected.',
    roles: can.manageRegistry, action: 'update features', params: FeatureKeyParams, body: FeatureDocument, bodyKind: 'document', documentTypes: FEATURE_TYPES,
    responses: {
      200: { description: 'Replaced', schema: Feature },
      201: { description: 'Created', schema: Feature },
      422: { description: 'The description is invalid; issues carry line numbers' },
    },
    async handler({ params, body, deps, req }) {
      const feature = readFeature(body, req);
      if (feature.key !== params.key) {
        throw new ApiError(400, 'validation-failed', `the body describes feature ${feature.key} but the path says ${params.key}`, [{ path: 'body.key', message: `expected "${params.key}"` }]);
      }
      // A stored feature that no longer validates exists too: this PUT is how it is repaired.
      const existed = await stored(deps.store, feature.key);
      await deps.store.putFeature(feature);
      return { status: existed ? 200 : 201, body: feature };
    },
  }),
  route({
    method: 'get', path: '/api/v1/features/{key}', operationId: 'getFeature', tag: 'features',
    summary: 'One feature', roles: can.read, action: 'read features', params: FeatureKeyParams,
    responses: {
      200: { description: 'The feature', schema: Feature },
      409: { description: 'The stored feature no longer validates (`stored-feature-invalid`): the body names each field, what is wrong, how to fix it, and carries the stored document as `stored`' },
    },
    async handler({ params, deps }) {
      const { features: [feature], invalid } = await deps.store.readFeatures([params.key]);
      if (invalid.length > 0) throw storedFeaturesInvalid(invalid, { stored: await deps.store.getStoredFeatureDocument(params.key) });
      if (!feature) throw notFound(`feature ${params.key}`);
      return { body: feature };
    },
  }),
];
