//! Swedish IBANs (bank-accounts.md §7): "SE" + two mod-97 check digits + 3-digit IBAN ID + 17 digits.

use super::clearing::IbanMethod;

/// Builds the IBAN for a validated account.
///
/// `account` is the normalised account (padded to its type's width); `check_digit` is the
/// Swedbank clearing check digit where there is one.
pub fn build(
    id: u16,
    method: IbanMethod,
    clearing4: &str,
    check_digit: Option<u8>,
    account: &str,
) -> Option<String> {
    let body = match method {
        IbanMethod::ClearingAndAccount => format!("{clearing4}{account}"),
        IbanMethod::AccountOnly => account.to_string(),
        IbanMethod::SwedbankFiveDigit => format!("{clearing4}{}{account:0>10}", check_digit?),
        IbanMethod::ClearingAndAccount10 => format!("{clearing4}{account:0>10}"),
    };
    if body.len() > 17 {
        return None;
    }
    let bban = format!("{id:03}{body:0>17}");
    Some(format!("SE{:02}{bban}", check_digits(&bban)?))
}

/// ISO 7064 mod 97-10: the two digits that make the whole IBAN ≡ 1 (mod 97).
fn check_digits(bban: &str) -> Option<u32> {
    // "SE00" moved to the end: S = 28, E = 14.
    Some(98 - mod97(&format!("{bban}281400"))?)
}

/// The remainder of a long decimal number by 97, digit by digit.
pub fn mod97(digits: &str) -> Option<u32> {
    digits.bytes().try_fold(0u32, |rem, b| {
        b.is_ascii_digit()
            .then(|| (rem * 10 + u32::from(b - b'0')) % 97)
    })
}

/// Whether an IBAN (letters as ISO 13616 numbers) has the right check digits.
pub fn checks(iban: &str) -> bool {
    let (Some(head), Some(tail)) = (iban.get(..4), iban.get(4..)) else {
        return false;
    };
    let mut digits = String::with_capacity(iban.len() * 2);
    for c in tail.chars().chain(head.chars()) {
        match c {
            '0'..='9' => digits.push(c),
            'A'..='Z' => digits.push_str(&(u32::from(c) - u32::from('A') + 10).to_string()),
            _ => return false,
        }
    }
    mod97(&digits) == Some(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_examples() {
        use IbanMethod::*;
        assert_eq!(
            build(120, ClearingAndAccount, "1274", None, "0235305").as_deref(),
            Some("SE4112000000012740235305")
        );
        assert_eq!(
            build(600, AccountOnly, "6114", None, "517182351").as_deref(),
            Some("SE5860000000000517182351")
        );
        assert_eq!(
            build(300, AccountOnly, "3300", None, "1010101010").as_deref(),
            Some("SE9530000000001010101010")
        );
        assert_eq!(
            build(957, AccountOnly, "9570", None, "5250041760").as_deref(),
            Some("SE3795700000005250041760")
        );
        assert_eq!(
            build(800, SwedbankFiveDigit, "8327", Some(9), "0147258925").as_deref(),
            Some("SE5580000832790147258925")
        );
        assert_eq!(
            build(902, ClearingAndAccount, "9022", None, "1114884").as_deref(),
            Some("SE5390200000090221114884")
        );
    }

    #[test]
    fn check_digits_are_verified() {
        assert!(checks("SE4112000000012740235305"));
        assert!(!checks("SE4212000000012740235305"));
        assert!(!checks("SE41"));
        assert!(!checks("se4112000000012740235305"));
    }
}
