/** (being built) */
export function AnalyticsPage() {
  return null;
}
