//! When a paged listing is complete (DOMAIN.md §3.5): only when the distinct records read equal
//! the `total` the API reported. A page size the server capped is followed; a short or empty page
//! before the end, a `total` that changes, a repeated id or more records than the total is a
//! coded failure, never a partial register.

use crate::error::{Error, Result};
use crate::request::HttpRequest;
use std::collections::BTreeSet;

/// One page as an adapter read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The ids of every item on the page, in order.
    pub ids: Vec<String>,
    /// The total the answer states, if it states one.
    pub total: Option<u64>,
    /// The page size the answer says it used, if it says (Crona echoes `pageSize`).
    pub size: Option<u64>,
}

/// What to do after a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Ask for the next page, starting after the records read so far.
    More,
    /// Every record is read.
    Complete,
}

/// The bookkeeping of one paged listing.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The page size asked for.
    asked: u64,
    /// The page size the server turned out to use (the asked one, or its cap).
    size: Option<u64>,
    total: Option<u64>,
    ids: BTreeSet<String>,
    pages: u32,
}

impl Listing {
    /// A listing that asks for `asked` records a page.
    pub fn new(asked: u32) -> Self {
        Listing {
            asked: u64::from(asked.max(1)),
            ..Listing::default()
        }
    }

    /// Distinct records read so far.
    pub fn read(&self) -> usize {
        self.ids.len()
    }

    /// Takes the next page (pages arrive one at a time, in order). `at` says which page it was
    /// ("offset 50", "page 2") for the error.
    pub fn take(&mut self, request: &HttpRequest, at: &str, page: &Page) -> Result<Next> {
        let fail = |reason: String| Error::IncompleteListing {
            system: request.system.key(),
            request: request.label(),
            page: at.to_string(),
            reason,
        };
        let Some(total) = page.total else {
            return Err(fail(format!(
                "{} didn't say how many records there are (no total), so a complete read can't be checked",
                request.system.name()
            )));
        };
        match self.total {
            Some(before) if before != total => {
                return Err(fail(format!(
                    "the total changed from {before} to {total} while the pages were read (the register changed, or the API pages inconsistently); try again"
                )))
            }
            _ => self.total = Some(total),
        }
        let before = self.read() as u64;
        let remaining = total.saturating_sub(before);
        let received = page.ids.len() as u64;
        // The server's page size: what it says it used, else (first page) what it gave, when less
        // than asked (a cap) or more (a limit it ignores). Every later page is held to it.
        let first = self.size.is_none();
        let size = match (self.size, page.size) {
            (Some(size), _) => size,
            (None, Some(stated)) if (1..=self.asked).contains(&stated) => stated.max(received),
            (None, _) if received > 0 && received < self.asked.min(remaining) => received,
            (None, _) => self.asked.max(received),
        };
        self.size = Some(size);
        self.pages += 1;
        for id in &page.ids {
            if !self.ids.insert(id.clone()) {
                return Err(fail(format!(
                    "the id {id:?} was listed twice, so records may have shifted between pages"
                )));
            }
        }
        let expected = size.min(remaining);
        if received < expected || (!first && received > expected) {
            return Err(fail(format!(
                "the page held {received} of the {expected} records due ({before} of {total} read before it)"
            )));
        }
        let read = self.read() as u64;
        if read > total {
            return Err(fail(format!(
                "{read} records were listed, more than the total of {total}"
            )));
        }
        Ok(if read == total {
            Next::Complete
        } else {
            Next::More
        })
    }

    /// How many pages were taken.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// The total the API stated, once a page has said it.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// Pages still to take, by the stated total and the server's page size (0 once complete);
    /// `None` before the first page.
    pub fn pages_left(&self) -> Option<u64> {
        let (total, size) = (self.total?, self.size?.max(1));
        Some(total.saturating_sub(self.read() as u64).div_ceil(size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::System;

    fn request() -> HttpRequest {
        HttpRequest::get(
            "crona:employees:1".into(),
            System::Crona,
            "/api/v1/employees".into(),
        )
    }

    fn page(ids: std::ops::Range<u32>, total: u64, size: Option<u64>) -> Page {
        Page {
            ids: ids.map(|i| i.to_string()).collect(),
            total: Some(total),
            size,
        }
    }

    fn reason(e: Error) -> String {
        match e {
            Error::IncompleteListing { reason, .. } => reason,
            other => panic!("not an incomplete listing: {other:?}"),
        }
    }

    #[test]
    fn pages_that_add_up_to_the_total_are_complete() {
        let mut l = Listing::new(200);
        let r = request();
        assert_eq!(
            l.take(&r, "page 1", &page(0..200, 250, Some(200))),
            Ok(Next::More)
        );
        assert_eq!(
            l.take(&r, "page 2", &page(200..250, 250, Some(200))),
            Ok(Next::Complete)
        );
        assert_eq!(l.read(), 250);
    }

    #[test]
    fn a_page_size_the_server_caps_is_followed() {
        let mut l = Listing::new(200);
        let r = request();
        assert_eq!(
            l.take(&r, "page 1", &page(0..10, 25, Some(10))),
            Ok(Next::More)
        );
        assert_eq!(
            l.take(&r, "page 2", &page(10..20, 25, Some(10))),
            Ok(Next::More)
        );
        assert_eq!(
            l.take(&r, "page 3", &page(20..25, 25, Some(10))),
            Ok(Next::Complete)
        );
    }

    #[test]
    fn the_pages_left_count_in_the_servers_page_size_once_a_page_stated_the_total() {
        let mut l = Listing::new(200);
        let r = request();
        assert_eq!((l.total(), l.pages_left()), (None, None));
        l.take(&r, "page 1", &page(0..10, 25, Some(10))).unwrap();
        assert_eq!((l.total(), l.pages_left()), (Some(25), Some(2)));
        l.take(&r, "page 2", &page(10..20, 25, Some(10))).unwrap();
        assert_eq!(l.pages_left(), Some(1));
        l.take(&r, "page 3", &page(20..25, 25, Some(10))).unwrap();
        assert_eq!(l.pages_left(), Some(0));
    }

    #[test]
    fn an_empty_register_has_no_pages_left_after_its_one_page() {
        let mut l = Listing::new(50);
        l.take(&request(), "page 1", &page(0..0, 0, None)).unwrap();
        assert_eq!((l.total(), l.pages_left()), (Some(0), Some(0)));
    }

    #[test]
    fn an_unstated_cap_is_learnt_from_the_first_page_and_held_to() {
        let mut l = Listing::new(50);
        let r = request();
        assert_eq!(
            l.take(&r, "offset 0", &page(0..25, 60, None)),
            Ok(Next::More)
        );
        assert_eq!(
            reason(
                l.take(&r, "offset 25", &page(25..49, 60, None))
                    .unwrap_err()
            ),
            "the page held 24 of the 25 records due (25 of 60 read before it)"
        );
    }

    #[test]
    fn a_page_larger_than_the_ones_before_is_a_failure() {
        let mut l = Listing::new(50);
        let r = request();
        l.take(&r, "offset 0", &page(0..9, 30, None)).unwrap();
        assert_eq!(
            reason(l.take(&r, "offset 9", &page(9..19, 30, None)).unwrap_err()),
            "the page held 10 of the 9 records due (9 of 30 read before it)"
        );
    }

    #[test]
    fn a_server_that_ignores_the_limit_and_sends_everyone_at_once_is_complete() {
        let mut l = Listing::new(50);
        assert_eq!(
            l.take(&request(), "offset 0", &page(0..120, 120, None)),
            Ok(Next::Complete)
        );
    }

    #[test]
    fn an_empty_page_before_the_total_is_a_failure() {
        let mut l = Listing::new(200);
        let r = request();
        l.take(&r, "page 1", &page(0..200, 389, Some(200))).unwrap();
        let e = l
            .take(&r, "page 2", &page(0..0, 389, Some(200)))
            .unwrap_err();
        assert_eq!(e.code(), "incomplete_listing");
        assert_eq!(
            e.to_string(),
            "Crona GET /api/v1/employees (page 2) is incomplete: the page held 0 of the 189 records due (200 of 389 read before it). Nothing is written on a partial register."
        );
    }

    #[test]
    fn a_short_page_with_a_stated_size_is_a_failure_even_first() {
        let mut l = Listing::new(200);
        let e = l
            .take(&request(), "page 1", &page(0..199, 389, Some(200)))
            .unwrap_err();
        assert_eq!(
            reason(e),
            "the page held 199 of the 200 records due (0 of 389 read before it)"
        );
    }

    #[test]
    fn a_changing_total_a_repeated_id_or_too_many_records_fail() {
        let r = request();
        let mut l = Listing::new(2);
        l.take(&r, "page 1", &page(0..2, 5, None)).unwrap();
        assert_eq!(
            reason(l.take(&r, "page 2", &page(2..4, 6, None)).unwrap_err()),
            "the total changed from 5 to 6 while the pages were read (the register changed, or the API pages inconsistently); try again"
        );
        let mut l = Listing::new(2);
        l.take(&r, "page 1", &page(0..2, 5, None)).unwrap();
        assert_eq!(
            reason(l.take(&r, "page 2", &page(1..3, 5, None)).unwrap_err()),
            "the id \"1\" was listed twice, so records may have shifted between pages"
        );
        let mut l = Listing::new(5);
        assert_eq!(
            reason(l.take(&r, "page 1", &page(0..5, 3, None)).unwrap_err()),
            "5 records were listed, more than the total of 3"
        );
    }

    #[test]
    fn a_listing_without_a_total_cannot_be_checked() {
        let mut l = Listing::new(50);
        let p = Page {
            ids: vec!["a".into()],
            total: None,
            size: None,
        };
        assert_eq!(
            reason(l.take(&request(), "page 1", &p).unwrap_err()),
            "Crona didn't say how many records there are (no total), so a complete read can't be checked"
        );
    }

    #[test]
    fn an_empty_register_is_complete_at_once() {
        let mut l = Listing::new(50);
        assert_eq!(
            l.take(&request(), "page 1", &page(0..0, 0, None)),
            Ok(Next::Complete)
        );
    }
}
