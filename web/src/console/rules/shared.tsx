import { Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { rules } from '../../api/endpoints';
import type { RuleSetDocument, RuleSetInfo } from '../../api/types';
import { pickText, useI18n, type Lang } from '../../i18n';
import { useLoad } from '../../shell/common';

/** Today in China (the server's default policy date), as YYYY-MM-DD. */
export const todayYmd = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
export const ymd = (d: dayjs.Dayjs) => d.format('YYYY-MM-DD');

export const ruleSetName = (r: RuleSetInfo, lang: Lang) => pickText(r.name ?? r.title ?? r.id, lang);

export interface ParameterInfo {
  key: string;
  label: string;
  /** the rule sets that read it */
  ruleSets: { id: string; name: string }[];
}

const docCache = new Map<string, Promise<RuleSetDocument[]>>();

/** Every rule set as a document (rules, parameters, tests), loaded once per language. */
export function loadDocuments(lang: Lang): Promise<RuleSetDocument[]> {
  let p = docCache.get(lang);
  if (!p) {
    p = rules.list(lang).then(async (r) => {
      const list = Array.isArray(r) ? r : r.items;
      return Promise.all(list.map((x) => rules.document(x.id, lang)));
    });
    p.catch(() => docCache.delete(lang));
    docCache.set(lang, p);
  }
  return p;
}

/** Rule-set documents and a dictionary of parameter keys → label and the rule sets reading them. */
export function useRuleSetDocuments() {
  const { lang } = useI18n();
  const { data, error, isLoading } = useLoad(() => loadDocuments(lang), [lang]);
  const params = new Map<string, ParameterInfo>();
  for (const doc of data ?? []) {
    for (const p of doc.parameters) {
      const info = params.get(p.key) ?? { key: p.key, label: p.label, ruleSets: [] };
      info.ruleSets.push({ id: doc.id, name: doc.name });
      params.set(p.key, info);
    }
  }
  return { docs: data ?? [], params, error, isLoading };
}

/** A parameter's label with its key underneath. */
export function ParamName({ k, info }: { k: string; info?: ParameterInfo }) {
  return (
    <span>
      {info ? <Typography.Text strong>{info.label}</Typography.Text> : null}
      <Typography.Text type="secondary" code style={{ fontSize: 11, display: info ? 'block' : 'inline', width: 'fit-content' }}>
        {k}
      </Typography.Text>
    </span>
  );
}

export const isScalar = (v: unknown): v is number | string | boolean => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

/** A parameter or output value: scalars as text, tables as small tables, objects as key: value. */
export function ValueView({ value }: { value: unknown }) {
  const { t } = useI18n();
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  if (typeof value === 'boolean') return <>{value ? t('common.yes') : t('common.no')}</>;
  if (typeof value === 'number') return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatNumber(value)}</span>;
  if (typeof value === 'string') return <>{value}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <Typography.Text type="secondary">[]</Typography.Text>;
    if (value.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      const cols = [...new Set(value.flatMap((x) => Object.keys(x as object)))];
      return (
        <Table
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={value as Record<string, unknown>[]}
          columns={cols.map((c) => ({ title: c, dataIndex: c, render: (v: unknown) => (v === null ? '—' : isScalar(v) ? String(v) : JSON.stringify(v)) }))}
          style={{ maxWidth: 420 }}
        />
      );
    }
    return (
      <span>
        {value.map((x, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a read-only value, shown in its order; items may repeat
          <Tag key={i}>{isScalar(x) ? String(x) : JSON.stringify(x)}</Tag>
        ))}
      </span>
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return (
    <span style={{ fontSize: 12, wordBreak: 'break-word' }}>
      {entries.map(([k, v]) => (
        <span key={k} style={{ display: 'inline-block', marginInlineEnd: 12, maxWidth: '100%' }}>
          <Typography.Text type="secondary">{k}:</Typography.Text> {isScalar(v) ? String(v) : compactJson(v)}
        </span>
      ))}
    </span>
  );
}

/** {"a":1,"b":2} as a:1, b:2 — nested tables stay readable in a cell. */
const compactJson = (v: unknown) => JSON.stringify(v).replace(/"([^"]+)":/g, '$1: ').replace(/,/g, ', ').replace(/"/g, '');

export function formatNumber(n: number) {
  return Number.isInteger(n) ? n.toLocaleString('en-US', { useGrouping: false }) : String(Math.round(n * 1e6) / 1e6);
}

/** Money with thousands separators and 2 decimals. */
export const money = (n: number) => n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Reads a chosen file as bytes. */
export const readBytes = (file: File) => file.arrayBuffer();
