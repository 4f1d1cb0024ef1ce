import fc from 'fast-check';
import { jsonPieces } from '../../shared/json-pieces';
import { renderPlan, renderPlanPieces } from '../../shared/plan/render';
import { buildPlan } from '../../shared/plan/build';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';

const asOf = '2026-03-02T08:00:00Z';
const joined = (value: unknown) => [...jsonPieces(value)].join('');

describe('JSON in pieces', () => {
  // What JSON.stringify treats apart: values with no JSON text, dates (toJSON), line breaks in strings.
  const odd = fc.oneof(fc.constant(undefined), fc.constant(() => 1), fc.constant(Symbol('s')), fc.date({ noInvalidDate: true }), fc.constant('two\nlines'));
  const field = fc.oneof(fc.jsonValue(), odd, fc.array(fc.oneof(fc.jsonValue(), odd)), fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), odd)));

  it('joined, is JSON.stringify(value, null, 2) exactly, for any object, list or value', () => {
    fc.assert(fc.property(fc.oneof(fc.dictionary(fc.string(), field), field), (value) => {
      const expected = JSON.stringify(value, null, 2);
      expect(joined(value)).toBe(expected ?? '');
    }), { numRuns: 2_000 });
  });

  it.each([
    ['an empty object', {}],
    ['only fields JSON leaves out', { a: undefined, b: () => 1 }],
    ['an empty list field', { waves: [], n: 1 }],
    ['a list of lists', { a: [[1, [2, {}]], [], [{ b: [] }]] }],
  ])('%s', (_, value) => expect(joined(value)).toBe(JSON.stringify(value, null, 2)));

  it('renders a generated plan as JSON.stringify does, one piece per profile and wave', () => {
    const plan = buildPlan({ tenants: generateFleet(2_000, 7, { asOf }), feature: benchFeature(), asOf });
    expect(renderPlan(plan, 'json')).toBe(`${JSON.stringify(plan, null, 2)}\n`);
    expect([...jsonPieces(plan)].length).toBeGreaterThan(plan.profiles.length + plan.waves.length);
  });
});

describe('table and markdown in pieces', () => {
  const tenants = generateFleet(3_000, 7, { asOf });
  const feature = benchFeature();
  const plan = buildPlan({ tenants, feature, asOf });

  // A whole section held as text (a 100k plan's member rows are ~40 MB) is what writing in pieces avoids.
  it.each(['table', 'markdown'] as const)('%s: no piece holds more than a thousand lines, and every line ends in its piece', (format) => {
    const pieces = [...renderPlanPieces(plan, format, { tenants, feature })];
    const lines = (p: string) => p.split('\n').length - 1;
    expect(pieces.every((p) => p.endsWith('\n'))).toBe(true);
    expect(Math.max(...pieces.map(lines))).toBeLessThanOrEqual(1_000 + 4);
    const members = plan.waves.reduce((n, w) => n + w.members.length, 0);
    expect(pieces.reduce((n, p) => n + lines(p), 0)).toBeGreaterThan(members + plan.profiles.length);
  });
});
