//! Push mode (DOMAIN.md §1.3): the named Huma people and their Crona records are read, only
//! Huma → Crona updates that are safe without an administrator are planned, and the state of
//! everyone else is kept.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::*;
use crona_sync::plan::decisions_from_json;
use crona_sync::SyncSession;
use serde_json::{json, Value};

/// Three people in both systems, and one in Crona only.
fn office() -> World {
    let mut w = World {
        huma: vec![],
        crona: vec![],
    };
    for (i, (given, family)) in [("Anna", "Berg"), ("Bo", "Ek"), ("Cecilia", "Ås")]
        .into_iter()
        .enumerate()
    {
        let n = i as u32 + 1;
        let email = format!("{}@exempel.se", given.to_lowercase());
        let mut h = huma_user(&uuid(n), given, family, &email);
        set_huma(&mut h, "employmentId", json!(format!("100{n}")));
        set_huma(&mut h, "phone", json!(format!("070-100 00 0{n}")));
        h["_positions"] = json!([{"id": "p", "contractStartDate": "2020-01-01", "title": {"id": "t", "name": "Ekonom"}}]);
        w.huma.push(h);
        let mut c = crona_employee(&format!("100{n}"), given, family, &email);
        c["Mobil"] = json!(format!("+4670100000{n}"));
        w.crona.push(c);
    }
    w.crona
        .push(crona_employee("2001", "Dag", "Lund", "dag@exempel.se"));
    w
}

/// The state after a first sync of the whole office.
fn activated(w: &mut World) -> Value {
    run_session(w, json!({}), "{}")["nextState"].clone()
}

fn push(ids: &[String], state: &Value) -> Value {
    json!({"mode": "push", "humaUserIds": ids, "state": state})
}

#[test]
fn a_push_before_the_first_sync_is_refused() {
    let e =
        SyncSession::new(config(json!({"mode": "push", "humaUserIds": [uuid(1)]}))).unwrap_err();
    assert_eq!(
        (e.code(), e.details()["field"].as_str()),
        ("invalid_config", Some("state"))
    );
}

#[test]
fn a_push_reads_only_the_named_people_and_never_offers_crona_only_people() {
    let mut w = office();
    let state = activated(&mut w);
    let mut s = SyncSession::new(config(push(&[uuid(2)], &state))).unwrap();
    let mut asked = Vec::new();
    w.clone()
        .drive_with(&mut s, |world, r| {
            asked.push(r.path.clone());
            world.answer(r)
        })
        .unwrap();
    asked.sort();
    assert_eq!(
        asked,
        [
            "/api/v1/employees".to_string(),
            format!("/users/{}", uuid(2)),
            format!("/users/{}/positions", uuid(2)),
        ]
    );
    let p = serde_json::to_value(s.preview().unwrap()).unwrap();
    assert_eq!(p["counts"]["matched"], 1);
    assert_eq!(
        p["onlyInCrona"],
        json!([]),
        "Dag and the others aren't the push's concern"
    );
    assert_eq!(p["counts"]["onlyInCrona"], 0);
}

#[test]
fn a_push_sends_what_changed_in_huma_and_leaves_the_rest_for_a_manual_sync() {
    let mut w = office();
    let state = activated(&mut w);
    // Bo, in Huma: a new phone, family name, employment ID and title. In Crona: a private
    // e-mail added (a Crona change).
    let bo = &mut w.huma[1];
    set_huma(bo, "phone", json!("070-222 22 22"));
    set_huma(bo, "familyName", json!("Ekström"));
    set_huma(bo, "employmentId", json!("9999"));
    bo["_positions"][0]["title"]["name"] = json!("Controller");
    w.crona[1]["EpostPriv"] = json!("bo.privat@exempel.se");
    let report = run_session(&mut w, push(&[uuid(2)], &state), "{}");

    let bo_crona = &w.crona[1];
    assert_eq!(bo_crona["Mobil"], "070-222 22 22");
    assert_eq!(bo_crona["EfNamn"], "Ekström");
    assert_eq!(bo_crona["Befattning"], "Controller");
    assert_eq!(bo_crona["AnstNr"], "1002", "AnstNr is never written");
    assert_eq!(
        bo_crona["EpostPriv"], "bo.privat@exempel.se",
        "Crona's change stays"
    );
    let h = w.huma[1].clone();
    assert_eq!(
        h["privateEmail"].get("value"),
        None,
        "nothing is written to Huma"
    );

    let reasons: Vec<(String, String)> = report["remaining"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["difference"]["field"].as_str().unwrap().to_string(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            ("employmentId".to_string(), "manual_sync".to_string()),
            ("privateEmail".to_string(), "manual_sync".to_string()),
        ]
    );
    assert!(report["summary"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Push of 2026-11-25"));
}

#[test]
fn a_push_never_clears_a_value_in_crona_and_never_pushes_a_pending_email() {
    let mut w = office();
    let state = activated(&mut w);
    w.huma[0]["phone"] = json!({"value": null, "editable": true});
    w.huma[0]["email"] = json!({"value": "anna@exempel.se", "requestedValue": "anna.berg@exempel.se", "editable": true});
    let report = run_session(&mut w, push(&[uuid(1)], &state), "{}");
    assert_eq!(report["outcomes"], json!([]));
    assert_eq!(w.crona[0]["Mobil"], "+46701000001");
    assert_eq!(w.crona[0]["EpostArb"], "anna@exempel.se");
    assert_eq!(report["remaining"][0]["reason"], "manual_sync");
    assert!(report["remaining"][0]["explanation"]
        .as_str()
        .unwrap()
        .contains("never clears"));
}

#[test]
fn a_push_takes_no_decisions() {
    let mut w = office();
    let state = activated(&mut w);
    let mut s = SyncSession::new(config(push(&[uuid(1)], &state))).unwrap();
    w.drive(&mut s, false).unwrap();
    let e = s
        .plan(&decisions_from_json(r#"{"fieldDefaults": {"phone": "crona"}}"#).unwrap())
        .unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
}

#[test]
fn an_unpaired_person_is_created_only_with_auto_create() {
    let mut w = office();
    let state = activated(&mut w);
    let mut new = huma_user(&uuid(7), "Greta", "Holm", "greta@exempel.se");
    set_huma(&mut new, "employmentId", json!("1007"));
    new["_positions"] = json!([{"id": "p", "contractStartDate": "2026-12-01", "title": {"id": "t", "name": "Revisor"}}]);
    w.huma.push(new);

    let without = run_session(&mut w, push(&[uuid(7)], &state), "{}");
    assert_eq!(without["outcomes"], json!([]));
    assert_eq!(w.crona.len(), 4);

    let mut with = push(&[uuid(7)], &state);
    with["options"] = json!({"autoCreate": true});
    let report = run_session(&mut w, with, "{}");
    assert_eq!(report["summary"]["counts"]["created"], 1);
    let greta = w.crona.iter().find(|e| e["AnstNr"] == "1007").unwrap();
    assert_eq!(
        (&greta["AnstDatum"], &greta["Befattning"]),
        (&json!("2026-12-01"), &json!("Revisor"))
    );
    let pairs = report["nextState"]["pairs"].as_array().unwrap();
    assert!(pairs.contains(&json!({"humaId": uuid(7), "anstNr": "1007"})));
}

#[test]
fn a_push_keeps_everyone_elses_pairs_and_baseline_and_the_last_sync() {
    let mut w = office();
    let state = activated(&mut w);
    set_huma(&mut w.huma[2], "phone", json!("070-333 33 33"));
    let report = run_session(&mut w, push(&[uuid(3)], &state), "{}");
    let next = &report["nextState"];
    assert_eq!(next["pairs"], state["pairs"]);
    assert_eq!(next["baseline"][uuid(1)], state["baseline"][uuid(1)]);
    assert_eq!(next["baseline"][uuid(2)], state["baseline"][uuid(2)]);
    assert_eq!(next["baseline"][uuid(3)]["fields"]["phone"], "+46703333333");
    assert_eq!(next["lastSync"], state["lastSync"]);
    assert_eq!(next["lastPush"]["counts"]["updated"], 1);
    assert_eq!(next["activatedAt"], state["activatedAt"]);
}

#[test]
fn a_person_deleted_in_huma_since_the_event_is_a_notice_not_a_failure() {
    let mut w = office();
    let state = activated(&mut w);
    w.huma.remove(1);
    set_huma(&mut w.huma[0], "phone", json!("070-111 11 11"));
    let mut s = SyncSession::new(config(push(&[uuid(1), uuid(2)], &state))).unwrap();
    w.drive(&mut s, false).unwrap();
    let p = serde_json::to_value(s.preview().unwrap()).unwrap();
    let gone: Vec<&Value> = p["notices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == "not_in_huma")
        .collect();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0]["person"]["humaId"], uuid(2));
    let plan = s.plan(&Default::default()).unwrap();
    assert_eq!(plan.operations.len(), 1, "Anna's phone still goes");
    s.apply(&plan.hash, false).unwrap();
    w.drive(&mut s, false).unwrap();
    let r = serde_json::to_value(s.report().unwrap()).unwrap();
    assert!(
        r["nextState"]["pairs"]
            .as_array()
            .unwrap()
            .contains(&json!({"humaId": uuid(2), "anstNr": "1002"})),
        "nothing is deleted, not even the pair"
    );
}

#[test]
fn a_push_never_takes_over_the_crona_record_of_someone_it_didnt_read() {
    let mut w = office();
    let state = activated(&mut w);
    // Bo takes a new e-mail in Huma; a new hire gets his old one.
    w.huma[1]["email"] = json!({"value": "bo.ek@exempel.se", "editable": true});
    let mut bodil = huma_user(&uuid(8), "Bodil", "Ek", "bo@exempel.se");
    set_huma(&mut bodil, "employmentId", json!("1008"));
    set_huma(&mut bodil, "phone", json!("070-888 88 88"));
    w.huma.push(bodil);
    let report = run_session(&mut w, push(&[uuid(8)], &state), "{}");
    assert_eq!(
        report["outcomes"],
        json!([]),
        "Bo's payroll record is not Bodil's"
    );
    assert_eq!(w.crona[1]["Mobil"], "+46701000002");
    let pairs = report["nextState"]["pairs"].as_array().unwrap();
    assert!(pairs.contains(&json!({"humaId": uuid(2), "anstNr": "1002"})));
}

#[test]
fn a_push_leaves_out_people_outside_the_connections_group() {
    let mut w = office();
    let team = "11111111-1111-4111-8111-111111111111";
    for (i, h) in w.huma.iter_mut().enumerate() {
        if i != 2 {
            h["teams"] = json!({"value": [{"id": team, "name": "Lön"}], "editable": false});
        }
    }
    let scope = json!({"teams": [team]});
    let state = run_session(&mut w, json!({"scope": scope}), "{}")["nextState"].clone();
    set_huma(&mut w.huma[2], "phone", json!("070-333 33 33"));
    let mut extra = push(&[uuid(2), uuid(3)], &state);
    extra["scope"] = scope;
    extra["options"] = json!({"autoCreate": true});
    let p = preview_json(&w, extra.clone());
    let outside: Vec<&Value> = p["notices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == "not_in_scope")
        .map(|n| &n["person"]["humaId"])
        .collect();
    assert_eq!(outside, [&json!(uuid(3))]);
    let report = run_session(&mut w, extra, "{}");
    assert_eq!(report["outcomes"], json!([]), "nothing written for Cecilia");
    assert_eq!(w.crona[2]["Mobil"], "+46701000003");
}
