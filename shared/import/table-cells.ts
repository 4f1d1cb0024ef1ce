import { freezeBound } from './list-cells';
import {
  healthWords, industryWords, integrationFromWord, regimeWords, regionWords, regulatedMarkers, slaWords,
} from './words';
import type { Integration } from '../model/tenant';

/**
 * Recognisers for the cells of a pipe-table row. A cell is identified by what it says, not where
 * it stands, so PMs may order cells as they like after the name.
 */
export interface CellContext {
  /** The day relative phrases ("renewal in 60 days") count from. */
  asOf: Date;
}

/** Writes into the tenant record; `key` names the field for duplicate checks and error locations. */
export type Recognised =
  | { key: string; set: Array<[path: string[], value: unknown]>; append?: boolean }
  | { key: string; problem: string; expected: string };

export interface Recogniser {
  example: string;
  read(cell: string, lower: string, ctx: CellContext): Recognised | undefined;
}

const date = String.raw`(\d{4}-\d{2}-\d{2})`;

function amount(digits: string, unit: string | undefined): number {
  const scale: Record<string, number> = { k: 1e3, 千: 1e3, m: 1e6, million: 1e6, 万: 1e4 };
  return Math.round(Number(digits.replace(/,/g, '')) * (unit ? scale[unit] : 1));
}

function addDays(day: Date, days: number): string {
  return new Date(day.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

const alternation = (words: string[]) => words.sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|');

const users: Recogniser = {
  example: '"2000 users"',
  read(_cell, lower) {
    const m = /^([\d,.]+)\s*(k|千|万)?\s*(?:users?|seats?|个?用户|名用户|人|席位)$/.exec(lower) ?? /^(?:users?|用户数?)\s*:?\s*([\d,.]+)\s*(k|千|万)?$/.exec(lower);
    return m ? { key: 'users', set: [[['users'], amount(m[1], m[2])]] } : undefined;
  },
};

function listIntegrations(list: string): Integration[] {
  return list.split(/[,;]/).map((s) => s.trim()).filter(Boolean).map(integrationFromWord);
}

const integrations: Recogniser = {
  example: '"4 integrations (CRM, SSO, Slack, Webhooks)"',
  read(cell, lower) {
    if (/^(?:no integrations|0 integrations|无集成|没有集成|0个集成)$/.test(lower)) return { key: 'integrations', set: [[['integrations'], []]] };
    const counted = /^(\d+)\s*(?:integrations?|个?集成)\s*(?:\((.*)\))?$/.exec(lower);
    const listed = counted ? undefined : /^(?:integrations?|集成)\s*:\s*(.+)$/.exec(lower);
    if (!counted && !listed) return undefined;
    const items = listIntegrations((counted ? counted[2] : listed![1]) ?? '');
    if (counted) {
      const stated = Number(counted[1]);
      if (counted[2] === undefined && stated > 0) {
        return { key: 'integrations', problem: `says ${stated} integrations but does not list them`, expected: `the systems in brackets, e.g. "${stated} integrations (CRM, SSO, ...)"` };
      }
      if (stated !== items.length) {
        return { key: 'integrations', problem: `says ${stated} integrations but lists ${items.length}`, expected: `the stated count to match the list (${items.length} listed)` };
      }
    }
    return { key: 'integrations', set: [[['integrations'], items]] };
  },
};

const slaExpected = 'standard, gold or platinum (标准, 金牌, 白金), or an uptime such as "99.95% SLA"';
const sla: Recogniser = {
  example: '"Platinum SLA"',
  read(_cell, lower) {
    const uptime = /^(\d+(?:\.\d+)?)\s*%\s*(?:sla|uptime|可用性)?$/.exec(lower) ?? /^sla\s*:?\s*(\d+(?:\.\d+)?)\s*%$/.exec(lower);
    if (uptime) return { key: 'sla', set: [[['sla'], { uptimePercent: Number(uptime[1]) }]] };
    const tier = /^(.+?)\s*sla$/.exec(lower) ?? /^sla\s*:?\s*(.+)$/.exec(lower);
    if (!tier) return undefined;
    const word = slaWords[tier[1].trim()];
    return word ? { key: 'sla', set: [[['sla'], word]] } : { key: 'sla', problem: `SLA tier "${tier[1].trim()}" is not known`, expected: slaExpected };
  },
};

const renewal: Recogniser = {
  example: '"renewal in 60 days"',
  read(_cell, lower, ctx) {
    const inDays = /^(?:renewal|renews?|renewing)\s+in\s+(\d+)\s*days?$/.exec(lower) ?? /^(\d+)\s*天[内后]续约$/.exec(lower) ?? /^续约\s*:?\s*(\d+)\s*天[内后]$/.exec(lower);
    if (inDays) return { key: 'contract.renewalDate', set: [[['contract', 'renewalDate'], addDays(ctx.asOf, Number(inDays[1]))]] };
    const on = new RegExp(`^(?:renewal|renews?(?: on)?)\\s*:?\\s*${date}$`).exec(lower) ?? new RegExp(`^续约(?:日期)?\\s*:?\\s*${date}$`).exec(lower) ?? new RegExp(`^${date}\\s*续约$`).exec(lower);
    return on ? { key: 'contract.renewalDate', set: [[['contract', 'renewalDate'], on[1]]] } : undefined;
  },
};

const healthExpected = `a number 0-100 or one of: ${Object.entries(healthWords).map(([w, n]) => `${w} (${n})`).join(', ')}`;
const health: Recogniser = {
  example: '"health: good"',
  read(_cell, lower) {
    const m = /^(?:health|健康(?:度|分|状况)?)\s*:?\s*(.+)$/.exec(lower);
    if (!m) return undefined;
    const said = m[1].trim();
    if (/^\d+(?:\.\d+)?$/.test(said)) return { key: 'health', set: [[['health'], Number(said)]] };
    const score = healthWords[said];
    return score !== undefined ? { key: 'health', set: [[['health'], score]] } : { key: 'health', problem: `health "${said}" is not a known word`, expected: healthExpected };
  },
};

/** Region cell ("region: eu", "区域：中国", or a bare known word) → the word it names, if any. */
export function regionWordOf(lower: string): { word: string; prefixed: boolean } {
  const m = /^(?:region|区域|地区)\s*:?\s*(.+)$/.exec(lower);
  return { word: m ? m[1].trim() : lower, prefixed: Boolean(m) };
}

const region: Recogniser = {
  example: '"region: eu"',
  read(_cell, lower) {
    const { word, prefixed } = regionWordOf(lower);
    const place = regionWords[word];
    if (place) return { key: 'region', set: [[['region'], place.region]] };
    return prefixed ? { key: 'region', problem: `region "${word}" is not known`, expected: `one of: ${Object.keys(regionWords).join(', ')}` } : undefined;
  },
};

const timeZone: Recogniser = {
  example: '"Europe/Berlin"',
  read(cell) {
    const m = /^(?:tz|time ?zone|时区)\s*:?\s*(\S+)$/i.exec(cell) ?? /^([A-Za-z]+\/[A-Za-z_+-]+(?:\/[A-Za-z_]+)?)$/.exec(cell);
    return m ? { key: 'timeZone', set: [[['timeZone'], m[1]]] } : undefined;
  },
};

function flag(example: string, pattern: RegExp, path: string[]): Recogniser {
  return { example, read: (_cell, lower) => (pattern.test(lower) ? { key: path.join('.'), set: [[path, true]] } : undefined) };
}

const regulatedWords = [...Object.keys(industryWords), ...Object.keys(regimeWords), ...regulatedMarkers];
const regulatedPattern = new RegExp(alternation(regulatedWords), 'g');
const regulated: Recogniser = {
  example: '"SOX" / "金融（SOX）"',
  read(_cell, lower) {
    const found = lower.match(regulatedPattern);
    if (!found || lower.replace(regulatedPattern, '').replace(/[\s,;:()/+&]|and|和/g, '') !== '') return undefined;
    const regimes = found.filter((w) => w in regimeWords).map((w) => regimeWords[w]);
    const industry = found.map((w) => industryWords[w]).find(Boolean) ?? regimes.map((r) => r.implies).find(Boolean);
    const set: Array<[string[], unknown]> = [[['regulated', 'regimes'], [...new Set(regimes.map((r) => r.regime))]]];
    if (industry || regimes.length === 0) set.push([['regulated', 'industry'], industry ?? 'other']);
    return { key: 'regulated', set };
  },
};

const ticketPattern = /(?:(\d+)\s*个?\s*)?(?:open\s+)?(p[1-4])\s*(?:tickets?|工单)/g;
const tickets: Recogniser = {
  example: '"2 P2 tickets"',
  read(_cell, lower, ctx) {
    if (/^(?:no (?:open )?tickets|0 tickets|无工单|没有工单)$/.test(lower)) return { key: 'openTickets', set: [[['openTickets'], []]], append: true };
    const found = [...lower.matchAll(ticketPattern)];
    if (found.length === 0 || lower.replace(ticketPattern, '').replace(/[\s,;]|and|和/g, '') !== '') return undefined;
    const opened = ctx.asOf.toISOString().slice(0, 10);
    const list = found.flatMap((m) => {
      const severity = m[2].toUpperCase();
      return Array.from({ length: Number(m[1] ?? 1) }, (_, i) => ({ id: `${severity}-${i + 1}`, severity, opened, counted: true }));
    });
    return { key: 'openTickets', set: [[['openTickets'], list]], append: true };
  },
};

const arr: Recogniser = {
  example: '"ARR $250k"',
  read(_cell, lower) {
    const m = /^(?:arr|年收入|年合同额)\s*:?\s*[$€£¥]?\s*([\d.,]+)\s*(k|m|million|万)?$/.exec(lower);
    return m ? { key: 'contract.arr', set: [[['contract', 'arr'], amount(m[1], m[2])]] } : undefined;
  },
};

const explicitId: Recogniser = {
  example: '"id: acme"',
  read(cell) {
    const m = /^id\s*:\s*(\S+)$/i.exec(cell);
    return m ? { key: 'id', set: [[['id'], m[1]]] } : undefined;
  },
};

const customizationKinds: Record<string, 'setting' | 'script' | 'field'> = {
  setting: 'setting', settings: 'setting', 设置: 'setting', 自定义设置: 'setting', script: 'script', scripts: 'script', 脚本: 'script', field: 'field', fields: 'field', 字段: 'field',
};
const customizations: Recogniser = {
  example: '"settings: approval_flow"',
  read(cell) {
    const m = /^(\S+?)\s*:\s*(.+)$/.exec(cell);
    const kind = m && customizationKinds[m[1].toLowerCase()];
    if (!kind) return undefined;
    const keys = m[2].split(/[,;]/).map((s) => s.trim()).filter(Boolean);
    return { key: 'customizations', set: [[['customizations'], keys.map((key) => ({ kind, key }))]], append: true };
  },
};

const contactRoles: Record<string, string> = { contact: 'admin', admin: 'admin', 联系人: 'admin', 管理员: 'admin', csm: 'csm', 客户成功: 'csm', technical: 'technical', 技术联系人: 'technical', business: 'business', 业务联系人: 'business' };
const contact: Recogniser = {
  example: '"contact: Jane Doe <jane@acme.com>"',
  read(cell) {
    const m = /^(\S+?)\s*:\s*([^<]+?)\s*(?:<([^>]+)>)?$/.exec(cell);
    const role = m && contactRoles[m[1].toLowerCase()];
    if (!role) return undefined;
    return { key: 'contacts', set: [[['contacts'], [{ role, name: m[2], ...(m[3] ? { email: m[3].trim() } : {}) }]]], append: true };
  },
};

const freeze: Recogniser = {
  example: '"freeze 2026-12-20/2027-01-05 year-end close"',
  read(cell) {
    const m = new RegExp(`^(?:freeze|冻结期?)\\s*:?\\s*${date}\\s*(?:/|to|~|至|到|\\.\\.)\\s*${date}\\s*(.*)$`, 'i').exec(cell);
    if (!m) return undefined;
    const window = { start: freezeBound(m[1], 'start'), end: freezeBound(m[2], 'end'), reason: m[3].trim() || 'freeze window' };
    return { key: 'freezeWindows', set: [[['freezeWindows'], [window]]], append: true };
  },
};

/** Tried in order; the first that recognises a cell owns it. */
export const recognisers: readonly Recogniser[] = [
  users, integrations, sla, renewal, health, region, timeZone,
  flag('"anchor"', /^(?:anchor(?: account| customer)?|锚定客户|锚定|战略客户)$/, ['strategic', 'anchor']),
  flag('"executive escalation"', /^(?:exec(?:utive)? escalation|高管升级)$/, ['strategic', 'executiveEscalation']),
  flag('"beta"', /^(?:beta(?: opt-in| tester| customer)?|beta客户|内测(?:客户)?)$/, ['betaOptIn']),
  flag('"internal"', /^(?:internal(?: tenant)?|内部(?:租户)?)$/, ['internal']),
  regulated, tickets, arr, explicitId, customizations, contact, freeze,
];
