// GET /healthz: whether the service, its store and each connection are well, for a monitor.
// `needs_attention` comes with reasons a person can act on; no personal data, only connection
// names, counts and codes.

/** A connection's last run is "recent trouble" when it failed or was refused. */
const TROUBLE = new Set(['failed', 'refused', 'stopped']);
/** Events waiting this long for a push mean the receiver is stuck. */
const STUCK_MS = 30 * 60_000;

/**
 * @param {import('./store.js').Store} store
 * @param {import('./webhooks.js').Webhooks} webhooks
 * @param {() => Date} now
 */
export function health(store, webhooks, now) {
  const connections = store.connections().map((c) => {
    /** @type {string[]} */
    const reasons = [];
    const last = store.runs(c.id, 1)[0];
    if (last && TROUBLE.has(last.outcome ?? '')) reasons.push(`the last run (${last.kind}, ${last.finishedAt}) ended ${last.outcome}`);
    const { queued, held, configured } = webhooks.health(c.id);
    const oldestQueuedAt = queued ? store.events(c.id, 'queued')[0].at : null;
    if (held) reasons.push(`${held} webhook event(s) held for an administrator`);
    if (oldestQueuedAt && now().getTime() - new Date(oldestQueuedAt).getTime() > STUCK_MS) reasons.push(`${queued} webhook event(s) waiting more than 30 minutes`);
    const active = Boolean(store.stateSummary(c.id).activatedAt);
    return { id: c.id, name: c.name, active, status: reasons.length ? 'needs_attention' : 'ok', reasons, queued, held, lastRun: last ? { kind: last.kind, outcome: last.outcome, at: last.finishedAt ?? last.startedAt } : null, webhooksConfigured: configured };
  });
  return { status: connections.some((c) => c.status !== 'ok') ? 'needs_attention' : 'ok', store: 'ok', connections };
}
