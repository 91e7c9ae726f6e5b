//! The session, driven with literal data (DOMAIN.md §2–3).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::*;
use crona_sync::request::HttpResponse;
use crona_sync::{Phase, SyncSession};
use serde_json::{json, Value};

fn anna() -> World {
    let mut h = huma_user(&uuid(1), "Anna", "Berg", "anna.berg@exempel.se");
    set_huma(&mut h, "employmentId", json!("1001"));
    set_huma(&mut h, "phone", json!("070-123 45 67"));
    let mut c = crona_employee("1001", "Anna", "Berg", "Anna.Berg@exempel.se");
    c["Mobil"] = json!("+46701234567");
    World {
        huma: vec![h],
        crona: vec![c],
    }
}

fn preview_of(world: &World, config: Value) -> Value {
    let mut s = SyncSession::new(config_from(config)).unwrap();
    world.clone().drive(&mut s, false).unwrap();
    assert_eq!(s.phase(), Phase::Preview);
    serde_json::to_value(s.preview().unwrap()).unwrap()
}

fn config_from(extra: Value) -> crona_sync::SessionConfig {
    config(extra)
}

#[test]
fn the_first_requests_ask_for_the_first_page_of_each_system() {
    let mut s = SyncSession::new(config(json!({"options": {"pageSize": 20}}))).unwrap();
    let r = serde_json::to_value(s.poll()).unwrap();
    assert_eq!(r[0]["path"], "/users");
    assert_eq!(r[0]["query"], json!({"limit": ["20"], "offset": ["0"]}));
    assert_eq!(r[1]["system"], "crona");
    assert_eq!(r[1]["path"], "/api/v1/employees");
    assert!(s.poll().is_empty(), "each request is returned once");
}

#[test]
fn anna_written_the_same_way_differently_in_both_systems_has_no_differences() {
    let p = preview_of(&anna(), json!({}));
    assert_eq!(p["counts"]["matched"], 1);
    assert_eq!(p["differences"], json!([]));
}

#[test]
fn every_page_is_fetched_and_answers_in_any_order_give_the_same_preview() {
    let mut world = World {
        huma: vec![],
        crona: vec![],
    };
    for i in 0..23 {
        let mut h = huma_user(&uuid(i), "Per", &format!("Ek{i}"), &format!("per{i}@x.se"));
        set_huma(&mut h, "employmentId", json!(format!("{}", 2000 + i)));
        world.huma.push(h);
        world.crona.push(crona_employee(
            &format!("{}", 2000 + i),
            "Per",
            &format!("Ek{i}"),
            &format!("per{i}@x.se"),
        ));
    }
    world.crona[5]["EfNamn"] = json!("Ekström");
    let forward = preview_of(&world, json!({"options": {"pageSize": 5}}));
    let mut s = SyncSession::new(config(json!({"options": {"pageSize": 5}}))).unwrap();
    world.clone().drive(&mut s, true).unwrap();
    let reversed = serde_json::to_value(s.preview().unwrap()).unwrap();
    assert_eq!(forward, reversed);
    assert_eq!(forward["counts"]["matched"], 23);
    assert_eq!(forward["differences"].as_array().unwrap().len(), 1);
}

fn fail_with(
    status: u16,
    body: &str,
    error: Option<(&str, &str)>,
) -> (SyncSession, crona_sync::Error) {
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    let requests = s.poll();
    let answers: Vec<HttpResponse> = requests
        .iter()
        .map(|r| HttpResponse {
            id: r.id.clone(),
            status,
            body: body.into(),
            error: error.map(|(code, message)| crona_sync::request::TransportError {
                code: code.into(),
                message: message.into(),
            }),
        })
        .collect();
    let e = s.handle(&answers).unwrap_err();
    (s, e)
}

#[test]
fn a_401_ends_the_fetch_naming_the_system_the_request_and_the_apis_reason() {
    let (s, e) = fail_with(
        401,
        r#"{"error": "invalid_token", "error_description": "Token expired"}"#,
        None,
    );
    assert_eq!(e.code(), "fetch_unauthorized");
    assert_eq!(
        e.to_string(),
        "Huma GET /users failed: 401: Huma refused the credentials (Token expired)"
    );
    assert_eq!(s.phase(), Phase::Failed);
}

#[test]
fn a_403_and_a_404_have_their_own_codes() {
    assert_eq!(fail_with(403, "{}", None).1.code(), "fetch_forbidden");
    assert_eq!(fail_with(404, "{}", None).1.code(), "fetch_not_found");
}

#[test]
fn a_5xx_after_the_runner_gave_up_carries_the_runners_message() {
    let (_, e) = fail_with(
        503,
        "",
        Some((
            "retries_exhausted",
            "Huma GET /users: gave up after 6 attempts (last status 503)",
        )),
    );
    assert_eq!(e.code(), "fetch_failed");
    assert!(e.to_string().contains("gave up after 6 attempts"), "{e}");
    let (_, e) = fail_with(
        0,
        "",
        Some(("network_error", "connection failed (ECONNRESET)")),
    );
    assert_eq!(e.details()["status"], 0);
}

#[test]
fn a_body_that_isnt_json_fails_the_fetch_and_the_session_stays_failed() {
    let (mut s, e) = fail_with(200, "<html>proxy error</html>", None);
    assert_eq!(e.code(), "malformed_response");
    assert_eq!(s.preview().unwrap_err().code(), "malformed_response");
    assert!(s.poll().is_empty());
    assert_eq!(s.handle(&[]).unwrap_err().code(), "malformed_response");
}

#[test]
fn an_answer_nobody_asked_for_is_a_protocol_error() {
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    let e = s
        .handle(&[HttpResponse {
            id: "huma:users:999".into(),
            status: 200,
            body: "{}".into(),
            error: None,
        }])
        .unwrap_err();
    assert_eq!(e.code(), "protocol_error");
}

#[test]
fn the_preview_waits_for_the_whole_fetch() {
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    assert_eq!(s.preview().unwrap_err().code(), "protocol_error");
}

#[test]
fn details_of_another_user_than_asked_are_malformed() {
    let mut world = anna();
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    let first = s.poll();
    s.handle(&first.iter().map(|r| world.answer(r)).collect::<Vec<_>>())
        .unwrap();
    let next = s.poll();
    let mut answers: Vec<HttpResponse> = next.iter().map(|r| world.answer(r)).collect();
    let details = answers
        .iter_mut()
        .find(|a| a.id.starts_with("huma:user:"))
        .unwrap();
    details.body = details.body.replace(&uuid(1), &uuid(9));
    assert_eq!(s.handle(&answers).unwrap_err().code(), "malformed_response");
}

fn with_baseline(phone_huma: &str, phone_crona: &str, baseline: &str) -> Value {
    let mut w = anna();
    set_huma(&mut w.huma[0], "phone", json!(phone_huma));
    w.crona[0]["Mobil"] = json!(phone_crona);
    let state = json!({
        "activatedAt": "2026-10-01T09:00:00+02:00",
        "pairs": [{"humaId": uuid(1), "anstNr": "1001"}],
        "baseline": {uuid(1): {"fields": {"phone": baseline}}}
    });
    preview_of(&w, json!({"state": state}))
}

#[test]
fn anna_changed_her_phone_in_crona_only_so_crona_wins_is_suggested() {
    let p = with_baseline("070-123 45 67", "073-999 88 77", "+46701234567");
    let d = &p["differences"][0];
    assert_eq!(
        (d["changedSince"].as_str(), d["suggestion"].as_str()),
        (Some("crona"), Some("crona"))
    );
    assert_eq!(d["baseline"]["normalized"], "+46701234567");
    assert!(d["message"]
        .as_str()
        .unwrap()
        .ends_with("It was changed in Crona since the last sync."));
}

#[test]
fn flipping_the_side_that_changed_flips_the_suggestion() {
    let p = with_baseline("073-999 88 77", "070-123 45 67", "+46701234567");
    assert_eq!(p["differences"][0]["suggestion"], "huma");
}

#[test]
fn both_sides_changed_is_a_true_conflict_without_a_suggestion() {
    let p = with_baseline("073-999 88 77", "076-555 44 33", "+46701234567");
    let d = &p["differences"][0];
    assert_eq!(d["changedSince"], "both");
    assert!(d.get("suggestion").is_none());
}

#[test]
fn a_value_removed_in_huma_is_never_suggested_as_a_clear() {
    let mut w = anna();
    set_huma(&mut w.huma[0], "phone", Value::Null);
    let state = json!({"activatedAt": "2026-10-01T09:00:00+02:00", "baseline": {uuid(1): {"fields": {"phone": "+46701234567"}}}});
    let p = preview_of(&w, json!({"state": state}));
    let d = &p["differences"][0];
    assert_eq!(
        (d["kind"].as_str(), d["changedSince"].as_str()),
        (Some("missingInHuma"), Some("huma"))
    );
    assert!(
        d.get("suggestion").is_none(),
        "clearing Crona's phone must be chosen explicitly"
    );
    assert!(
        d["allowed"].as_array().unwrap().contains(&json!("huma")),
        "but it can be chosen"
    );
    assert!(d["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["code"] == "clears_value"));
}

#[test]
fn a_remembered_pair_survives_a_new_email_in_huma() {
    let mut w = anna();
    w.huma[0]["email"] = json!({"value": "anna.lind@exempel.se", "editable": true});
    let state = json!({"pairs": [{"humaId": uuid(1), "anstNr": "1001"}]});
    let p = preview_of(&w, json!({"state": state}));
    assert_eq!(p["counts"]["matched"], 1);
    assert_eq!(p["differences"][0]["field"], "email");
    assert_eq!(p["differences"][0]["kind"], "conflict");
}

#[test]
fn after_activation_a_changed_job_title_is_set_and_before_it_nothing_is() {
    let mut w = anna();
    w.huma[0]["_positions"] = json!([{"id": "p1", "contractStartDate": "2019-09-01", "title": {"id": "t", "name": "Lönechef"}}]);
    let first = preview_of(&w, json!({}));
    assert_eq!(first["willSet"], json!([]));
    assert!(first["notices"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["code"] == "positions_recorded_not_sent"));
    let state = json!({
        "activatedAt": "2026-10-01T09:00:00+02:00",
        "baseline": {uuid(1): {"positions": {"anstDatum": "2019-09-01", "slutat": false, "befattning": "Lönespecialist"}}}
    });
    let later = preview_of(&w, json!({"state": state}));
    assert_eq!(
        later["willSet"],
        json!([{"person": later["willSet"][0]["person"], "field": "befattning", "value": "Lönechef", "source": "Huma positions, changed since the last sync"}])
    );
}

#[test]
fn a_state_that_crona_sync_didnt_write_is_refused() {
    let e = SyncSession::new(config(json!({"state": {"pairs": "all of them"}}))).unwrap_err();
    assert_eq!(
        (e.code(), e.details()["field"].as_str()),
        ("invalid_config", Some("state"))
    );
}

#[test]
fn a_position_date_that_isnt_a_date_is_a_blocker_naming_it() {
    let mut w = anna();
    w.huma[0]["_positions"] = json!([{"id": "p1", "contractStartDate": "2019-02-30", "title": {"id": "t", "name": "Lönechef"}}]);
    let p = preview_of(&w, json!({}));
    let b = &p["blockers"][0];
    assert_eq!(
        (b["code"].as_str(), b["person"]["name"].as_str()),
        (Some("invalid_date"), Some("Anna Berg"))
    );
    assert!(
        b["message"].as_str().unwrap().contains("\"2019-02-30\""),
        "{b}"
    );
}
