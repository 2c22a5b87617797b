import { lazy, Suspense } from 'react';
import { PageSpin } from '../../shell/common';

// The dashboards (and ECharts with them) load only when this page opens: the console's own chunk
// and the portal stay free of the charting library.
const AnalyticsDashboards = lazy(() => import('./AnalyticsDashboards'));

/** The data analysis centre (数据分析): dashboards, hot and hard topics, reports. */
export function AnalyticsPage() {
  return (
    <Suspense fallback={<PageSpin />}>
      <AnalyticsDashboards />
    </Suspense>
  );
}
