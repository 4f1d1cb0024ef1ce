/** Number formats the reports share; the risk formats (pct, duration, plural) come from ../risk/format. */

/** A difference of two ratios in percentage points: 0.026 → "+2.60 pp". */
export function pp(delta: number): string {
  return `${delta >= 0 ? '+' : '−'}${Math.abs(delta * 100).toFixed(2)} pp`;
}

export function fixed(n: number, digits = 2): string {
  return n.toFixed(digits);
}

/** A signed figure with a real minus sign, so "−5.9" reads like the "−3.5" it is compared with. */
export function signedFixed(n: number, digits = 1): string {
  return `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(digits)}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A markdown table cell: pipes and newlines would break the row. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
