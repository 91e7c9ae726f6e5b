// Shared JSDoc types of the sandbox. Types only: nothing here runs.

/**
 * Huma's postal address as stored (and served) by the emulator. Empty lines are "".
 * @typedef {{ line1: string, line2: string, line3: string, postalCode: string, city: string, country: string }} Address
 */

/**
 * A Huma bank account as stored. `national` is what Swedish employees have; `international` has no Crona target.
 * @typedef {{ type: 'national', number: string, country: string }
 *         | { type: 'international', iban: string, bic: string, code: string }} BankAccount
 */

/** @typedef {'locked_disconnect' | 'possibly_locked_disconnect'} IntegrationWarning */

/**
 * A Huma user as the emulator keeps it: plain values; the API shapes are built from it on every response.
 * @typedef {Object} HumaUser
 * @property {string} id
 * @property {'user' | 'service_user'} type
 * @property {boolean} hidden               left out of GET /users (the API key's own service user)
 * @property {string | null} givenName
 * @property {string | null} familyName
 * @property {string | null} preferredName
 * @property {string} email                 the login / work e-mail
 * @property {string | null} requestedEmail a pending e-mail change (EmailField.requestedValue)
 * @property {string | null} privateEmail
 * @property {string | null} phone
 * @property {Address | null} homeAddress
 * @property {BankAccount | null} bankAccount
 * @property {string | null} employmentId
 * @property {string | null} birthDate
 * @property {string | null} gender
 * @property {string | null} nationality
 * @property {{ id: string, value: string } | null} personnummer
 * @property {string[]} groupIds            company, location and team ids
 * @property {string | null} supervisorId
 * @property {boolean} active
 * @property {string | null} deactivatedAt
 * @property {string | null} invitedAt
 * @property {string | null} lastLoggedInAt
 * @property {Record<string, IntegrationWarning>} locked  fields an integration controls (editable: false)
 * @property {boolean} emptyAsNull          empty fields are served as {"value": null, ...} rather than without value
 */

/**
 * A Huma position (employment period) as stored.
 * @typedef {Object} HumaPosition
 * @property {string} id
 * @property {string} userId
 * @property {string | null} contractStartDate
 * @property {string | null} contractEndDate
 * @property {string | null} firstDayOfWork
 * @property {string | null} lastDayOfWork
 * @property {string | null} probationEndDate
 * @property {string | null} terminationNoticeDate
 * @property {string} contractType
 * @property {number | null} percentage
 * @property {string | null} titleId
 * @property {string | null} contractCountry
 * @property {string | null} description
 * @property {string | null} note
 * @property {string | null} endNote
 * @property {string | null} endReason
 * @property {boolean | null} wantedEnd
 */

/**
 * A Huma group: company, location or team.
 * @typedef {Object} HumaGroup
 * @property {string} id
 * @property {string} name
 * @property {'company' | 'location' | 'team'} type
 * @property {string} [organizationNumber]
 * @property {{ line1: string, postalCode: string, city: string, country: string }} [address]
 */

/** @typedef {{ id: string, name: string, description?: string }} JobTitle */

/**
 * A Crona employee: exactly the Crona field names; absent and null both mean empty.
 * @typedef {{ AnstNr: string } & Partial<Record<CronaTextField, string | null>> & { Slutat?: boolean | null }} Employee
 */

/**
 * @typedef {'FoNamn' | 'EfNamn' | 'Adress1' | 'Adress2' | 'PostNr' | 'PostOrt' | 'LandAdr' | 'Mobil' | 'EpostArb'
 *         | 'EpostPriv' | 'UtbetClearNr' | 'UtbetKontoNr' | 'AnstDatum' | 'AvgDatum' | 'Befattning'} CronaTextField
 */

/**
 * Everything one generation produced; the API handlers mutate it in place.
 * @typedef {Object} World
 * @property {number} seed
 * @property {number} people
 * @property {string} today
 * @property {number} drift             the share of plain matched persons given one difference (0..1)
 * @property {HumaWorld} huma
 * @property {CronaWorld} crona
 * @property {PlantedCase[]} planted
 * @property {DriftedCase[]} drifted    the persons `drift` changed, by person order (never in `planted`)
 */

/**
 * @typedef {Object} HumaWorld
 * @property {string} organizationId
 * @property {string} clientId
 * @property {string} clientSecret
 * @property {string} serviceUserId      the token's userId; `me` resolves to it
 * @property {HumaGroup[]} groups
 * @property {Map<string, HumaGroup>} groupsById
 * @property {JobTitle[]} jobTitles
 * @property {Map<string, JobTitle>} jobTitlesById
 * @property {HumaUser[]} users          in creation order
 * @property {Map<string, HumaUser>} usersById
 * @property {Map<string, HumaPosition[]>} positions  by user id
 * @property {{ sorted: HumaUser[] | null, subordinates: Map<string, number> | null }} cache
 */

/**
 * @typedef {Object} CronaWorld
 * @property {string} activationCode
 * @property {string} apiKey
 * @property {string} companyId
 * @property {string} companyName
 * @property {Map<string, Employee>} employees  by AnstNr
 * @property {{ sorted: Employee[] | null }} cache
 */

/**
 * One deliberately planted case the sync must handle. `huma` and `crona` hold the values exactly as the APIs serve
 * them for `field` (see data/fields.js); the vocabulary of `kind` is documented in data/plant.js.
 * @typedef {Object} PlantedCase
 * @property {string} kind
 * @property {string} [field]      a mapped field: email, employmentId, givenName, familyName, address, phone, bankAccount, privateEmail
 * @property {string} [part]       for address: the differing part (line1, line2, postalCode, country …)
 * @property {string} [humaId]
 * @property {string} [anstNr]
 * @property {string | null} [email]
 * @property {string[]} [humaIds]  cases that involve several Huma users
 * @property {string[]} [anstNrs]  cases that involve several Crona employees
 * @property {unknown} [huma]
 * @property {unknown} [crona]
 * @property {DerivedPositionValues} [expected]  position cases: the Crona values DOMAIN.md §2 derives from Huma
 * @property {string} note
 */

/**
 * One drifted person (data/drift.js): a plain matched person with exactly one differing mapped field. Shaped like a
 * PlantedCase; `kind` is conflict, missingInHuma or missingInCrona.
 * @typedef {Object} DriftedCase
 * @property {string} kind
 * @property {string} field
 * @property {string} [part]
 * @property {string} humaId
 * @property {string} anstNr
 * @property {string} email
 * @property {unknown} huma
 * @property {unknown} crona
 * @property {string} note
 */

/**
 * The Crona fields derived from Huma positions (DOMAIN.md §2).
 * @typedef {{ AnstDatum: string | null, AvgDatum: string | null, Slutat: boolean, Befattning: string | null }} DerivedPositionValues
 */

/**
 * Runtime settings, changeable through POST /_sandbox/settings.
 * @typedef {{ tokenTtlSeconds: number, emailChange: 'immediate' | 'pending', latencyMs: number }} Settings
 */

/**
 * What an API handler answers; the server turns it into the HTTP response and the log entry.
 * `body` undefined = no body; a string is sent as is; anything else as JSON. `webhook`: the profile event a
 * successful write causes, sent (when a receiver is registered) after the response.
 * @typedef {{ status: number, body?: unknown, headers?: Record<string, string>, webhook?: WebhookEvent }} ApiResponse
 */

/** @typedef {'users-create' | 'users-update' | 'users-delete' | 'users-export'} WebhookTopic */

/**
 * One Huma profile webhook (huma-api.md §9): the topic and the affected users with their work e-mail as it was
 * when the event happened.
 * @typedef {{ topic: WebhookTopic, users: { id: string, email: string }[] }} WebhookEvent
 */

/**
 * One API request as the handlers see it (path without the /huma or /crona prefix).
 * @typedef {Object} ApiRequest
 * @property {string} method
 * @property {string} path
 * @property {URLSearchParams} query
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {Buffer} body
 */

export {};
