import fc from 'fast-check';
import { jsonPieces } from '../../shared/json-pieces';
import { renderPlan } from '../../shared/plan/render';
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
