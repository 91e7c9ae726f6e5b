//! Properties of the bank account validator over generated input.
#![cfg(not(target_arch = "wasm32"))]
// Test helpers outside #[test] fns index and unwrap freely; a panic is a test failure here.
#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use crona_sync::bank::checksum::{luhn_valid, mod11_valid};
use crona_sync::bank::clearing::{AccountType, Format, Special, RANGES};
use crona_sync::bank::{parse, validate, ClearingRange, Mode};
use proptest::prelude::*;

/// Ranges with exactly one format (MedMera and Avanza accept two, so a changed digit may fit
/// the other one: detection isn't guaranteed there).
fn single_format_ranges(
    keep: fn(&ClearingRange) -> bool,
) -> Vec<(&'static ClearingRange, AccountType)> {
    RANGES
        .iter()
        .filter(|r| keep(r))
        .filter_map(|r| match r.format {
            Format::Is(t) => Some((r, t)),
            _ => None,
        })
        .collect()
}

fn passes(t: AccountType, clearing: &str, account: &str) -> bool {
    match t {
        AccountType::T11 => mod11_valid(&format!("{}{account:0>7}", &clearing[1..])),
        AccountType::T12 => mod11_valid(&format!("{clearing}{account:0>7}")),
        AccountType::T21 | AccountType::T23 => luhn_valid(account),
        AccountType::T22 | AccountType::T24 => mod11_valid(account),
    }
}

fn valid_account() -> impl Strategy<Value = (String, String, AccountType)> {
    valid_account_in(|_| true)
}

/// A valid account in one of the kept ranges: random digits, then the check digit that makes it pass.
fn valid_account_in(
    keep: fn(&ClearingRange) -> bool,
) -> impl Strategy<Value = (String, String, AccountType)> {
    let ranges = single_format_ranges(keep);
    (
        0..ranges.len(),
        any::<u64>(),
        proptest::collection::vec(0u8..10, 12),
    )
        .prop_filter_map(
            "no check digit fits (mod 11 remainder 10)",
            move |(i, pick, digits)| {
                let (range, t) = ranges[i];
                let clearing =
                    (range.from + (pick % u64::from(range.to - range.from + 1)) as u16).to_string();
                let len = usize::from(range.min)
                    + (pick as usize >> 16) % usize::from(range.max - range.min + 1);
                let mut body: String = digits
                    .iter()
                    .take(len - 1)
                    .map(|d| char::from(b'0' + d))
                    .collect();
                if range.special == Special::Personkonto {
                    // YYMMDD first: 84-11-28.
                    body.replace_range(..6, "841128");
                }
                let account = (0..10)
                    .map(|d| format!("{body}{d}"))
                    .find(|a| passes(t, &clearing, a) && a.bytes().any(|b| b != b'0'))?;
                Some((clearing, account, t))
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000)))]

    #[test]
    fn a_number_built_with_the_check_digit_rules_validates((clearing, account, t) in valid_account()) {
        let r = validate(&clearing, &account, Mode::Strict);
        // Nordea's "18"-prefixed PlusGiro form is the plain number (§6.4): same verdict, plain normal form.
        let plusgiro_prefixed = RANGES.iter().any(|x| x.special == Special::PlusGiro && (x.from..=x.to).contains(&clearing.parse::<u16>().unwrap()))
            && account.len() == 10 && account.starts_with("18");
        prop_assume!(!plusgiro_prefixed || account[2..].bytes().any(|b| b != b'0'));
        let account = if plusgiro_prefixed { format!("00{}", &account[2..]) } else { account };
        prop_assert!(r.valid, "{clearing} {account}: {r:?}");
        prop_assert_eq!(r.account_type, Some(t.label()));
        prop_assert_eq!(r.account, Some(format!("{account:0>w$}", w = t.width())));
        prop_assert_eq!(r.bban16, Some(format!("{clearing}{account:0>12}")));
    }

    #[test]
    fn one_changed_account_digit_is_always_caught(
        (clearing, account, _t) in valid_account(),
        position in any::<prop::sample::Index>(),
        shift in 1u8..10,
    ) {
        let i = position.index(account.len());
        let mut bytes = account.clone().into_bytes();
        bytes[i] = b'0' + (bytes[i] - b'0' + shift) % 10;
        let changed = String::from_utf8(bytes).unwrap();
        let r = validate(&clearing, &changed, Mode::Strict);
        prop_assert!(!r.valid, "{clearing} {account} → {changed} passed: {r:?}");
    }

    #[test]
    fn swedbank_accounts_validate_with_or_without_the_fifth_clearing_digit(
        (clearing, account, _t) in valid_account_in(|r| r.from == 8000),
    ) {
        let check = crona_sync::bank::checksum::luhn_check_digit(&clearing).unwrap();
        let four = validate(&clearing, &account, Mode::Strict);
        let five = validate(&format!("{clearing}-{check}"), &account, Mode::Strict);
        prop_assert_eq!(four, five);
    }

    #[test]
    fn a_valid_result_is_consistent_and_its_normal_form_validates_again(
        (clearing, account, _t) in valid_account(),
    ) {
        let r = validate(&clearing, &account, Mode::Strict);
        let again = validate(r.clearing.as_deref().unwrap(), r.account.as_deref().unwrap(), Mode::Strict);
        prop_assert_eq!(&again.bban16, &r.bban16);
        let text = parse(r.formatted.as_deref().unwrap(), Mode::Strict);
        prop_assert!(text.result.valid, "{:?}", r.formatted);
        prop_assert_eq!(&text.result.bban16, &r.bban16);
        if let Some(iban) = &r.iban {
            let back = parse(iban, Mode::Strict);
            prop_assert!(back.result.valid, "{iban}: {back:?}");
            prop_assert_eq!(back.result.bban16.as_deref().map(|b| &b[4..]), r.bban16.as_deref().map(|b| &b[4..]));
        }
    }

    #[test]
    fn arbitrary_strings_never_panic_and_verdicts_are_well_formed(
        clearing in ".{0,24}", account in ".{0,40}", lenient in any::<bool>(),
    ) {
        let mode = if lenient { Mode::Lenient } else { Mode::Strict };
        for r in [validate(&clearing, &account, mode), parse(&format!("{clearing}{account}"), mode).result] {
            prop_assert_eq!(r.valid, r.errors.is_empty());
            prop_assert!(r.errors.len() <= 1);
            if r.valid {
                let bban = r.bban16.unwrap();
                prop_assert!(bban.len() == 16 && bban.bytes().all(|b| b.is_ascii_digit()));
            }
            if let Some(iban) = r.iban {
                prop_assert!(iban.len() == 24 && iban.starts_with("SE"));
            }
        }
    }

    #[test]
    fn a_swedbank_number_typed_as_one_string_never_has_two_different_readings(
        clearing in 8000u16..9000, account in "[0-9]{7,10}",
    ) {
        let four = clearing.to_string();
        let check = crona_sync::bank::checksum::luhn_check_digit(&four).unwrap();
        // The fifth digit read as clearing check digit, or as the account's first digit.
        let as_five = validate(&format!("{four}{check}"), &account, Mode::Strict);
        let as_four = validate(&four, &format!("{check}{account}"), Mode::Strict);
        if as_five.valid && as_four.valid {
            prop_assert_eq!(check, 0);
            prop_assert_eq!(as_five.bban16, as_four.bban16);
        }
    }

    #[test]
    fn digit_strings_with_separators_never_panic(text in "[0-9 ,.\\-]{0,30}", lenient in any::<bool>()) {
        let mode = if lenient { Mode::Lenient } else { Mode::Strict };
        let p = parse(&text, mode);
        prop_assert_eq!(p.result.valid, p.result.errors.is_empty());
    }
}
