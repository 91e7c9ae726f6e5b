//! The baseline as keyed fingerprints (issue 14: no personal data at rest that isn't needed).
//! The baseline only tells *which side changed* since the last sync, so a runner that gives a
//! per-connection key gets `h1:` + HMAC-SHA256(key, field, normal form) stored instead of the
//! value: equal values give equal fingerprints, and nobody without the key can test a guess
//! (a phone number has few enough digits to try them all). Without a key, and for a baseline
//! written before one was given, the normal form itself is kept and compared, as before.
//! The recorded position values are kept the same way (`positions::kept`).

use crate::diff::field_key;
use crate::model::{Derived, Field};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "h1:";

/// What a fingerprint is of. It goes into the HMAC with the value, so one value in two places
/// (a date as the start and as the end) gives two fingerprints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// A field, by its Huma name (`phone`).
    Field(Field),
    /// A recorded position value, by its name in the state (`anstDatum`): `position.anstDatum`.
    Position(Derived),
}

impl From<Field> for Tag {
    fn from(field: Field) -> Self {
        Tag::Field(field)
    }
}

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

    /// The fingerprint of a field's (or a position value's) normal form.
    pub fn fingerprint(&self, tag: impl Into<Tag>, normal: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            // HMAC takes a key of any length: this can't happen.
            return String::new();
        };
        match tag.into() {
            Tag::Field(field) => mac.update(field_key(field).as_bytes()),
            Tag::Position(derived) => {
                mac.update(b"position.");
                mac.update(derived.key().as_bytes());
            }
        }
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
pub fn record(key: Option<&BaselineKey>, tag: impl Into<Tag>, normal: String) -> String {
    match key {
        Some(k) => k.fingerprint(tag, &normal),
        None => normal,
    }
}

/// A recorded value as it is kept from now on: a value written before a key was given becomes
/// its fingerprint, so no plain value outlives the next save.
pub fn kept(key: Option<&BaselineKey>, tag: impl Into<Tag>, base: &str) -> String {
    match key {
        Some(k) if !is_fingerprint(base) => k.fingerprint(tag, base),
        _ => base.to_string(),
    }
}

/// Whether `now` is what the baseline recorded; `None` when that can't be told (a fingerprint,
/// and no key or another one given: no side is then said to have changed).
pub fn agrees(
    key: Option<&BaselineKey>,
    tag: impl Into<Tag>,
    now: &str,
    base: &str,
) -> Option<bool> {
    if !is_fingerprint(base) {
        return Some(now == base);
    }
    key.map(|k| k.fingerprint(tag, now) == base)
}

/// True when the baseline holds a fingerprint rather than a value (never shown to people): `h1:`
/// and 64 hex digits, so a value that merely starts with `h1:` (a job title) is still a value.
pub fn is_fingerprint(base: &str) -> bool {
    base.strip_prefix(PREFIX).is_some_and(|hex| {
        hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
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
    fn the_hmac_input_is_the_tag_a_nul_and_the_value_so_stored_fingerprints_stay_valid() {
        let k = key('a');
        assert_eq!(
            k.fingerprint(Field::Phone, "+46701234567"),
            "h1:c524b2e006757ebe4ef78219e04b6084fdb58b39512776e90756d48efc53cae2"
        );
        assert_eq!(
            k.fingerprint(Tag::Position(Derived::AnstDatum), "2019-09-01"),
            "h1:a80d1fe221539b25349fc57acff21817ecb953993899327df7d8288ea75c0115"
        );
        assert_ne!(
            k.fingerprint(Tag::Position(Derived::AnstDatum), "2019-09-01"),
            k.fingerprint(Tag::Position(Derived::AvgDatum), "2019-09-01"),
            "the same date as start and as end"
        );
    }

    #[test]
    fn only_h1_and_64_hex_digits_is_a_fingerprint() {
        assert!(is_fingerprint(&key('a').fingerprint(Field::Phone, "x")));
        for value in [
            "h1:Lönechef",
            "h1:",
            "Lönechef",
            &format!("h1:{}", "A".repeat(64)),
        ] {
            assert!(!is_fingerprint(value), "{value}");
        }
        // So a title that starts with `h1:` is still compared, and becomes a fingerprint.
        assert_eq!(agrees(None, Field::Phone, "h1:x", "h1:x"), Some(true));
        assert!(is_fingerprint(&kept(Some(&key('a')), Field::Phone, "h1:x")));
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
