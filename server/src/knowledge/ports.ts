/**
 * What the knowledge console needs to know about staff, declared here and implemented by the
 * composition root over the identity domain (knowledge never reads the users table itself).
 */
export interface StaffDirectory {
  /** Display names (else usernames) of staff, keyed by actor label (`user:<username>`); other labels are absent. */
  namesOf(actorLabels: string[]): Promise<Map<string, string>>;
  /**
   * Whether someone other than the author may review knowledge changes. On a fresh install the only
   * user is admin, who cannot approve their own change: nothing can be published until there is one.
   */
  hasReviewerOtherThan(authorLabel: string): Promise<boolean>;
}
