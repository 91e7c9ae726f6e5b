//! How each field is compared (DOMAIN.md §2–3): two values are "the same" when their normal forms
//! are equal, however differently the two systems write them.

/// Text: Unicode NFC (so "Å" typed as A + ring equals "Å"), trimmed; case matters.
pub fn text(s: &str) -> String {
    let s = s.trim();
    // Every character below U+0300 (ASCII, Latin-1, Latin Extended: Swedish and Nordic names) is
    // stable under NFC, so nearly every value needs no work at all. In UTF-8 those are exactly
    // the texts whose every byte is below 0xCC (U+0300 is CC 80): checked without decoding.
    if s.bytes().all(|b| b < 0xCC) {
        return s.to_string();
    }
    nfc(s)
}

/// Full NFC. Natively from Unicode's tables; in WebAssembly from the JavaScript engine, behind
/// the boundary (`wasm.rs`), which keeps some 60 KB (gzipped) of tables out of the module.
#[cfg(not(target_arch = "wasm32"))]
fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc().collect()
}

#[cfg(target_arch = "wasm32")]
use crate::wasm::nfc;

/// The first character that must never reach a register or a terminal (DOMAIN.md §3.5): a C0
/// or C1 control (tab and line breaks included: no mapped field is more than one line), DEL,
/// a Unicode line or paragraph separator, or a bidi override or isolate (U+202A–U+202E,
/// U+2066–U+2069), which can make a name read as another.
///
/// ```
/// use crona_sync::normalize::hidden_control;
/// assert_eq!(hidden_control("Eva\u{1b}[2J"), Some('\u{1b}'));
/// assert_eq!(hidden_control("Ann\u{202e}nA"), Some('\u{202e}'));
/// assert_eq!(hidden_control("Åsa Öberg-Ståhl"), None);
/// ```
pub fn hidden_control(s: &str) -> Option<char> {
    // Printable ASCII, most values, holds none of them: no need to decode.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return None;
    }
    s.chars().find(|&c| {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

/// E-mail: trimmed and lower-cased (the match key; DOMAIN.md §3.1).
pub fn email(s: &str) -> String {
    text(s).to_lowercase()
}

/// A rough shape check for an address that is about to be written: one `@`, something before
/// it, a dotted domain after it, no white space.
pub fn is_plausible_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

/// A phone number in E.164 (`070-123 45 67` → `+46701234567`), or `None` when it can't be
/// read as a number. Swedish national numbers (leading 0) get +46.
pub fn phone(s: &str) -> Option<String> {
    // "+46 (0)70 …": the national 0 written in brackets after the country code.
    let s = text(s).replace("(0)", "");
    let mut digits = String::with_capacity(s.len());
    let mut plus = false;
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            _ => return None,
        }
    }
    let international = if plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("46{rest}")
    } else {
        // No country code and no trunk prefix: too ambiguous to guess.
        return None;
    };
    let plausible = (8..=15).contains(&international.len()) && !international.starts_with('0');
    plausible.then(|| format!("+{international}"))
}

/// A postal code: digits only for Swedish addresses ("291 84" = "29184"); elsewhere upper case
/// without spaces.
pub fn postal_code(s: &str, country: Option<&str>) -> String {
    let s = text(s);
    match country {
        Some("SE") | None => s.chars().filter(char::is_ascii_digit).collect(),
        Some(_) => s
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect(),
    }
}

/// A country as ISO 3166-1 alpha-2 ("Sverige", "Sweden", "SWE", "se" → "SE"); `None` when
/// the name isn't known.
pub fn country(s: &str) -> Option<String> {
    let key = text(s).to_lowercase();
    // Names first: "UK" is a name for GB, not a code.
    let named = COUNTRY_NAMES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()));
    match named {
        Some((code, _)) => Some((*code).to_string()),
        None if key.len() == 2 && key.chars().all(|c| c.is_ascii_alphabetic()) => {
            Some(key.to_ascii_uppercase())
        }
        None => None,
    }
}

/// Names (Swedish, English, native, alpha-3) of the countries Swedish payroll meets most, lower case.
const COUNTRY_NAMES: &[(&str, &[&str])] = &[
    ("SE", &["sverige", "sweden", "swe", "schweden", "suède"]),
    ("NO", &["norge", "norway", "nor", "noreg"]),
    ("DK", &["danmark", "denmark", "dnk"]),
    ("FI", &["finland", "suomi", "fin"]),
    ("IS", &["island", "iceland", "ísland", "isl"]),
    ("DE", &["tyskland", "germany", "deutschland", "deu"]),
    (
        "GB",
        &[
            "storbritannien",
            "united kingdom",
            "great britain",
            "england",
            "gbr",
            "uk",
        ],
    ),
    ("US", &["usa", "united states", "förenta staterna"]),
    ("PL", &["polen", "poland", "polska", "pol"]),
    ("EE", &["estland", "estonia", "eesti", "est"]),
    ("LV", &["lettland", "latvia", "latvija", "lva"]),
    ("LT", &["litauen", "lithuania", "lietuva", "ltu"]),
    ("NL", &["nederländerna", "netherlands", "holland", "nld"]),
    ("FR", &["frankrike", "france", "fra"]),
    ("ES", &["spanien", "spain", "españa", "esp"]),
    ("IT", &["italien", "italy", "italia", "ita"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_typed_with_a_combining_ring_equals_the_precomposed_one() {
        assert_eq!(text("A\u{30a}sa "), text("Åsa"));
        assert_ne!(text("åsa"), text("Åsa"), "case matters for names");
    }

    #[test]
    fn text_below_u0300_is_kept_as_typed_and_anything_from_u0300_on_is_composed() {
        // U+02FF is the last character NFC never changes; U+0300 (bytes CC 80) starts the
        // combining marks, and U+212B (the Ångström sign, bytes E2 84 AB) is decomposed.
        assert_eq!(text(" Örjan \u{2ff} "), "Örjan \u{2ff}");
        assert_eq!(text("e\u{300}"), "\u{e8}");
        assert_eq!(text("\u{212b}ke"), "Åke");
    }

    #[test]
    fn hidden_controls_are_found_in_ascii_and_beyond() {
        assert_eq!(hidden_control("Anna\tBerg"), Some('\t'));
        assert_eq!(hidden_control("Anna\u{7f}"), Some('\u{7f}'));
        assert_eq!(
            hidden_control("Åsa\u{85}"),
            Some('\u{85}'),
            "a C1 control after Å"
        );
        assert_eq!(hidden_control("Anna Berg ~"), None);
    }

    #[test]
    fn emails_compare_trimmed_and_case_insensitively() {
        assert_eq!(
            email(" Anna.Berg@Exempel.SE"),
            email("anna.berg@exempel.se")
        );
    }

    #[test]
    fn a_malformed_email_is_noticed() {
        assert!(is_plausible_email("anna.berg@exempel.se"));
        for bad in [
            "anna.berg",
            "@exempel.se",
            "anna@",
            "anna@exempel",
            "an na@exempel.se",
            "a@b@c.se",
            "a@.se",
        ] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }

    #[test]
    fn swedish_phone_formats_are_one_number() {
        let e164 = Some("+46701234567".to_string());
        for typed in [
            "070-123 45 67",
            "+46 70 123 45 67",
            "0701234567",
            "+46701234567",
            "0046 70 123 45 67",
            "+46 (0)70-123 45 67",
            "070.123.45.67",
        ] {
            assert_eq!(phone(typed), e164, "{typed}");
        }
        assert_eq!(phone("+47 912 34 567").as_deref(), Some("+4791234567"));
    }

    #[test]
    fn a_phone_that_cant_be_read_as_a_number_is_none() {
        for bad in [
            "701234567",
            "ring växeln",
            "070-123 45 67 ank 12",
            "+",
            "",
            "0",
            "+46 70 123 45 67 89 01 23",
        ] {
            assert_eq!(phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn swedish_postcodes_compare_by_digits() {
        assert_eq!(
            postal_code("291 84", Some("SE")),
            postal_code("29184", Some("SE"))
        );
        assert_eq!(postal_code("sw1a 1aa", Some("GB")), "SW1A1AA");
    }

    #[test]
    fn countries_compare_as_alpha_2() {
        for typed in ["SE", "se", "Sverige", "Sweden", " SVERIGE ", "SWE"] {
            assert_eq!(country(typed).as_deref(), Some("SE"), "{typed}");
        }
        assert_eq!(country("Norge").as_deref(), Some("NO"));
        assert_eq!(country("UK").as_deref(), Some("GB"));
        assert_eq!(country("Atlantis"), None);
    }
}
