import { pp, signedFixed } from '../../shared/report/format';

describe('report number formats', () => {
  it('sign a difference with a real minus sign', () => {
    expect(pp(0.026)).toBe('+2.60 pp');
    expect(pp(-0.0011)).toBe('−0.11 pp');
    expect(signedFixed(-5.94)).toBe('−5.9');
  });

  it('a difference that rounds to zero is not shown as a negative zero', () => {
    // the demo's health report said "0.40 % vs 0.40 % usual baseline (−0.00 pp)"
    expect(pp(-0.00001)).toBe('+0.00 pp');
    expect(pp(0)).toBe('+0.00 pp');
    expect(signedFixed(-0.04)).toBe('+0.0');
  });
});
