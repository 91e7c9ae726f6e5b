//! Swedish bank accounts (clearing number + account number): validation, normalisation, the
//! Bankgirot 16-digit form and the IBAN, to the specification in bank-accounts.md.
//!
//! ```
//! use crona_sync::bank::{validate, Mode};
//! let r = validate("8327-9", "014 725 892-5", Mode::Strict);
//! assert!(r.valid);
//! assert_eq!(r.bank, Some("Swedbank and the independent savings banks"));
//! assert_eq!(r.iban.as_deref(), Some("SE5580000832790147258925"));
//! ```

pub mod checksum;
pub mod clearing;
mod iban;
mod issue;
mod personnummer;
mod text;

pub use clearing::{AccountType, ClearingRange};
pub use issue::Issue;
pub use text::{parse, ParsedBankAccount};

use clearing::{Format, Special};
use issue::{Lenient, Part};
use serde::Serialize;

/// Strict (the default) accepts only what the spec accepts; lenient also repairs the shapes
/// HR data is often typed in (rules L1–L6), each repair with a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// bank-accounts.md §5 as written.
    #[default]
    Strict,
    /// Plus the rewrites L1–L6.
    Lenient,
}

/// The verdict and, when valid, the normalised forms (bank-accounts.md §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct BankAccountResult {
    /// Whether salary can be paid to this account.
    pub valid: bool,
    /// The institution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank: Option<&'static str>,
    /// Type and variant, e.g. `"2:3"`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub account_type: Option<&'static str>,
    /// The 4-digit clearing number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clearing: Option<String>,
    /// Swedbank 8xxx: the clearing's fifth (check) digit, computed when not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clearing_check_digit: Option<String>,
    /// The account, zero-padded to its type's width.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Clearing + account zero-padded to 12: the form of Bankgirot's salary files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bban16: Option<String>,
    /// The IBAN, where the sources define the conversion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    /// One string, as Huma holds it: `CCCC-AAAAAAA`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formatted: Option<String>,
    /// Why it is invalid (the first failing rule).
    pub errors: Vec<Issue>,
    /// What a person should know even though it is valid, and every lenient rewrite.
    pub warnings: Vec<Issue>,
}

/// Validates a clearing number and an account number. Never panics, whatever the input.
pub fn validate(clearing: &str, account: &str, mode: Mode) -> BankAccountResult {
    let mut warnings = Vec::new();
    match check(clearing, account, mode, &mut warnings) {
        Ok(valid) => valid.into_result(warnings),
        Err(error) => BankAccountResult {
            errors: vec![error],
            warnings,
            ..BankAccountResult::default()
        },
    }
}

/// A validated account before it is written out.
struct Valid {
    clearing4: String,
    range: Option<&'static ClearingRange>,
    account_type: AccountType,
    account: String,
}

impl Valid {
    fn into_result(self, warnings: Vec<Issue>) -> BankAccountResult {
        let account = format!("{:0>w$}", self.account, w = self.account_type.width());
        let check_digit = self
            .clearing4
            .starts_with('8')
            .then(|| checksum::luhn_check_digit(&self.clearing4))
            .flatten();
        // §7: the method comes from the range, not from the type.
        let iban = self.range.and_then(|r| r.iban).and_then(|(id, method)| {
            iban::build(id, method, &self.clearing4, check_digit, &account)
        });
        BankAccountResult {
            valid: true,
            bank: self.range.map(|r| r.bank),
            account_type: Some(self.account_type.label()),
            bban16: Some(format!("{}{:0>12}", self.clearing4, self.account)),
            formatted: Some(format!("{}-{account}", self.clearing4)),
            clearing_check_digit: check_digit.map(|d| d.to_string()),
            clearing: Some(self.clearing4),
            account: Some(account),
            iban,
            errors: Vec::new(),
            warnings,
        }
    }
}

fn check(
    clearing: &str,
    account: &str,
    mode: Mode,
    warnings: &mut Vec<Issue>,
) -> Result<Valid, Issue> {
    let lenient = mode == Mode::Lenient;
    // Step 1: only digits and separators.
    let mut clearing = clean(clearing).map_err(|bad| issue::format(Part::Clearing, bad))?;
    let mut account = clean(account).map_err(|bad| issue::format(Part::Account, bad))?;

    // L4: zeros in front of a clearing number ("06000").
    if lenient && clearing.starts_with('0') {
        let stripped = clearing.trim_start_matches('0');
        if clearing_shape_ok(stripped) {
            warnings.push(issue::lenient(
                Lenient::L4ClearingZeros,
                format!("Read clearing {clearing:?} as {stripped}."),
            ));
            clearing = stripped.to_string();
        }
    }
    // Step 2: 4 digits, or 5 starting with 8.
    if !clearing_shape_ok(&clearing) {
        return Err(issue::clearing_length(&clearing));
    }
    let clearing4 = prefix(&clearing, 4).to_string();
    let number: u16 = clearing4.parse().unwrap_or(0);
    let swedbank_check = checksum::luhn_check_digit(&clearing4);
    // Step 3: the Swedbank fifth digit is the Luhn check digit of the first four.
    if let Some(given) = clearing.chars().nth(4) {
        let expected = swedbank_check.unwrap_or(0);
        if given.to_digit(10) != Some(u32::from(expected)) {
            return Err(issue::clearing_check_digit(&clearing4, expected, given));
        }
    }
    // L3: the Swedbank check digit typed as the account's first digit ("8214, 9 923 472 612-4").
    if lenient && clearing.len() == 4 && clearing.starts_with('8') && account.len() == 11 {
        if let (Some(first), Some(check)) = (account.chars().next(), swedbank_check) {
            if first.to_digit(10) == Some(u32::from(check)) {
                account = suffix(&account, 1).to_string();
                warnings.push(issue::lenient(Lenient::L3SwedbankCheckDigit, format!("Read the first account digit {first} as the clearing's check digit: {clearing4}-{check}, {account}.")));
            }
        }
    }
    // Step 4: the range.
    let Some(range) = clearing::lookup(number) else {
        return unknown_clearing(&clearing4, &account, lenient, warnings);
    };
    if range.format == Format::NoFormat {
        return Err(issue::no_account_format(&clearing4, range.bank));
    }
    // Step 5: length, zeros.
    let account = fit_length(account, range, &clearing4, lenient, warnings)?;
    // §6.4: Nordea writes PlusGiro numbers with a "18" prefix; it is the same account.
    let account = match account.strip_prefix("18") {
        Some(plain) if range.special == Special::PlusGiro && account.len() == 10 => {
            format!("00{plain}")
        }
        _ => account,
    };
    if account.bytes().all(|b| b == b'0') {
        return Err(issue::account_zero());
    }
    // Step 6: the checksum.
    let (account_type, account) = checksum_of(range, &clearing4, account, warnings)?;
    // Step 7: a personkonto number is a personnummer.
    if range.special == Special::Personkonto && !personnummer::has_real_date(&account) {
        return Err(issue::personnummer_date(prefix(&account, 6)));
    }
    // Step 8: warnings that keep the verdict.
    match (range.special, number) {
        (Special::Personkonto, 3782) => warnings.push(issue::w3782()),
        (Special::Retiring, _) => warnings.push(issue::retiring_9300()),
        _ => {}
    }
    Ok(Valid {
        clearing4,
        range: Some(range),
        account_type,
        account,
    })
}

/// L6: an unassigned clearing passes, with a warning, when the account fits type 1 (new
/// participants may only choose type 1 or 2:4).
fn unknown_clearing(
    clearing4: &str,
    account: &str,
    lenient: bool,
    warnings: &mut Vec<Issue>,
) -> Result<Valid, Issue> {
    let error = issue::clearing_unknown(clearing4);
    if !lenient || account.len() != 7 {
        return Err(error);
    }
    if account.bytes().all(|b| b == b'0') {
        return Err(issue::account_zero());
    }
    let fits = [AccountType::T11, AccountType::T12]
        .into_iter()
        .find(|&t| type_checks(t, clearing4, account));
    let account_type = fits.ok_or(error)?;
    warnings.push(issue::lenient(Lenient::L6UnknownClearing, format!(
        "Clearing {clearing4} isn't in the published tables, but the account fits type {}; it may belong to a new bank. Confirm it with the employee.",
        account_type.label()
    )));
    Ok(Valid {
        clearing4: clearing4.to_string(),
        range: None,
        account_type,
        account: account.to_string(),
    })
}

fn fit_length(
    account: String,
    range: &ClearingRange,
    clearing4: &str,
    lenient: bool,
    warnings: &mut Vec<Issue>,
) -> Result<String, Issue> {
    let (min, max) = (usize::from(range.min), usize::from(range.max));
    let personkonto = range.special == Special::Personkonto;
    let too_long_or_short =
        || issue::account_length(range.bank, range.min, range.max, personkonto, account.len());
    let mut out = account.clone();
    if out.len() > max {
        let surplus = out.len() - max;
        if lenient
            && personkonto
            && out.len() == 12
            && (out.starts_with("19") || out.starts_with("20"))
        {
            // L2: a personnummer written with its century.
            out = suffix(&out, 2).to_string();
            warnings.push(issue::lenient(
                Lenient::L2Century,
                format!("Dropped the century: read the personkonto number as {out}."),
            ));
        } else if out.len() <= 12 && prefix(&out, surplus).bytes().all(|b| b == b'0') {
            out = suffix(&out, surplus).to_string();
            warnings.push(issue::padding_stripped(surplus));
        } else if lenient && out.starts_with(clearing4) && (min..=max).contains(&(out.len() - 4)) {
            // L5: the clearing number typed again in front of the account.
            out = suffix(&out, 4).to_string();
            warnings.push(issue::lenient(Lenient::L5RepeatedClearing, format!("Dropped the clearing number {clearing4} repeated in front of the account: read it as {out}.")));
        } else {
            return Err(too_long_or_short());
        }
    }
    if out.len() < min {
        let type1 = matches!(
            range.format,
            Format::Is(AccountType::T11 | AccountType::T12) | Format::Type1Either
        );
        if lenient && type1 {
            // L1: leading zeros lost when the HR field was a number.
            let padded = format!("{out:0>7}");
            warnings.push(issue::lenient(
                Lenient::L1ShortType1,
                format!("Added the leading zeros a type-1 account has: read it as {padded}."),
            ));
            out = padded;
        } else {
            return Err(too_long_or_short());
        }
    }
    Ok(out)
}

/// The type the account checks out as, and the account as that type holds it.
fn checksum_of(
    range: &ClearingRange,
    clearing4: &str,
    account: String,
    warnings: &mut Vec<Issue>,
) -> Result<(AccountType, String), Issue> {
    let failed = |t: AccountType| {
        let method = match t {
            AccountType::T21 | AccountType::T23 => "mod 10",
            _ => "mod 11",
        };
        issue::checksum(range.bank, method)
    };
    match range.format {
        Format::Is(t) if type_checks(t, clearing4, &account) => Ok((t, account)),
        Format::Is(t) => Err(failed(t)),
        Format::Type1Either => {
            let t = [AccountType::T11, AccountType::T12]
                .into_iter()
                .find(|&t| type_checks(t, clearing4, &account))
                .ok_or_else(|| failed(AccountType::T11))?;
            warnings.push(issue::variant_medmera(t.label()));
            Ok((t, account))
        }
        Format::T24OrLegacyT12 => {
            if type_checks(AccountType::T24, clearing4, &account) {
                return Ok((AccountType::T24, account));
            }
            // A legacy 7-digit account may arrive zero-padded to 10 (as its IBAN holds it).
            let surplus = account.len().saturating_sub(7);
            let seven = suffix(&account, surplus);
            let legacy = prefix(&account, surplus).bytes().all(|b| b == b'0')
                && seven.len() == 7
                && type_checks(AccountType::T12, clearing4, seven);
            if !legacy {
                return Err(failed(AccountType::T24));
            }
            warnings.push(issue::variant_avanza());
            Ok((AccountType::T12, seven.to_string()))
        }
        Format::NoFormat => Err(issue::no_account_format(clearing4, range.bank)),
    }
}

/// The checksum of one type:variant (bank-accounts.md §2).
fn type_checks(t: AccountType, clearing4: &str, account: &str) -> bool {
    use checksum::{luhn_valid, mod11_valid};
    match t {
        AccountType::T11 => mod11_valid(&format!("{}{account:0>7}", suffix(clearing4, 1))),
        AccountType::T12 => mod11_valid(&format!("{clearing4}{account:0>7}")),
        AccountType::T21 | AccountType::T23 => luhn_valid(&format!("{account:0>10}")),
        AccountType::T22 => mod11_valid(&format!("{account:0>9}")),
        AccountType::T24 => mod11_valid(&format!("{account:0>10}")),
    }
}

fn clearing_shape_ok(clearing: &str) -> bool {
    let shape = clearing.len() == 4 || (clearing.len() == 5 && clearing.starts_with('8'));
    shape && prefix(clearing, 4).parse::<u16>().is_ok_and(|n| n >= 1000)
}

/// Removes separators (white space incl. no-break spaces, hyphens and dashes, dots); `Err`
/// carries the first other character, or `None` when nothing is left.
fn clean(raw: &str) -> Result<String, Option<char>> {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '0'..='9' => out.push(c),
            // People paste from word processors: typographic dashes are hyphens too.
            '-' | '.' | '\u{2010}'..='\u{2013}' | '\u{2212}' => {}
            c if c.is_whitespace() => {}
            c => return Err(Some(c)),
        }
    }
    if out.is_empty() {
        Err(None)
    } else {
        Ok(out)
    }
}

/// The first `n` bytes of an ASCII digit string (all of it when shorter).
fn prefix(digits: &str, n: usize) -> &str {
    digits.get(..n).unwrap_or(digits)
}

/// All but the first `n` bytes of an ASCII digit string.
fn suffix(digits: &str, n: usize) -> &str {
    digits.get(n..).unwrap_or("")
}
