import { readFileSync } from 'node:fs';
import { buildPlan } from '../../shared/plan/build';
import { renderPlan } from '../../shared/plan/render';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';

/**
 * GET /api/v1/rollouts/{id}/plan?format=markdown|table renders the readiness preview of a running
 * rollout: it must count the notices the rollout has sent, not say "notice not sent yet" for
 * every tenant after the rollout sent them all.
 */
describe('readiness preview of a running rollout', () => {
  const asOf = '2026-12-04T08:00:00Z';
  const tenants = parseTenants(readFileSync('examples/fleet.yaml', 'utf8'), { filename: 'fleet.yaml', asOf }).tenants;
  const parsed = parseFeature(readFileSync('examples/feature-smart-routing.yaml', 'utf8'), { filename: 'f.yaml' });
  if (!parsed.ok) throw new Error('example feature');
  const feature = parsed.feature;
  const plan = buildPlan({ tenants, feature, asOf });
  const w1a = plan.waves[0];
  const [first, second] = w1a.members.map((m) => m.tenantId);
  const name = (id: string) => tenants.find((t) => t.id === id)!.name;

  it('a preview assumes no notice is sent', () => {
    const text = renderPlan(plan, 'table', { tenants, feature });
    expect(text).toContain('Readiness checklist preview (notices assumed not yet sent)');
    expect(text).toMatch(new RegExp(`${name(first)} in w1a: needs-review \\(notice-lead-time review\\)`));
  });

  it('a rollout\'s plan counts the notices sent so far', () => {
    const sentAt = new Map([[first, '2026-12-04T09:00:00.000Z']]);
    const text = renderPlan(plan, 'table', { tenants, feature, notices: { sentAt, asOf: '2026-12-04T10:00:00.000Z' } });
    expect(text).toContain('Readiness checklist preview (notices as sent by 2026-12-04T10:00:00.000Z)');
    expect(text).not.toMatch(new RegExp(`${name(first)} in w1a: needs-review`));
    expect(text).toMatch(new RegExp(`${name(second)} in w1a: needs-review \\(notice-lead-time review\\)`));
    expect(text).toContain('w1a   1 go, 1 needs review, 0 no-go');
  });
});
