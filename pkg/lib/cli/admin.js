// `crona-sync admin add|reset|link NAME`: the integration service's administrators, on the
// server itself (whoever can run this can read the data directory anyway). The password comes
// from CRONA_SYNC_PASSWORD or is read from standard input, never from a flag.
import { createInterface } from 'node:readline';
import { CronaSyncError } from '../errors.js';
import { addAdmin, signinLink, SIGNIN_LINK_MS } from '../service/bootstrap.js';
import { checkPassword, hashPassword } from '../service/passwords.js';
import { Store } from '../service/store.js';
import { visible } from '../text.js';
import { dataDir } from './backup.js';

/** The password: CRONA_SYNC_PASSWORD, else one line of standard input (not echoed on a terminal). */
async function password() {
  const given = process.env.CRONA_SYNC_PASSWORD;
  if (given) return checkPassword(given);
  const tty = process.stdin.isTTY;
  if (tty) process.stderr.write('Password (at least 12 characters, not shown): ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  if (tty) process.stdin.setRawMode?.(false);
  const line = await new Promise((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  if (tty) process.stderr.write('\n');
  return checkPassword(String(line));
}

/** @param {Record<string, any>} flags */
export async function admin(flags) {
  const action = flags.action;
  const name = flags.name;
  if (!['add', 'reset', 'link', 'remove'].includes(action) || !name) {
    throw new CronaSyncError('usage', 'Usage: crona-sync admin add|reset|link|remove NAME [--data DIR] (see crona-sync admin --help).');
  }
  const store = Store.open(dataDir(flags));
  try {
    if (action === 'add') {
      await addAdmin(store, name, await password());
      process.stdout.write(`Added the administrator ${visible(JSON.stringify(name))}; they sign in on the integration page.\n`);
    } else if (action === 'reset') {
      const who = store.admin(name);
      if (!who) throw new CronaSyncError('usage', `There is no administrator named ${JSON.stringify(name)}.`);
      store.setPassword(who.id, await hashPassword(await password()));
      process.stdout.write(`New password set for ${visible(JSON.stringify(name))}; their sessions have ended.\n`);
    } else if (action === 'remove') {
      if (!store.removeAdmin(name)) throw new CronaSyncError('usage', `There is no administrator named ${JSON.stringify(name)}.`);
      process.stdout.write(`Removed the administrator ${visible(JSON.stringify(name))}; their sessions and links have ended. Their runs keep their name.\n`);
    } else {
      const base = String(flags.url ?? `http://127.0.0.1:${flags.port ?? 8787}`).replace(/\/+$/, '');
      const token = signinLink(store, name);
      process.stdout.write(`${base}/#signin=${token}\n(signs ${visible(JSON.stringify(name))} in once, within ${SIGNIN_LINK_MS / 60_000} minutes)\n`);
    }
  } finally {
    store.close();
  }
  return 0;
}
