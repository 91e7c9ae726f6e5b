// A progress bar on stderr, only when stderr is a terminal. Its own \r and erase-line codes
// redraw it; the label is made visible, so it can't add any of its own.
import { visible } from '../text.js';

/**
 * @param {string} label
 * @returns {{ update: (p: import('../../index.js').DriveProgress) => void, done: () => void }}
 */
export function progressBar(label) {
  const stream = process.stderr;
  if (!stream.isTTY) return { update() {}, done() {} };
  const shown = visible(label);
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 80) return;
      last = now;
      const total = p.done + p.inflight + p.queued;
      const width = 24;
      const filled = total ? Math.round((p.done / total) * width) : 0;
      stream.write(`\r${shown} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${p.done}/${total}${p.failed ? ` (${p.failed} failed)` : ''}  `);
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}
