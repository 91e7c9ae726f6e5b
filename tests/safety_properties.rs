//! Safety over generated and mutated input: request ids stay unique whatever the APIs answer,
//! and no body, however broken, traps the core or fails without a code. `PROPTEST_CASES` raises
//! the number of cases (`PROPTEST_CASES=5000 cargo test --test safety_properties`).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::*;
use crona_sync::plan::decisions_from_json;
use crona_sync::request::{HttpRequest, HttpResponse, Method};
use crona_sync::{Phase, SyncSession};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The codes a failure may have; anything else (or a protocol error) is a bug.
const FETCH_CODES: &[&str] = &[
    "malformed_response",
    "incomplete_listing",
    "fetch_failed",
    "fetch_unavailable",
    "fetch_unauthorized",
    "fetch_forbidden",
    "fetch_not_found",
];

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// How a write is answered in a generated run.
#[derive(Clone, Copy, Debug)]
enum Answer {
    /// As the world would.
    Real,
    /// A Huma create answered with the id of a user already in the run.
    ExistingHumaId(usize),
    /// Refused.
    Status(u16),
    /// 2xx with a body nobody can read.
    Garbage,
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        4 => Just(Answer::Real),
        2 => (0usize..8).prop_map(Answer::ExistingHumaId),
        1 => prop_oneof![Just(409u16), Just(422), Just(500), Just(503), Just(0)].prop_map(Answer::Status),
        1 => Just(Answer::Garbage),
    ]
}

/// A register where each of `shape`'s people is in Huma, Crona or both, with a phone or not.
fn world(shape: &[(u8, bool)]) -> World {
    let mut w = World {
        huma: vec![],
        crona: vec![],
    };
    for (i, (side, phone)) in shape.iter().enumerate() {
        let i = i as u32 + 1;
        let mut h = huma_user(&uuid(i), "Eva", &format!("Ek{i}"), &format!("eva{i}@x.se"));
        set_huma(&mut h, "employmentId", json!(i.to_string()));
        let mut c = crona_employee(
            &i.to_string(),
            "Eva",
            &format!("Ek{i}"),
            &format!("eva{i}@x.se"),
        );
        if *phone {
            c["Mobil"] = json!(format!("070-000 00 {i:02}"));
        }
        if side & 1 == 1 {
            w.huma.push(h);
        }
        if side & 2 == 2 {
            w.crona.push(c);
        }
    }
    w
}

fn respond(w: &mut World, r: &HttpRequest, how: Answer) -> HttpResponse {
    let reply = |status: u16, body: String| HttpResponse {
        id: r.id.clone(),
        status,
        body: body.into(),
        error: None,
    };
    if r.method == Method::Get {
        return w.answer(r);
    }
    match how {
        Answer::Real => w.answer(r),
        Answer::ExistingHumaId(k) if r.method == Method::Post && r.path == "/users" => {
            let id = w
                .huma
                .get(k % w.huma.len().max(1))
                .map_or_else(|| uuid(1), |u| u["id"].as_str().unwrap().to_string());
            reply(200, json!({"id": id, "type": "user"}).to_string())
        }
        Answer::ExistingHumaId(_) => w.answer(r),
        Answer::Status(s) => reply(s, String::new()),
        Answer::Garbage => reply(200, "{\"id\": [".into()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(400)))]

    #[test]
    fn every_request_id_is_asked_once_in_every_phase_whatever_the_apis_answer(
        shape in proptest::collection::vec((1u8..4, any::<bool>()), 1..8),
        answers in proptest::collection::vec(answer(), 40),
        phone_from in prop_oneof![Just("crona"), Just("huma"), Just("leave")],
    ) {
        let mut w = world(&shape);
        let before: BTreeSet<String> = w.huma.iter().map(|u| u["id"].as_str().unwrap().to_string()).collect();
        let mut s = SyncSession::new(config(json!({}))).unwrap();
        let mut asked = BTreeSet::new();
        let mut n = 0;
        let mut patched = 0;
        let decisions = json!({"fieldDefaults": {"phone": phone_from}, "createInCrona": "all", "createInHuma": "all"});
        for phase in 0..2 {
            loop {
                let requests = s.poll();
                if requests.is_empty() {
                    break;
                }
                let mut replies = Vec::new();
                for r in &requests {
                    prop_assert!(asked.insert(r.id.clone()), "asked twice: {}", r.id);
                    // No write without a value.
                    prop_assert!(r.body.as_deref() != Some("{}"), "empty write {}", r.label());
                    // A create's follow-up writes only to the user the create made.
                    if r.id.ends_with(":details") {
                        let id = r.path.trim_start_matches("/users/");
                        prop_assert!(!before.contains(id), "a create's details went to {id}, who was already there");
                    }
                    let reply = respond(&mut w, r, answers[n % answers.len()]);
                    if r.method == Method::Patch && (200..300).contains(&reply.status) {
                        patched += 1;
                    }
                    replies.push(reply);
                    n += 1;
                }
                s.handle(&replies).unwrap();
            }
            if phase == 0 {
                let plan = s.plan(&decisions_from_json(&decisions.to_string()).unwrap()).unwrap();
                s.apply(&plan.hash, true).unwrap();
            }
        }
        prop_assert_eq!(s.phase(), Phase::Done);
        let report = serde_json::to_value(s.report().unwrap()).unwrap();
        // A count counts what happened: never more updates than PATCHes that were accepted.
        let updated = report["summary"]["counts"]["updated"].as_u64().unwrap();
        prop_assert!(updated <= patched, "{updated} updates counted, {patched} accepted");
    }

    #[test]
    fn a_mutated_real_body_never_traps_and_every_failure_is_coded(
        which in 0usize..5,
        cuts in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..5, prop::sample::select(vec!['{', '}', '[', ']', '"', ':', ',', '0', 'a', '\u{0}', '\u{1b}', '\u{202e}', 'é'])), 1..4),
    ) {
        let (name, first) = [
            ("huma/users-page.json", "huma:users:0"),
            ("crona/employees-page.json", "crona:employees:1"),
            ("huma/user-addressLine3.json", "huma:user:"),
            ("huma/user-notEditable.json", "huma:user:"),
            ("huma/positions-several.json", "huma:positions:"),
        ][which];
        let mut body: Vec<char> = fixture(name).chars().collect();
        for (at, how, c) in cuts {
            if body.is_empty() {
                break;
            }
            let i = at.index(body.len());
            match how {
                0 => body.truncate(i),
                1 => { body.remove(i); }
                2 => body[i] = c,
                3 => body.insert(i, c),
                _ => { let tail: Vec<char> = body[i..].iter().take(20).copied().collect(); body.splice(i..i, tail); }
            }
        }
        let body: String = body.into_iter().collect();
        let mut s = SyncSession::new(config(json!({}))).unwrap();
        let mut requests = s.poll();
        // A person's requests follow a listing that names them.
        if first.ends_with(':') {
            let user = serde_json::from_str::<Value>(&fixture("huma/user-addressLine3.json")).unwrap();
            let id = user["id"].as_str().unwrap();
            let listing = json!({"total": 1, "items": [{"id": id, "type": "user"}]}).to_string();
            let page = requests.iter().find(|r| r.id == "huma:users:0").unwrap().clone();
            s.handle(&[HttpResponse { id: page.id, status: 200, body: listing.into(), error: None }]).unwrap();
            requests = s.poll();
        }
        let target = requests.iter().find(|r| r.id.starts_with(first)).unwrap();
        match s.handle(&[HttpResponse { id: target.id.clone(), status: 200, body: body.into(), error: None }]) {
            Ok(()) => prop_assert!(matches!(s.phase(), Phase::Fetching | Phase::Preview)),
            Err(e) => {
                prop_assert!(FETCH_CODES.contains(&e.code()), "uncoded failure {}: {e}", e.code());
                prop_assert_eq!(s.phase(), Phase::Failed);
                prop_assert_eq!(s.preview().unwrap_err().code(), e.code());
            }
        }
        // The session still answers every call with a value or a coded error.
        let _ = s.poll();
        let _ = s.progress();
    }
}
