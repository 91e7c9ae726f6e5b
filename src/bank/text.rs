//! The one string an HR system holds ("8327-9, 014 725 892-5", "6114 517182351",
//! "3300-8411283941", a Swedish IBAN) read as clearing + account (DOMAIN.md §3.4).

use super::clearing::{self, IbanMethod};
use super::issue::Part;
use super::{checksum, iban, issue, validate, BankAccountResult, Mode};
use serde::Serialize;

/// How the text was split, and the verdict on that split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParsedBankAccount {
    /// The clearing and account digits the text was read as; `None` when it couldn't be split.
    pub input: Option<Split>,
    /// The verdict on that clearing and account.
    #[serde(flatten)]
    pub result: BankAccountResult,
}

/// A clearing and account, as digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Split {
    /// 4 digits, or 5 for Swedbank's form with the check digit.
    pub clearing: String,
    /// The account digits.
    pub account: String,
}

/// Reads one string as a Swedish bank account. Never panics.
pub fn parse(text: &str, mode: Mode) -> ParsedBankAccount {
    // People write IBANs in groups of four, with spaces or hyphens.
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if compact.is_empty() {
        return unsplit(invalid(issue::format(Part::Whole, None)));
    }
    let looks_like_iban = compact.len() >= 4
        && compact.bytes().take(2).all(|b| b.is_ascii_alphabetic())
        && compact.bytes().skip(2).take(2).all(|b| b.is_ascii_digit());
    if looks_like_iban {
        return parse_iban(&compact.to_ascii_uppercase(), mode);
    }
    if let Some(bad) = text.chars().find(|&c| !is_allowed(c)) {
        return unsplit(invalid(issue::format(Part::Whole, Some(bad))));
    }
    // The readings differ only in whether Swedbank's fifth clearing digit is split off; a Luhn
    // check can't pass both unless that digit is 0, and then they are the same account. So the
    // first reading that validates is the account (tests/bank_properties.rs proves this).
    let candidates = splits(text);
    let mut results = candidates.into_iter().map(|s| {
        let result = validate(&s.clearing, &s.account, mode);
        (s, result)
    });
    let Some((first, first_result)) = results.next() else {
        return unsplit(invalid(issue::format(Part::Whole, None)));
    };
    if first_result.valid {
        return split(first, first_result);
    }
    match results.find(|(_, r)| r.valid) {
        Some((other, result)) => split(other, result),
        None => split(first, first_result),
    }
}

/// The ways to read the text, most likely first.
fn splits(text: &str) -> Vec<Split> {
    let digits = |s: &str| -> String { s.chars().filter(char::is_ascii_digit).collect() };
    // An explicit comma separates clearing from account: "8327-9, 014 725 892-5".
    if let Some((left, right)) = text.split_once(',') {
        return vec![Split {
            clearing: digits(left),
            account: digits(right),
        }];
    }
    let all = digits(text);
    // The first group of digits, up to the first separator: "6114 517182351", "3300-8411283941".
    let head: String = text
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest_after = |n: usize| all.get(n..).unwrap_or("").to_string();
    let four = all.get(..4).unwrap_or(&all).to_string();
    let check = checksum::luhn_check_digit(&four);
    let fifth_is_check =
        all.starts_with('8') && all.len() > 5 && all.as_bytes().get(4).map(|b| b - b'0') == check;
    let by_head = match head.len() {
        // "8327-9 0147258925": Swedbank's clearing with its check digit after a hyphen.
        4 if fifth_is_check
            && text
                .trim_start()
                .get(4..6)
                .is_some_and(|s| s.starts_with('-'))
            && group_len(text, 1) == 1 =>
        {
            Some(5)
        }
        4 => Some(4),
        5 if all.starts_with('8') => Some(5),
        _ => None,
    };
    let mut out = Vec::new();
    let mut push = |n: usize| {
        let s = Split {
            clearing: all.get(..n).unwrap_or("").to_string(),
            account: rest_after(n),
        };
        if !out.contains(&s) {
            out.push(s);
        }
    };
    if let Some(n) = by_head {
        push(n);
    }
    // DOMAIN.md §3.4: 8 + the Swedbank fifth digit → 5 digits; else 4.
    if fifth_is_check {
        push(5);
    }
    push(4);
    out
}

/// Digits, white space, hyphens and dashes, dots, and one comma between clearing and account.
fn is_allowed(c: char) -> bool {
    c.is_ascii_digit()
        || c.is_whitespace()
        || matches!(c, '-' | '.' | ',' | '\u{2010}'..='\u{2013}' | '\u{2212}')
}

/// The length of the `n`th group of digits (0-based) in the text.
fn group_len(text: &str, n: usize) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .nth(n)
        .map_or(0, str::len)
}

fn parse_iban(iban: &str, mode: Mode) -> ParsedBankAccount {
    let country = iban.get(..2).unwrap_or("");
    if country != "SE" {
        return unsplit(invalid(issue::iban_country(country)));
    }
    if let Some(bad) = iban.chars().skip(2).find(|c| !c.is_ascii_digit()) {
        return unsplit(invalid(issue::format(Part::Whole, Some(bad))));
    }
    if iban.len() != 24 {
        return unsplit(invalid(issue::iban_length(iban.len())));
    }
    if !iban::checks(iban) {
        return unsplit(invalid(issue::iban_checksum()));
    }
    let (id, body) = (iban.get(4..7).unwrap_or(""), iban.get(7..).unwrap_or(""));
    let id_number: u16 = id.parse().unwrap_or(0);
    let mut first_failure = None;
    for range in clearing::RANGES {
        let Some((range_id, method)) = range.iban else {
            continue;
        };
        if range_id != id_number {
            continue;
        }
        let Some(candidate) = from_iban_body(body, method, range) else {
            continue;
        };
        let mut result = validate(&candidate.clearing, &candidate.account, mode);
        // Only a reading that converts back to the same IBAN is the account it names.
        if result.valid && result.iban.as_deref() == Some(iban) {
            result.warnings.retain(|w| w.code != "W_PADDING_STRIPPED");
            return split(candidate, result);
        }
        first_failure.get_or_insert((candidate, result));
    }
    match first_failure {
        Some((candidate, result)) if !result.valid => split(candidate, result),
        _ => unsplit(invalid(issue::iban_bank(id))),
    }
}

/// The clearing and account an IBAN's 17 digits hold under one conversion method.
fn from_iban_body(
    body: &str,
    method: IbanMethod,
    range: &clearing::ClearingRange,
) -> Option<Split> {
    let width = usize::from(range.max);
    let (clearing, account) = match method {
        // Zeros, the clearing, then the account at its type's width (7, or 10 for 2:x).
        IbanMethod::ClearingAndAccount | IbanMethod::ClearingAndAccount10 => {
            (body.get(13 - width..17 - width)?, body.get(17 - width..)?)
        }
        IbanMethod::SwedbankFiveDigit => (body.get(2..7)?, body.get(7..)?),
        // The clearing isn't in the IBAN: any in the range will do (accounts are unique across it).
        IbanMethod::AccountOnly => {
            return Some(Split {
                clearing: range.from.to_string(),
                account: body.get(17 - width..)?.to_string(),
            });
        }
    };
    let number: u16 = clearing.get(..4)?.parse().ok()?;
    (range.from..=range.to).contains(&number).then(|| Split {
        clearing: clearing.to_string(),
        account: account.to_string(),
    })
}

fn invalid(error: issue::Issue) -> BankAccountResult {
    BankAccountResult {
        errors: vec![error],
        ..BankAccountResult::default()
    }
}

fn split(s: Split, result: BankAccountResult) -> ParsedBankAccount {
    ParsedBankAccount {
        input: Some(s),
        result,
    }
}

fn unsplit(result: BankAccountResult) -> ParsedBankAccount {
    ParsedBankAccount {
        input: None,
        result,
    }
}
