//! The two check-digit methods of Bankgirot's "Bankernas kontonummer" (bank-accounts.md §3).
//!
//! Both take ASCII digits; anything else makes the number invalid rather than panicking.

/// Mod 10 (Luhn): from the right, weights 1, 2, 1, 2…; two-digit products add their digits.
pub fn luhn_valid(digits: &str) -> bool {
    !digits.is_empty() && luhn_sum(digits).is_some_and(|sum| sum % 10 == 0)
}

/// The Luhn check digit to append to `digits` (e.g. the fifth digit of a Swedbank clearing).
pub fn luhn_check_digit(digits: &str) -> Option<u8> {
    // Appending 0 shifts every digit one weight to the left.
    let sum = luhn_sum(&format!("{digits}0"))?;
    Some(((10 - sum % 10) % 10) as u8)
}

fn luhn_sum(digits: &str) -> Option<u32> {
    digits
        .bytes()
        .rev()
        .enumerate()
        .try_fold(0u32, |sum, (i, b)| {
            let d = u32::from(digit(b)?);
            let product = if i % 2 == 1 { d * 2 } else { d };
            Some(sum + if product > 9 { product - 9 } else { product })
        })
}

/// Mod 11: from the right, weights 1, 2, …, 10, then 1 again; valid when the sum divides by 11.
pub fn mod11_valid(digits: &str) -> bool {
    let sum = digits
        .bytes()
        .rev()
        .enumerate()
        .try_fold(0u32, |sum, (i, b)| {
            Some(sum + u32::from(digit(b)?) * (i as u32 % 10 + 1))
        });
    !digits.is_empty() && sum.is_some_and(|s| s % 11 == 0)
}

fn digit(b: u8) -> Option<u8> {
    b.is_ascii_digit().then(|| b - b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bankgirots_own_luhn_example_totals_50() {
        assert!(luhn_valid("3316812057492"));
        assert!(!luhn_valid("3316812057493"));
    }

    #[test]
    fn bankgirots_own_mod11_example_totals_286() {
        assert!(mod11_valid("1912763608957"));
        assert!(!mod11_valid("1912763608958"));
    }

    #[test]
    fn the_swedbank_clearing_8327_has_check_digit_9() {
        assert_eq!(luhn_check_digit("8327"), Some(9));
        assert!(luhn_valid("83279"));
    }

    #[test]
    fn leading_zeros_never_change_the_verdict() {
        assert_eq!(luhn_valid("0147258925"), luhn_valid("00000147258925"));
        assert_eq!(mod11_valid("517182351"), mod11_valid("000517182351"));
    }

    #[test]
    fn non_digits_and_empty_input_are_invalid_not_a_panic() {
        for bad in ["", "12a4", "１２３", "8327-9"] {
            assert!(!mod11_valid(bad), "{bad}");
            assert!(!luhn_valid(bad), "{bad}");
        }
        assert_eq!(luhn_check_digit("83x7"), None);
    }
}
