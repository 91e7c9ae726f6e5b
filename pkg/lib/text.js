// Values from the Huma and Crona APIs shown to a person: on a terminal, in a text file, on the
// page. A name can hold characters that a terminal or a browser obeys instead of showing: ESC
// sequences and OSC 8 links, BEL, a CR that overwrites the line, NUL, C1 controls (U+009B is a
// CSI too), bidi overrides and isolates that reverse what follows, invisible format characters.
// The one rule: such a character is written as a JSON string literal would write it, `\r`,
// `\n`, `\t`, `\b`, `\f` or `\u` and four lowercase hex digits (`\u001b`, `\u009b`, `\u202e`;
// above U+FFFF as its two UTF-16 halves, `\udb40\udc01`). Everything else stays as it is:
// letters of every script, emoji, spaces, and the backslash (so a path reads as a path).
//
// Sanitise the data, not the finished line: the CLI's own colour codes are ESC sequences too.

/**
 * What is never shown raw: controls (Cc: C0, DEL, C1), format characters (Cf: bidi marks,
 * embeddings, overrides and isolates, zero-width characters, the BOM, soft hyphen, tag
 * characters), the line and paragraph separators U+2028/U+2029, and lone surrogates.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const SHORT = /** @type {Record<string, string>} */ ({ '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' });

/** `\uXXXX` per UTF-16 unit. @param {string} ch */
function unicodeEscape(ch) {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * The text with every control and invisible format character written as its escape, on one
 * line: `visible('Eva\u001b[2J\r')` is `'Eva\\u001b[2J\\r'`. Idempotent (the result has none
 * left), so a message built from already visible parts can go through it again.
 * @param {unknown} text  anything; non-strings as `${text}` would write them
 * @returns {string}
 */
export function visible(text) {
  return String(text).replace(HIDDEN, (ch) => SHORT[ch] ?? unicodeEscape(ch));
}

/**
 * `JSON.stringify`, with the characters it leaves raw in strings escaped as well: DEL, C1
 * controls, bidi and other format characters, U+2028/U+2029. Still JSON, and it parses back
 * to the same value; only its spelling changes, so piping `--json` to a terminal is safe.
 * @param {unknown} value
 * @param {number} [space]
 * @returns {string}
 */
export function visibleJson(value, space) {
  const text = JSON.stringify(value, null, space) ?? 'null';
  // JSON.stringify already escapes C0 controls and lone surrogates inside strings, so a C0
  // character left in its output is indentation (a newline) and stays.
  return text.replace(HIDDEN, (ch) => (ch < ' ' ? ch : unicodeEscape(ch)));
}
