//! The error and warning codes of bank-accounts.md §5, each with a message a payroll
//! administrator understands: it names the bank and the rule.

use serde::Serialize;

/// One error or warning: a stable code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// E.g. `E_CHECKSUM`, `W_PADDING_STRIPPED`.
    pub code: &'static str,
    /// What is wrong (or what was done), in words.
    pub message: String,
}

fn issue(code: &'static str, message: String) -> Issue {
    Issue { code, message }
}

/// Which of the two fields a message speaks of.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    Clearing,
    Account,
    /// Clearing and account in one string.
    Whole,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::Clearing => "clearing number",
            Part::Account => "account number",
            Part::Whole => "bank account number",
        }
    }
}

pub fn format(part: Part, bad: Option<char>) -> Issue {
    let message = match bad {
        Some(c) => format!(
            "The {} contains {c:?}, which can't be part of a Swedish bank account number.",
            part.name()
        ),
        None => format!("The {} is empty.", part.name()),
    };
    issue("E_FORMAT", message)
}

pub fn clearing_length(clearing: &str) -> Issue {
    issue(
        "E_CLEARING_LENGTH",
        format!(
            "A clearing number has 4 digits from 1000 to 9999 (Swedbank also writes a fifth after a hyphen, 8xxx-x); {clearing:?} has {} digits.",
            clearing.len()
        ),
    )
}

pub fn clearing_check_digit(clearing4: &str, expected: u8, given: char) -> Issue {
    issue(
        "E_CLEARING_CHECK_DIGIT",
        format!(
            "Swedbank clearing {clearing4} is written {clearing4}-{expected} with five digits; the fifth digit given was {given}. Check the clearing number."
        ),
    )
}

pub fn clearing_unknown(clearing4: &str) -> Issue {
    issue(
        "E_CLEARING_UNKNOWN",
        format!("Clearing number {clearing4} doesn't belong to any Swedish bank. Check the clearing number."),
    )
}

pub fn no_account_format(clearing4: &str, bank: &str) -> Issue {
    issue(
        "E_CLEARING_NO_ACCOUNT_FORMAT",
        format!("Clearing number {clearing4} belongs to {bank}, which publishes no account number format: salary can't be paid to it."),
    )
}

pub fn account_length(bank: &str, min: u8, max: u8, personkonto: bool, got: usize) -> Issue {
    let rule = if personkonto {
        "are the holder's 10-digit personnummer (YYMMDDNNNN)".to_string()
    } else if min == max {
        format!("have {max} digits after the clearing number")
    } else if min + 1 == max {
        format!("have {max} digits ({min} with a leading zero)")
    } else {
        format!("have {min} to {max} digits")
    };
    issue(
        "E_ACCOUNT_LENGTH",
        format!("{bank} accounts {rule}; this one has {got}."),
    )
}

pub fn account_zero() -> Issue {
    issue(
        "E_ACCOUNT_ZERO",
        "The account number is all zeros.".to_string(),
    )
}

pub fn checksum(bank: &str, method: &str) -> Issue {
    issue(
        "E_CHECKSUM",
        format!("This isn't a valid {bank} account: its check digit doesn't match ({method}). Look for a mistyped or swapped digit."),
    )
}

pub fn personnummer_date(date: &str) -> Issue {
    issue(
        "E_PERSONNUMMER_DATE",
        format!("A Nordea personkonto number is the holder's personnummer and starts with the birth date YYMMDD, but {date} isn't a date."),
    )
}

pub fn padding_stripped(zeros: usize) -> Issue {
    issue(
        "W_PADDING_STRIPPED",
        format!(
            "Removed {zeros} leading zero{} (the zero-filled payroll-file form of the number).",
            if zeros == 1 { "" } else { "s" }
        ),
    )
}

pub fn w3782() -> Issue {
    issue(
        "W_3782",
        "Clearing 3782 reaches Nordea personkonto accounts, but some banks refuse payments to it; 3300 is the usual clearing for the same account.".to_string(),
    )
}

pub fn retiring_9300() -> Issue {
    issue(
        "W_9300_SERIES_RETIRING",
        "Clearing series 9300–9349 (Swedbank, formerly Sparbanken Öresund) is being withdrawn; ask the employee for the account's new number.".to_string(),
    )
}

pub fn variant_medmera(used: &str) -> Issue {
    issue(
        "W_VARIANT_AMBIGUOUS",
        format!("Bankgirot and BSAB publish different formats for MedMera Bank (1:2 and 1:1); this account fits {used}. Confirm the number with the employee."),
    )
}

pub fn variant_avanza() -> Issue {
    issue(
        "W_VARIANT_AMBIGUOUS",
        "Avanza clearing 9565–9569 now has 10-digit accounts (2:4); this 7-digit number fits only the older 1:2 format. Confirm the number with the employee.".to_string(),
    )
}

/// The lenient-mode rewrites of bank-accounts.md §5.
#[derive(Debug, Clone, Copy)]
pub enum Lenient {
    /// A type-1 account shorter than 7 digits, zero-padded.
    L1ShortType1,
    /// A personkonto with its century, dropped.
    L2Century,
    /// The Swedbank check digit typed in front of the account, moved.
    L3SwedbankCheckDigit,
    /// Zeros in front of the clearing, stripped.
    L4ClearingZeros,
    /// The clearing repeated in front of the account, dropped.
    L5RepeatedClearing,
    /// An unassigned clearing whose account fits type 1.
    L6UnknownClearing,
}

/// A lenient-mode rewrite: the normalised value must be shown to a person.
pub fn lenient(rule: Lenient, what: String) -> Issue {
    let code = match rule {
        Lenient::L1ShortType1 => "W_LENIENT_L1",
        Lenient::L2Century => "W_LENIENT_L2",
        Lenient::L3SwedbankCheckDigit => "W_LENIENT_L3",
        Lenient::L4ClearingZeros => "W_LENIENT_L4",
        Lenient::L5RepeatedClearing => "W_LENIENT_L5",
        Lenient::L6UnknownClearing => "W_LENIENT_L6",
    };
    issue(code, what)
}

pub fn iban_country(country: &str) -> Issue {
    issue(
        "E_IBAN_COUNTRY",
        format!(
            "This is an IBAN from {country}; Crona Lön pays salary to Swedish accounts only (SE…)."
        ),
    )
}

pub fn iban_length(got: usize) -> Issue {
    issue(
        "E_IBAN_LENGTH",
        format!("A Swedish IBAN has 24 characters (SE + 22 digits); this one has {got}."),
    )
}

pub fn iban_checksum() -> Issue {
    issue(
        "E_IBAN_CHECKSUM",
        "The IBAN's check digits don't match: look for a mistyped or swapped character."
            .to_string(),
    )
}

pub fn iban_bank(id: &str) -> Issue {
    issue(
        "E_IBAN_BANK",
        format!("The IBAN's bank code {id} isn't one that can be converted to a Swedish clearing and account number."),
    )
}
