// A state belongs to one Huma organisation and one Crona company: used with other credentials its
// remembered pairs would pair strangers. Checked before anything is fetched, as the CLI does.
import { CronaSyncError } from '../../pkg/web.js';

/**
 * Verifies both credentials and returns the identity to store with the next state.
 * @param {{ huma: import('../../pkg/index.js').HumaTransport, crona: import('../../pkg/index.js').CronaTransport }} t
 * @param {any} state
 * @param {AbortSignal} [signal]
 */
export async function checkIdentity(t, state, signal) {
  const [{ organizationId }, company] = await Promise.all([t.huma.verify({ signal }), t.crona.verify({ signal })]);
  const recorded = state?.connection ?? {};
  const differs = (/** @type {string | undefined} */ a, /** @type {string | undefined} */ b) => Boolean(a && b && a !== b);
  if (differs(recorded.humaOrganizationId, organizationId) || differs(recorded.cronaCompanyId, company.companyId)) {
    throw new CronaSyncError('state_mismatch', `This connection's saved sync state belongs to other systems than these credentials reach (${company.companyName}). Check the credentials, or remove and add the connection again to start over.`);
  }
  return { identity: { humaOrganizationId: organizationId || recorded.humaOrganizationId, cronaCompanyId: company.companyId || recorded.cronaCompanyId }, company };
}
