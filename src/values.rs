//! Each mapped field as one system holds it, made comparable: what to show, the normal form
//! that decides "same or different", and a problem when the value can't be written elsewhere.

use crate::bank::{self, Issue, Mode};
use crate::model::{Address, BankAccount, Field, Values};
use crate::normalize;
use serde::Serialize;

/// One side of a difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldValue {
    /// As the system holds it, tidied for reading.
    pub display: String,
    /// What is compared.
    pub normalized: String,
    /// Why this value can't be copied to the other system, if it can't.
    #[serde(skip)]
    pub problem: Option<Issue>,
}

/// The comparable value of `field`, or `None` when it is empty. A value with a control or bidi
/// character has that as its problem, whatever else is wrong: it is never written anywhere.
pub fn of(field: Field, v: &Values, lenient_bank: bool) -> Option<FieldValue> {
    let mut value = read(field, v, lenient_bank)?;
    if let Some(c) = raw_texts(field, v).find_map(normalize::hidden_control) {
        value.problem = Some(Issue {
            code: "control_character",
            message: format!(
                "it contains the invisible control character U+{:04X}, which is never written to a register; correct it where it was typed.",
                u32::from(c)
            ),
        });
    }
    Some(value)
}

/// The text a system holds for `field`, as typed.
fn raw_texts(field: Field, v: &Values) -> impl Iterator<Item = &str> {
    let texts: Vec<&str> = match field {
        Field::Email => v.email.as_deref().into_iter().collect(),
        Field::PrivateEmail => v.private_email.as_deref().into_iter().collect(),
        Field::EmploymentId => v.employment_id.as_deref().into_iter().collect(),
        Field::GivenName => v.given_name.as_deref().into_iter().collect(),
        Field::FamilyName => v.family_name.as_deref().into_iter().collect(),
        Field::Phone => v.phone.as_deref().into_iter().collect(),
        Field::Address => v
            .address
            .iter()
            .flat_map(|a| [&a.line1, &a.line2, &a.postal_code, &a.city, &a.country])
            .map(String::as_str)
            .collect(),
        Field::BankAccount => match &v.bank_account {
            Some(BankAccount::Text { text }) => vec![text.as_str()],
            Some(BankAccount::Split { clearing, account }) => {
                vec![clearing.as_str(), account.as_str()]
            }
            Some(BankAccount::International { iban }) => vec![iban.as_str()],
            None => Vec::new(),
        },
    };
    texts.into_iter()
}

fn read(field: Field, v: &Values, lenient_bank: bool) -> Option<FieldValue> {
    match field {
        Field::Email => v.email.as_deref().map(|e| email(e, "work e-mail")),
        Field::PrivateEmail => v
            .private_email
            .as_deref()
            .map(|e| email(e, "private e-mail")),
        Field::EmploymentId => v.employment_id.as_deref().map(plain),
        Field::GivenName => v.given_name.as_deref().map(plain),
        Field::FamilyName => v.family_name.as_deref().map(plain),
        Field::Phone => v.phone.as_deref().map(phone),
        Field::Address => v.address.as_ref().map(address),
        Field::BankAccount => v
            .bank_account
            .as_ref()
            .map(|b| bank_account(b, lenient_bank)),
    }
}

/// True when `field` is certainly the same on both sides without normalising: the same text
/// after trimming (e-mails regardless of ASCII case). Most values are, and then nothing needs to
/// be built; `false` only means "compare the normal forms".
pub fn same_raw(field: Field, a: &Values, b: &Values) -> bool {
    let same = |x: Option<&str>, y: Option<&str>| match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => x.trim() == y.trim(),
        _ => false,
    };
    let same_email = |x: Option<&str>, y: Option<&str>| match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
        _ => false,
    };
    match field {
        Field::Email => same_email(a.email.as_deref(), b.email.as_deref()),
        Field::PrivateEmail => same_email(a.private_email.as_deref(), b.private_email.as_deref()),
        Field::EmploymentId => same(a.employment_id.as_deref(), b.employment_id.as_deref()),
        Field::GivenName => same(a.given_name.as_deref(), b.given_name.as_deref()),
        Field::FamilyName => same(a.family_name.as_deref(), b.family_name.as_deref()),
        Field::Phone => same(a.phone.as_deref(), b.phone.as_deref()),
        Field::Address => match (&a.address, &b.address) {
            (None, None) => true,
            (Some(x), Some(y)) => {
                x.line1.trim() == y.line1.trim()
                    && x.line2.trim() == y.line2.trim()
                    && x.postal_code.trim() == y.postal_code.trim()
                    && x.city.trim() == y.city.trim()
                    && x.country.trim() == y.country.trim()
            }
            _ => false,
        },
        Field::BankAccount => a.bank_account.is_none() && b.bank_account.is_none(),
    }
}

fn plain(s: &str) -> FieldValue {
    let t = normalize::text(s);
    FieldValue {
        display: t.clone(),
        normalized: t,
        problem: None,
    }
}

fn email(s: &str, what: &str) -> FieldValue {
    let display = normalize::text(s);
    let problem = (!normalize::is_plausible_email(&display)).then(|| Issue {
        code: "invalid_email",
        message: format!("{display:?} isn't a valid {what} address."),
    });
    FieldValue {
        normalized: normalize::email(s),
        display,
        problem,
    }
}

fn phone(s: &str) -> FieldValue {
    let display = normalize::text(s);
    match normalize::phone(s) {
        Some(e164) => FieldValue { display, normalized: e164, problem: None },
        None => FieldValue {
            normalized: display.clone(),
            problem: Some(Issue {
                code: "invalid_phone",
                message: format!("{display:?} can't be read as a phone number (write it as 070-123 45 67 or +46 70 123 45 67)."),
            }),
            display,
        },
    }
}

fn address(a: &Address) -> FieldValue {
    let country = normalize::country(&a.country);
    let postal = normalize::postal_code(&a.postal_code, country.as_deref());
    let parts = [
        normalize::text(&a.line1),
        normalize::text(&a.line2),
        postal,
        normalize::text(&a.city),
        country
            .clone()
            .unwrap_or_else(|| normalize::text(&a.country)),
    ];
    let display = [
        normalize::text(&a.line1),
        normalize::text(&a.line2),
        format!(
            "{} {}",
            normalize::text(&a.postal_code),
            normalize::text(&a.city)
        )
        .trim()
        .to_string(),
        normalize::text(&a.country),
    ]
    .into_iter()
    .filter(|p| !p.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let problem = (country.is_none() && !a.country.trim().is_empty()).then(|| Issue {
        code: "unknown_country",
        message: format!(
            "The country {:?} isn't one crona-sync can write as a country code.",
            a.country.trim()
        ),
    });
    FieldValue {
        display,
        normalized: parts.join(" | "),
        problem,
    }
}

/// The parts of an address that differ, for the preview ("postal code, city").
pub fn address_parts_differing(a: &FieldValue, b: &FieldValue) -> Vec<&'static str> {
    const NAMES: [&str; 5] = ["street", "line 2", "postal code", "city", "country"];
    a.normalized
        .split(" | ")
        .zip(b.normalized.split(" | "))
        .zip(NAMES)
        .filter(|((x, y), _)| x != y)
        .map(|(_, name)| name)
        .collect()
}

fn bank_account(b: &BankAccount, lenient: bool) -> FieldValue {
    let mode = if lenient { Mode::Lenient } else { Mode::Strict };
    let (display, result) = match b {
        BankAccount::Text { text } => (normalize::text(text), bank::parse(text, mode).result),
        BankAccount::Split { clearing, account } => (format!("{clearing}, {account}"), bank::validate(clearing, account, mode)),
        BankAccount::International { iban } => {
            return FieldValue {
                display: iban.clone(),
                normalized: iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase(),
                problem: Some(Issue {
                    code: "international_account",
                    message: "An international (IBAN) account has no place in Crona Lön, which pays to Swedish accounts.".into(),
                }),
            }
        }
    };
    match (
        result.valid,
        result.bban16,
        result.errors.into_iter().next(),
    ) {
        (true, Some(bban16), _) => FieldValue {
            display: result.formatted.unwrap_or(display),
            normalized: bban16,
            problem: None,
        },
        (_, _, error) => FieldValue {
            normalized: display.chars().filter(char::is_ascii_digit).collect(),
            display,
            problem: error.or(Some(Issue {
                code: "E_FORMAT",
                message: "Not a bank account number.".into(),
            })),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values::default()
    }

    #[test]
    fn the_same_swedbank_account_in_hrs_one_string_and_cronas_two_fields_is_equal() {
        let huma = Values {
            bank_account: Some(BankAccount::Text {
                text: "8327-9, 014 725 892-5".into(),
            }),
            ..values()
        };
        let crona = Values {
            bank_account: Some(BankAccount::Split {
                clearing: "83279".into(),
                account: "0147258925".into(),
            }),
            ..values()
        };
        let (h, c) = (
            of(Field::BankAccount, &huma, false).unwrap(),
            of(Field::BankAccount, &crona, false).unwrap(),
        );
        assert_eq!(h.normalized, c.normalized);
        assert_eq!(h.display, "8327-0147258925");
    }

    #[test]
    fn an_invalid_account_carries_its_bank_error_as_the_problem() {
        let v = Values {
            bank_account: Some(BankAccount::Text {
                text: "6114 517182352".into(),
            }),
            ..values()
        };
        let fv = of(Field::BankAccount, &v, false).unwrap();
        assert_eq!(fv.problem.unwrap().code, "E_CHECKSUM");
    }

    #[test]
    fn addresses_compare_part_by_part_and_say_which_parts_differ() {
        let a = Address {
            line1: "Storgatan 12".into(),
            line2: "".into(),
            postal_code: "411 38".into(),
            city: "Göteborg".into(),
            country: "Sverige".into(),
        };
        let b = Address {
            postal_code: "41138".into(),
            country: "SE".into(),
            ..a.clone()
        };
        let c = Address {
            city: "Mölndal".into(),
            postal_code: "431 30".into(),
            ..a.clone()
        };
        let get = |a: &Address| {
            of(
                Field::Address,
                &Values {
                    address: Some(a.clone()),
                    ..values()
                },
                false,
            )
            .unwrap()
        };
        assert_eq!(get(&a).normalized, get(&b).normalized);
        assert_eq!(
            address_parts_differing(&get(&a), &get(&c)),
            vec!["postal code", "city"]
        );
        assert_eq!(get(&a).display, "Storgatan 12, 411 38 Göteborg, Sverige");
    }

    #[test]
    fn an_unreadable_phone_is_kept_as_typed_with_a_problem() {
        let v = Values {
            phone: Some("ring växeln".into()),
            ..values()
        };
        let fv = of(Field::Phone, &v, false).unwrap();
        assert_eq!(
            (fv.normalized.as_str(), fv.problem.unwrap().code),
            ("ring växeln", "invalid_phone")
        );
    }
}
