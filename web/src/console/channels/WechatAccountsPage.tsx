/** (being built) */
export function WechatAccountsPage() {
  return null;
}
