/** (being built) */
export function QqBotsPage() {
  return null;
}
