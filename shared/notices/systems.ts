import type { Tenant } from '../model/tenant';

/**
 * Integration systems are stored lower-case ('salesforce', 'microsoft-teams'); customers know them
 * by their product names. The fact check must recognise both spellings, so both live here.
 */
const PRODUCT_NAMES: Record<string, string> = {
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  dynamics: 'Dynamics 365',
  okta: 'Okta',
  'azure-ad': 'Azure AD',
  entra: 'Microsoft Entra ID',
  auth0: 'Auth0',
  slack: 'Slack',
  'microsoft-teams': 'Microsoft Teams',
  teams: 'Microsoft Teams',
  sap: 'SAP',
  netsuite: 'NetSuite',
  workday: 'Workday',
  snowflake: 'Snowflake',
  bigquery: 'BigQuery',
  redshift: 'Redshift',
  databricks: 'Databricks',
  zendesk: 'Zendesk',
  servicenow: 'ServiceNow',
  jira: 'Jira',
  zapier: 'Zapier',
  onelogin: 'OneLogin',
  oracle: 'Oracle',
  graphql: 'GraphQL',
  dingtalk: 'DingTalk',
  wecom: 'WeCom',
  feishu: 'Feishu',
  yonyou: 'Yonyou',
  kingdee: 'Kingdee',
};

/**
 * What a Chinese reader calls the systems the pipe-table importer reads from Chinese words
 * (shared/import/words.ts): a zh-CN notice names them so, and the fact check knows both names.
 */
const ZH_NAMES: Record<string, string> = {
  dingtalk: '钉钉',
  wecom: '企业微信',
  feishu: '飞书',
  yonyou: '用友',
  kingdee: '金蝶',
};

/**
 * The name a customer reads: the product's own spelling when known (in a zh-CN notice the Chinese
 * name, where the product has one), the stored name otherwise.
 */
export function systemDisplayName(system: string, locale: 'en' | 'zh-CN' = 'en'): string {
  const stored = system.toLowerCase();
  return (locale === 'zh-CN' ? ZH_NAMES[stored] : undefined) ?? PRODUCT_NAMES[stored] ?? system;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Spellings to look for: stored name, product name, Chinese name, and the stored name with separators as spaces. */
function spellings(system: string): string[] {
  const stored = system.toLowerCase();
  return [...new Set([stored, systemDisplayName(system).toLowerCase(), ...(ZH_NAMES[stored] ? [ZH_NAMES[stored]] : []), stored.replace(/[-_]+/g, ' ')])];
}

/**
 * Matches the system as a word of its own. Latin letters and digits around it make it part of
 * another word ('sap' in 'sapphire'); CJK characters around it do not.
 */
function pattern(system: string): RegExp {
  const alternatives = spellings(system).map((s) => escapeRegExp(s).replace(/ /g, '[\\s-]+'));
  return new RegExp(`(?<![a-z0-9])(?:${alternatives.join('|')})(?![a-z0-9])`, 'gi');
}

export function mentionsSystem(text: string, system: string): boolean {
  return pattern(system).test(text);
}

/** Blanks out the given systems, so 'Microsoft Teams' does not count as a mention of 'teams'. */
export function withoutSystems(text: string, systems: string[]): string {
  return systems.reduce((t, s) => t.replace(pattern(s), ' '), text);
}

/** Every integration system the fleet uses: what the fact check knows to look for in a notice. */
export function knownSystems(tenants: readonly Tenant[]): string[] {
  return [...new Set(tenants.flatMap((t) => t.integrations.map((i) => i.system)))];
}
