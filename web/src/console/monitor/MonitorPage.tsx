/** (being built) */
export function MonitorPage() {
  return null;
}
