// Files the CLI keeps: written atomically (a crash leaves the old file or the new one, never
// half of one), and a lock so two runs on one connection can't interleave.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
 * @param {string} path
 * @returns {() => void} release
 */
export function lock(path) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      const pid = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new CronaSyncError('locked', `Another crona-sync run (process ${pid}) is using this connection; wait for it to finish. (Lock file: ${path})`);
      }
      rmSync(path, { force: true }); // left by a run that was killed
    }
  }
  throw new CronaSyncError('locked', `Couldn't take the lock ${path}.`);
}

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
