import type { Integration, IntegrationKind } from '../model/tenant';

/**
 * The vocabulary the pipe-table importer understands, English and Chinese. Kept as data so the
 * README can list it and a PM's new word is a one-line change.
 */

/** Full-width punctuation PMs type in Chinese rows, mapped to the ASCII the recognisers use. */
const fullWidth: Record<string, string> = {
  '｜': '|', '（': '(', '）': ')', '、': ',', '，': ',', '：': ':', '；': ';', '％': '%', '／': '/', '～': '~', '\u3000': ' ', '＠': '@', '＜': '<', '＞': '>',
};

export function normalizePunctuation(text: string): string {
  return text
    .replace(/[｜（）、，：；％／～\u3000＠＜＞]/g, (c) => fullWidth[c])
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

export function hasChinese(text: string): boolean {
  return /[\u3400-\u9fff]/.test(text);
}

type System = Pick<Integration, 'kind' | 'system'>;

const sys = (kind: IntegrationKind, system: string): System => ({ kind, system });

/** Integration word (lower-case) → kind and system. A generic word ("CRM") names the kind only. */
export const integrationWords: Record<string, System> = {
  crm: sys('crm', 'crm'), 客户关系管理: sys('crm', 'crm'),
  salesforce: sys('crm', 'salesforce'), hubspot: sys('crm', 'hubspot'), dynamics: sys('crm', 'dynamics'), 'dynamics 365': sys('crm', 'dynamics'), 'microsoft dynamics': sys('crm', 'dynamics'),
  sso: sys('sso', 'sso'), 单点登录: sys('sso', 'sso'), okta: sys('sso', 'okta'), 'azure ad': sys('sso', 'azure-ad'), 'entra id': sys('sso', 'azure-ad'), onelogin: sys('sso', 'onelogin'),
  chat: sys('chat', 'chat'), slack: sys('chat', 'slack'), teams: sys('chat', 'teams'), 'microsoft teams': sys('chat', 'teams'),
  企业微信: sys('chat', 'wecom'), wecom: sys('chat', 'wecom'), 钉钉: sys('chat', 'dingtalk'), dingtalk: sys('chat', 'dingtalk'), 飞书: sys('chat', 'feishu'), feishu: sys('chat', 'feishu'), lark: sys('chat', 'feishu'),
  webhooks: sys('webhooks', 'webhooks'), webhook: sys('webhooks', 'webhooks'), 回调: sys('webhooks', 'webhooks'),
  api: sys('api', 'api'), 'rest api': sys('api', 'api'), 接口: sys('api', 'api'), 开放接口: sys('api', 'api'), graphql: sys('api', 'graphql'),
  erp: sys('erp', 'erp'), sap: sys('erp', 'sap'), netsuite: sys('erp', 'netsuite'), oracle: sys('erp', 'oracle'), 用友: sys('erp', 'yonyou'), yonyou: sys('erp', 'yonyou'), 金蝶: sys('erp', 'kingdee'), kingdee: sys('erp', 'kingdee'),
  'data warehouse': sys('data-warehouse', 'data-warehouse'), 数据仓库: sys('data-warehouse', 'data-warehouse'), 数仓: sys('data-warehouse', 'data-warehouse'),
  snowflake: sys('data-warehouse', 'snowflake'), bigquery: sys('data-warehouse', 'bigquery'), redshift: sys('data-warehouse', 'redshift'), databricks: sys('data-warehouse', 'databricks'),
};

/** "Salesforce 52.0", "Salesforce@52.0", "SAP v7.5" → word + version; unknown words become custom. */
export function integrationFromWord(item: string): Integration {
  const word = item.trim().toLowerCase();
  const known = integrationWords[word];
  if (known) return { ...known };
  const versioned = /^(.+?)\s*(?:@|\s)v?(\d+(?:\.\d+)*)$/.exec(word);
  if (versioned && integrationWords[versioned[1]]) return { ...integrationWords[versioned[1]], version: versioned[2] };
  const system = hasChinese(word) ? word : word.replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');
  return versioned ? { kind: 'custom', system: versioned[1], version: versioned[2] } : { kind: 'custom', system: system || word };
}

export const slaWords: Record<string, 'standard' | 'gold' | 'platinum'> = {
  standard: 'standard', gold: 'gold', platinum: 'platinum', 标准: 'standard', 金牌: 'gold', 黄金: 'gold', 白金: 'platinum', 铂金: 'platinum',
};

/** Health words → score on the 0–100 scale the risk engine uses. */
export const healthWords: Record<string, number> = {
  excellent: 90, good: 80, fair: 60, poor: 35, critical: 15,
  优秀: 90, 良好: 80, 一般: 60, 较差: 35, 差: 35, 危险: 15,
};

/** Region word → region code and the time zone assumed when the row names none. */
export const regionWords: Record<string, { region: string; timeZone: string }> = {
  us: { region: 'us', timeZone: 'America/New_York' }, 'us-east': { region: 'us', timeZone: 'America/New_York' }, 'us-west': { region: 'us', timeZone: 'America/Los_Angeles' },
  ca: { region: 'ca', timeZone: 'America/Toronto' }, br: { region: 'br', timeZone: 'America/Sao_Paulo' },
  eu: { region: 'eu', timeZone: 'Europe/Berlin' }, uk: { region: 'uk', timeZone: 'Europe/London' }, fr: { region: 'eu', timeZone: 'Europe/Paris' },
  apac: { region: 'apac', timeZone: 'Asia/Singapore' }, sg: { region: 'apac', timeZone: 'Asia/Singapore' }, jp: { region: 'jp', timeZone: 'Asia/Tokyo' },
  au: { region: 'au', timeZone: 'Australia/Sydney' }, in: { region: 'in', timeZone: 'Asia/Kolkata' }, cn: { region: 'cn', timeZone: 'Asia/Shanghai' },
  美国: { region: 'us', timeZone: 'America/New_York' }, 欧洲: { region: 'eu', timeZone: 'Europe/Berlin' }, 英国: { region: 'uk', timeZone: 'Europe/London' },
  亚太: { region: 'apac', timeZone: 'Asia/Singapore' }, 新加坡: { region: 'apac', timeZone: 'Asia/Singapore' }, 日本: { region: 'jp', timeZone: 'Asia/Tokyo' },
  中国: { region: 'cn', timeZone: 'Asia/Shanghai' }, 华东: { region: 'cn', timeZone: 'Asia/Shanghai' }, 华北: { region: 'cn', timeZone: 'Asia/Shanghai' }, 华南: { region: 'cn', timeZone: 'Asia/Shanghai' },
};

/** Region and time zone of a row that names neither. */
export const defaultPlace = {
  en: { region: 'us', timeZone: 'America/New_York' },
  'zh-CN': { region: 'cn', timeZone: 'Asia/Shanghai' },
} as const;

/** Regulated-industry words; regime words imply an industry only where the regime does. */
export const industryWords: Record<string, 'finance' | 'healthcare' | 'public-sector'> = {
  finance: 'finance', financial: 'finance', banking: 'finance', 金融: 'finance', 银行: 'finance',
  healthcare: 'healthcare', medical: 'healthcare', 医疗: 'healthcare',
  'public sector': 'public-sector', 'public-sector': 'public-sector', government: 'public-sector', 政府: 'public-sector', 公共部门: 'public-sector',
};

export const regimeWords: Record<string, { regime: 'SOX' | 'HIPAA' | 'GDPR' | 'PCI-DSS' | 'FedRAMP' | 'SOC2' | 'ISO27001'; implies?: 'healthcare' | 'public-sector' }> = {
  sox: { regime: 'SOX' }, hipaa: { regime: 'HIPAA', implies: 'healthcare' }, gdpr: { regime: 'GDPR' }, 'pci-dss': { regime: 'PCI-DSS' }, pci: { regime: 'PCI-DSS' },
  fedramp: { regime: 'FedRAMP', implies: 'public-sector' }, soc2: { regime: 'SOC2' }, iso27001: { regime: 'ISO27001' },
};

/** Words that only say "regulated" without naming an industry or regime. */
export const regulatedMarkers = ['regulated', '受监管', '监管', '合规'];
