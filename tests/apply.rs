//! Applying plans to in-memory copies of both systems (tests/common), then re-diffing.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::*;
use crona_sync::plan::decisions_from_json;
use crona_sync::{Phase, SyncSession};
use proptest::prelude::*;
use serde_json::{json, Value};

fn run(world: &mut World, state: Value, decisions: Value) -> (SyncSession, Value) {
    let mut s = SyncSession::new(config(json!({"state": state}))).unwrap();
    world.drive(&mut s, false).unwrap();
    let plan = s
        .plan(&decisions_from_json(&decisions.to_string()).unwrap())
        .unwrap();
    s.apply(&plan.hash, true).unwrap();
    world.drive(&mut s, false).unwrap();
    assert_eq!(s.phase(), Phase::Done);
    let report = serde_json::to_value(s.report().unwrap()).unwrap();
    (s, report)
}

fn person(i: u32) -> (Value, Value) {
    let mut h = huma_user(&uuid(i), "Eva", &format!("Ek{i}"), &format!("eva{i}@x.se"));
    set_huma(&mut h, "employmentId", json!(i.to_string()));
    (
        h,
        crona_employee(
            &i.to_string(),
            "Eva",
            &format!("Ek{i}"),
            &format!("eva{i}@x.se"),
        ),
    )
}

#[test]
fn a_crona_employee_already_there_is_paired_not_created_twice() {
    let (h, _) = person(1);
    let mut world = World {
        huma: vec![h],
        crona: vec![],
    };
    let (mut s, plan) = planned(&mut world, r#"{"createInCrona": "all"}"#);
    // Someone else created her between the preview and the run.
    world.crona.push(person(1).1);
    s.apply(&plan.hash, false).unwrap();
    world.drive(&mut s, false).unwrap();
    let r = serde_json::to_value(s.report().unwrap()).unwrap();
    assert_eq!(r["outcomes"][0]["outcome"], "alreadyExisted");
    assert_eq!(world.crona.len(), 1);
    assert_eq!(
        r["nextState"]["pairs"],
        json!([{"humaId": uuid(1), "anstNr": "1"}])
    );
}

#[test]
fn a_huma_user_created_from_crona_gets_the_rest_of_the_fields_once_huma_gives_the_id() {
    let (_, mut c) = person(2);
    c["Mobil"] = json!("070-111 22 33");
    let mut world = World {
        huma: vec![],
        crona: vec![c],
    };
    let (_, r) = run(&mut world, Value::Null, json!({"createInHuma": "all"}));
    let ids: Vec<&str> = r["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["operationId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["huma:create:2", "huma:create:2:details"]);
    assert_eq!(world.huma[0]["phone"]["value"], "070-111 22 33");
    assert_eq!(world.huma[0]["employmentId"]["value"], "2");
    assert_eq!(r["remaining"], json!([]));
}

#[test]
fn one_failed_write_doesnt_stop_the_others_and_is_reported() {
    let mut world = World {
        huma: vec![],
        crona: vec![],
    };
    for i in 1..=3 {
        let (mut h, c) = person(i);
        set_huma(&mut h, "phone", json!(format!("070-000 00 0{i}")));
        world.huma.push(h);
        world.crona.push(c);
    }
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    world.drive(&mut s, false).unwrap();
    let plan = s.plan(&decisions_from_json("{}").unwrap()).unwrap();
    s.apply(&plan.hash, true).unwrap();
    world
        .drive_with(&mut s, |w, r| {
            if r.path == "/api/v1/employees/2" && r.method == crona_sync::request::Method::Patch {
                // Refused: the world stays as it was.
                let body = json!({"error": {"code": "invalid_field", "message": "Mobil is too long", "field": "Mobil"}});
                return crona_sync::request::HttpResponse { id: r.id.clone(), status: 422, body: body.to_string().into(), error: None };
            }
            w.answer(r)
        })
        .unwrap();
    let r = serde_json::to_value(s.report().unwrap()).unwrap();
    assert_eq!(r["summary"]["counts"]["updated"], 2);
    assert_eq!(r["errors"].as_array().unwrap().len(), 1);
    assert_eq!(
        (
            r["errors"][0]["code"].as_str(),
            r["errors"][0]["status"].as_u64()
        ),
        (Some("invalid_field"), Some(422))
    );
    assert_eq!(r["remaining"][0]["reason"], "failed");
    assert!(
        r["summary"]["text"]
            .as_str()
            .unwrap()
            .contains("1 write failed: Eva Ek2 in Crona: Mobil is too long."),
        "{}",
        r["summary"]["text"]
    );
}

#[test]
fn a_plan_with_nothing_to_write_is_done_at_once() {
    let (h, c) = person(3);
    let mut world = World {
        huma: vec![h],
        crona: vec![c],
    };
    let (s, r) = run(&mut world, Value::Null, json!({}));
    assert_eq!(s.phase(), Phase::Done);
    assert_eq!(
        r["summary"]["text"],
        "Synchronisation of 2026-11-25: 0 people created, 0 records updated. 0 differences remain."
    );
    assert_eq!(r["nextState"]["activatedAt"], "2026-11-25T10:00:00+01:00");
}

prop_compose! {
    /// A field value on one side: absent, the shared value, or this side's own.
    fn side()(k in 0u8..3) -> u8 { k }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(48)))]

    #[test]
    fn after_any_decisions_the_next_sync_shows_exactly_what_the_report_says_remains(
        shapes in proptest::collection::vec((side(), side(), side(), side()), 1..6),
        picks in proptest::collection::vec(0usize..3, 24),
        create in any::<bool>(),
    ) {
        let mut world = World { huma: vec![], crona: vec![] };
        for (i, (ph, pc, mh, mc)) in shapes.iter().enumerate() {
            let (mut h, mut c) = person(i as u32 + 10);
            let phone = |k: u8, own: &str| match k { 0 => Value::Null, 1 => json!("070-123 45 67"), _ => json!(own) };
            set_huma(&mut h, "phone", phone(*ph, "073-000 00 01"));
            c["Mobil"] = phone(*pc, "076-000 00 02");
            let mail = |k: u8, own: &str| match k { 0 => Value::Null, 1 => json!("eva@privat.se"), _ => json!(own) };
            set_huma(&mut h, "privateEmail", mail(*mh, "eva.h@privat.se"));
            c["EpostPriv"] = mail(*mc, "eva.c@privat.se");
            world.huma.push(h);
            world.crona.push(c);
        }
        world.huma.push(person(99).0);
        let mut s = SyncSession::new(config(json!({}))).unwrap();
        world.drive(&mut s, false).unwrap();
        let preview = serde_json::to_value(s.preview().unwrap()).unwrap();
        let choices: serde_json::Map<String, Value> = preview["differences"].as_array().unwrap().iter().zip(&picks)
            .map(|(d, k)| { let allowed = d["allowed"].as_array().unwrap(); (d["id"].as_str().unwrap().to_string(), allowed[k % allowed.len()].clone()) })
            .collect();
        let decisions = json!({"choices": choices, "createInCrona": if create { json!("all") } else { json!([]) }});
        let plan = s.plan(&decisions_from_json(&decisions.to_string()).unwrap()).unwrap();
        s.apply(&plan.hash, true).unwrap();
        world.drive(&mut s, false).unwrap();
        let report = serde_json::to_value(s.report().unwrap()).unwrap();
        for r in report["remaining"].as_array().unwrap() {
            prop_assert!(["leftByChoice", "blocked"].contains(&r["reason"].as_str().unwrap()), "{}", r);
        }
        let mut next = SyncSession::new(config(json!({"state": report["nextState"]}))).unwrap();
        world.clone().drive(&mut next, false).unwrap();
        let again = serde_json::to_value(next.preview().unwrap()).unwrap();
        let ids = |v: &Value, path: &[&str]| -> Vec<String> {
            let mut out: Vec<String> = v.as_array().unwrap().iter().map(|x| { let mut y = x; for p in path { y = &y[*p]; } y.as_str().unwrap().to_string() }).collect();
            out.sort();
            out
        };
        prop_assert_eq!(ids(&again["differences"], &["id"]), ids(&report["remaining"], &["difference", "id"]));
        prop_assert_eq!(again["onlyInHuma"].as_array().unwrap().len(), usize::from(!create));
    }
}

// Found in review.

#[test]
fn a_409_for_someone_elses_anstnr_is_a_failure_never_a_pair() {
    let (h, _) = person(1);
    let mut world = World {
        huma: vec![h],
        crona: vec![],
    };
    let (mut s, plan) = planned(&mut world, r#"{"createInCrona": "all"}"#);
    // Between preview and run, AnstNr 1 went to somebody else.
    world
        .crona
        .push(crona_employee("1", "Olle", "Berg", "olle@x.se"));
    s.apply(&plan.hash, false).unwrap();
    world.drive(&mut s, false).unwrap();
    let r = serde_json::to_value(s.report().unwrap()).unwrap();
    assert_eq!(r["outcomes"][0]["outcome"], "failed");
    assert!(r["outcomes"][0]["message"]
        .as_str()
        .unwrap()
        .contains("olle@x.se"));
    assert_eq!(r["nextState"]["pairs"], json!([]), "never paired with Olle");
}

#[test]
fn an_unreadable_answer_to_a_huma_create_fails_that_operation_only() {
    let (_, c1) = person(1);
    let (h2, mut c2) = person(2);
    c2["Mobil"] = json!("070-222 22 22");
    let mut world = World {
        huma: vec![h2],
        crona: vec![c1, c2],
    };
    let (mut s, plan) = planned(&mut world, r#"{"createInHuma": "all"}"#);
    s.apply(&plan.hash, true).unwrap();
    world
        .drive_with(&mut s, |w, r| {
            let mut a = w.answer(r);
            if r.path == "/users" && r.method == crona_sync::request::Method::Post {
                a.body = "<html>gateway</html>".into();
            }
            a
        })
        .unwrap();
    let r = serde_json::to_value(s.report().unwrap()).unwrap();
    let outcomes: Vec<(&str, &str)> = r["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["operationId"].as_str().unwrap(),
                o["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    let update = format!("huma:update:{}", uuid(2));
    assert_eq!(
        outcomes,
        [(update.as_str(), "done"), ("huma:create:1", "failed")]
    );
    assert!(r["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Check Huma before running again"));
}

#[test]
fn a_result_that_cant_be_read_back_is_reported_as_unverified_not_gone() {
    let (mut h, c) = person(3);
    set_huma(&mut h, "phone", json!("070-333 33 33"));
    set_huma(&mut h, "privateEmail", json!("eva@privat.se"));
    let mut world = World {
        huma: vec![h],
        crona: vec![c],
    };
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    world.drive(&mut s, false).unwrap();
    let phone = serde_json::to_value(s.preview().unwrap()).unwrap()["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["field"] == "phone")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let decisions = json!({"choices": {phone: "leave"}});
    let plan = s
        .plan(&decisions_from_json(&decisions.to_string()).unwrap())
        .unwrap();
    s.apply(&plan.hash, true).unwrap();
    world
        .drive_with(&mut s, |w, r| {
            let mut a = w.answer(r);
            if r.id.starts_with("verify:crona:") {
                a.status = 503;
            }
            a
        })
        .unwrap();
    let r = serde_json::to_value(s.report().unwrap()).unwrap();
    let reasons: Vec<&str> = r["remaining"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["reason"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"unverified"), "{reasons:?}");
    assert!(!r["unverified"].as_array().unwrap().is_empty());
}

#[test]
fn a_failed_update_without_position_values_doesnt_send_history_later() {
    let (mut h, c) = person(4);
    h["_positions"] = json!([{"id": "p", "contractStartDate": "2015-03-01", "title": {"id": "t", "name": "Lönechef"}}]);
    set_huma(&mut h, "phone", json!("070-444 44 44"));
    let mut world = World {
        huma: vec![h],
        crona: vec![c],
    };
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    world.drive(&mut s, false).unwrap();
    let plan = s.plan(&decisions_from_json("{}").unwrap()).unwrap();
    s.apply(&plan.hash, true).unwrap();
    world
        .drive_with(&mut s, |w, r| {
            if r.method == crona_sync::request::Method::Patch {
                return crona_sync::request::HttpResponse {
                    id: r.id.clone(),
                    status: 500,
                    body: Vec::new(),
                    error: None,
                };
            }
            w.answer(r)
        })
        .unwrap();
    let r = serde_json::to_value(s.report().unwrap()).unwrap();
    assert_eq!(r["summary"]["counts"]["failed"], 1);
    let mut next = SyncSession::new(config(json!({"state": r["nextState"]}))).unwrap();
    world.clone().drive(&mut next, false).unwrap();
    assert_eq!(
        serde_json::to_value(next.preview().unwrap()).unwrap()["willSet"],
        json!([]),
        "the phone failed, not the positions: nothing historical is sent"
    );
}

fn run_on(world: &mut World, state: Value, decisions: Value, today: &str) -> Value {
    run_session(
        world,
        json!({"state": state, "today": today}),
        &decisions.to_string(),
    )
}

// Found in the second review (their counterexamples, kept as tests).

#[test]
fn a_move_without_a_flat_number_is_never_merged_or_half_cleared_by_default() {
    let mut h = huma_user(&uuid(1), "Anna", "Berg", "anna@x.se");
    set_huma(&mut h, "employmentId", json!("1001"));
    set_huma(
        &mut h,
        "homeAddress",
        json!({"line1": "Götgatan 29", "line2": "lgh 1509", "postalCode": "11571", "city": "Stockholm", "country": "SE"}),
    );
    let mut c = crona_employee("1001", "Anna", "Berg", "anna@x.se");
    c["Adress1"] = json!("Götgatan 29");
    c["Adress2"] = json!("lgh 1509");
    c["PostNr"] = json!("11571");
    c["PostOrt"] = json!("Stockholm");
    c["LandAdr"] = json!("SE");
    let mut w = World {
        huma: vec![h],
        crona: vec![c],
    };
    let state = run_on(&mut w, Value::Null, json!({}), "2026-11-25")["nextState"].clone();
    set_huma(
        &mut w.huma[0],
        "homeAddress",
        json!({"line1": "Ekebergsvägen 16", "line2": "", "postalCode": "41171", "city": "Göteborg", "country": "SE"}),
    );
    // Default decisions: writing Huma's address would empty Crona's flat number, so nothing is
    // written (and nothing invented): it waits for an explicit choice.
    let report = run_on(&mut w, state.clone(), json!({}), "2026-11-26");
    assert_eq!(
        (
            w.crona[0]["Adress1"].as_str(),
            w.crona[0]["Adress2"].as_str()
        ),
        (Some("Götgatan 29"), Some("lgh 1509"))
    );
    let remaining = &report["remaining"][0];
    assert_eq!(
        (
            remaining["difference"]["field"].as_str(),
            remaining["difference"].get("suggestion")
        ),
        (Some("address"), None)
    );
    // Chosen explicitly, the new address is written whole.
    let id = remaining["difference"]["id"].as_str().unwrap().to_string();
    run_on(
        &mut w,
        report["nextState"].clone(),
        json!({"choices": {id: "huma"}}),
        "2026-11-26",
    );
    assert_eq!(
        (
            w.crona[0]["Adress1"].as_str(),
            w.crona[0]["Adress2"].as_str()
        ),
        (Some("Ekebergsvägen 16"), Some(""))
    );
}

#[test]
fn a_page_of_non_people_ends_the_huma_listing() {
    let mut w = World {
        huma: vec![],
        crona: vec![],
    };
    for i in 1..=3u32 {
        let mut h = huma_user(&uuid(i), "Eva", &format!("Ek{i}"), &format!("eva{i}@x.se"));
        set_huma(&mut h, "employmentId", json!((1000 + i).to_string()));
        w.huma.push(h);
        w.crona.push(crona_employee(
            &(1000 + i).to_string(),
            "Eva",
            &format!("Ek{i}"),
            &format!("eva{i}@x.se"),
        ));
    }
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    w.drive_with(&mut s, |w, r| {
        if r.path != "/users" {
            return w.answer(r);
        }
        let q = |k: &str| query_number(r, k);
        let mut all: Vec<Value> = (0..50)
            .map(|n| json!({"id": format!("svc-{n}"), "type": "service_user"}))
            .collect();
        all.extend(
            w.huma
                .iter()
                .map(|u| json!({"id": u["id"], "type": "user"})),
        );
        let items: Vec<Value> = all
            .iter()
            .skip(q("offset"))
            .take(q("limit"))
            .cloned()
            .collect();
        crona_sync::request::HttpResponse {
            id: r.id.clone(),
            status: 200,
            body: json!({"total": all.len(), "items": items})
                .to_string()
                .into(),
            error: None,
        }
    })
    .unwrap();
    let p = serde_json::to_value(s.preview().unwrap()).unwrap();
    assert_eq!(
        p["counts"]["huma"],
        json!(3),
        "{} onlyInCrona={}",
        p["counts"],
        p["onlyInCrona"]
    );
}

#[test]
fn positions_of_a_person_created_while_a_date_was_broken_never_reach_crona() {
    let mut h = huma_user(&uuid(1), "Bo", "Ek", "bo@x.se");
    set_huma(&mut h, "employmentId", json!("1001"));
    h["_positions"] = json!([{"id": "p", "contractStartDate": "2019-01-01", "contractEndDate": "2026-06-31", "title": {"id": "t", "name": "Snickare"}}]);
    let mut w = World {
        huma: vec![h],
        crona: vec![crona_employee("1002", "Al", "Ek", "al@x.se")],
    };
    let mut state = run_on(
        &mut w,
        Value::Null,
        json!({"createInCrona": "all"}),
        "2026-11-25",
    )["nextState"]
        .clone();
    w.huma[0]["_positions"] = json!([{"id": "p", "contractStartDate": "2019-01-01", "contractEndDate": "2026-06-30", "title": {"id": "t", "name": "Snickare"}}]);
    for day in ["2026-11-26", "2026-11-27"] {
        state = run_on(&mut w, state, json!({}), day)["nextState"].clone();
    }
    assert_eq!(
        w.crona[1]["AnstDatum"],
        json!("2019-01-01"),
        "{}",
        w.crona[1]
    );
}

#[test]
fn anna_who_married_in_huma_is_updated_in_crona_not_created_again() {
    // The third review's scenario: Huma changes her name and e-mail the same day, and has no
    // employment ID; the state remembers her pair and what both sides agreed on.
    let mut h = huma_user(&uuid(1), "Anna", "Berg", "anna.berg@x.se");
    set_huma(&mut h, "employmentId", json!("1001"));
    let mut w = World {
        huma: vec![h],
        crona: vec![crona_employee("1001", "Anna", "Berg", "anna.berg@x.se")],
    };
    let state = run_on(&mut w, Value::Null, json!({}), "2026-11-25")["nextState"].clone();
    w.huma[0] = huma_user(&uuid(1), "Anna", "Lind", "anna.lind@x.se");
    let report = run_on(
        &mut w,
        state,
        json!({"fieldDefaults": {"email": "huma", "familyName": "huma"}, "createInHuma": "all", "createInCrona": "all"}),
        "2026-11-26",
    );
    assert_eq!(w.huma.len(), 1, "nobody created twice in Huma");
    assert_eq!(w.crona.len(), 1, "nor in Crona");
    assert_eq!(
        (
            w.crona[0]["EfNamn"].as_str(),
            w.crona[0]["EpostArb"].as_str()
        ),
        (Some("Lind"), Some("anna.lind@x.se"))
    );
    assert_eq!(
        report["nextState"]["pairs"],
        json!([{"humaId": uuid(1), "anstNr": "1001"}])
    );
}
