// How a preview, a plan and a report read as text: the CLI's output and the page's report download. Colour only on a terminal and
// never when NO_COLOR is set (no-color.org). Every value that comes from the APIs or the core
// goes through visible() before it is padded or coloured: its control characters are shown,
// never obeyed, and the colour codes around it stay the CLI's own.
import { visible as v } from './text.js';
import { fieldLabel } from './core.js';
import { fieldName, systemName } from './words.js';
import { reportWrites, writeText, writesLines } from './writes.js';

/** @param {{ isTTY?: boolean }} stream */
export function colours(stream) {
  const on = Boolean(stream.isTTY) && !('NO_COLOR' in process.env);
  const wrap = (/** @type {number} */ a, /** @type {number} */ b) => (/** @type {string} */ s) => (on ? `\x1b[${a}m${s}\x1b[${b}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39) };
}


/** Cut to n columns (never inside a `\u…` escape), or padded to n. @param {string} s @param {number} n */
const fit = (s, n) => (s.length > n ? `${s.slice(0, n - 1).replace(/\\(u[0-9a-f]{0,3})?$/, '')}…`.padEnd(n) : s.padEnd(n));

/**
 * @param {import('../index.js').Preview} p
 * @param {ReturnType<typeof colours>} c
 */
export function previewText(p, c) {
  const k = p.counts;
  const lines = [
    c.bold(`${k.huma} in Huma, ${k.crona} in Crona: ${k.matched} matched, ${k.differences} differences, ${k.blockers} blockers, ${k.onlyInHuma} only in Huma, ${k.onlyInCrona} only in Crona.`),
  ];
  /** @type {Map<string, import('../index.js').Difference[]>} */
  const byPerson = new Map();
  for (const d of p.differences) {
    const key = `${d.person.name}|${d.person.humaId}|${d.person.anstNr}`;
    byPerson.set(key, [...(byPerson.get(key) ?? []), d]);
  }
  if (byPerson.size) lines.push('', c.bold('Differences') + c.dim('  (field, Huma, Crona, suggestion, choices)'));
  for (const diffs of byPerson.values()) {
    const who = diffs[0].person;
    lines.push(`${c.bold(v(who.name))} ${c.dim(`AnstNr ${v(who.anstNr ?? '–')}, ${v(who.email ?? 'no e-mail')}`)}`);
    for (const d of diffs) {
      const value = (/** @type {{ display: string } | null} */ x) => fit(x ? v(x.display) : '(empty)', 30);
      // Visible first, pad next, colour last: escape codes have no width.
      const suggestion = d.suggestion ? c.green(fit(`→ ${v(d.suggestion)}`, 9)) : c.dim(fit('→ ?', 9));
      lines.push(`  ${fit(v(fieldLabel(d.field)), 15)} ${value(d.huma)} ${value(d.crona)} ${suggestion} [${v(d.allowed.join('|'))}]`);
    }
  }
  if (p.blockers.length) {
    lines.push('', c.bold('Blockers') + c.dim('  (nothing is written for these)'));
    for (const b of p.blockers) lines.push(`  ${c.red(v(b.code))}: ${v(b.message)}`);
  }
  for (const [title, list] of /** @type {const} */ ([['Only in Huma (can be created in Crona)', p.onlyInHuma], ['Only in Crona (can be created in Huma)', p.onlyInCrona]])) {
    if (!list.length) continue;
    lines.push('', c.bold(title));
    for (const o of list) {
      const id = o.person.anstNr ? `AnstNr ${o.person.anstNr}` : o.person.humaId ?? '';
      lines.push(`  ${o.creatable ? c.green('✓') : c.red('✗')} ${v(o.person.name)} ${c.dim(v(id))}${o.creatable ? '' : ` — ${v(o.reasons.map((r) => r.message).join(' '))}`}`);
    }
  }
  for (const n of p.notices) lines.push('', c.dim(`Note: ${v(n.message)}`));
  return lines.join('\n') + '\n';
}

/**
 * @param {import('../index.js').Plan} plan
 * @param {ReturnType<typeof colours>} c
 */
export function planText(plan, c) {
  const lines = [c.bold('The plan'), v(plan.summary)];
  plan.operations.forEach((o, i) => {
    lines.push(`  ${String(i + 1).padStart(3)}. ${v(o.description)}`);
    for (const w of [...(o.writes ?? []), ...(o.thenWrites ?? [])]) lines.push(`         ${writeText(w)}`);
  });
  for (const s of plan.skipped) lines.push(c.dim(`  left out: ${v(s.person.name)}: ${v(s.reason.message)}`));
  return lines.join('\n') + '\n';
}

/**
 * @param {import('../index.js').Report} report
 * @param {ReturnType<typeof colours>} c
 */
export function reportText(report, c) {
  const lines = [c.bold('Result'), v(report.summary.text)];
  for (const e of report.errors) lines.push(c.red(`  failed: ${v(e.person.name)} in ${systemName(e.system)} (${e.fields.map(fieldName).join(', ')}): ${v(e.status ?? '')} ${v(e.code ?? '')} ${v(e.message)}`.replace(/\s+/g, ' ')));
  // A stopped run: sent, but the answer never came. Neither done nor failed: say so.
  for (const o of report.outcomes.filter((o) => o.outcome === 'unknown')) lines.push(c.yellow(`  may have been written: ${v(o.person.name)} in ${systemName(o.system)}: ${v(o.message ?? '')}`));
  for (const r of report.remaining) lines.push(c.dim(`  remains: ${v(r.difference.person.name)} · ${fieldName(r.difference.field)}: ${v(r.explanation)}`));
  for (const u of report.unverified) lines.push(c.yellow(`  couldn't check: ${v(u)}`));
  const writes = reportWrites(report);
  if (writes.length) lines.push('', c.bold(`Writes (${writes.length}): outcome, system, person, field (property): before → after`), ...writesLines(writes, c));
  return lines.join('\n') + '\n';
}
