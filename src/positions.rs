//! AnstDatum, AvgDatum, Slutat and Befattning from a person's Huma positions (DOMAIN.md §2).

use crate::model::{Position, PositionValues};
use chrono::NaiveDate;

/// The position values Crona should hold, as of `today`; `None` when a position carries a date
/// that isn't one, because then the end of employment can't be told (it is a blocker instead).
pub fn derive(positions: &[Position], today: NaiveDate) -> Option<PositionValues> {
    let date = |s: &Option<String>| -> Option<Option<NaiveDate>> {
        match s {
            None => Some(None),
            Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").ok().map(Some),
        }
    };
    let mut dated = Vec::new();
    for p in positions {
        let (start, end) = (date(&p.start)?, date(&p.end)?);
        // Positions without a start date are ignored (DOMAIN.md §2).
        if let Some(start) = start {
            dated.push((p, start, end));
        }
    }
    let anst_datum = dated.iter().map(|(_, s, _)| *s).min();
    // Every position ended: the latest end; any open-ended one: still employed.
    let avg_datum = if dated.is_empty() || dated.iter().any(|(_, _, e)| e.is_none()) {
        None
    } else {
        dated.iter().filter_map(|(_, _, e)| *e).max()
    };
    let title = |p: &Position| p.title.clone();
    let current = dated
        .iter()
        .filter(|(_, s, e)| *s <= today && e.is_none_or(|e| e >= today))
        .max_by_key(|(_, s, _)| *s);
    let upcoming = dated
        .iter()
        .filter(|(_, s, _)| *s > today)
        .min_by_key(|(_, s, _)| *s);
    let ended = dated
        .iter()
        .filter(|(_, _, e)| e.is_some_and(|e| e < today))
        .max_by_key(|(_, _, e)| *e);
    let befattning = current
        .or(upcoming)
        .or(ended)
        .and_then(|(p, _, _)| title(p));
    Some(PositionValues {
        anst_datum: anst_datum.map(|d| d.to_string()),
        avg_datum: avg_datum.map(|d| d.to_string()),
        slutat: Some(avg_datum.is_some_and(|end| end < today)),
        befattning,
    })
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

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn one_open_ended_position() {
        let v = derive(
            &[p("2019-09-01", None, "Lönespecialist")],
            day("2026-11-25"),
        )
        .unwrap();
        assert_eq!(v.anst_datum.as_deref(), Some("2019-09-01"));
        assert_eq!((v.avg_datum, v.slutat), (None, Some(false)));
        assert_eq!(v.befattning.as_deref(), Some("Lönespecialist"));
    }

    #[test]
    fn an_ended_employment_is_slutat_from_the_day_after_and_keeps_its_last_title() {
        let ps = [p("2018-01-01", Some("2026-11-24"), "Platschef")];
        let v = derive(&ps, day("2026-11-25")).unwrap();
        assert_eq!(
            (v.avg_datum.as_deref(), v.slutat),
            (Some("2026-11-24"), Some(true))
        );
        assert_eq!(
            v.befattning.as_deref(),
            Some("Platschef"),
            "the latest ended title, never cleared"
        );
        assert_eq!(derive(&ps, day("2026-11-24")).unwrap().slutat, Some(false));
    }

    #[test]
    fn only_an_upcoming_position_gives_its_title() {
        let v = derive(&[p("2026-12-01", None, "Snickare")], day("2026-11-25")).unwrap();
        assert_eq!(
            (v.anst_datum.as_deref(), v.befattning.as_deref()),
            (Some("2026-12-01"), Some("Snickare"))
        );
    }

    #[test]
    fn a_date_that_isnt_one_derives_nothing_rather_than_open_ended() {
        assert_eq!(
            derive(
                &[p("2019-01-01", Some("2026-06-31"), "Säljare")],
                day("2026-11-25")
            ),
            None
        );
    }
}
