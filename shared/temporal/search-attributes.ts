import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes make rollouts findable in the Temporal UI, e.g.
// RolloutStatus = 'AWAITING_APPROVAL' lists every rollout waiting for a person.
export const RolloutFeature = defineSearchAttributeKey('RolloutFeature', SearchAttributeType.KEYWORD);
export const RolloutStatus = defineSearchAttributeKey('RolloutStatus', SearchAttributeType.KEYWORD);
export const RolloutWave = defineSearchAttributeKey('RolloutWave', SearchAttributeType.INT);

/** Name → CLI type, as `temporal server start-dev --search-attribute NAME=Type` wants it. */
export const rolloutSearchAttributeTypes: Record<string, 'Keyword' | 'Int'> = {
  [RolloutFeature.name]: 'Keyword',
  [RolloutStatus.name]: 'Keyword',
  [RolloutWave.name]: 'Int',
};
