import { LinkOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Segmented, Select, Space, Tooltip, TreeSelect } from 'antd';
import dayjs from 'dayjs';
import { CHANNELS } from '../../../../common/conversations';
import type { CategoryNode } from '../../api/types';
import { DATE_PICKER_FORMAT, useI18n, type MessageKey } from '../../i18n';
import { channelLabel } from '../../workspace/labels';
import { chinaToday, PERIOD_PRESETS, type FilterState } from './filters';
import { categoryTreeData } from './parts';

interface Options {
  categories: CategoryNode[];
  skills: { id: string; name: string }[];
  agents: { userId: string; name: string }[];
}

/**
 * The period (presets or a custom range of China days) and the channel, category, skill and agent
 * filters; every change goes to the URL's query, so a view can be shared as a link.
 */
export function FilterBar({ state, options, onChange, onReload }: { state: FilterState; options: Options; onChange: (changes: Record<string, string | undefined>) => void; onReload: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { preset, filter } = state;
  const today = chinaToday();

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(window.location.href);
      message.success(t('analytics.filter.copied'));
    } catch {
      // clipboard refused (plain http, permissions): the address bar holds the same link
    }
  }

  return (
    <Space wrap size={[12, 8]} className="zx-analytics-filters" data-testid="analytics-filters">
      <Segmented
        value={preset}
        onChange={(v) => onChange(v === 'custom' ? { period: 'custom', from: filter.from, to: filter.to } : { period: String(v) })}
        options={PERIOD_PRESETS.map((p) => ({ value: p, label: <span data-testid={`analytics-period-${p}`}>{t(`analytics.filter.${p}` as MessageKey)}</span> }))}
      />
      {preset === 'custom' && (
        <DatePicker.RangePicker format={DATE_PICKER_FORMAT}
          allowClear={false}
          value={[dayjs(filter.from), dayjs(filter.to)]}
          disabledDate={(d) => d.format('YYYY-MM-DD') > today}
          onChange={(range) => {
            if (range?.[0] && range[1]) onChange({ period: 'custom', from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
          }}
          data-testid="analytics-range"
        />
      )}
      <Select
        allowClear
        style={{ width: 130 }}
        placeholder={t('analytics.filter.channel')}
        value={filter.channel}
        onChange={(v) => onChange({ channel: v })}
        options={CHANNELS.map((c) => ({ value: c, label: channelLabel(t, c) }))}
        data-testid="analytics-filter-channel"
      />
      <TreeSelect
        allowClear
        style={{ width: 180 }}
        placeholder={t('analytics.filter.category')}
        value={filter.category}
        onChange={(v) => onChange({ category: v })}
        treeData={categoryTreeData(options.categories)}
        treeDefaultExpandAll
        showSearch
        treeNodeFilterProp="title"
        data-testid="analytics-filter-category"
      />
      <Select
        allowClear
        style={{ width: 150 }}
        placeholder={t('analytics.filter.skill')}
        value={filter.skill}
        onChange={(v) => onChange({ skill: v })}
        options={options.skills.map((s) => ({ value: s.id, label: s.name }))}
        data-testid="analytics-filter-skill"
      />
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        style={{ width: 150 }}
        placeholder={t('analytics.filter.agent')}
        value={filter.agent}
        onChange={(v) => onChange({ agent: v })}
        options={options.agents.map((a) => ({ value: a.userId, label: a.name }))}
        data-testid="analytics-filter-agent"
      />
      <Button onClick={() => onChange({ period: undefined, channel: undefined, category: undefined, skill: undefined, agent: undefined })}>{t('analytics.filter.reset')}</Button>
      <Tooltip title={t('common.refresh')}>
        <Button icon={<ReloadOutlined />} onClick={onReload} aria-label={t('common.refresh')} data-testid="analytics-reload" />
      </Tooltip>
      <Tooltip title={t('analytics.filter.share')}>
        <Button icon={<LinkOutlined />} onClick={copyLink} aria-label={t('analytics.filter.share')} />
      </Tooltip>
    </Space>
  );
}
