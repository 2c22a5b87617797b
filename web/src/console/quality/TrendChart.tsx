import { Empty } from 'antd';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';

// only the line chart is bundled, and only in this lazily loaded module
echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Weekly average scores: one line per series (an agent), weeks on the x axis. */
export default function TrendChart({ series, height = 260, emptyText }: { series: { name: string; points: { week: string; averageScore: number | null }[] }[]; height?: number; emptyText: string }) {
  const weeks = [...new Set(series.flatMap((s) => s.points.map((p) => p.week)))].sort();
  if (!weeks.length) return <Empty description={emptyText} />;
  const option = {
    tooltip: { trigger: 'axis', confine: true },
    legend: series.length > 1 ? { top: 0, type: 'scroll' } : undefined,
    grid: { left: 8, right: 16, top: series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: weeks },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: series.map((s) => {
      const byWeek = new Map(s.points.map((p) => [p.week, p.averageScore]));
      return { type: 'line', name: s.name, connectNulls: true, data: weeks.map((w) => byWeek.get(w) ?? null) };
    }),
  };
  return (
    <div data-testid="quality-trend-chart">
      <ReactEChartsCore echarts={echarts} option={option} style={{ height }} notMerge />
    </div>
  );
}
