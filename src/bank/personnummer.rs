//! The date rule of a Nordea personkonto number (bank-accounts.md §5 step 7, §6.3).

/// True when the first six digits are a real date YYMMDD. Samordningsnummer add 60 to the day;
/// 29 February is allowed when YY divides by 4 (the century is unknown, so 00 counts).
pub fn has_real_date(digits: &str) -> bool {
    let number = |from: usize| -> Option<u32> { digits.get(from..from + 2)?.parse().ok() };
    let (Some(yy), Some(mm), Some(dd)) = (number(0), number(2), number(4)) else {
        return false;
    };
    let day = if dd > 60 { dd - 60 } else { dd };
    let days_in_month = match mm {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if yy % 4 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::has_real_date;

    #[test]
    fn ordinary_and_samordningsnummer_days() {
        assert!(has_real_date("8411283941"));
        assert!(has_real_date("8411883941"), "day 88 = 28 + 60");
        assert!(!has_real_date("8411313941"), "30 days in November");
        assert!(!has_real_date("8413013941"), "no 13th month");
        assert!(!has_real_date("8411003941"));
        assert!(!has_real_date("8411603941"), "day 60 is neither");
    }

    #[test]
    fn leap_days() {
        assert!(has_real_date("8402293941"));
        assert!(has_real_date("0002293941"));
        assert!(!has_real_date("8502293941"));
        assert!(
            !has_real_date("8502893941"),
            "89 = 29 + 60, still not a leap year"
        );
    }
}
