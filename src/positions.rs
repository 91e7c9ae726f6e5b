//! AnstDatum, AvgDatum, Slutat and Befattning from a person's Huma positions (DOMAIN.md §2).
//!
//! A seam: this first version takes the earliest start, the end date and the current title; the
//! complete rules (several, overlapping, upcoming, re-hires) replace it without touching callers.

use crate::model::{Position, PositionValues};
use chrono::NaiveDate;

/// The position values Crona should hold, as of `today`.
pub fn derive(positions: &[Position], today: NaiveDate) -> PositionValues {
    let date = |s: &Option<String>| {
        s.as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    let dated: Vec<(&Position, NaiveDate)> = positions
        .iter()
        .filter_map(|p| Some((p, date(&p.start)?)))
        .collect();
    let anst_datum = dated.iter().map(|(_, d)| *d).min();
    // Every position ended: the latest end; any open-ended one: still employed.
    let ends: Vec<Option<NaiveDate>> = dated.iter().map(|(p, _)| date(&p.end)).collect();
    let avg_datum = if ends.is_empty() || ends.iter().any(Option::is_none) {
        None
    } else {
        ends.iter().flatten().max().copied()
    };
    let current = dated
        .iter()
        .filter(|(p, start)| *start <= today && date(&p.end).is_none_or(|end| end >= today))
        .max_by_key(|(_, start)| *start);
    PositionValues {
        anst_datum: anst_datum.map(|d| d.to_string()),
        avg_datum: avg_datum.map(|d| d.to_string()),
        slutat: Some(avg_datum.is_some_and(|end| end < today)),
        befattning: current.and_then(|(p, _)| p.title.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(start: &str, end: Option<&str>, title: &str) -> Position {
        Position {
            start: Some(start.into()),
            end: end.map(Into::into),
            title: Some(title.into()),
        }
    }

    #[test]
    fn one_open_ended_position() {
        let v = derive(
            &[p("2019-09-01", None, "Lönespecialist")],
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        );
        assert_eq!(v.anst_datum.as_deref(), Some("2019-09-01"));
        assert_eq!((v.avg_datum, v.slutat), (None, Some(false)));
        assert_eq!(v.befattning.as_deref(), Some("Lönespecialist"));
    }

    #[test]
    fn an_ended_employment_is_slutat_from_the_day_after() {
        let ps = [p("2018-01-01", Some("2026-11-24"), "Platschef")];
        let v = derive(&ps, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
        assert_eq!(
            (v.avg_datum.as_deref(), v.slutat),
            (Some("2026-11-24"), Some(true))
        );
        let v = derive(&ps, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        assert_eq!(v.slutat, Some(false));
    }
}
