/**
 * Compact list syntax shared by the CSV columns: items separated by ";", parts by ":".
 * Each reader returns the parsed items or says what a well-formed item looks like.
 */
export type CellRead<T> = { ok: true; value: T } | { ok: false; problem: string; expected: string };

const isoDate = String.raw`\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?`;

/** A date-only freeze end means "through that day", so it ends at the last second of it (UTC). */
export function freezeBound(date: string, edge: 'start' | 'end'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  return edge === 'start' ? `${date}T00:00:00Z` : `${date}T23:59:59Z`;
}

function items(text: string): string[] {
  return text.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
}

function eachItem<T>(text: string, expected: string, read: (item: string) => T | undefined): CellRead<T[]> {
  const out: T[] = [];
  for (const [index, item] of items(text).entries()) {
    const value = read(item);
    if (value === undefined) return { ok: false, problem: `item ${index + 1} ("${item}") is not in the expected shape`, expected };
    out.push(value);
  }
  return { ok: true, value: out };
}

export function readIntegrations(text: string) {
  return eachItem(text, 'kind:system[@version] items separated by ";", e.g. "crm:salesforce@52.0;sso:okta"', (item) => {
    const m = /^([a-z-]+)\s*:\s*([^@:]+?)\s*(?:@\s*(\S+))?$/i.exec(item);
    return m ? { kind: m[1].toLowerCase(), system: m[2].toLowerCase(), ...(m[3] ? { version: m[3] } : {}) } : undefined;
  });
}

export function readCustomizations(text: string) {
  return eachItem(text, 'kind:key[:description] items separated by ";", e.g. "setting:approval_flow;script:lead_router"', (item) => {
    const m = /^([a-z]+)\s*:\s*([^:]+?)\s*(?::\s*(.+))?$/i.exec(item);
    return m ? { kind: m[1].toLowerCase(), key: m[2], ...(m[3] ? { description: m[3] } : {}) } : undefined;
  });
}

export function readTickets(text: string) {
  return eachItem(text, 'id:severity:opened[:subject] items separated by ";", e.g. "T-1:P2:2026-11-20:Sync slow"', (item) => {
    const m = new RegExp(`^([^:]+):\\s*(P\\d|p\\d)\\s*:\\s*(${isoDate})\\s*(?::\\s*(.*))?$`).exec(item);
    return m ? { id: m[1].trim(), severity: m[2].toUpperCase(), opened: m[3], subject: m[4] ?? '' } : undefined;
  });
}

export function readFreezeWindows(text: string) {
  return eachItem(text, 'start/end:reason items separated by ";", e.g. "2026-12-20/2027-01-05:year-end close"', (item) => {
    const m = new RegExp(`^(${isoDate})\\s*/\\s*(${isoDate})\\s*:\\s*(.+)$`).exec(item);
    return m ? { start: freezeBound(m[1], 'start'), end: freezeBound(m[2], 'end'), reason: m[3] } : undefined;
  });
}

export function readContacts(text: string) {
  return eachItem(text, 'role:name[:email[:phone]] items separated by ";", e.g. "admin:Jane Doe:jane@acme.com"', (item) => {
    const [role, name, email, ...phone] = item.split(':').map((s) => s.trim());
    if (!role || !name) return undefined;
    return { role: role.toLowerCase(), name, ...(email ? { email } : {}), ...(phone.length ? { phone: phone.join(':') } : {}) };
  });
}

export function readWords(text: string): CellRead<string[]> {
  return { ok: true, value: items(text) };
}
