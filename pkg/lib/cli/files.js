// Files the CLI keeps: written atomically (a crash leaves the old file or the new one, never
// half of one), and a lock so two runs on one connection can't interleave.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { CronaSyncError } from '../errors.js';

/**
 * @param {string} path
 * @param {string} text
 * @param {{ mode?: number }} [options]
 */
export function writeAtomic(path, text, options = {}) {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', options.mode ?? 0o644);
  try {
    writeFileSync(fd, text);
    // On disk before it replaces the old file: a power cut leaves one or the other, whole.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  syncDirectory(dirname(path));
}

/** Makes a rename in `dir` durable (where the platform allows opening a directory). @param {string} dir */
function syncDirectory(dir) {
  let fd;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here (e.g. Windows): the rename is as durable as the platform makes it.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Reads a JSON file; `fallback` when it doesn't exist.
 * @template T
 * @param {string} path
 * @param {T} fallback
 * @param {string} what  for the error message
 * @returns {T}
 */
export function readJson(path, fallback, what) {
  if (!existsSync(path)) return fallback;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CronaSyncError('invalid_file', `The ${what} ${path} isn't valid JSON: ${error instanceof Error ? error.message : error}`);
  }
}

/**
 * Takes the lock for one connection; a lock left by a process that no longer runs is taken over.
 * The lock file holds `{"pid": …, "startedAt": …}`: the start time tells this process apart from a
 * later one that got the same PID. (An older plain-PID lock file is still understood.)
 * @param {string} path
 * @returns {() => void} release
 */
export function lock(path) {
  const mine = JSON.stringify({ pid: process.pid, startedAt: startTime(process.pid) });
  // Written whole beside the lock, then linked into place: the lock file is never seen empty.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(temp, mine, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(temp, path);
      } catch (error) {
        if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
        const text = readIfThere(path);
        if (text === null) continue; // released meanwhile
        const holder = readHolder(text);
        if (holder && running(holder)) {
          throw new CronaSyncError('locked', `Another crona-sync run (process ${holder.pid}) is using this connection; wait for it to finish. (Lock file: ${path})`);
        }
        takeOverStale(path, text);
        continue;
      }
      // Only our own lock: if it was taken over meanwhile, it is the new holder's.
      return () => {
        if (readIfThere(path) === mine) rmSync(path, { force: true });
      };
    }
  } finally {
    rmSync(temp, { force: true });
  }
  throw new CronaSyncError('locked', `Couldn't take the lock ${path}.`);
}

/**
 * Removes a lock left by a run that was killed: moved aside first and checked, so a fresh lock
 * another run took meanwhile is put back rather than removed.
 * @param {string} path @param {string} stale  what the lock said when it was judged stale
 */
function takeOverStale(path, stale) {
  const aside = `${path}.${process.pid}.${Date.now()}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return; // gone already
    throw error;
  }
  if (readIfThere(aside) !== stale) {
    try {
      linkSync(aside, path);
    } catch {
      // Another run holds a newer lock now; ours to try again finds it.
    }
  }
  rmSync(aside, { force: true });
}

/** @param {string} path @returns {string | null} null when there is no such file */
function readIfThere(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * What a lock file says: `{pid, startedAt}`, or a plain PID (written by older versions).
 * Null when it names no process (empty, half-written or garbage: nobody can be holding it).
 * @param {string} text
 * @returns {{ pid: number, startedAt: string | null } | null}
 */
export function readHolder(text) {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return validPid(Number(trimmed)) ? { pid: Number(trimmed), startedAt: null } : null;
  try {
    const json = JSON.parse(trimmed);
    if (!validPid(json?.pid)) return null;
    return { pid: json.pid, startedAt: typeof json.startedAt === 'string' ? json.startedAt : null };
  } catch {
    return null;
  }
}

/** @param {unknown} pid @returns {pid is number} */
function validPid(pid) {
  return typeof pid === 'number' && Number.isInteger(pid) && pid > 0;
}

/**
 * Whether the process that wrote a lock still runs. With /proc (Linux): the PID exists, is not
 * a zombie (killed but not yet reaped by its parent) or dead, and started when the lock says.
 * Elsewhere only whether the PID exists.
 * @param {{ pid: number, startedAt: string | null }} holder
 */
export function running(holder) {
  const stat = procStat(holder.pid);
  if (stat === undefined) return exists(holder.pid); // no /proc here
  if (stat === null) return false; // no such process
  if (stat.state === 'Z' || stat.state === 'X' || stat.state === 'x') return false;
  return holder.startedAt === null || holder.startedAt === stat.startTime;
}

/**
 * A process's start time as /proc gives it (clock ticks since boot), or null without /proc.
 * @param {number} pid
 * @returns {string | null}
 */
export function startTime(pid) {
  return procStat(pid)?.startTime ?? null;
}

/**
 * The state and start time from /proc/PID/stat. Undefined when this system has no /proc, null
 * when it has but there is no such process.
 * @param {number} pid
 * @returns {{ state: string, startTime: string } | null | undefined}
 */
function procStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : '';
    if (!(code === 'ENOENT' || code === 'ESRCH') || !existsSync('/proc/self/stat')) return undefined;
    // Gone, unless /proc hides other users' processes (hidepid): then ask the kernel the old way.
    return exists(pid) ? undefined : null;
  }
  // "PID (comm) state ppid … starttime …": comm may hold spaces and parentheses, so the fields
  // are counted from after the last ")". There, field 3 (state) is the first, field 22 the 20th.
  const fields = text.slice(text.lastIndexOf(')') + 1).trim().split(/\s+/);
  const state = fields[0];
  const start = fields[19];
  if (!state || !start || !/^\d+$/.test(start)) return undefined;
  return { state, startTime: start };
}

/** @param {number} pid */
function exists(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
