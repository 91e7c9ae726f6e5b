// Listing faults: a paged listing that misbehaves the way real APIs do — a page shorter than it should be, an
// empty page before the end, a page size the server silently caps, a total that changes between pages, an item
// served twice. faults.js decides which rules fire; this file knows the listings and changes their pages.

/** @typedef {import('./types.js').ApiResponse} ApiResponse */

/** @typedef {'short' | 'empty' | 'cap' | 'total' | 'duplicate'} ListingMutation */

/** @type {readonly ListingMutation[]} */
export const MUTATIONS = ['short', 'empty', 'cap', 'total', 'duplicate'];

/** What `cap` caps the page size at when the rule doesn't say. */
export const DEFAULT_CAP = 10;

/**
 * A listing endpoint and how it pages: `offset` + a size (Huma), or a 1-based `page` + a size (Crona).
 * @typedef {Object} ListingEndpoint
 * @property {'huma' | 'crona'} system
 * @property {RegExp} path          the path without /huma or /crona
 * @property {'offset' | 'page'} paging
 * @property {string} sizeParam
 * @property {number} defaultSize   what the handler serves without the size parameter (Infinity: everything)
 */

/** @type {readonly ListingEndpoint[]} */
const ENDPOINTS = [
  { system: 'huma', path: /^\/users$/, paging: 'offset', sizeParam: 'limit', defaultSize: 25 },
  { system: 'huma', path: /^\/users\/[^/]+\/positions$/, paging: 'offset', sizeParam: 'limit', defaultSize: Infinity },
  { system: 'crona', path: /^\/api\/v1\/employees$/, paging: 'page', sizeParam: 'pageSize', defaultSize: 50 },
];

/**
 * The listing a request asks for, or null: listing rules leave every other request alone.
 * @param {'huma' | 'crona'} system @param {string} method @param {string} path
 * @returns {ListingEndpoint | null}
 */
export function listingEndpoint(system, method, path) {
  if (method !== 'GET') return null;
  return ENDPOINTS.find((e) => e.system === system && e.path.test(path)) ?? null;
}

/** A page as both systems serve it; the other properties (page, pageSize, filters, meta) are kept as they are. @typedef {{ items: unknown[], total: number } & Record<string, unknown>} Page */

/** @param {unknown} body @returns {body is Page} */
export function isPage(body) {
  if (typeof body !== 'object' || body === null) return false;
  const b = /** @type {Record<string, unknown>} */ (body);
  return Array.isArray(b.items) && typeof b.total === 'number';
}

/**
 * The same listing request again with other query parameters; what a cap or a duplicate needs to know about
 * items outside the page that was served.
 * @typedef {(query: URLSearchParams) => ApiResponse} Refetch
 */

/**
 * One listing request while its rules run. `query` is what the page now answers: a cap replaces the size.
 * @typedef {{ endpoint: ListingEndpoint, query: URLSearchParams, refetch: Refetch }} ListingCtx
 */

/**
 * Applies one mutation; the page given is not modified. When there is nothing to change (short on an empty page,
 * a size already within the cap) the result equals the page: the caller compares to tell.
 * @param {ListingCtx} ctx @param {Page} page @param {ListingMutation} mutation @param {number} cap
 * @returns {Page}
 */
export function mutatePage(ctx, page, mutation, cap) {
  switch (mutation) {
    case 'short':
      return { ...page, items: page.items.slice(0, -1) };
    case 'empty':
      return { ...page, items: [] };
    case 'total':
      return { ...page, total: page.total + 1 };
    case 'cap':
      return capped(ctx, page, cap);
    case 'duplicate':
      return duplicated(ctx, page);
  }
}

/**
 * The page as the server would serve it had the client asked for at most `cap` items: the handler runs again
 * with the smaller size, so Crona's page N holds items (N-1)·cap … N·cap-1 and says `pageSize: cap`, and Huma
 * serves `cap` items from the same offset. A client that follows the served size still reads everything.
 * @param {ListingCtx} ctx @param {Page} page @param {number} cap
 * @returns {Page}
 */
function capped(ctx, page, cap) {
  const { sizeParam } = ctx.endpoint;
  if (requestedSize(ctx) <= cap) return page;
  const query = new URLSearchParams(ctx.query);
  query.set(sizeParam, String(cap));
  const r = ctx.refetch(query);
  if (r.status !== 200 || !isPage(r.body)) return page;
  ctx.query = query;
  return r.body;
}

/**
 * The page's first item replaced by a copy of the item just before the page (the previous page's last one), as
 * when the listing shifted between two requests; on the first page, the second item becomes a copy of the first.
 * @param {ListingCtx} ctx @param {Page} page
 * @returns {Page}
 */
function duplicated(ctx, page) {
  const start = pageStart(ctx);
  const items = [...page.items];
  if (start === 0) {
    if (items.length < 2) return page;
    items[1] = structuredClone(items[0]);
    return { ...page, items };
  }
  if (!items.length) return page;
  const before = ctx.refetch(itemQuery(ctx, start - 1));
  if (before.status !== 200 || !isPage(before.body) || !before.body.items.length) return page;
  items[0] = structuredClone(before.body.items[0]);
  return { ...page, items };
}

/** The page size asked for (or the handler's default). @param {ListingCtx} ctx */
function requestedSize(ctx) {
  const raw = ctx.query.get(ctx.endpoint.sizeParam);
  return raw === null || raw.trim() === '' ? ctx.endpoint.defaultSize : Number(raw);
}

/** The 0-based index of the page's first item. @param {ListingCtx} ctx */
function pageStart(ctx) {
  if (ctx.endpoint.paging === 'offset') return Number(ctx.query.get('offset')?.trim() || 0);
  const page = Number(ctx.query.get('page') || 1);
  return (page - 1) * requestedSize(ctx);
}

/** The query for a one-item page holding the item at `index`. @param {ListingCtx} ctx @param {number} index */
function itemQuery(ctx, index) {
  const query = new URLSearchParams(ctx.query);
  query.set(ctx.endpoint.sizeParam, '1');
  if (ctx.endpoint.paging === 'offset') query.set('offset', String(index));
  else query.set('page', String(index + 1));
  return query;
}
