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
    let only: Vec<(&str, &str, &str)> = forward["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["person"]["anstNr"].as_str().unwrap(),
                d["field"].as_str().unwrap(),
                d["crona"]["display"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        only,
        [("2005", "familyName", "Ekström")],
        "the one renamed employee, found across pages"
    );
}

fn fail_with(
    status: u16,
    body: impl AsRef<[u8]>,
    error: Option<(&str, &str)>,
) -> (SyncSession, crona_sync::Error) {
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    let requests = s.poll();
    let answers: Vec<HttpResponse> = requests
        .iter()
        .map(|r| HttpResponse {
            id: r.id.clone(),
            status,
            body: body.as_ref().to_vec(),
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
    assert_eq!(e.code(), "fetch_unavailable");
    assert_eq!(e.details()["transient"], true);
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
fn a_body_in_latin1_rather_than_utf8_fails_the_fetch_as_malformed() {
    // "Åsa" as Latin-1 sends the single byte 0xC5 for Å.
    let (mut s, e) = fail_with(
        200,
        b"{\"items\": [], \"total\": 0, \"name\": \"\xc5sa\"}",
        None,
    );
    assert_eq!(e.code(), "malformed_response");
    assert_eq!(
        e.to_string(),
        "Huma GET /users returned a response crona-sync can't read: the body is not UTF-8 text (a bad byte after 35 bytes)"
    );
    assert_eq!(s.phase(), crona_sync::session::Phase::Failed);
    assert_eq!(s.preview().unwrap_err().code(), "malformed_response");
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
    details.body = String::from_utf8(details.body.clone())
        .unwrap()
        .replace(&uuid(1), &uuid(9))
        .into_bytes();
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
        json!([{"person": later["willSet"][0]["person"], "field": "befattning", "value": "Lönechef", "source": "Huma's positions, changed since the last sync", "origin": "list"}])
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

// Found in review: identity, collisions, duplicates, positions, baselines.

fn huma_person(i: u32, email: &str, employment_id: &str) -> Value {
    let mut h = huma_user(&uuid(i), "Per", &format!("Ek{i}"), email);
    set_huma(&mut h, "employmentId", json!(employment_id));
    h
}

#[test]
fn a_huma_only_person_whose_employment_id_crona_already_uses_is_not_creatable() {
    // Zara pairs with 7 by e-mail; Xavier's employment ID is also 7.
    let w = World {
        huma: vec![
            huma_person(1, "zara@x.se", "5"),
            huma_person(2, "xavier@x.se", "7"),
        ],
        crona: vec![crona_employee("7", "Zara", "Ek", "zara@x.se")],
    };
    let p = preview_of(&w, json!({}));
    let xavier = &p["onlyInHuma"][0];
    assert_eq!(xavier["creatable"], false);
    assert_eq!(xavier["reasons"][0]["code"], "anstnr_taken");
    assert!(xavier["reasons"][0]["message"]
        .as_str()
        .unwrap()
        .contains("zara@x.se"));
}

#[test]
fn a_crona_only_person_whose_anstnr_or_email_huma_already_has_is_not_creatable() {
    let w = World {
        huma: vec![huma_person(1, "anna@x.se", "1001")],
        crona: vec![
            crona_employee("1001", "Bo", "Lind", "bo@x.se"),
            crona_employee("1002", "Cia", "Ek", "ANNA@x.se"),
        ],
    };
    // Anna is remembered with 1003, so 1002's e-mail is hers but 1002 isn't her partner.
    let mut w = w;
    w.crona
        .push(crona_employee("1003", "Per", "Ek1", "anna.old@x.se"));
    let p = preview_of(
        &w,
        json!({"state": {"pairs": [{"humaId": uuid(1), "anstNr": "1003"}], "baseline": {uuid(1): {"fields": {"email": "anna.old@x.se", "givenName": "Per", "familyName": "Ek1"}}}}}),
    );
    let reasons = |anst: &str| -> Vec<String> {
        p["onlyInCrona"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["person"]["anstNr"] == anst)
            .unwrap()["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(reasons("1001"), ["employment_id_taken"]);
    assert_eq!(reasons("1002"), ["email_taken"]);
}

#[test]
fn an_anstnr_listed_twice_ends_the_fetch_before_anything_is_planned() {
    let mut w = World {
        huma: vec![huma_person(1, "anna@x.se", "1001")],
        crona: vec![
            crona_employee("1001", "Anna", "Ek", "anna@x.se"),
            crona_employee("1001", "Bo", "Lind", "bo@x.se"),
        ],
    };
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    let e = w.drive(&mut s, false).unwrap_err();
    assert_eq!(e.code(), "incomplete_listing");
    assert_eq!(
        e.to_string(),
        "Crona GET /api/v1/employees (page 1) is incomplete: the id \"1001\" was listed twice, so records may have shifted between pages. Nothing is written on a partial register."
    );
    assert_eq!(s.phase(), Phase::Failed);
    assert_eq!(s.preview().unwrap_err().code(), "incomplete_listing");
}

#[test]
fn an_invalid_position_end_date_sends_no_position_values_and_is_a_blocker() {
    let mut w = anna();
    w.huma[0]["_positions"] = json!([{"id": "p", "contractStartDate": "2019-01-01", "contractEndDate": "2026-06-31", "title": {"id": "t", "name": "Säljare"}}]);
    let state = json!({"activatedAt": "2026-01-01T00:00:00Z", "baseline": {uuid(1): {"positions": {"anstDatum": "2019-01-01", "avgDatum": "2026-06-30", "slutat": true, "befattning": "Säljare"}}}});
    let p = preview_of(&w, json!({"state": state}));
    assert_eq!(
        p["willSet"],
        json!([]),
        "never 'still employed' from a date that isn't one"
    );
    assert_eq!(p["blockers"][0]["code"], "invalid_date");
}

#[test]
fn a_pair_first_matched_after_activation_has_its_positions_recorded_not_sent() {
    let mut w = anna();
    w.huma[0]["_positions"] = json!([{"id": "p", "contractStartDate": "2015-03-01", "title": {"id": "t", "name": "Lönechef"}}]);
    let p = preview_of(
        &w,
        json!({"state": {"activatedAt": "2026-01-01T00:00:00Z"}}),
    );
    assert_eq!(
        p["willSet"],
        json!([]),
        "no history is sent for a pair seen for the first time"
    );
}

#[test]
fn a_conflict_left_as_it_is_has_no_changed_side_next_time() {
    let mut w = anna();
    set_huma(&mut w.huma[0], "phone", json!("073-111 11 11"));
    // The last sync recorded the pair but the phone never agreed: no entry for it.
    let state = json!({"activatedAt": "2026-01-01T00:00:00Z", "baseline": {uuid(1): {"fields": {"givenName": "Anna"}}}});
    let p = preview_of(&w, json!({"state": state}));
    let d = &p["differences"][0];
    assert_eq!(
        (d["field"].as_str(), d["changedSince"].clone()),
        (Some("phone"), Value::Null)
    );
    assert!(d.get("suggestion").is_none());
}

#[test]
fn emptying_a_huma_bank_account_is_not_offered_because_huma_cant_do_it() {
    let mut w = anna();
    set_huma(
        &mut w.huma[0],
        "bankAccount",
        json!({"type": "national", "code": "SE", "number": "6114 517182351", "country": "SE"}),
    );
    let p = preview_of(&w, json!({}));
    let d = p["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["field"] == "bankAccount")
        .unwrap()
        .clone();
    assert_eq!(d["allowed"], json!(["huma", "leave"]));
}

#[test]
fn an_api_that_keeps_promising_more_pages_is_stopped() {
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    let mut rounds = 0;
    loop {
        let requests = s.poll();
        if requests.is_empty() {
            break;
        }
        rounds += 1;
        assert!(rounds < 10, "paging must end");
        let answers: Vec<HttpResponse> = requests
            .iter()
            .map(|r| {
                let body = if r.system == crona_sync::model::System::Crona {
                    // Always page 1 of 100 000, always the same employee.
                    json!({"items": [{"AnstNr": "1"}], "page": 1, "pageSize": 200, "total": 100000})
                        .to_string()
                } else {
                    // Always the same 50 people, whatever the offset.
                    let items: Vec<Value> = (0..50)
                        .map(|i| json!({"id": uuid(i), "type": "user"}))
                        .collect();
                    if r.path == "/users" {
                        json!({"items": items}).to_string()
                    } else if r.path.ends_with("/positions") {
                        json!({"items": []}).to_string()
                    } else {
                        huma_person(r.path.len() as u32, "x@x.se", "1").to_string()
                    }
                };
                HttpResponse {
                    id: r.id.clone(),
                    status: 200,
                    body: body.into(),
                    error: None,
                }
            })
            .collect();
        let _ = s.handle(&answers);
    }
}

#[test]
fn a_session_keeps_its_recent_plans_and_forgets_old_ones() {
    let mut w = World {
        huma: vec![],
        crona: vec![],
    };
    for i in 1..=40 {
        let email = format!("p{i}@exempel.se");
        let mut h = huma_user(&uuid(i), "P", &format!("N{i}"), &email);
        set_huma(&mut h, "phone", json!(format!("070-100 00 {i:02}")));
        w.huma.push(h);
        w.crona.push(crona_employee(
            &format!("{}", 1000 + i),
            "P",
            &format!("N{i}"),
            &email,
        ));
    }
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    w.drive(&mut s, false).unwrap();
    let ids: Vec<String> = serde_json::to_value(s.preview().unwrap()).unwrap()["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["field"] == "phone")
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 40);
    // A page re-plans on every click: 40 different plans, one difference more each time.
    let plans: Vec<String> = (0..40)
        .map(|i| {
            let choices: serde_json::Map<String, Value> = ids[..=i]
                .iter()
                .map(|id| (id.clone(), json!("huma")))
                .collect();
            let d = json!({"useSuggestions": false, "choices": choices}).to_string();
            s.plan(&crona_sync::plan::decisions_from_json(&d).unwrap())
                .unwrap()
                .hash
        })
        .collect();
    let e = s.apply(&plans[0], true).unwrap_err();
    assert_eq!(
        e.code(),
        "stale_plan",
        "a plan from 40 clicks ago is forgotten"
    );
    s.apply(&plans[39], true).unwrap();
}
