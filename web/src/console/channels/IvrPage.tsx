/** (being built) */
export function IvrPage() {
  return null;
}
