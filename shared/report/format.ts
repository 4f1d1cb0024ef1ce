/** Number formats the reports share; the risk formats (pct, duration, plural) come from ../risk/format. */

/** A difference of two ratios in percentage points: 0.026 → "+2.60 pp". */
export function pp(delta: number): string {
  return `${signed(delta * 100, 2)} pp`;
}

/** A figure that rounds to zero has no sign to show: −0.001 is "+0.00", not "−0.00". */
function signed(n: number, digits: number): string {
  const magnitude = Math.abs(n).toFixed(digits);
  return `${n < 0 && Number(magnitude) !== 0 ? '−' : '+'}${magnitude}`;
}

export function fixed(n: number, digits = 2): string {
  return n.toFixed(digits);
}

/** A signed figure with a real minus sign, so "−5.9" reads like the "−3.5" it is compared with. */
export function signedFixed(n: number, digits = 1): string {
  return signed(n, digits);
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A markdown table cell: pipes and newlines would break the row. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
