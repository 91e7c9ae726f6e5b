//! The baseline as keyed fingerprints (issue 14: no personal data at rest that isn't needed).
//! The baseline only tells *which side changed* since the last sync, so a runner that gives a
//! per-connection key gets `h1:` + HMAC-SHA256(key, field, normal form) stored instead of the
//! value: equal values give equal fingerprints, and nobody without the key can test a guess
//! (a phone number has few enough digits to try them all). Without a key, and for a baseline
//! written before one was given, the normal form itself is kept and compared, as before.

use crate::diff::field_key;
use crate::model::Field;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "h1:";

/// A connection's fingerprint key: 32 bytes, given as 64 hex digits.
#[derive(Clone, PartialEq, Eq)]
pub struct BaselineKey([u8; 32]);

impl std::fmt::Debug for BaselineKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BaselineKey(…)")
    }
}

impl BaselineKey {
    /// From 64 hex digits; `None` for anything else.
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut key = [0u8; 32];
        for (slot, pair) in key.iter_mut().zip(bytes.chunks(2)) {
            let digits = std::str::from_utf8(pair).ok()?;
            *slot = u8::from_str_radix(digits, 16).ok()?;
        }
        Some(BaselineKey(key))
    }

    /// The fingerprint of a field's normal form.
    pub fn fingerprint(&self, field: Field, normal: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            // HMAC takes a key of any length: this can't happen.
            return String::new();
        };
        mac.update(field_key(field).as_bytes());
        mac.update(&[0]);
        mac.update(normal.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = String::with_capacity(PREFIX.len() + 64);
        out.push_str(PREFIX);
        for b in digest {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }
}

/// What the baseline keeps of a field both sides agree on: its fingerprint with a key, else the
/// normal form.
pub fn record(key: Option<&BaselineKey>, field: Field, normal: String) -> String {
    match key {
        Some(k) => k.fingerprint(field, &normal),
        None => normal,
    }
}

/// A recorded value as it is kept from now on: a value written before a key was given becomes
/// its fingerprint, so no plain value outlives the next save.
pub fn kept(key: Option<&BaselineKey>, field: Field, base: &str) -> String {
    match key {
        Some(k) if !is_fingerprint(base) => k.fingerprint(field, base),
        _ => base.to_string(),
    }
}

/// Whether `now` is what the baseline recorded; `None` when that can't be told (a fingerprint,
/// and no key or another one given: no side is then said to have changed).
pub fn agrees(key: Option<&BaselineKey>, field: Field, now: &str, base: &str) -> Option<bool> {
    if !base.starts_with(PREFIX) {
        return Some(now == base);
    }
    key.map(|k| k.fingerprint(field, now) == base)
}

/// True when the baseline holds a fingerprint rather than a value (never shown to people).
pub fn is_fingerprint(base: &str) -> bool {
    base.starts_with(PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: char) -> BaselineKey {
        BaselineKey::from_hex(&byte.to_string().repeat(64)).unwrap()
    }

    #[test]
    fn a_fingerprint_is_hmac_sha256_of_field_and_value_and_tells_equal_values_only() {
        let k = key('a');
        let f = k.fingerprint(Field::Phone, "+46701234567");
        assert_eq!(f.len(), 67);
        assert!(f.starts_with("h1:"));
        assert_eq!(f, k.fingerprint(Field::Phone, "+46701234567"));
        assert_ne!(f, k.fingerprint(Field::Phone, "+46701234568"));
        assert_ne!(
            f,
            k.fingerprint(Field::PrivateEmail, "+46701234567"),
            "the field is part of it"
        );
        assert_ne!(
            f,
            key('b').fingerprint(Field::Phone, "+46701234567"),
            "so is the key"
        );
        assert!(!f.contains("701234567"));
    }

    #[test]
    fn a_plain_baseline_still_compares_and_a_fingerprint_needs_its_key() {
        let k = key('a');
        assert_eq!(agrees(Some(&k), Field::Phone, "x", "x"), Some(true));
        assert_eq!(agrees(None, Field::Phone, "x", "y"), Some(false));
        let base = record(Some(&k), Field::Phone, "x".into());
        assert_eq!(agrees(Some(&k), Field::Phone, "x", &base), Some(true));
        assert_eq!(agrees(Some(&k), Field::Phone, "y", &base), Some(false));
        assert_eq!(agrees(None, Field::Phone, "x", &base), None);
        assert_eq!(
            agrees(Some(&key('b')), Field::Phone, "x", &base),
            Some(false)
        );
        assert_eq!(record(None, Field::Phone, "x".into()), "x");
    }

    #[test]
    fn only_64_hex_digits_make_a_key() {
        assert!(BaselineKey::from_hex(&"0f".repeat(32)).is_some());
        assert!(BaselineKey::from_hex(&"0f".repeat(31)).is_none());
        assert!(BaselineKey::from_hex(&"zz".repeat(32)).is_none());
        assert!(BaselineKey::from_hex(&"é".repeat(32)).is_none());
        assert_eq!(format!("{:?}", key('a')), "BaselineKey(…)");
    }
}
