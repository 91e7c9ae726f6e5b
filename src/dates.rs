//! `YYYY-MM-DD`, the only date form either API uses (DOMAIN.md §3.4): read strictly, by hand,
//! which also keeps chrono's general format parser out of the wasm module.

use chrono::NaiveDate;

/// The date `s` names, when it is exactly `YYYY-MM-DD` and a real day.
pub fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let well_formed = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !well_formed {
        return None;
    }
    let number = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_days_written_in_full() {
        assert_eq!(
            parse_ymd("2026-11-25"),
            NaiveDate::from_ymd_opt(2026, 11, 25)
        );
        assert_eq!(
            parse_ymd("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-05",
            "2026/11/25",
            " 2026-11-25",
            "2026-11-25T00:00",
            "",
            "२०२६-११-२५",
        ] {
            assert_eq!(parse_ymd(bad), None, "{bad:?}");
        }
    }
}
