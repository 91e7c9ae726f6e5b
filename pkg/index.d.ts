// Types for everything crona-sync exports. Hand-written: the names are the public contract
// (DESIGN.md §3); the wasm-bindgen output is an implementation detail.

/** The two systems a request goes to. */
export type System = 'huma' | 'crona';

/** Every error the package throws. Branch on `code`; `details` holds structured facts. */
export declare class CronaSyncError extends Error {
  constructor(code: string, message: string, details?: unknown, options?: { cause?: unknown });
  readonly name: 'CronaSyncError';
  /** Stable machine code, e.g. `invalid_config`, `huma_auth_failed`, `aborted`, `internal_error`. */
  code: string;
  details: unknown;
}

/** The core's version, e.g. `"0.1.0"`. */
export declare function version(): string;

export interface SessionOptions {
  /** Accept bank accounts typed in lenient shapes (with warnings). Default false. */
  lenientBankAccounts?: boolean;
  /** A plan changing more than this share of people needs approval. Default 0.2. */
  massChangeShare?: number;
  /** …when it changes at least this many people. Default 10. */
  massChangeMin?: number;
  /** A plan writing more fields than this needs approval, whatever the share. Default 50. */
  massChangeMaxWrites?: number;
  /** Push mode may create unpaired Huma users in Crona. Default false. */
  autoCreate?: boolean;
  /** Huma page size, 1–50. Default 50. */
  pageSize?: number;
  /**
   * The connection's fingerprint key, 64 hex digits: `nextState.baseline` then holds keyed
   * fingerprints (`h1:…`) instead of values, and still tells which side changed. Keep it with
   * the connection (the service's store does); a state written without it is read as before.
   */
  baselineKey?: string;
}

export interface Scope {
  companies?: string[];
  teams?: string[];
  locations?: string[];
}

/**
 * What a sync returns as `report().nextState` and the next sync takes as `state`: plain JSON,
 * never a secret. Store it as it is (a file for the CLI, the integration service's store for the page).
 */
export interface SyncState {
  /** When the first sync ran: the connection's activation. */
  activatedAt?: string | null;
  /** Remembered pairs. */
  pairs?: { humaId: string; anstNr: string }[];
  /** Per Huma user id: the normal forms both sides agreed on ("" = both empty), and the
   * position values recorded. */
  baseline?: Record<string, { fields?: Partial<Record<Field, string>>; positions?: { anstDatum?: string | null; avgDatum?: string | null; slutat?: boolean | null; befattning?: string | null } | null }>;
  /** When the last sync ran and its counts. */
  lastSync?: { at: string; counts: Record<string, number> };
  /** When the last push ran and its counts (a push never changes lastSync). */
  lastPush?: { at: string; counts: Record<string, number> };
  /** Which systems the state belongs to, as the runner recorded them (carried through). */
  connection?: { humaOrganizationId?: string; cronaCompanyId?: string };
}

export interface SessionConfig {
  /** The date the sync runs on, `YYYY-MM-DD` (Europe/Stockholm). */
  today: string;
  /** The moment the sync runs, RFC 3339 with offset. */
  now: string;
  /** `push`: read only `humaUserIds` and send what changed in Huma to Crona by the push rules
   * (never clearing, never AnstNr, never a Crona change overwritten); `plan({})` takes no
   * decisions. Needs the state of an activated connection. Default `sync`. */
  mode?: 'sync' | 'push';
  /** The `nextState` of the previous sync's report, or null for a first sync. */
  state?: SyncState | null;
  scope?: Scope;
  /** Push mode only: the Huma users to push. */
  humaUserIds?: string[];
  options?: SessionOptions;
}

/** A config after checking, every default filled in. */
export interface CheckedSessionConfig {
  today: string;
  now: string;
  mode: 'sync' | 'push';
  state: object | null;
  scope: Required<Scope>;
  humaUserIds: string[];
  options: Required<SessionOptions>;
}

/** Checks a session config; throws `CronaSyncError` `invalid_config` naming the field. */
export declare function checkConfig(config: SessionConfig): CheckedSessionConfig;

/** An error or warning: a stable code and a message for people. */
export interface Issue {
  code: string;
  message: string;
}

/** Bankgirot's account type and variant. */
export type BankAccountType = '1:1' | '1:2' | '2:1' | '2:2' | '2:3' | '2:4';

/**
 * A verdict on a Swedish bank account. Error codes: E_FORMAT, E_CLEARING_LENGTH,
 * E_CLEARING_CHECK_DIGIT, E_CLEARING_UNKNOWN, E_CLEARING_NO_ACCOUNT_FORMAT, E_ACCOUNT_LENGTH,
 * E_ACCOUNT_ZERO, E_CHECKSUM, E_PERSONNUMMER_DATE (and E_IBAN_COUNTRY, E_IBAN_LENGTH,
 * E_IBAN_CHECKSUM, E_IBAN_BANK when parsing an IBAN). Warning codes: W_PADDING_STRIPPED,
 * W_3782, W_9300_SERIES_RETIRING, W_VARIANT_AMBIGUOUS, W_LENIENT_L1 … W_LENIENT_L6. (The spec's
 * W_PERSONKONTO_NOT_EMPLOYEE needs the employee's personnummer and belongs to the sync, not
 * to this function.)
 */
export interface BankAccountResult {
  valid: boolean;
  /** The institution, e.g. "Swedbank". */
  bank?: string;
  type?: BankAccountType;
  /** The 4-digit clearing number. */
  clearing?: string;
  /** Swedbank 8xxx: the clearing's fifth (check) digit. */
  clearingCheckDigit?: string;
  /** The account, zero-padded to its type's width (7, 9 or 10 digits). */
  account?: string;
  /** Clearing + account zero-padded to 12: the 16 digits of Bankgirot's salary files. */
  bban16?: string;
  /** Where the sources define the conversion. */
  iban?: string;
  /** One string as Huma holds it: `CCCC-AAAAAAA`. */
  formatted?: string;
  /** Empty when valid; otherwise the first rule that failed. */
  errors: Issue[];
  /** Facts to confirm, and every lenient-mode rewrite. */
  warnings: Issue[];
}

/** A one-string bank account: how it was split, and the verdict. */
export interface ParsedBankAccount extends BankAccountResult {
  /** The digits read as clearing and account; null when the text couldn't be split. */
  input: { clearing: string; account: string } | null;
}

/**
 * Validates a clearing number and an account number (bank-accounts.md). Never throws for bad
 * input. `lenient` also repairs common HR-data shapes, each with a warning.
 */
export declare function validateBankAccount(
  clearing: string,
  account: string,
  options?: { lenient?: boolean },
): BankAccountResult;

/** Reads one string ("8327-9, 014 725 892-5", "SE55 8000 …") as clearing + account. Never throws for bad input. */
export declare function parseBankAccount(text: string, options?: { lenient?: boolean }): ParsedBankAccount;

/** A mapped user field (both directions; Huma → Crona only in push mode). */
export type Field =
  | 'email' | 'employmentId' | 'givenName' | 'familyName' | 'address' | 'phone' | 'bankAccount' | 'privateEmail';
/** "huma": Huma's value is written to Crona; "crona": the reverse; "leave": nothing. */
export type Choice = 'huma' | 'crona' | 'leave';
export type SessionPhase = 'fetching' | 'preview' | 'applying' | 'verifying' | 'done' | 'failed';

export interface PersonRef {
  humaId?: string;
  anstNr?: string;
  email?: string;
  /** "Given Family". */
  name: string;
}

export interface FieldValue {
  /** As the system holds it, tidied for reading. */
  display: string;
  /** What is compared (E.164 phone, BBAN16 account, lower-case e-mail, …). */
  normalized: string;
}

export interface Difference {
  /** Stable across syncs for the same pair and field. */
  id: string;
  person: PersonRef;
  field: Field;
  kind: 'conflict' | 'missingInHuma' | 'missingInCrona';
  huma: FieldValue | null;
  crona: FieldValue | null;
  /** The value both had after the last sync ("" = empty); null on a first sync. */
  baseline: { normalized: string } | null;
  changedSince: 'huma' | 'crona' | 'both' | null;
  /** The choices that can be carried out ("leave" always). */
  allowed: Choice[];
  suggestion?: Choice;
  /** The difference in one sentence, for people. */
  message: string;
  /** e.g. anstnr_immutable, clears_value, address_parts, address_line3, pending_email, duplicate. */
  notes: Issue[];
}

export interface Blocker {
  id: string;
  person?: PersonRef;
  field?: Field;
  system?: System;
  /** e.g. duplicate_email, duplicate_phone, duplicate_employment_id, duplicate_anstnr, deactivated,
   * not_editable, invalid_email, invalid_phone, unknown_country, international_account, invalid_date
   * (a position date), or a bank
   * account error code (E_CHECKSUM, …). */
  code: string;
  message: string;
}

export interface OneSide {
  person: PersonRef;
  creatable: boolean;
  /** Why not: deactivated, missing_email, missing_employment_id, missing_given_name,
   * missing_family_name, invalid_email, duplicate_employment_id, anstnr_taken. */
  reasons: Issue[];
}

/** Where a person's positions were read from: the list, or a fallback when it couldn't be read. */
export type PositionSource = 'list' | 'currentPositions' | 'flatFields' | 'unavailable';

export interface Preview {
  counts: { huma: number; crona: number; matched: number; differences: number; blockers: number; onlyInHuma: number; onlyInCrona: number };
  differences: Difference[];
  blockers: Blocker[];
  /** Facts that block nothing: address_line3, positions_recorded_not_sent (a first sync),
   * positions_from_current / positions_from_flat_fields / positions_unavailable (the positions
   * list couldn't be read: which source was used instead), not_in_huma (a pushed user Huma no
   * longer has), pair_dropped. */
  notices: Blocker[];
  onlyInHuma: OneSide[];
  onlyInCrona: OneSide[];
  /** Position values sent whatever is decided (Huma → Crona only). */
  willSet: { person: PersonRef; field: 'anstDatum' | 'avgDatum' | 'slutat' | 'befattning'; value: string | boolean | null; source: string; origin: PositionSource }[];
}

export interface Decisions {
  /** Per difference id; wins over fieldDefaults. */
  choices?: Record<string, Choice>;
  /** A bulk choice per field. A bulk choice never clears a value. */
  fieldDefaults?: Partial<Record<Field, Choice>>;
  /** Take the suggestion where nothing was chosen. Default true. */
  useSuggestions?: boolean;
  /** Huma user ids to create in Crona (only creatable ones), or "all". */
  createInCrona?: string[] | 'all';
  /** AnstNr to create in Huma (only creatable ones), or "all". */
  createInHuma?: string[] | 'all';
}

export interface Operation {
  id: string;
  kind: 'updateCrona' | 'updateHuma' | 'createCrona' | 'createHuma';
  person: PersonRef;
  /** Field names written (and position values: anstDatum, avgDatum, slutat, befattning). */
  fields: string[];
  /** In words. */
  description: string;
  /** The request that carries it out. */
  request: HttpRequest;
  /** A Huma create: what the follow-up PATCH writes once Huma has given the id. */
  thenFields?: Field[];
  /** The exact writes of `request`: one row per field written, before → after. */
  writes: WriteRow[];
  /** A Huma create: the rows of the follow-up PATCH. */
  thenWrites?: WriteRow[];
}

/** One field an operation writes, read from the request it sends: the review and the audit trail. */
export interface WriteRow {
  /** The field's key in the field table (`bankAccount`, `address`, `anstDatum`). */
  field: Field | 'anstDatum' | 'avgDatum' | 'slutat' | 'befattning';
  /** The system written. */
  system: System;
  /** The target's property names the request carries for it, e.g. `["UtbetClearNr", "UtbetKontoNr"]`. */
  properties: string[];
  /** The target's value now, as people read it; null when empty or the record is new. */
  before: string | null;
  /** The value written, as people read it; null when the write empties the field. */
  after: string | null;
  /** Those properties exactly as the request body carries them. */
  sent: Record<string, unknown>;
}

/** What the plan does with one difference. */
export interface Resolution {
  differenceId: string;
  /** What is carried out: the winner's value is written to the other system, or nothing. */
  choice: Choice;
  /** Where the choice came from; "rule" is push mode's. */
  source: 'explicit' | 'bulk' | 'suggestion' | 'rule' | 'nothing';
  /** The choice empties a value the other system has (only ever chosen explicitly). */
  clears: boolean;
  /** Left out for the note's reason, rather than left as chosen. */
  leftOut: boolean;
  /** Why the result isn't simply what was asked, or what the choice does: clears_by_choice,
   * fills_gap, would_clear, not_allowed, nothing_to_write, manual_sync. */
  note?: Issue;
}

export interface Plan {
  /** Identifies exactly these operations; only an approved plan runs. */
  hash: string;
  operations: Operation[];
  /** The plan in words. */
  summary: string;
  counts: { updateCrona: number; updateHuma: number; createCrona: number; createHuma: number; left: number; skipped: number };
  /** Left out, and why: would_clear (a bulk choice never clears), not_allowed, not_creatable. */
  skipped: { differenceId?: string; person: PersonRef; reason: Issue }[];
  /** Per difference, in the preview's order: what the plan does with it and why. Show this
   * rather than working it out again: it is the core's one rule. */
  resolutions: Resolution[];
  /** Everything the preview blocks: never written, whatever was decided. */
  blocked: Blocker[];
  /** More people change than the mass-change guard allows without approval. */
  needsMassChangeApproval: boolean;
  /** Why it needs approval, in words ("it writes 51 fields, more than 50"); empty when it doesn't. */
  massChangeReasons: string[];
}

export interface OperationOutcome {
  /** The plan's operation id; a Huma create's follow-up PATCH ends in ":details". */
  operationId: string;
  kind: Operation['kind'];
  person: PersonRef;
  fields: string[];
  /** `notRun`: never sent (the run was stopped first); `unknown`: sent, but the run stopped
   * before its answer came: it may have been written. */
  outcome: 'done' | 'failed' | 'alreadyExisted' | 'notRun' | 'unknown';
  status?: number;
  /** The API's error code. */
  code?: string;
  message?: string;
  system: System;
  /** The exact writes it concerns; a Huma create that wasn't done carries its follow-up's too. */
  writes: WriteRow[];
}

/** Why a difference remains after a run: the report's own reasons (failed, notApplied, blocked,
 * leftByChoice, unverified, notRun: the run was stopped before it was written) or the code the plan skipped it with (would_clear, not_allowed,
 * manual_sync: a push left it for "Synchronize users"). A skip code the plan gains later arrives
 * as the plan writes it, hence the open end. */
export type RemainingReason =
  | 'failed' | 'notApplied' | 'blocked' | 'leftByChoice' | 'unverified' | 'notRun'
  | 'would_clear' | 'not_allowed' | 'manual_sync'
  | (string & {});

export interface Report {
  /** When the run ran (the session's `now`). */
  time: string;
  outcomes: OperationOutcome[];
  /** This run's error log: time, person, fields, system, status, code, message. */
  errors: { time: string; person: PersonRef; fields: string[]; system: System; status: number | null; code: string | null; message: string; /** no answer, 408, 429 or 5xx: the same write may pass later */ transient: boolean }[];
  /** `unknown`: writes sent whose answer never came (the run was stopped): they may have been written. */
  summary: { text: string; counts: { created: number; updated: number; alreadyExisted: number; failed: number; notRun: number; unknown: number; remaining: number } };
  /** What still differs after the run, and why. */
  remaining: { difference: Difference; reason: RemainingReason; explanation: string }[];
  /** Re-fetches that failed: these results couldn't be checked. */
  unverified: string[];
  /** Store it (without secrets) and pass it as `state` to the next sync. */
  nextState: SyncState;
  /** The run was stopped (SyncSession.stop) before every write was sent. */
  stopped: boolean;
}

/**
 * Counts for a fetch's progress bar. The work is counted in requests, since requests take the
 * time: each Huma person is two (details, positions), a listing one per page, so 10,000 Crona
 * employees are 50 requests and 10,000 Huma people 20,200. The share done is
 * `requestsAnswered / requestsTotal`; after the fetch, the counts as it ended.
 */
export interface FetchProgress {
  /** Huma people listed so far. */
  humaListed: number;
  /** Of those, whose details have arrived. */
  humaRead: number;
  /** Crona employees read so far. */
  cronaRead: number;
  /** Requests outstanding. */
  pending: number;
  /** Huma people to read: the `total` Huma's user list stated (null until its first page
   * answered), or in a push the people named. */
  humaTotal: number | null;
  /** Huma people read in full: details answered and positions list finished (read whole, or
   * found unreadable); in a push, one gone or outside the group counts too. */
  humaDone: number;
  /** The `total` Crona's employee list stated; null until its first page answered. */
  cronaTotal: number | null;
  /** Requests answered so far. */
  requestsAnswered: number;
  /** Requests the fetch takes in all, by the stated totals: answered, outstanding and still to
   * come. Null until both systems stated their totals. */
  requestsTotal: number | null;
}

/**
 * One synchronisation, sans-IO: `poll()` gives the requests to perform, `handle()` takes the
 * answers (in any order), `preview()` gives the differences once the fetch is complete. Run it
 * with `drive()`. A failed or unreadable answer, or a listing that doesn't add up to the total
 * the API stated, ends the fetch with a CronaSyncError naming system, request and status; the
 * phase becomes "failed" and nothing can be planned. Codes: `fetch_unavailable` (no answer,
 * 408, 429, 5xx: worth retrying later), `incomplete_listing` (a short, empty or repeated page,
 * a changing total: retry later), `fetch_unauthorized`, `fetch_forbidden`, `fetch_not_found`,
 * `fetch_failed`, `malformed_response`. Their `details` carry `transient` (retry, or hold for a
 * person) and, when one person's read failed, `humaUserId`.
 */
export declare class SyncSession {
  constructor(config: SessionConfig);
  readonly phase: SessionPhase;
  poll(): HttpRequest[];
  handle(responses: HttpResponse[]): void;
  progress(): FetchProgress;
  preview(): Preview;
  /** Pure and cheap: call it on every change of a decision. Throws invalid_argument for
   * decisions that name differences or people the preview doesn't have. */
  plan(decisions?: Decisions): Plan;
  /** Runs the plan with this hash; then drive() again. Throws stale_plan, mass_change_refused. */
  apply(hash: string, options?: { allowMassChange?: boolean }): void;
  /** Stops a running plan safely: poll() gives no new write (those not handed out end
   * `notRun`), the writes handed out are still answered through handle() (one sent whose answer
   * the runner gave up on: `{ status: 0, error: { code: 'aborted' } }`, ends `unknown`; one never
   * sent: `code: 'not_sent'`, `notRun`), then everyone touched is read back and report() works
   * as after a whole run, with a nextState that activates the connection. Does nothing once
   * verifying or done; throws protocol_error before apply(). drive()'s `stop` calls it. */
  stop(): void;
  /** Once the phase is "done". */
  report(): Report;
  free(): void;
}

/** A request the core asks the runner to perform. */
export interface HttpRequest {
  id: string;
  system: System;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to the system's base URL, starting with `/`. */
  path: string;
  /** Arrays become repeated keys (`team=a&team=b`). */
  query?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  /** JSON text (or a value to serialise). */
  body?: string | object;
  /** May be retried after a network failure even though it is a POST. */
  idempotent?: boolean;
}

/** What the runner hands back. `status` 0 means no HTTP answer arrived. */
export interface HttpResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  /**
   * The body as it came off the wire. The transports give the bytes (`Uint8Array`, from
   * `response.arrayBuffer()`), which the session reads as UTF-8 JSON without a detour through a
   * JavaScript string; text is accepted too (tests, hand-made answers). Read it yourself with
   * `new TextDecoder().decode(body)`. A body that isn't UTF-8 JSON of the API's shape ends the
   * fetch with `malformed_response`.
   */
  body: string | Uint8Array;
  /** How many times the request was sent. */
  attempts?: number;
  /** How many of those attempts were answered 429 (rate limited). */
  rateLimited?: number;
  /** Set when the transport gave up (network failure, or retries exhausted), or, with status 0,
   * when the runner never sent it (`not_sent`: the run was stopped first) or stopped waiting for
   * its answer after sending it (`aborted`: a write may have been made). */
  error?: { code: 'network_error' | 'retries_exhausted' | 'not_sent' | 'aborted'; message: string };
}

export interface RetryPolicy {
  /** Attempts after the first. Default 5. */
  retries: number;
  /** First back-off ceiling in ms; doubles per attempt. Default 500. */
  baseDelayMs: number;
  /** Back-off ceiling in ms. Default 30 000. */
  maxDelayMs: number;
  /** Longest Retry-After honoured, in ms; longer means give up. Default 120 000. */
  maxRetryAfterMs: number;
  /**
   * How long one request may go on being rate limited, in ms, counted from its first 429 with a
   * Retry-After of at most `maxRetryAfterMs`. Such 429s don't count against `retries`: the request
   * waits (with the rest of its system) as long as the server asks, until the next wait would pass
   * this budget. Default 600 000 (10 minutes).
   */
  rateLimitBudgetMs: number;
}

interface TransportOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Per attempt, ms. Default 30 000. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
}

export interface SystemTransport {
  readonly system: System;
  readonly baseUrl: string;
  send(request: HttpRequest, options?: { signal?: AbortSignal }): Promise<HttpResponse>;
}

export interface HumaTransport extends SystemTransport {
  readonly system: 'huma';
  /** Requests a token now; throws `huma_auth_failed` for wrong credentials. */
  verify(options?: { signal?: AbortSignal }): Promise<{ organizationId: string }>;
}

export interface CronaTransport extends SystemTransport {
  readonly system: 'crona';
  /** Exchanges the activation code (or proves the key); throws `crona_activation_failed`. */
  verify(options?: { signal?: AbortSignal }): Promise<{ companyId: string; companyName: string }>;
}

export declare function humaTransport(
  options: TransportOptions & { clientId: string; clientSecret: string; now?: () => number },
): HumaTransport;

export declare function cronaTransport(
  options: TransportOptions & {
    activationCode?: string;
    /** A key from an earlier exchange: proved by verify(); exchanged again (with the code) only if Crona refuses it. */
    apiKey?: string;
    /** Told each new key an exchange gives, so a runner can keep it. */
    onKey?: (apiKey: string, company: { companyId: string; companyName: string }) => void;
  },
): CronaTransport;

/** One row of the field table (`fields()`): the one source of field names, labels and API properties. */
export interface FieldInfo {
  /** As previews, plans and reports name it: `bankAccount`, `address`, `anstDatum`. */
  key: string;
  /** `mapped`: synced both ways; `position`: derived from Huma's positions, written to Crona only. */
  kind: 'mapped' | 'position';
  /** How a person reads it, as a heading ("Salary account"). */
  label: string;
  /** The same mid-sentence ("salary account"). */
  phrase: string;
  /** The Huma property ("positions" for a position value). */
  huma: string;
  /** The Crona Employee properties. */
  crona: string[];
  /** A person can't exist without it. */
  required: boolean;
}

/** The field table, in the order previews show fields. */
export declare function fields(): FieldInfo[];

/** A field's label by its key; the key itself for one the table doesn't know. */
export declare function fieldLabel(key: string): string;

/**
 * A transport for a page served by the integration service (`crona-sync serve --data DIR`): it
 * sends the core's requests to the same-origin relay (`/relay/<connection>/huma` or `/crona`),
 * with the page's session cookie; the service attaches the connection's credentials.
 */
export declare function relayTransport<S extends System>(
  options: TransportOptions & { system: S; /** Sent with every request: the run's lease token as `x-crona-sync-lease`. */ headers?: Record<string, string> },
): SystemTransport & { readonly system: S };

/** What drive() needs of a session: the sans-IO poll/handle pair. */
export interface DriveSession {
  readonly phase?: string;
  /** New requests to send (each returned once); [] when none. */
  poll(): HttpRequest[];
  handle(responses: HttpResponse[]): void;
  /** Needed for drive()'s `stop`: no new write from poll() after it. */
  stop?(): void;
}

export type DriveTransport = { [S in System]?: SystemTransport };

export interface DriveProgress {
  phase: string | null;
  /** Requests answered (any status). */
  done: number;
  /** Of those, not 2xx (or no answer). */
  failed: number;
  /** Extra attempts spent on retries. */
  retries: number;
  /** 429 answers (rate limited) met by the requests answered so far; see `HttpResponse.rateLimited`. */
  rateLimited: number;
  /** Requests handed back unsent after `stop` (not counted in `done`). */
  notSent: number;
  huma: { done: number; failed: number };
  crona: { done: number; failed: number };
  inflight: number;
  queued: number;
}

export interface DriveOptions {
  /** Requests in flight at once, 1–64. Default 4. */
  concurrency?: number;
  onProgress?: (progress: DriveProgress) => void;
  /** The hard abort (the lease is lost, the page goes away): requests in flight are aborted
   * and drive() rejects with `aborted`. */
  signal?: AbortSignal;
  /** Stop sending, finish what is in flight: drive() calls `session.stop()`, hands back every
   * request it hasn't started as `{ status: 0, error: { code: 'not_sent' } }`, lets the
   * requests in flight complete and hands their answers to the session, then goes on with what
   * the session still asks (the read-back) and resolves. */
  stop?: AbortSignal;
}

/**
 * Runs a session to completion. A request the transport gave up on (retries exhausted, no
 * answer) is handed to the session like any response, with `error` set: the session decides
 * what it means (a failed fetch ends the sync; a failed write is reported). Rejects with
 * `aborted`, an auth error (`huma_auth_failed`, `crona_activation_failed`), `invalid_response`,
 * or the error the session throws.
 */
export declare function drive(session: DriveSession, transport: DriveTransport, options?: DriveOptions): Promise<void>;

/** Node: a no-op (the core is ready at import). Browsers: see `crona-sync/web`. */
export default function init(): Promise<void>;
