#!/usr/bin/env node
// The `crona-sync` command. Exit codes: 0 done, 1 finished with failed operations, 2 usage or
// configuration error, 3 could not fetch (auth, network), 4 refused (mass change, stale plan,
// another run in progress, not confirmed).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { version } from './index.js';
import { CronaSyncError } from './lib/errors.js';
import { connect, preview, sync } from './lib/cli/commands.js';
import { push } from './lib/cli/push.js';
import { serve } from './lib/cli/serve.js';
import { backup } from './lib/cli/backup.js';
import { importFiles } from './lib/cli/import.js';
import { admin } from './lib/cli/admin.js';
import { smtp } from './lib/cli/smtp.js';
import { visible, visibleJson } from './lib/text.js';

const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2, fetch: 3, refused: 4 });

const CONNECTION = `Connection (every command):
  --connection FILE   connection file (default ./crona-sync.json); holds no secrets
  --data DIR          use the integration service's store in DIR instead of files: its
                      connections, sealed secrets, state, lease and error log
                      (--connection NAME then picks one when it has several)
  --huma-url URL      Huma base URL   (else HUMA_URL, else the connection file)
  --crona-url URL     Crona base URL  (else CRONA_URL, else the connection file)
  --secrets FILE      KEY=VALUE file with the secrets below (keep it chmod 600, outside git)
  --company ID, --team ID, --location ID   the Huma group the connection covers (repeatable)
  --json              machine-readable output on stdout
Secrets, from the environment or --secrets, never from flags (they'd land in shell history):
  HUMA_CLIENT_ID, HUMA_CLIENT_SECRET, and CRONA_API_KEY or CRONA_ACTIVATION_CODE`;

const EXIT_CODES = `Exit codes:
  0  done
  1  finished, but some operations failed (see the report and the error log)
  2  usage or configuration error
  3  could not fetch a complete register (authentication, network, or a listing that didn't
     add up to the total the API stated: nothing was written)
  4  refused (mass change without --allow-mass-change, a stale plan, another run in progress,
     or the plan not confirmed)`;

const HELP = {
  main: `crona-sync — keep a Crona Lön employee register in step with Huma

Usage:
  crona-sync <command> [options]
  crona-sync <command> --help
  crona-sync --version

Commands:
  connect   verify the Huma API key and the Crona activation code; write a connection file
  preview   fetch both systems and print the differences (a dry run: writes nothing)
  sync      preview, decide (policy file or interactively), confirm, apply, report
  push      send what changed in Huma for some people to Crona now (after the first sync)
  serve     with --data DIR: the integration service (the page, its API, the relay, sign-in);
            without: receive Huma's profile webhooks and push each change to Crona
  admin     add or remove an administrator of the service, reset a password, make a sign-in link
  smtp      the service's SMTP server for the result e-mail
  backup    copy the integration service's store to a file, while it runs
  import    bring a connection kept in files (connection, state, error log) into the store

${EXIT_CODES}
`,
  connect: `crona-sync connect — verify both credentials and write the connection file

Usage: crona-sync connect [--name NAME] [connection options]

Writes the name, base URLs, scope, Huma client ID and the Crona company to the connection file.
Secrets are never written to it.

${CONNECTION}

${EXIT_CODES}
`,
  preview: `crona-sync preview — print the differences, blockers and one-side-only people

Usage: crona-sync preview [--state FILE] [--json] [connection options]

  --state FILE        the state from earlier syncs (default: <connection>.state.json)

${CONNECTION}

${EXIT_CODES}
`,
  sync: `crona-sync sync — preview, decide, confirm, apply and report

Usage: crona-sync sync [--policy FILE] [--yes] [--allow-mass-change] [--report FILE] [options]

  --policy FILE         decisions without asking, e.g.
                        {"fields": {"bankAccount": "crona", "*": "huma"}, "createInCrona": "all"}
                        and per difference: {"choices": {"<id from preview --json>": "huma"}}
                        (without it, on a terminal, you are asked per field)
  --yes                 apply without asking for confirmation
  --allow-mass-change   approve a plan that changes many people at once
  --report FILE         write the report as JSON to FILE and as text to FILE.txt
  --error-log FILE      where failures are appended (default: <connection>.errors.jsonl)
  --state FILE          the state file, written atomically after each run
  --concurrency N       requests in flight (default 6)

${CONNECTION}

${EXIT_CODES}
`,
  push: `crona-sync push — send what changed in Huma for some people to Crona now

Usage: crona-sync push --user ID [--user ID…] [--auto-create] [options]
       crona-sync push --approve-held [options]

Reads those Huma users and their Crona records and sends, without asking, only what is safe
unattended: Huma → Crona, the fields that changed in Huma since the last sync (or fill a gap
in Crona), and changed employment dates and job title. It never clears a value, never
writes AnstNr or a pending e-mail, and never overwrites a change made in Crona: those wait
for 'crona-sync sync', and the report says so (reason manual_sync). Needs an active
connection (a first sync). Nothing is created unless --auto-create.

What serve couldn't push unattended waits in the held file: a burst of changes that would be
a mass change, or a person Huma won't serve. --approve-held pushes those people now, as an
approved mass change; whoever still can't be read stays held. A sync covers held events too.

  --user ID             a Huma user id (repeatable)
  --approve-held        push what serve held for an administrator
  --held FILE           the held file (default: <connection>.held.jsonl)
  --auto-create         create a Huma user who has no Crona employee yet
  --state FILE          the state file (default: <connection>.state.json)
  --error-log FILE      where failures are appended (default: <connection>.errors.jsonl)

${CONNECTION}

${EXIT_CODES}
`,
  serve: `crona-sync serve — the integration service, or the webhook receiver

Usage: crona-sync serve --data DIR [--port 8787] [--host 127.0.0.1] [--public-url URL --trust-proxy] [--retain-days 90]
       crona-sync serve [--port 8787] [--host 127.0.0.1] [--path /huma/webhooks] [options]

With --data DIR: the integration service, the one home of every connection in DIR's store. It
serves the integration page at /, its API under /api/, the relay /relay/<connection>/huma|crona
that attaches the sealed credentials, and GET /healthz. Every route but /healthz needs a
signed-in administrator; the first start prints a one-time link to create the first one
(or use 'crona-sync admin add NAME'). It listens on 127.0.0.1 and answers only for this
machine's own names: in production put it behind an https reverse proxy and give the address
people open with --public-url and --trust-proxy (cookies then go Secure; X-Forwarded-Proto,
-Host and -For are believed). Run reports and errors older than --retain-days are deleted.

  --data DIR            the data directory (created 0700; holds crona-sync.db and secret.key)
  --public-url URL      the address people open (https://sync.example.se); needed with --trust-proxy
  --trust-proxy         believe X-Forwarded-* from the reverse proxy in front
  --retain-days N       keep run reports and the error log N days (default 90)

Without --data: the webhook receiver of a connection kept in files.

In Huma: System settings → webhooks, receiver URL = this server's public HTTPS address (put it
behind a reverse proxy that terminates TLS), with a client secret. Give the same secret here as
HUMA_WEBHOOK_SECRET (and HUMA_WEBHOOK_TOKEN if you set an access token there).

Every delivery is checked (huma-hmac-sha256 over the raw body, hex or base64, compared in
constant time; 401 when missing or wrong; 400 when huma-topic and the body's topic differ; 413
above --max-body), written to the queue file and only then answered 202. users-create,
users-update and users-export are pushed like 'crona-sync push'; users-delete is acknowledged
and nothing is deleted in Crona. A burst for the same people becomes one push after
--debounce ms; one push runs at a time. Queued events survive a crash or restart and are
replayed once. A push that would be a mass change, or that fails for a reason retrying
can't cure, is held for an administrator (the held file, the error log, and /health's
status "needs_attention"): 'crona-sync push --approve-held' runs it, a sync covers it.
Transient failures (no answer, 429, 5xx) are retried with a growing pause until they pass.
GET <path>/health answers {status, queued, waitingPeople, held, heldPeople, lastPush, lastError}.
SIGTERM or Ctrl-C finishes the running push and stops.

  --port N              port to listen on (default 8787; 0 = any free port)
  --host ADDR           address to listen on (default 127.0.0.1)
  --path PATH           the webhook path (default /huma/webhooks)
  --debounce MS         quiet time before a push (default 2000)
  --max-body BYTES      largest body accepted (default 1048576)
  --queue FILE          the queue file (default: <connection>.queue.jsonl)
  --held FILE           the held file (default: <connection>.held.jsonl)
  --auto-create         create new Huma users in Crona too (default: only a sync creates)
  --state FILE, --error-log FILE   as for push

${CONNECTION}
  HUMA_WEBHOOK_SECRET, HUMA_WEBHOOK_TOKEN   the webhook's client secret / access token

${EXIT_CODES}
`,
  backup: `crona-sync backup — copy the integration service's store to a file, while it runs

Usage: crona-sync backup FILE [--data DIR]

Writes a consistent copy of DIR/crona-sync.db (default DIR: ./crona-sync-data) to FILE, a new
file, readable by you only. The copy holds the secrets sealed: it is of use only with the key
(DIR/secret.key or CRONA_SYNC_KEY), so keep the two apart. Safe while the service runs.

  --data DIR            the data directory (default ./crona-sync-data)

${EXIT_CODES}
`,
  admin: `crona-sync admin — the integration service's administrators

Usage: crona-sync admin add NAME [--data DIR]
       crona-sync admin reset NAME [--data DIR]
       crona-sync admin link NAME [--data DIR] [--url https://sync.example.se]
       crona-sync admin remove NAME [--data DIR]

add    a new administrator; reset  a new password (their sessions end); link  prints a link that
signs NAME in once, within 15 minutes; remove  ends their access (their runs keep their name). The password comes from CRONA_SYNC_PASSWORD, or one line
on standard input, never from a flag; at least 12 characters.

  --data DIR            the data directory (default ./crona-sync-data)
  --url URL             the service's address, for the link (default http://127.0.0.1:8787)

${EXIT_CODES}
`,
  smtp: `crona-sync smtp — the SMTP server the integration service sends the result e-mail through

Usage: crona-sync smtp --host HOST [--port 587] [--tls starttls|implicit|none] [--login USER] --from ADDRESS [--data DIR]
       crona-sync smtp --off [--data DIR]
       crona-sync smtp [--data DIR]          (shows the current one)

After each "Synchronize users" (and, where a connection asks for it, after a daily run or a
webhook push that wrote or failed) the service e-mails the summary and the error log to the
connection's recipients. Without an SMTP server nothing is sent, and the page says so. The
password comes from CRONA_SYNC_SMTP_PASSWORD and is sealed in the store. --tls none is allowed
only for a server on this machine.

${EXIT_CODES}
`,
  import: `crona-sync import — bring a connection kept in files into the store

Usage: crona-sync import --data DIR [--connection FILE] [--state FILE] [--error-log FILE]

Verifies the credentials (from the environment or --secrets FILE, as for connect) against the
systems and the state file, then keeps the connection in the store with its secrets sealed,
its state (pairs, activation, baseline: the next sync goes on where the last one ended) and its
error log. Once: a connection the store already has with a state is refused. The files are
left as they were.

${CONNECTION}

${EXIT_CODES}
`,
};

const OPTIONS = /** @type {const} */ ({
  data: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  json: { type: 'boolean' },
  connection: { type: 'string' },
  'huma-url': { type: 'string' },
  'crona-url': { type: 'string' },
  secrets: { type: 'string' },
  company: { type: 'string', multiple: true },
  team: { type: 'string', multiple: true },
  location: { type: 'string', multiple: true },
  name: { type: 'string' },
  state: { type: 'string' },
  policy: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'allow-mass-change': { type: 'boolean' },
  report: { type: 'string' },
  'error-log': { type: 'string' },
  concurrency: { type: 'string' },
  today: { type: 'string' },
  user: { type: 'string', multiple: true },
  'auto-create': { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  path: { type: 'string' },
  debounce: { type: 'string' },
  'max-body': { type: 'string' },
  queue: { type: 'string' },
  held: { type: 'string' },
  'approve-held': { type: 'boolean' },
  'trust-proxy': { type: 'boolean' },
  'public-url': { type: 'string' },
  tls: { type: 'string' },
  login: { type: 'string' },
  from: { type: 'string' },
  off: { type: 'boolean' },
  'retain-days': { type: 'string' },
  url: { type: 'string' },
});

const COMMANDS = { connect, preview, sync, push, serve, backup, import: importFiles, admin, smtp };
/** Commands that take positional arguments, and the flags they become. */
const POSITIONAL = /** @type {Partial<Record<keyof typeof COMMANDS, string[]>>} */ ({ backup: ['file'], admin: ['action', 'name'] });

const CODES = {
  [EXIT.usage]: ['usage', 'admin_exists', 'connection_collision', 'connection_exists', 'already_imported', 'invalid_config', 'invalid_argument', 'invalid_file', 'invalid_base_url', 'missing_credentials', 'state_mismatch', 'connection_mismatch'],
  [EXIT.fetch]: ['huma_auth_failed', 'huma_unavailable', 'crona_activation_failed', 'crona_auth_failed', 'crona_unavailable', 'fetch_unauthorized', 'fetch_forbidden', 'fetch_not_found', 'fetch_failed', 'fetch_unavailable', 'incomplete_listing', 'malformed_response'],
  [EXIT.refused]: ['mass_change_refused', 'stale_plan', 'locked', 'not_confirmed', 'not_active'],
};

/** @param {string} code */
function exitFor(code) {
  for (const [exit, codes] of Object.entries(CODES)) if (codes.includes(code)) return Number(exit);
  return EXIT.failed;
}

/** @param {string[]} argv @returns {Promise<number>} */
export async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = `${error instanceof Error ? error.message : error}. Run 'crona-sync --help'.`;
    if (argv.includes('--json')) process.stdout.write(visibleJson({ error: { code: 'usage', message } }) + '\n');
    process.stderr.write(`crona-sync: ${visible(message)}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.version) {
    const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
    process.stdout.write(`crona-sync ${pkg.version} (core ${version()})\n`);
    return EXIT.ok;
  }
  if (command === undefined || command === 'help') {
    process.stdout.write(HELP.main);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  if (!(command in COMMANDS)) {
    process.stderr.write(`crona-sync: unknown command '${visible(command)}'. Run 'crona-sync --help'.\n`);
    return EXIT.usage;
  }
  const name = /** @type {keyof typeof COMMANDS} */ (command);
  if (values.help) {
    process.stdout.write(HELP[name]);
    return EXIT.ok;
  }
  const positional = POSITIONAL[name] ?? [];
  if (extra.length > positional.length) {
    process.stderr.write(`crona-sync ${name}: unexpected argument '${visible(extra[positional.length])}'. Run 'crona-sync ${name} --help'.\n`);
    return EXIT.usage;
  }
  // A connection file by default; with --data, a connection in the store by name.
  if (!values.data && values.connection === undefined) values.connection = 'crona-sync.json';
  const flags = { ...values, humaUrl: values['huma-url'], cronaUrl: values['crona-url'], ...Object.fromEntries(positional.map((p, i) => [p, extra[i]])) };
  try {
    return await COMMANDS[name](flags);
  } catch (error) {
    // A file that can't be read or written (a missing folder, no permission) is configuration.
    const system = error instanceof Error && 'code' in error && typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code);
    const e = error instanceof CronaSyncError ? error : new CronaSyncError(system ? 'usage' : 'internal_error', error instanceof Error ? error.message : String(error));
    if (values.json) process.stdout.write(visibleJson({ error: { code: e.code, message: e.message, details: e.details } }) + '\n');
    // The message may quote an API's answer or a name: shown, never obeyed by the terminal.
    process.stderr.write(`crona-sync ${name}: ${visible(e.message)}\n`);
    return exitFor(e.code);
  }
}

process.exitCode = await main(process.argv.slice(2));
