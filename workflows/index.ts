// The worker bundles this file: every workflow type Ringmaster runs.
export { rolloutWorkflow } from './rollout';
export { waveWorkflow } from './wave';
