// A sync state belongs to one Huma organisation and one Crona company: used with credentials that
// reach other systems, its remembered pairs would pair strangers. One rule for every runner.

/**
 * Whether the systems reached now differ from those recorded; compared only where both are
 * known (a Crona key alone can't name its company).
 * @param {{ humaOrganizationId?: string, cronaCompanyId?: string } | null | undefined} recorded
 * @param {{ humaOrganizationId?: string, cronaCompanyId?: string }} reached
 */
export function identityDiffers(recorded, reached) {
  const differs = (/** @type {string | undefined} */ a, /** @type {string | undefined} */ b) => Boolean(a && b && a !== b);
  return differs(recorded?.humaOrganizationId, reached.humaOrganizationId) || differs(recorded?.cronaCompanyId, reached.cronaCompanyId);
}

/**
 * The identity to store with the next state: what was reached, else what was recorded.
 * @param {{ humaOrganizationId?: string, cronaCompanyId?: string } | null | undefined} recorded
 * @param {{ humaOrganizationId?: string, cronaCompanyId?: string }} reached
 */
export function nextIdentity(recorded, reached) {
  return { humaOrganizationId: reached.humaOrganizationId || recorded?.humaOrganizationId, cronaCompanyId: reached.cronaCompanyId || recorded?.cronaCompanyId };
}
