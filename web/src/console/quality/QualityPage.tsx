/** (being built) */
export function QualityPage() {
  return null;
}
