import { Empty } from 'antd';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useI18n } from '../../i18n';

// Only the parts drawn here are bundled (not the whole of ECharts), and this module is reached
// only through the lazily loaded dashboards, so neither the portal nor the rest of the console carry it.
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface Point {
  label: string;
  value: number;
}

export type ChartKind = 'line' | 'bar' | 'hbar' | 'pie';

const COLORS = ['#1677ff', '#13c2c2', '#52c41a', '#faad14', '#eb2f96', '#722ed1', '#fa541c', '#2f54eb'];

function optionOf(kind: ChartKind, series: { name: string; points: Point[] }[]) {
  const labels = series[0]?.points.map((p) => p.label) ?? [];
  const tooltip = { trigger: kind === 'pie' ? 'item' : 'axis', confine: true };
  if (kind === 'pie') {
    return {
      color: COLORS,
      tooltip,
      legend: { bottom: 0, type: 'scroll' },
      series: [{ type: 'pie', name: series[0]?.name, radius: ['35%', '65%'], center: ['50%', '45%'], data: series[0]?.points.map((p) => ({ name: p.label, value: p.value })) ?? [] }],
    };
  }
  const isHorizontal = kind === 'hbar';
  const category = { type: 'category', data: labels, axisLabel: { hideOverlap: true, width: isHorizontal ? 110 : undefined, overflow: 'truncate' } };
  const value = { type: 'value', minInterval: 1 };
  return {
    color: COLORS,
    tooltip,
    legend: series.length > 1 ? { top: 0 } : undefined,
    grid: { left: 8, right: 16, top: series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
    xAxis: isHorizontal ? value : category,
    yAxis: isHorizontal ? { ...category, inverse: true } : value,
    series: series.map((s) => ({
      type: kind === 'line' ? 'line' : 'bar',
      name: s.name,
      data: s.points.map((p) => p.value),
      areaStyle: kind === 'line' ? { opacity: 0.12 } : undefined,
      barMaxWidth: 28,
    })),
  };
}

/** The values a chart draws that are not zero: what `data-points` reports, so an all-zero chart reads 0. */
export const countPoints = (series: { points: Point[] }[]) => series.reduce((n, s) => n + s.points.filter((p) => p.value !== 0).length, 0);

/**
 * One ECharts chart with `data-testid="analytics-chart-<name>"` and `data-points`; an empty
 * picture when there is nothing to draw.
 */
export function Chart({ name, kind, series, height = 260 }: { name: string; kind: ChartKind; series: { name: string; points: Point[] }[]; height?: number }) {
  const { t } = useI18n();
  const points = countPoints(series);
  return (
    <div data-testid={`analytics-chart-${name}`} data-points={points}>
      {points === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analytics.noData')} style={{ height, paddingTop: height / 4, margin: 0 }} />
      ) : (
        <ReactEChartsCore echarts={echarts} option={optionOf(kind, series)} notMerge style={{ height, width: '100%' }} />
      )}
    </div>
  );
}
