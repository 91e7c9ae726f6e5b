//! Swedish bank account validation, as bank-accounts.md specifies it.
#![cfg(not(target_arch = "wasm32"))]
// Test helpers outside #[test] fns index and unwrap freely; a panic is a test failure here.
#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use crona_sync::bank::{parse, validate, BankAccountResult, Mode};

fn strict(clearing: &str, account: &str) -> BankAccountResult {
    validate(clearing, account, Mode::Strict)
}

fn lenient(clearing: &str, account: &str) -> BankAccountResult {
    validate(clearing, account, Mode::Lenient)
}

fn error(r: &BankAccountResult) -> &str {
    assert!(!r.valid, "expected invalid: {r:?}");
    assert_eq!(r.errors.len(), 1, "{r:?}");
    r.errors[0].code
}

fn warnings(r: &BankAccountResult) -> Vec<&str> {
    r.warnings.iter().map(|w| w.code).collect()
}

// §3.3 worked examples

#[test]
fn danske_bank_1274_0235305_is_a_valid_1_1_account() {
    let r = strict("1274", "0235305");
    assert!(r.valid);
    assert_eq!((r.bank, r.account_type), (Some("Danske Bank"), Some("1:1")));
    assert_eq!(r.iban.as_deref(), Some("SE4112000000012740235305"));
}

#[test]
fn lansforsakringar_9022_1114884_is_a_valid_1_2_account() {
    let r = strict("9022", "1114884");
    assert_eq!((r.valid, r.account_type), (true, Some("1:2")));
    assert_eq!(r.iban.as_deref(), Some("SE5390200000090221114884"));
}

#[test]
fn lunar_accepts_1234560_but_not_1234569_which_only_fits_the_other_variant() {
    assert!(strict("9710", "1234560").valid);
    assert_eq!(error(&strict("9710", "1234569")), "E_CHECKSUM");
}

#[test]
fn nordea_personkonto_is_the_holders_personnummer() {
    let r = strict("3300", "841128-3941");
    assert_eq!((r.valid, r.account_type), (true, Some("2:1")));
    assert_eq!(r.account.as_deref(), Some("8411283941"));
}

#[test]
fn handelsbanken_6114_517182351_validates_and_converts() {
    let r = strict("6114", "517182351");
    assert!(r.valid);
    assert_eq!(r.bban16.as_deref(), Some("6114000517182351"));
    assert_eq!(r.iban.as_deref(), Some("SE5860000000000517182351"));
}

#[test]
fn swedbank_with_its_five_digit_clearing() {
    let r = strict("8327-9", "014 725 892-5");
    assert!(r.valid);
    assert_eq!(r.clearing.as_deref(), Some("8327"));
    assert_eq!(r.clearing_check_digit.as_deref(), Some("9"));
    assert_eq!(r.account.as_deref(), Some("0147258925"));
    assert_eq!(r.bban16.as_deref(), Some("8327000147258925"));
    assert_eq!(r.iban.as_deref(), Some("SE5580000832790147258925"));
    assert_eq!(r.formatted.as_deref(), Some("8327-0147258925"));
}

#[test]
fn swedbank_with_the_four_digit_clearing_is_the_same_account() {
    let four = strict("8327", "0147258925");
    let five = strict("83279", "0147258925");
    assert!(four.valid);
    assert_eq!(four, five);
}

#[test]
fn type_2_4_synthetic_example_9565_1234567881() {
    let r = strict("9565", "1234567881");
    assert_eq!((r.valid, r.account_type), (true, Some("2:4")));
}

// §7 normalised outputs

#[test]
fn seb_bban16_and_the_12_digit_payroll_field() {
    let r = strict("5140", "0010004");
    assert_eq!(r.bban16.as_deref(), Some("5140000000010004"));
    let padded = strict("5000", "000001111116");
    assert!(padded.valid);
    assert_eq!(padded.account.as_deref(), Some("1111116"));
    assert_eq!(warnings(&padded), ["W_PADDING_STRIPPED"]);
}

#[test]
fn iban_methods_2_for_personkonto_and_sparbanken_syd() {
    assert_eq!(
        strict("3300", "1010101010").iban.as_deref(),
        Some("SE9530000000001010101010")
    );
    assert_eq!(
        strict("9570", "5250041760").iban.as_deref(),
        Some("SE3795700000005250041760")
    );
}

#[test]
fn plusgiro_and_3782_get_no_iban_because_the_sources_give_no_conversion() {
    let plusgiro = strict("9960", "4174058");
    assert!(plusgiro.valid, "{plusgiro:?}");
    assert_eq!(plusgiro.iban, None);
    let r = strict("3782", "8411283941");
    assert!(r.valid);
    assert_eq!(r.iban, None);
    assert_eq!(warnings(&r), ["W_3782"]);
}

// §5 errors, in procedure order

#[test]
fn letters_commas_and_plus_signs_are_format_errors_but_separators_are_fine() {
    assert_eq!(error(&strict("8327-9", "0147258925a")), "E_FORMAT");
    assert_eq!(error(&strict("+8327", "0147258925")), "E_FORMAT");
    assert_eq!(error(&strict("8327", "014,7258925")), "E_FORMAT");
    assert_eq!(error(&strict("", "0147258925")), "E_FORMAT");
    assert_eq!(error(&strict("8327", " - . ")), "E_FORMAT");
    assert!(
        strict("8327\u{a0}9", "014.725.892\u{2013}5").valid,
        "NBSP, dots, en dash"
    );
}

#[test]
fn clearing_numbers_have_four_digits_or_five_for_swedbank() {
    for bad in ["832", "0000", "0999", "123456", "61145"] {
        assert_eq!(error(&strict(bad, "1234567")), "E_CLEARING_LENGTH", "{bad}");
    }
}

#[test]
fn a_wrong_swedbank_fifth_digit_is_refused_and_names_the_right_one() {
    let r = strict("83271", "0147258925");
    assert_eq!(error(&r), "E_CLEARING_CHECK_DIGIT");
    assert!(
        r.errors[0].message.contains("8327-9"),
        "{}",
        r.errors[0].message
    );
}

#[test]
fn unassigned_and_formatless_clearings() {
    assert_eq!(error(&strict("2100", "1234567")), "E_CLEARING_UNKNOWN");
    assert_eq!(error(&strict("9125", "1234567")), "E_CLEARING_UNKNOWN");
    let r = strict("9080", "1234567");
    assert_eq!(error(&r), "E_CLEARING_NO_ACCOUNT_FORMAT");
    assert!(r.errors[0].message.contains("Crédit Agricole"));
}

#[test]
fn the_length_message_names_the_bank_and_the_rule() {
    let r = strict("6114", "5171823");
    assert_eq!(error(&r), "E_ACCOUNT_LENGTH");
    assert_eq!(
        r.errors[0].message,
        "Handelsbanken accounts have 9 digits (8 with a leading zero); this one has 7."
    );
    let r = strict("5140", "10004");
    assert_eq!(
        r.errors[0].message,
        "SEB accounts have 7 digits after the clearing number; this one has 5."
    );
    let r = strict("3300", "12344");
    assert!(
        r.errors[0].message.contains("personnummer"),
        "no padding for personkonto"
    );
}

#[test]
fn surplus_digits_that_are_not_zeros_are_too_long() {
    assert_eq!(error(&strict("5000", "100001111116")), "E_ACCOUNT_LENGTH");
    assert_eq!(
        error(&strict("5000", "0000001111116")),
        "E_ACCOUNT_LENGTH",
        "13 > 12"
    );
}

#[test]
fn an_all_zero_account_is_refused() {
    assert_eq!(error(&strict("6000", "000000000")), "E_ACCOUNT_ZERO");
}

#[test]
fn a_personkonto_must_start_with_a_real_date() {
    // Luhn-valid, but 13th month.
    assert_eq!(error(&strict("3300", "8413283949")), "E_PERSONNUMMER_DATE");
    // Samordningsnummer: day + 60.
    assert!(strict("3300", "8411883948").valid);
}

// §5 step 8 and §6 warnings

#[test]
fn the_retiring_9300_series_is_valid_with_a_warning() {
    let r = strict("9300", "0000000018");
    assert!(r.valid, "{r:?}");
    assert_eq!(warnings(&r), ["W_9300_SERIES_RETIRING"]);
}

#[test]
fn medmera_accepts_either_type_1_variant_and_says_so() {
    // 9650 + 1:1-valid and 1:2-valid numbers, built with the rules.
    let one = strict("9650", "1234565");
    let two = strict("9650", "1234567");
    assert_eq!(
        (one.valid, one.account_type),
        (true, Some("1:1")),
        "{one:?}"
    );
    assert_eq!(
        (two.valid, two.account_type),
        (true, Some("1:2")),
        "{two:?}"
    );
    assert_eq!(warnings(&one), ["W_VARIANT_AMBIGUOUS"]);
}

#[test]
fn avanza_9565_accepts_a_legacy_seven_digit_1_2_account_with_a_warning() {
    let r = strict("9565", "1234561");
    assert_eq!((r.valid, r.account_type), (true, Some("1:2")), "{r:?}");
    assert_eq!(warnings(&r), ["W_VARIANT_AMBIGUOUS"]);
}

// Lenient mode: every rewrite warns and shows the value read

#[test]
fn l1_pads_a_short_type_1_account() {
    assert_eq!(error(&strict("5140", "10004")), "E_ACCOUNT_LENGTH");
    let r = lenient("5140", "10004");
    assert_eq!(r.account.as_deref(), Some("0010004"));
    assert_eq!(warnings(&r), ["W_LENIENT_L1"]);
    assert!(r.warnings[0].message.contains("0010004"));
}

#[test]
fn l2_drops_the_century_of_a_personkonto() {
    assert_eq!(error(&strict("3300", "198411283941")), "E_ACCOUNT_LENGTH");
    let r = lenient("3300", "198411283941");
    assert_eq!(r.account.as_deref(), Some("8411283941"));
    assert_eq!(warnings(&r), ["W_LENIENT_L2"]);
}

#[test]
fn l3_moves_the_swedbank_check_digit_from_the_account_to_the_clearing() {
    // Clearing 8214 has check digit 9.
    let strict_r = strict("8214", "99234726124");
    assert_eq!(error(&strict_r), "E_ACCOUNT_LENGTH");
    let r = lenient("8214", "99234726124");
    assert!(r.valid, "{r:?}");
    assert_eq!(r.account.as_deref(), Some("9234726124"));
    assert_eq!(warnings(&r), ["W_LENIENT_L3"]);
}

#[test]
fn l4_strips_zeros_in_front_of_the_clearing() {
    assert_eq!(error(&strict("06114", "517182351")), "E_CLEARING_LENGTH");
    let r = lenient("06114", "517182351");
    assert_eq!((r.valid, r.clearing.as_deref()), (true, Some("6114")));
    assert_eq!(warnings(&r), ["W_LENIENT_L4"]);
}

#[test]
fn l5_drops_the_clearing_typed_again_in_front_of_the_account() {
    assert_eq!(error(&strict("6114", "6114517182351")), "E_ACCOUNT_LENGTH");
    let r = lenient("6114", "6114517182351");
    assert_eq!(r.account.as_deref(), Some("517182351"));
    assert_eq!(warnings(&r), ["W_LENIENT_L5"]);
}

#[test]
fn l6_accepts_an_unknown_clearing_whose_account_fits_type_1() {
    // 2101 is unassigned; 1:1 over 101 + account.
    assert_eq!(error(&strict("2101", "1234564")), "E_CLEARING_UNKNOWN");
    let r = lenient("2101", "1234564");
    assert!(r.valid, "{r:?}");
    assert_eq!((r.bank, r.iban.as_deref()), (None, None));
    assert_eq!(warnings(&r), ["W_LENIENT_L6"]);
    assert_eq!(
        error(&lenient("9080", "1234564")),
        "E_CLEARING_NO_ACCOUNT_FORMAT",
        "never for formatless ranges"
    );
}

#[test]
fn l6_never_accepts_an_all_zero_account() {
    assert_eq!(error(&lenient("2104", "0000000")), "E_ACCOUNT_ZERO");
}

#[test]
fn a_plusgiro_number_with_nordeas_18_prefix_is_the_same_account() {
    let plain = strict("9960", "2865434");
    let prefixed = strict("9960", "1802865434");
    assert!(plain.valid && prefixed.valid, "{plain:?} {prefixed:?}");
    assert_eq!(prefixed.account, plain.account);
    assert_eq!(prefixed.bban16, plain.bban16);
    assert_eq!(
        error(&strict("9960", "1800000000")),
        "E_ACCOUNT_ZERO",
        "18 + nothing is no account"
    );
}

// One string, as Huma holds it

#[test]
fn the_shapes_people_type_into_one_field() {
    for (text, clearing, account) in [
        ("8327-9, 014 725 892-5", "83279", "0147258925"),
        ("6114 517182351", "6114", "517182351"),
        ("3300-8411283941", "3300", "8411283941"),
        ("832790147258925", "83279", "0147258925"),
        ("8424, 39984109", "8424", "39984109"),
    ] {
        let p = parse(text, Mode::Strict);
        let input = p.input.as_ref().expect(text);
        assert_eq!(
            (input.clearing.as_str(), input.account.as_str()),
            (clearing, account),
            "{text}"
        );
        assert!(p.result.valid, "{text}: {p:?}");
    }
}

#[test]
fn a_swedish_iban_is_accepted_when_its_check_digits_and_bban_are_right() {
    let p = parse("SE55 8000 0832 7901 4725 8925", Mode::Strict);
    assert!(p.result.valid);
    assert_eq!(p.result.formatted.as_deref(), Some("8327-0147258925"));
    assert!(
        parse("se4112000000012740235305", Mode::Strict).result.valid,
        "lower case"
    );
    let wrong = parse("SE4212000000012740235305", Mode::Strict);
    assert_eq!(error(&wrong.result), "E_IBAN_CHECKSUM");
    assert_eq!(
        error(&parse("NO9386011117947", Mode::Strict).result),
        "E_IBAN_COUNTRY"
    );
    assert_eq!(
        error(&parse("SE411200000001274023530", Mode::Strict).result),
        "E_IBAN_LENGTH"
    );
}

#[test]
fn an_iban_that_names_no_convertible_bank_is_refused() {
    // Right check digits, bank code 999.
    let body = "99900000012740235305";
    let rem = body
        .bytes()
        .chain(b"281400".iter().copied())
        .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
    let iban = format!("SE{:02}{body}", 98 - rem);
    assert_eq!(error(&parse(&iban, Mode::Strict).result), "E_IBAN_BANK");
}

#[test]
fn empty_and_junk_single_fields_are_format_errors_naming_the_field() {
    for text in ["", "   ", "abc", "8327-9; 0147258925", "konto 8327"] {
        let p = parse(text, Mode::Strict);
        assert_eq!(error(&p.result), "E_FORMAT", "{text:?}");
        assert!(p.result.errors[0].message.contains("bank account number"));
        assert!(p.input.is_none());
    }
}

#[test]
fn formatting_and_parsing_round_trip() {
    let r = strict("8105-9", "74420246-6");
    assert!(r.valid, "{r:?}");
    let again = parse(r.formatted.as_deref().unwrap(), Mode::Strict);
    assert_eq!(again.result.bban16, r.bban16);
}
