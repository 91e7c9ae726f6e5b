// When the page is served by the local sandbox (npm start), it offers a ready connection to the
// sandbox's Huma and Crona, with the sample credentials held in memory like any typed secret.
import { connections, keepSecrets, saveConnection } from './store.js';

const SANDBOX_ID = 'sandbox';

/** @returns {Promise<{ humaUrl: string, cronaUrl: string, credentials: { huma: { clientId: string, clientSecret: string }, crona: { activationCode: string } } } | null>} */
async function sandboxInfo() {
  try {
    const response = await fetch('/_sandbox/info', { cache: 'no-store' });
    if (!response.ok) return null;
    const info = await response.json();
    return info?.credentials?.huma?.clientSecret ? info : null;
  } catch {
    return null;
  }
}

/** Adds the sandbox connection on a first visit, and its secrets on every load. Returns its id, or null. */
export async function presetSandbox() {
  const info = await sandboxInfo();
  if (!info) return null;
  if (!connections().some((c) => c.id === SANDBOX_ID)) {
    saveConnection({
      id: SANDBOX_ID,
      name: 'Sandbox (sample data)',
      humaUrl: new URL(info.humaUrl, location.href).href,
      humaClientId: info.credentials.huma.clientId,
      cronaUrl: new URL(info.cronaUrl, location.href).href,
      group: null,
      crona: null,
      humaOrganizationId: null,
      authority: true,
    });
  }
  keepSecrets(SANDBOX_ID, { humaClientSecret: info.credentials.huma.clientSecret, cronaActivationCode: info.credentials.crona.activationCode });
  return SANDBOX_ID;
}
