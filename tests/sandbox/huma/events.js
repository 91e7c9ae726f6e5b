// The profile webhook events Huma sends when its data changes (huma-api.md §9). Handlers attach one to a
// successful answer; the server sends it (when a receiver is registered) after the answer.

/** @typedef {import('../types.js').HumaUser} HumaUser */
/** @typedef {import('../types.js').WebhookTopic} WebhookTopic */
/** @typedef {import('../types.js').WebhookEvent} WebhookEvent */

/**
 * An event naming the users with their current work e-mail.
 * @param {WebhookTopic} topic @param {HumaUser[]} users @returns {WebhookEvent}
 */
export function profileEvent(topic, users) {
  return { topic, users: users.map((u) => ({ id: u.id, email: u.email })) };
}
