//! What `progress()` tells a progress bar while the registers are read: the totals the APIs
//! stated, from their first pages on, and exact counts of people and requests as answers arrive.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use crona_sync::fetch::FetchProgress;
use crona_sync::request::HttpRequest;
use crona_sync::SyncSession;
use serde_json::json;

/// A runner that answers only the requests a test picks; the others wait.
struct Runner {
    world: World,
    waiting: Vec<HttpRequest>,
}

impl Runner {
    fn new(world: World) -> Self {
        Runner {
            world,
            waiting: vec![],
        }
    }

    /// Answers the waiting requests `pick` chooses, and reports how many it answered.
    fn answer(&mut self, s: &mut SyncSession, pick: impl Fn(&HttpRequest) -> bool) -> usize {
        self.waiting.extend(s.poll());
        let (now, later): (Vec<_>, Vec<_>) = self.waiting.drain(..).partition(|r| pick(r));
        self.waiting = later;
        let answers: Vec<_> = now.iter().map(|r| self.world.answer(r)).collect();
        s.handle(&answers).unwrap();
        answers.len()
    }
}

/// Huma people read and read in full, requests answered and in all.
fn read_and_answered(s: &SyncSession) -> (usize, usize, usize, Option<usize>) {
    let p = s.progress();
    (
        p.huma_read,
        p.huma_done,
        p.requests_answered,
        p.requests_total,
    )
}

fn users_page(offset: usize) -> impl Fn(&HttpRequest) -> bool {
    move |r| r.path == "/users" && query_number(r, "offset") == offset
}

fn crona_page(page: usize) -> impl Fn(&HttpRequest) -> bool {
    move |r| r.path == "/api/v1/employees" && query_number(r, "page") == page
}

/// `people` in Huma, the last with `positions` positions (a page per 100), and `employees` in
/// Crona (a page per 200).
fn register(people: u32, positions: usize, employees: u32) -> World {
    let mut world = World {
        huma: (0..people)
            .map(|i| {
                huma_user(
                    &uuid(i),
                    "Karin",
                    &format!("Lund{i}"),
                    &format!("karin{i}@x.se"),
                )
            })
            .collect(),
        crona: (0..employees)
            .map(|i| {
                crona_employee(
                    &format!("{}", 3000 + i),
                    "Sven",
                    "Berg",
                    &format!("sven{i}@x.se"),
                )
            })
            .collect(),
    };
    let positions: Vec<_> = (0..positions)
        .map(|i| json!({"id": format!("p{i}"), "contractStartDate": "2015-03-01", "title": {"id": "t", "name": "Lönechef"}}))
        .collect();
    if let Some(last) = world.huma.last_mut() {
        last["_positions"] = json!(positions);
    }
    world
}

/// Twelve people read five at a time, the last with two pages of positions; 205 employees, two
/// pages.
#[test]
fn the_stated_totals_appear_with_the_first_pages_and_the_counts_follow_every_answer() {
    let mut s = SyncSession::new(config(json!({"options": {"pageSize": 5}}))).unwrap();
    let mut run = Runner::new(register(12, 150, 205));
    assert_eq!(
        s.progress(),
        FetchProgress {
            pending: 2,
            ..FetchProgress::default()
        },
        "nothing stated yet: no totals"
    );

    assert_eq!(run.answer(&mut s, users_page(0)), 1);
    let listed = s.progress();
    assert_eq!(
        listed,
        FetchProgress {
            huma_listed: 5,
            huma_total: Some(12),
            requests_answered: 1,
            // Crona's first page, Huma's second, and five people's details and positions.
            pending: 12,
            ..FetchProgress::default()
        },
        "Huma's total, and no share of the whole while Crona's is unknown"
    );

    assert_eq!(run.answer(&mut s, crona_page(1)), 1);
    assert_eq!(
        s.progress(),
        FetchProgress {
            crona_read: 200,
            crona_total: Some(205),
            requests_answered: 2,
            // Huma: 3 pages of users and 2 requests per person; Crona: 2 pages.
            requests_total: Some(3 + 24 + 2),
            ..listed
        }
    );

    // The first five people in full: details and positions.
    assert_eq!(run.answer(&mut s, |r| r.path.starts_with("/users/")), 10);
    let p = s.progress();
    assert_eq!(
        (p.huma_read, p.huma_done, p.requests_answered, p.pending),
        (5, 5, 12, 2)
    );
    assert_eq!(p.requests_total, Some(29));

    assert_eq!(run.answer(&mut s, users_page(5)), 1);
    assert_eq!(run.answer(&mut s, users_page(10)), 1);
    assert_eq!(run.answer(&mut s, crona_page(2)), 1);
    // Details of the other seven, and the positions of all but the last person.
    let last = uuid(11);
    let long_list = format!("/users/{last}/positions");
    assert_eq!(
        run.answer(&mut s, |r| r.path.starts_with("/users/")
            && r.path != long_list),
        13
    );
    let p = s.progress();
    assert_eq!(
        (p.huma_listed, p.huma_read, p.huma_done, p.crona_read),
        (12, 12, 11, 205),
        "the last person's details are in, their positions are not"
    );
    assert_eq!(
        (p.requests_answered, p.pending, p.requests_total),
        (28, 1, Some(29))
    );

    // 150 positions are two pages: the first says so, and the work grows by one request.
    assert_eq!(run.answer(&mut s, |r| r.path == long_list), 1);
    let p = s.progress();
    assert_eq!(
        (
            p.huma_done,
            p.requests_answered,
            p.pending,
            p.requests_total
        ),
        (11, 29, 1, Some(30))
    );
    assert_eq!(run.answer(&mut s, |r| r.path == long_list), 1);

    let done = FetchProgress {
        huma_listed: 12,
        huma_read: 12,
        crona_read: 205,
        pending: 0,
        huma_total: Some(12),
        huma_done: 12,
        crona_total: Some(205),
        requests_answered: 30,
        requests_total: Some(30),
    };
    assert_eq!(s.progress(), done);
    assert_eq!(s.phase(), crona_sync::Phase::Preview);
    s.preview().unwrap();
    assert_eq!(
        s.progress(),
        done,
        "after the fetch, the counts as it ended"
    );
}

/// Twelve people, the last with three pages of positions; 205 employees.
#[test]
fn an_unreadable_positions_list_finishes_its_person_and_asks_for_nothing_more() {
    let mut s = SyncSession::new(config(json!({"options": {"pageSize": 5}}))).unwrap();
    let mut run = Runner::new(register(12, 250, 205));
    let listings = |r: &HttpRequest| r.path == "/users" || r.path == "/api/v1/employees";
    assert_eq!(run.answer(&mut s, listings), 2);
    assert_eq!(run.answer(&mut s, listings), 2);
    assert_eq!(run.answer(&mut s, listings), 1);
    let long_list = format!("/users/{}/positions", uuid(11));
    assert_eq!(run.answer(&mut s, |r| r.path == long_list), 1);
    let p = s.progress();
    assert_eq!((p.requests_answered, p.pending), (6, 24));
    assert_eq!(
        p.requests_total,
        Some(3 + 24 + 2 + 2),
        "two more pages of positions"
    );

    // Its second page is refused: the person falls back to another source, and their list is
    // finished without its third page.
    run.waiting.extend(s.poll());
    let second = run
        .waiting
        .iter()
        .position(|r| r.path == long_list)
        .unwrap();
    let request = run.waiting.remove(second);
    s.handle(&[crona_sync::request::HttpResponse {
        id: request.id,
        status: 503,
        body: Vec::new(),
        error: None,
    }])
    .unwrap();
    let p = s.progress();
    assert_eq!(
        (p.huma_read, p.huma_done),
        (0, 0),
        "their details are still to come"
    );
    assert_eq!(
        (p.requests_answered, p.pending, p.requests_total),
        (7, 23, Some(30))
    );
    assert_eq!(run.answer(&mut s, |_| true), 23);
    assert_eq!(read_and_answered(&s), (12, 12, 30, Some(30)));
}

#[test]
fn a_push_knows_its_people_from_the_start_and_counts_one_gone_as_done() {
    let mut world = register(3, 1, 3);
    let state = run_session(&mut world, json!({}), "{}")["nextState"].clone();
    let (kept, gone) = (uuid(1), uuid(99));
    let push = json!({"mode": "push", "humaUserIds": [kept, gone], "state": state});
    let mut s = SyncSession::new(config(push)).unwrap();
    let mut run = Runner::new(world);
    let p = s.progress();
    assert_eq!(
        (p.huma_total, p.crona_total, p.pending, p.requests_total),
        (Some(2), None, 5, None)
    );
    assert_eq!(run.answer(&mut s, crona_page(1)), 1);
    assert_eq!(
        s.progress().requests_total,
        Some(5),
        "two people's details and positions, one page"
    );
    assert_eq!(run.answer(&mut s, |_| true), 4);
    assert_eq!(
        read_and_answered(&s),
        (1, 2, 5, Some(5)),
        "the one gone is done, not read"
    );
}
