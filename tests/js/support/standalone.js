// Finding a value in stored bytes as a value: not as a run of characters inside a longer word,
// number, fingerprint or id (hex holds every run of digits sooner or later).

/** A pattern for `value` standing alone. @param {string} value */
export function standalone(value) {
  return new RegExp(`(?<![0-9A-Za-z])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z])`);
}
