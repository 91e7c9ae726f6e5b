// A progress bar on stderr, only when stderr is a terminal. Its own \r and erase-line codes
// redraw it; the label is made visible, so it can't add any of its own. Writes fill it by
// requests done; a fetch by the share of the work the APIs' stated totals call for, with each
// system's count and the time left (fetch-progress.js, as on the page).
import { visible } from '../text.js';
import { fetchShare, timeLeft } from '../fetch-progress.js';

const WIDTH = 24;

/** "2,512/10,000", or the count alone before the total is stated. @param {number} n @param {number | null} total */
const of = (n, total) => (total === null ? n.toLocaleString('en-GB') : `${n.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')}`);

/**
 * @param {string} label
 * @returns {{ update: (p: import('../../index.js').DriveProgress) => void, fetch: (p: import('../../index.js').FetchProgress) => void, done: () => void }}
 */
export function progressBar(label) {
  const stream = process.stderr;
  if (!stream.isTTY) return { update() {}, fetch() {}, done() {} };
  const shown = visible(label);
  const started = Date.now();
  let last = 0;
  /** @param {number | null} share  null: not known yet @param {string} text */
  const draw = (share, text) => {
    const now = Date.now();
    if (now - last < 80) return;
    last = now;
    const filled = share === null ? 0 : Math.round(share * WIDTH);
    // A line longer than the terminal would wrap, and \r would redraw only its last part.
    const line = `${shown} [${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${text}  `;
    stream.write(`\r${line.slice(0, Math.max(WIDTH, (stream.columns || 80) - 1))}`);
  };
  return {
    update(p) {
      const total = p.done + p.inflight + p.queued;
      draw(total ? p.done / total : 0, `${p.done}/${total}${p.failed ? ` (${p.failed} failed)` : ''}`);
    },
    fetch(p) {
      const share = fetchShare(p);
      const left = timeLeft(share, Date.now() - started);
      draw(share, `Huma ${of(p.humaDone, p.humaTotal)} · Crona ${of(p.cronaRead, p.cronaTotal)}${left ? ` · ${left}` : ''}`);
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}
