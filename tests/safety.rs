//! DOMAIN.md §3.5, safety: never on a partial register, every write keeps the target's rules,
//! clean text only, no write without a value.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use crona_sync::plan::decisions_from_json;
use crona_sync::request::{HttpRequest, HttpResponse};
use crona_sync::{Phase, SyncSession};
use serde_json::{json, Value};

/// `n` people, the same in both systems.
fn register(n: u32) -> World {
    let mut w = World {
        huma: vec![],
        crona: vec![],
    };
    for i in 1..=n {
        let mut h = huma_user(&uuid(i), "Eva", &format!("Ek{i}"), &format!("eva{i}@x.se"));
        set_huma(&mut h, "employmentId", json!(i.to_string()));
        w.huma.push(h);
        w.crona.push(crona_employee(
            &i.to_string(),
            "Eva",
            &format!("Ek{i}"),
            &format!("eva{i}@x.se"),
        ));
    }
    w
}

/// How a listing page is spoilt.
#[derive(Clone, Copy, Debug)]
enum Spoil {
    Short,
    Empty,
    Total,
    Duplicate,
}

/// The page of `r` as the world serves it, spoilt.
fn spoilt(w: &mut World, r: &HttpRequest, how: Spoil) -> HttpResponse {
    let mut answer = w.answer(r);
    let mut body: Value = serde_json::from_slice(&answer.body).unwrap();
    let items = body["items"].as_array_mut().unwrap();
    match how {
        Spoil::Short => {
            items.pop();
        }
        Spoil::Empty => items.clear(),
        Spoil::Total => body["total"] = json!(body["total"].as_u64().unwrap() + 1),
        Spoil::Duplicate => {
            let first = items[0].clone();
            items[1] = first;
        }
    }
    answer.body = body.to_string().into();
    answer
}

fn listing_page(r: &HttpRequest) -> Option<(&'static str, usize)> {
    match r.path.as_str() {
        "/users" if query_number(r, "offset") % 10 == 0 => {
            Some(("huma", query_number(r, "offset") / 10))
        }
        "/api/v1/employees" => Some(("crona", query_number(r, "page") - 1)),
        _ => None,
    }
}

/// A sync of 25 people (Huma reads 10 a page, Crona is made to serve 10 a page) with one page
/// of one system spoilt: the error, and whether anything was written.
fn sync_with_spoilt_page(system: &str, page: usize, how: Spoil) -> (String, String, usize) {
    let mut w = register(25);
    w.huma.push(huma_user(&uuid(99), "Ny", "Person", "ny@x.se"));
    let mut s = SyncSession::new(config(json!({"options": {"pageSize": 10}}))).unwrap();
    let mut writes = 0;
    let result = w.drive_with(&mut s, |w, r| {
        writes += usize::from(is_write(r));
        let mut r = r.clone();
        if r.path == "/api/v1/employees" {
            r.query.insert("pageSize".into(), vec!["10".into()]);
        }
        match listing_page(&r) {
            Some((sys, p)) if sys == system && p == page => spoilt(w, &r, how),
            _ => w.answer(&r),
        }
    });
    let e = result.expect_err(&format!("{system} page {page} {how:?}"));
    // Nothing can be planned or applied on what was read.
    assert_eq!(s.phase(), Phase::Failed);
    assert_eq!(
        s.plan(&decisions_from_json(r#"{"createInCrona": "all"}"#).unwrap())
            .unwrap_err()
            .code(),
        e.code()
    );
    (e.code().to_string(), e.to_string(), writes)
}

#[test]
fn a_spoilt_page_on_either_system_first_or_middle_ends_the_sync_before_any_write() {
    for system in ["huma", "crona"] {
        for page in [0, 1] {
            for how in [Spoil::Short, Spoil::Empty, Spoil::Total, Spoil::Duplicate] {
                let (code, message, writes) = sync_with_spoilt_page(system, page, how);
                assert_eq!(
                    (code.as_str(), writes),
                    ("incomplete_listing", 0),
                    "{system} page {page} {how:?}: {message}"
                );
            }
        }
    }
}

#[test]
fn an_empty_middle_page_of_crona_says_which_page_and_how_many_were_read() {
    let (_, message, _) = sync_with_spoilt_page("crona", 1, Spoil::Empty);
    assert_eq!(
        message,
        "Crona GET /api/v1/employees (page 2) is incomplete: the page held 0 of the 10 records due (10 of 25 read before it). Nothing is written on a partial register."
    );
    let (_, message, _) = sync_with_spoilt_page("huma", 1, Spoil::Total);
    assert_eq!(
        message,
        "Huma GET /users (offset 10) is incomplete: the total changed from 26 to 27 while the pages were read (the register changed, or the API pages inconsistently); try again. Nothing is written on a partial register."
    );
}

#[test]
fn a_page_size_both_servers_cap_is_followed_to_the_last_person() {
    let mut w = register(57);
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    let mut pages = Vec::new();
    w.drive_with(&mut s, |w, r| {
        let mut r = r.clone();
        // Huma serves 20 of the 50 asked; Crona 25 of the 200, and says so.
        if r.path == "/users" {
            r.query.insert("limit".into(), vec!["20".into()]);
            pages.push(format!("offset {}", query_number(&r, "offset")));
        }
        if r.path == "/api/v1/employees" {
            r.query.insert("pageSize".into(), vec!["25".into()]);
            pages.push(format!("page {}", query_number(&r, "page")));
        }
        w.answer(&r)
    })
    .unwrap();
    let p = serde_json::to_value(s.preview().unwrap()).unwrap();
    assert_eq!(
        (
            &p["counts"]["huma"],
            &p["counts"]["crona"],
            &p["counts"]["matched"]
        ),
        (&json!(57), &json!(57), &json!(57))
    );
    pages.sort();
    assert_eq!(
        pages,
        [
            "offset 0",
            "offset 20",
            "offset 40",
            "page 1",
            "page 2",
            "page 3"
        ]
    );
}

#[test]
fn a_push_reads_the_crona_register_by_the_same_rule() {
    let mut w = register(12);
    let state = json!({"activatedAt": "2026-11-01T00:00:00Z"});
    let config = config(json!({"mode": "push", "humaUserIds": [uuid(3)], "state": state}));
    let mut s = SyncSession::new(config).unwrap();
    let e = w
        .drive_with(&mut s, |w, r| {
            let mut r = r.clone();
            if r.path == "/api/v1/employees" {
                r.query.insert("pageSize".into(), vec!["5".into()]);
                if query_number(&r, "page") == 2 {
                    return spoilt(w, &r, Spoil::Short);
                }
            }
            w.answer(&r)
        })
        .unwrap_err();
    assert_eq!(
        (e.code(), e.details()["transient"].clone()),
        ("incomplete_listing", json!(true))
    );
}

#[test]
fn a_persons_positions_list_that_doesnt_add_up_falls_back_and_says_so() {
    let mut w = register(1);
    w.huma[0]["_positions"] = json!([
        {"id": "a", "contractStartDate": "2019-01-01", "title": {"name": "Snickare"}},
        {"id": "b", "contractStartDate": "2015-01-01", "contractEndDate": "2018-12-31", "title": {"name": "Lärling"}}
    ]);
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    w.drive_with(&mut s, |w, r| {
        if r.path.ends_with("/positions") {
            return spoilt(w, r, Spoil::Short);
        }
        w.answer(r)
    })
    .unwrap();
    let p = serde_json::to_value(s.preview().unwrap()).unwrap();
    let notice = p["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == "positions_unavailable")
        .unwrap();
    assert_eq!(
        notice["message"],
        "Eva Ek1's positions list couldn't be read (the list is incomplete: the page held 0 of the 1 records due (1 of 2 read before it)). Huma has no other source for them either: no employment dates or title are sent for them now."
    );
}

// Every write keeps the target's rules.

/// Anna (Huma, no phone) pairs with Crona's Anna, who has the phone Bo already has in Huma.
fn annas_phone_is_bos() -> World {
    let mut w = register(2);
    w.huma[0]["givenName"] = json!({"value": "Anna", "editable": true});
    w.crona[0]["FoNamn"] = json!("Anna");
    w.huma[1]["givenName"] = json!({"value": "Bo", "editable": true});
    w.crona[1]["FoNamn"] = json!("Bo");
    set_huma(&mut w.huma[1], "phone", json!("+46 70 123 45 67"));
    w.crona[1]["Mobil"] = json!("+46 70 123 45 67");
    w.crona[0]["Mobil"] = json!("070-123 45 67");
    w
}

#[test]
fn a_phone_bo_already_has_in_huma_is_never_written_to_anna_there() {
    let w = annas_phone_is_bos();
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    w.clone().drive(&mut s, false).unwrap();
    let p = serde_json::to_value(s.preview().unwrap()).unwrap();
    let d = &p["differences"][0];
    // Huma's empty value may still be chosen (it clears Crona's phone); Crona's may not.
    assert_eq!(
        (&d["field"], &d["allowed"]),
        (&json!("phone"), &json!(["huma", "leave"]))
    );
    assert_eq!(d.get("suggestion"), None);
    let b: Vec<&Value> = p["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["code"] == "taken_in_huma")
        .collect();
    assert_eq!(b.len(), 1);
    assert_eq!(
        b[0]["message"],
        "Anna Ek1's mobile phone from Crona (070-123 45 67) can't be written to Huma: Huma user Bo Ek2 (eva2@x.se) already has it, and Huma keeps each mobile phone unique."
    );
    // Neither a bulk choice nor the explicit one gets it through.
    for decisions in [
        json!({"fieldDefaults": {"phone": "crona"}}),
        json!({"choices": {d["id"].as_str().unwrap(): "crona"}}),
    ] {
        let plan = s
            .plan(&decisions_from_json(&decisions.to_string()).unwrap())
            .unwrap();
        assert_eq!(plan.operations.len(), 0, "{decisions}");
        assert_eq!(plan.skipped[0].reason.code, "not_allowed");
    }
}

#[test]
fn an_employment_id_another_huma_user_holds_is_not_filled_from_crona() {
    let mut w = register(2);
    // Eva 1 has no employment ID in Huma; Eva 2 holds "1" (Eva 1's AnstNr) by mistake.
    w.huma[0]["employmentId"] = json!({"editable": true});
    set_huma(&mut w.huma[1], "employmentId", json!("1"));
    w.crona[1]["AnstNr"] = json!("2");
    let p = preview_json(&w, json!({}));
    let codes: Vec<(&str, &str)> = p["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["code"].as_str().unwrap(),
                b["field"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        codes.contains(&("taken_in_huma", "employmentId")),
        "{codes:?}"
    );
    let d = p["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["person"]["anstNr"] == "1" && d["field"] == "employmentId")
        .unwrap();
    assert_eq!(d["allowed"], json!(["leave"]));
}

#[test]
fn creating_someone_in_crona_with_an_email_crona_already_has_is_refused() {
    let mut w = register(1);
    // The state pairs Crona's 1 with Huma user 1; a new Huma user claims the same e-mail.
    let mut newcomer = huma_user(&uuid(50), "Eva", "Ny", "eva1@x.se");
    set_huma(&mut newcomer, "employmentId", json!("50"));
    w.huma[0]["email"] = json!({"value": "eva.ek@x.se", "editable": true});
    w.huma.push(newcomer);
    let state = json!({"activatedAt": "2026-11-01T00:00:00Z", "pairs": [{"humaId": uuid(1), "anstNr": "1"}]});
    let p = preview_json(&w, json!({"state": state}));
    let one = &p["onlyInHuma"][0];
    assert_eq!(
        (&one["person"]["huma_id"], &one["creatable"]),
        (&Value::Null, &json!(false))
    );
    assert_eq!(one["reasons"][0]["code"], "email_taken");
    assert_eq!(
        one["reasons"][0]["message"],
        "Crona employee Eva Ek1 (AnstNr 1) already has the work e-mail eva1@x.se; Crona would hold it twice."
    );
}

#[test]
fn a_phone_someone_in_huma_has_stays_out_of_a_huma_create() {
    let mut w = register(1);
    set_huma(&mut w.huma[0], "phone", json!("0701234567"));
    w.crona[0]["Mobil"] = json!("0701234567");
    let mut c = crona_employee("7", "Ola", "Nord", "ola@x.se");
    c["Mobil"] = json!("+46701234567");
    w.crona.push(c);
    let (mut s, plan) = planned(&mut w, r#"{"createInHuma": "all"}"#);
    let create = &plan.operations[0];
    assert_eq!(create.request.path, "/users");
    assert!(
        !create
            .then_fields
            .contains(&crona_sync::model::Field::Phone),
        "{:?}",
        create.then_fields
    );
    s.apply(&plan.hash, true).unwrap();
    w.drive(&mut s, false).unwrap();
    let ola = w
        .huma
        .iter()
        .find(|u| u["email"]["value"] == "ola@x.se")
        .unwrap();
    assert_eq!(ola["phone"].get("value"), None);
}

// Clean text.

#[test]
fn a_name_with_an_escape_sequence_is_a_blocker_and_never_reaches_crona() {
    let mut w = register(2);
    let hostile = "Eva\u{1b}[2J\u{1b}]8;;http://x\u{7}y\u{1b}]8;;\u{7}\r0 differences";
    w.huma[0]["givenName"] = json!({"value": hostile, "editable": true});
    w.huma[1]["familyName"] = json!({"value": "Ek\u{202e}2kE", "editable": true});
    let mut newcomer = huma_user(&uuid(30), "Nul\u{0}l", "Ny", "ny@x.se");
    set_huma(&mut newcomer, "employmentId", json!("30"));
    w.huma.push(newcomer);
    let crona_before = w.crona.clone();
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    w.drive(&mut s, false).unwrap();
    let p = serde_json::to_value(s.preview().unwrap()).unwrap();
    let blocked: Vec<(&str, &str)> = p["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["code"] == "control_character")
        .map(|b| (b["field"].as_str().unwrap(), b["system"].as_str().unwrap()))
        .collect();
    assert_eq!(blocked, [("givenName", "huma"), ("familyName", "huma")]);
    assert_eq!(
        p["onlyInHuma"][0]["reasons"][0]["message"],
        "Given name: it contains the invisible control character U+0000, which is never written to a register; correct it where it was typed."
    );
    let plan = s
        .plan(
            &decisions_from_json(r#"{"fieldDefaults": {"givenName": "huma", "familyName": "huma"}, "createInCrona": "all"}"#)
                .unwrap(),
        )
        .unwrap();
    assert_eq!(plan.operations.len(), 0);
    s.apply(&plan.hash, true).unwrap();
    w.drive(&mut s, false).unwrap();
    assert_eq!(w.crona, crona_before);
}

#[test]
fn crona_may_repair_a_hostile_name_in_huma() {
    let mut w = register(1);
    w.huma[0]["givenName"] = json!({"value": "Eva\u{7}", "editable": true});
    let (_, plan) = planned(&mut w, r#"{"fieldDefaults": {"givenName": "crona"}}"#);
    assert_eq!(
        plan.operations[0].request.body.as_deref(),
        Some(r#"{"givenName":"Eva"}"#)
    );
}

#[test]
fn a_job_title_with_a_bidi_override_is_never_sent_as_befattning() {
    let mut w = register(0);
    let mut h = huma_user(&uuid(5), "Eva", "Ek", "eva@x.se");
    set_huma(&mut h, "employmentId", json!("5"));
    h["_positions"] = json!([{"id": "p", "contractStartDate": "2020-01-01", "title": {"name": "Chef\u{202e}fehC"}}]);
    w.huma.push(h);
    let (mut s, plan) = planned(&mut w, r#"{"createInCrona": "all"}"#);
    let body: Value =
        serde_json::from_str(plan.operations[0].request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        (&body["AnstDatum"], body.get("Befattning")),
        (&json!("2020-01-01"), None)
    );
    let p = serde_json::to_value(s.preview().unwrap()).unwrap();
    assert_eq!(p["blockers"][0]["code"], "control_character");
}

// No write without a value, no count without a write.

#[test]
fn a_lenient_account_is_written_in_its_repaired_form_and_counted_once() {
    let mut w = register(1);
    set_huma(
        &mut w.huma[0],
        "bankAccount",
        json!({"type": "national", "number": "5140-10004", "country": "SE"}),
    );
    let mut s =
        SyncSession::new(config(json!({"options": {"lenientBankAccounts": true}}))).unwrap();
    w.drive(&mut s, false).unwrap();
    let plan = s
        .plan(&decisions_from_json(r#"{"fieldDefaults": {"bankAccount": "huma"}}"#).unwrap())
        .unwrap();
    assert_eq!(
        plan.operations[0].request.body.as_deref(),
        Some(r#"{"UtbetClearNr":"5140","UtbetKontoNr":"0010004"}"#)
    );
    s.apply(&plan.hash, true).unwrap();
    w.drive(&mut s, false).unwrap();
    let r = serde_json::to_value(s.report().unwrap()).unwrap();
    assert_eq!(r["summary"]["counts"]["updated"], 1);
    assert_eq!(
        (&w.crona[0]["UtbetClearNr"], &w.crona[0]["UtbetKontoNr"]),
        (&json!("5140"), &json!("0010004"))
    );
}

#[test]
fn a_strict_sync_never_plans_the_lenient_account() {
    let mut w = register(1);
    set_huma(
        &mut w.huma[0],
        "bankAccount",
        json!({"type": "national", "number": "5140-10004", "country": "SE"}),
    );
    let (_, plan) = planned(&mut w, r#"{"fieldDefaults": {"bankAccount": "huma"}}"#);
    assert_eq!(plan.operations.len(), 0);
    assert_eq!(plan.skipped[0].reason.code, "not_allowed");
}

#[test]
fn huma_keeps_its_own_address_line_3_so_a_hostile_one_blocks_writing_the_address_there() {
    let mut w = register(1);
    let home = |line3: &str| json!({"line1": "Storgatan 1", "line2": "", "line3": line3, "postalCode": "411 38", "city": "Göteborg", "country": "SE"});
    set_huma(&mut w.huma[0], "homeAddress", home("c/o\u{1b}[2J"));
    w.crona[0]["Adress1"] = json!("Lilla gatan 2");
    w.crona[0]["PostNr"] = json!("41138");
    w.crona[0]["PostOrt"] = json!("Göteborg");
    w.crona[0]["LandAdr"] = json!("SE");
    let (_, plan) = planned(&mut w, r#"{"fieldDefaults": {"address": "crona"}}"#);
    assert_eq!(plan.operations.len(), 0);
    let blocker = plan
        .blocked
        .iter()
        .find(|b| b.code == "control_character")
        .unwrap();
    assert_eq!(
        blocker.message,
        "Eva Ek1's address line 3 in Huma contains the invisible control character U+001B: no address is written to Huma until it is corrected there."
    );
}
