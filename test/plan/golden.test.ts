import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildPlan, type PlanInput } from '../../shared/plan/build';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';

/**
 * Speed work on the planner (memoised thresholds, shared reason strings, precomputed touched
 * configurations) must not change a byte of the plan. These digests are the JSON of the plans
 * as built before that work; a change in behaviour or wording shows up here and must be
 * deliberate (update the digest in the same commit as the wording, and say why).
 * Regenerated on purpose with rule-split sub-waves in side-by-side lanes, no soak between
 * sub-waves of a stage, and gold/platinum lane waves after the stage's standard-SLA ones; and
 * again with gold/platinum tenants behind their standard-SLA look-alikes (shield, premium canaries,
 * growth sub-waves standard-SLA first); and again when growth sub-waves a freeze left short
 * started taking their size back from the growth sub-waves after them (tenants exercising what
 * the moved-out ones did first); again when plans started to carry their health floor; and again
 * when tenants joining or moving into a scheduled wave had to keep its start on the calendar, and
 * when a wave's start began to be chosen for the members its freezes leave in it; again when gold
 * and platinum tenants began to wait for a standard-SLA look-alike a freeze moved to a catch-up
 * wave (catch-up waves now put standard-SLA tenants first); again when a wave's start became
 * the first slot that suits the members staying in it, found by one search later each time (it
 * gave up after four rounds, going back and forth between time zones); again when "moved out of"
 * notes began to name the part of the wave the move was judged on (its monitoring window, or with
 * its soak) and to say "as timed then" when the wave was timed again afterwards (a quarter of them
 * showed an interval the plan's wave no longer had; plans otherwise identical); again when notes
 * naming a sub-wave every member left (so the plan drops it) began to say what it was, its stage,
 * kind and lane, instead of "its first planned sub-wave", which no wave of the plan is (wording
 * only: the new phrase put back gives the old plans byte for byte); again when a missed
 * deadline's warning began to name what weekend starts and round-the-clock starts would be worth
 * (the deadline case only; its plan is otherwise identical); again when only the low growth
 * sub-waves holding coverage picks said so (every one did, picks or not) and a stage's later growth
 * sub-waves began to say they are its next growth step after the one before, instead of "the
 * stage starts small" (wave reasons only); again when a tenant moved up into a growth sub-wave
 * left short began to name who left it short and why (a freeze, a look-alike, a move up into an
 * earlier sub-wave) instead of "a freeze or an earlier move" (that note only); again when gold and
 * platinum lane waves and premium canaries began to name the SLA classes their members have ("1
 * low-risk gold tenant", "premium canary (1): a platinum tenant") instead of "gold and platinum"
 * for every one (wave reasons only); again when summaries and member reasons began to print a
 * score with one decimal, as the table does ("scores 17.0", "(score 17.0)"; a whole-number score
 * printed "17"; nothing else changed); again when the regime "other" began to read "another
 * regime" (the example fleet's two tenants with it, regulated factor and summary only); again
 * when a coverage note on a configuration only one tenant uses began to say "1 high-tier tenant
 * uses it", not "tenants use it" (the ledger case's note only); again when a lane's last wave in
 * a round before the stage's last stopped soaking (the next round starts once it is monitored and
 * its waves soak in full afterwards, so the next stage still waits for every wave's monitoring
 * and soak; the bench 2k plan soaks 45 waves instead of 118, and a tenant whose freeze the old
 * soak reached stays in its wave) and catch-up waves began to start once their stage's waves have
 * been monitored rather than after the stage's soak (the three generated-fleet cases with lanes;
 * the example fleet and the case without lanes are unchanged); again when every wave began to
 * carry `soakReason`, why its soak is as long as it is (shared/plan/soak.ts, from the cause the
 * timeline records: the stage gate, a wave left last by freeze moves, a catch-up lane's last, or
 * the later wave or round a 0 s wave leads into): a new field only, with it removed every case
 * gives its earlier digest byte for byte; again when a never-together resolution for a tenant now
 * in a catch-up wave stopped saying the rule sent it there ("goes to w3g instead of sharing a
 * wave with …" for the catch-up wave a freeze moved it into): conflicts' resolution text only;
 * again when soak reasons began to say "its lane" rather than name it (the row names it), so a
 * plan has a few shared reasons rather than one string per wave: soakReason text only; again when
 * a rule's side-by-side sub-wave and its conflict's resolution began to say that both waves'
 * tenants are exposed in the same hours (wave reasons and resolutions only: with the old phrases
 * put back, the example and bench cases give their earlier digests byte for byte).
 * Again when coverage picks began to take only low-stakes tenants (shared/plan/stakes.ts: the example
 * fleet's gold cobalt-freight, once pulled into w2b to cover complex tenants, now waits in the low
 * stage's gold and platinum round, and w2c grows by one), the coverage section began to count
 * only low-stakes members of early, non-catch-up waves and to say which kinds of high-stakes
 * tenants use a configuration none can cover, a coverage pick a freeze sent to catch-up began to
 * say it no longer exercises its targets early, and a note naming a dropped side-by-side sub-wave
 * began to name it by its never-together rule rather than by a lane no wave of the plan shows (the
 * generated-fleet cases: those notes and, for the ledger case, one high-stakes pilot member fewer
 * in a coverage note; their picks were low-stakes already; the deadline case is unchanged); the
 * example cases again when those kinds began to read "2 anchor accounts", not "2 anchor account".
 * The two changes together give digests that, with the side-by-side phrases put back as they
 * were, are those of the coverage change alone.
 * Not regenerated when a tenant the timeline holds (its freeze past the deadline) began to be
 * held in its profile too under `freeze-past-horizon`, nor when thresholds began to say a baseline
 * was assumed (`baselineAssumed`): no case here has such a tenant (every example and generated
 * tenant has a baseline, and none is held by the timeline), and every digest stayed byte for byte.
 * Regenerated, wording only, when a side-by-side sub-wave of a rule left at the default stopped
 * saying "(the rule's sideBySide: false runs them one after another)" and began to say what
 * setting it would do, a resolution began to join the tenants a rule kept apart with "and" before
 * the last, a growth sub-wave holding coverage picks began to promise early coverage only of what a
 * low-stakes low-risk tenant can exercise, and coverage notes began to say "outside the pilot"
 * (not "on customer tenants") and to end in finished clauses ("…, since only high-stakes tenants
 * use it (…); of them, X exercises it first, in w2e (low), where the plan placed it …"): with the
 * old phrases put back, all six cases give their earlier digests byte for byte. (The new reason
 * of a tenant held under `freeze-past-horizon` and the new wording for rules with sideBySide: false
 * or true reach no case here.)
 * Again when the side-by-side sentence of a conflict's resolution moved into its rule's shared
 * lead, "at most one anchor account per wave (the waves it splits run side by side here, …): …",
 * instead of a rope part after each resolution (resolution text only; 0.3 MB of plan heap at 100k).
 */
const asOf = '2026-12-04T08:00:00Z';
const fleetAsOf = '2026-03-02T08:00:00Z';

function example(file: string) {
  const r = parseTenants(readFileSync(`examples/${file}`, 'utf8'), { filename: file, asOf });
  if (!r.ok) throw new Error(`examples/${file}: ${JSON.stringify(r.errors)}`);
  return r.tenants;
}
function feature(file: string) {
  const r = parseFeature(readFileSync(`examples/${file}`, 'utf8'), { filename: file });
  if (!r.ok) throw new Error(`examples/${file}: ${JSON.stringify(r.errors)}`);
  return r.feature;
}

const fleet = example('fleet.yaml');
const smart = feature('feature-smart-routing.yaml');
const ledger = feature('feature-ledger-migration.yaml');
const generated = generateFleet(2_000, 7, { asOf: fleetAsOf });

const cases: [string, () => PlanInput, string][] = [
  ['example fleet, smart routing', () => ({ tenants: fleet, feature: smart, asOf }), '4bc6f5c0dea1dd68f8843b9bca5568bc608cfe442632789dc4602fdcb12a191f'],
  ['example fleet, ledger migration', () => ({ tenants: fleet, feature: ledger, asOf }), 'fa44afae35e0497fc899fd1ed4ae09144aead588c759c4c3d0e21b3ffd1dfb12'],
  ['generated 2k fleet, bench feature', () => ({ tenants: generated, feature: benchFeature(), asOf: fleetAsOf }), '389a492359cdd7cadd4cbe0a2833dbf5fbf2f0230d2b2b8ab47611713cfb12f2'],
  ['generated 2k fleet, ledger migration', () => ({ tenants: generated, feature: ledger, asOf: fleetAsOf }), '5c1d7c747796890266e488d79e416f2911bb2a42a0180c6e196450153e8f615f'],
  ['generated 2k fleet, deadline, moderate rollback, no lanes', () => ({
    tenants: generated,
    feature: benchFeature({ deadline: '2026-04-01T00:00:00Z', rollback: { complexity: 'moderate', how: 'flag off, then replay the queue', reversible: true } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: false, key: 'region' } },
  }), '5f7ee7102b593e701ecf12c51cd61fc16f476007dc84314495967825fec12329'],
  ['generated 2k fleet, seconds-long waves, time-zone lanes, lessons', () => ({
    tenants: generated,
    feature: benchFeature({ durations: { monitoringWindowSeconds: 5, soakSeconds: 3, sampleIntervalSeconds: 1, noticeLeadSeconds: 0 } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: true, key: 'timeZone' } },
    adjustments: generated.slice(0, 50).map((t, i) => ({ tenantId: t.id, points: (i % 7) * 5 - 10, reason: `lesson ${i}`, rolloutId: 'r-1', at: fleetAsOf })),
  }), '14260a12ac0522e3b76c118a73558d447ebdb8402d3e3f72ca9c49c6513cd7a1'],
];

describe('plan JSON stays byte-identical', () => {
  it.each(cases)('%s', (_, input, digest) => {
    const json = JSON.stringify(buildPlan(input()));
    expect(createHash('sha256').update(json).digest('hex')).toBe(digest);
  });
});
