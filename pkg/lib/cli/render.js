// How the CLI shows a preview, a plan and a report to a person. Colour only on a terminal and
// never when NO_COLOR is set (no-color.org).

/** @param {{ isTTY?: boolean }} stream */
export function colours(stream) {
  const on = Boolean(stream.isTTY) && !('NO_COLOR' in process.env);
  const wrap = (/** @type {number} */ a, /** @type {number} */ b) => (/** @type {string} */ s) => (on ? `\x1b[${a}m${s}\x1b[${b}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39) };
}

const LABELS = /** @type {Record<string, string>} */ ({
  email: 'Work e-mail', employmentId: 'Employment ID', givenName: 'Given name', familyName: 'Family name',
  address: 'Home address', phone: 'Mobile phone', bankAccount: 'Salary account', privateEmail: 'Private e-mail',
});

/** @param {string} s @param {number} n */
const fit = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));

/**
 * @param {import('../../index.js').Preview} p
 * @param {ReturnType<typeof colours>} c
 */
export function previewText(p, c) {
  const k = p.counts;
  const lines = [
    c.bold(`${k.huma} in Huma, ${k.crona} in Crona: ${k.matched} matched, ${k.differences} differences, ${k.blockers} blockers, ${k.onlyInHuma} only in Huma, ${k.onlyInCrona} only in Crona.`),
  ];
  /** @type {Map<string, import('../../index.js').Difference[]>} */
  const byPerson = new Map();
  for (const d of p.differences) {
    const key = `${d.person.name}|${d.person.humaId}|${d.person.anstNr}`;
    byPerson.set(key, [...(byPerson.get(key) ?? []), d]);
  }
  if (byPerson.size) lines.push('', c.bold('Differences') + c.dim('  (field, Huma, Crona, suggestion, choices)'));
  for (const diffs of byPerson.values()) {
    const who = diffs[0].person;
    lines.push(`${c.bold(who.name)} ${c.dim(`AnstNr ${who.anstNr ?? '–'}, ${who.email ?? 'no e-mail'}`)}`);
    for (const d of diffs) {
      const value = (/** @type {{ display: string } | null} */ v) => fit(v ? v.display : '(empty)', 30);
      // Pad first, colour after: escape codes have no width.
      const suggestion = d.suggestion ? c.green(fit(`→ ${d.suggestion}`, 9)) : c.dim(fit('→ ?', 9));
      lines.push(`  ${fit(LABELS[d.field] ?? d.field, 15)} ${value(d.huma)} ${value(d.crona)} ${suggestion} [${d.allowed.join('|')}]`);
    }
  }
  if (p.blockers.length) {
    lines.push('', c.bold('Blockers') + c.dim('  (nothing is written for these)'));
    for (const b of p.blockers) lines.push(`  ${c.red(b.code)}: ${b.message}`);
  }
  for (const [title, list] of /** @type {const} */ ([['Only in Huma (can be created in Crona)', p.onlyInHuma], ['Only in Crona (can be created in Huma)', p.onlyInCrona]])) {
    if (!list.length) continue;
    lines.push('', c.bold(title));
    for (const o of list) {
      const id = o.person.anstNr ? `AnstNr ${o.person.anstNr}` : o.person.humaId ?? '';
      lines.push(`  ${o.creatable ? c.green('✓') : c.red('✗')} ${o.person.name} ${c.dim(id)}${o.creatable ? '' : ` — ${o.reasons.map((r) => r.message).join(' ')}`}`);
    }
  }
  for (const n of p.notices) lines.push('', c.dim(`Note: ${n.message}`));
  return lines.join('\n') + '\n';
}

/**
 * @param {import('../../index.js').Plan} plan
 * @param {ReturnType<typeof colours>} c
 */
export function planText(plan, c) {
  const lines = [c.bold('The plan'), plan.summary];
  plan.operations.forEach((o, i) => lines.push(`  ${String(i + 1).padStart(3)}. ${o.description}`));
  for (const s of plan.skipped) lines.push(c.dim(`  left out: ${s.person.name}: ${s.reason.message}`));
  return lines.join('\n') + '\n';
}

/**
 * @param {import('../../index.js').Report} report
 * @param {ReturnType<typeof colours>} c
 */
export function reportText(report, c) {
  const lines = [c.bold('Result'), report.summary.text];
  for (const e of report.errors) lines.push(c.red(`  failed: ${e.person.name} in ${e.system}: ${e.status ?? ''} ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ')));
  for (const r of report.remaining) lines.push(c.dim(`  remains (${r.reason}): ${r.difference.message}`));
  for (const u of report.unverified) lines.push(c.yellow(`  couldn't check: ${u}`));
  return lines.join('\n') + '\n';
}
