// A test double of the sans-IO session for drive() tests, until the real SyncSession exists:
// it pages through Huma users and Crona employees, then asks for each Huma user's details.
// Like the real core, a failed response ends the fetch with an error naming what failed.
import { CronaSyncError } from 'crona-sync';

/** @typedef {import('crona-sync').HttpRequest} HttpRequest */
/** @typedef {import('crona-sync').HttpResponse} HttpResponse */

export class PagerSession {
  /** @param {{ humaPageSize?: number, cronaPageSize?: number, details?: boolean }} [options] */
  constructor(options = {}) {
    this.humaPageSize = options.humaPageSize ?? 50;
    this.cronaPageSize = options.cronaPageSize ?? 100;
    this.details = options.details ?? true;
    /** @type {HttpRequest[]} */
    this.outbox = [];
    /** @type {Map<string, HttpRequest>} */
    this.pending = new Map();
    /** @type {string[]} */
    this.humaIds = [];
    /** @type {string[]} */
    this.anstNr = [];
    /** @type {Map<string, any>} */
    this.humaDetails = new Map();
    /** @type {HttpResponse[][]} every handle() batch, to check batching */
    this.batches = [];
    this.phase = 'fetching';
    this.#ask({ id: 'huma-users-0', system: 'huma', method: 'GET', path: '/users', query: { limit: this.humaPageSize, offset: 0 } });
    this.#ask({ id: 'crona-employees-1', system: 'crona', method: 'GET', path: '/api/v1/employees', query: { page: 1, pageSize: this.cronaPageSize } });
  }

  /** @param {HttpRequest} request */
  #ask(request) {
    this.outbox.push(request);
    this.pending.set(request.id, request);
  }

  /** @returns {HttpRequest[]} */
  poll() {
    return this.outbox.splice(0);
  }

  /** @param {HttpResponse[]} responses */
  handle(responses) {
    this.batches.push(responses);
    for (const response of responses) {
      const request = this.pending.get(response.id);
      if (!request) throw new CronaSyncError('unexpected_response', `No request with id ${response.id}`);
      this.pending.delete(response.id);
      if (response.status < 200 || response.status > 299) {
        const why = response.error?.message ?? `status ${response.status}`;
        throw new CronaSyncError('fetch_failed', `${request.system} ${request.method} ${request.path} failed: ${why}`, {
          status: response.status,
        });
      }
      // The transports hand over the bytes off the wire.
      const body = JSON.parse(typeof response.body === 'string' ? response.body : new TextDecoder().decode(response.body));
      if (request.id.startsWith('huma-users-')) {
        const offset = Number(request.query?.offset);
        for (const user of body.items) {
          this.humaIds.push(user.id);
          if (this.details) this.#ask({ id: `huma-user-${user.id}`, system: 'huma', method: 'GET', path: `/users/${user.id}` });
        }
        if (body.items.length === this.humaPageSize) {
          const next = offset + this.humaPageSize;
          this.#ask({ id: `huma-users-${next}`, system: 'huma', method: 'GET', path: '/users', query: { limit: this.humaPageSize, offset: next } });
        }
      } else if (request.id.startsWith('crona-employees-')) {
        for (const employee of body.items) this.anstNr.push(employee.AnstNr);
        if (body.page * body.pageSize < body.total) {
          const page = body.page + 1;
          this.#ask({ id: `crona-employees-${page}`, system: 'crona', method: 'GET', path: '/api/v1/employees', query: { page, pageSize: this.cronaPageSize } });
        }
      } else if (request.id.startsWith('huma-user-')) {
        this.humaDetails.set(body.id, body);
      }
    }
    if (this.pending.size === 0 && this.outbox.length === 0) this.phase = 'preview';
  }
}
