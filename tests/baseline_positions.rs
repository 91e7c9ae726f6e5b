//! The recorded position values as keyed fingerprints (`options.baselineKey`): the state keeps
//! no employment date or job title in clear, and a sync still sends exactly the position values
//! that changed in Huma since they were recorded (DOMAIN.md §1.4).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::*;
use crona_sync::SyncSession;
use serde_json::{json, Value};

const KEY: &str = "5f3c0a9e1b7d4c2f8a6e0d3b9c1f7a5e2d8b4c6a0e9f3d7b1c5a8e2f6d0b4c9a";
const OTHER_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";

/// HMAC-SHA256 under `KEY` of `position.<name>`, a NUL and the value.
const START: &str = "h1:16e4f90d61a1f673fcc5e07ffc490ef690735142453478a849576a35d23bf7a3";
const END_2026_12_31: &str = "h1:fb4adc2a3962bf86e26bd8d073eac3a18b441f4ec93fa5f9e562645ddd96c20e";
const END_2027_06_30: &str = "h1:045487f0ce0d0de23942d511da23cdfb9e1d8e082dea0079d3204fe9764e72dc";
const LONESPECIALIST: &str = "h1:77f02377c5d32fd2b84d8b170a3f2b6ec18d1c76252f32345f6f85718e3542c3";
const LONECHEF: &str = "h1:5e9056ec9171ae38fe353dc475138ad4239574721b5501db948f426661f49ccc";
/// The same under `OTHER_KEY`.
const OTHER_START: &str = "h1:3228ea25a2e29405f1fa3e7d2d41eaecd58df64bf097fc0a407eeaa4ad73d0ae";
const OTHER_LONESPECIALIST: &str =
    "h1:80cdc83fa28bc35e5db51fda0abf8a7d064f23ba3d3cefb76047c8942b033c16";

/// Eva, in both systems, a Lönespecialist since 2019-09-01 until `end`.
fn eva(end: Option<&str>) -> World {
    let mut h = huma_user(&uuid(1), "Eva", "Ek", "eva.ek@exempel.se");
    set_huma(&mut h, "employmentId", json!("1001"));
    h["_positions"] = json!([position("2019-09-01", end, "Lönespecialist")]);
    World {
        huma: vec![h],
        crona: vec![crona_employee("1001", "Eva", "Ek", "eva.ek@exempel.se")],
    }
}

fn extra(state: &Value, key: Option<&str>) -> Value {
    let options = key.map_or(json!({}), |k| json!({"baselineKey": k}));
    json!({"state": state, "options": options})
}

/// A whole sync from `state` under `key`: its next state, and each write as "METHOD path body".
fn sync(world: &mut World, state: &Value, key: Option<&str>) -> (Value, Vec<String>) {
    let mut s = SyncSession::new(config(extra(state, key))).unwrap();
    world.drive(&mut s, false).unwrap();
    let plan = s.plan(&Default::default()).unwrap();
    s.apply(&plan.hash, true).unwrap();
    let mut writes = Vec::new();
    world
        .drive_with(&mut s, |w, r| {
            if is_write(r) {
                let body = r.body.clone().unwrap_or_default();
                writes.push(format!("{} {} {body}", r.method.as_str(), r.path));
            }
            w.answer(r)
        })
        .unwrap();
    let report = serde_json::to_value(s.report().unwrap()).unwrap();
    (report["nextState"].clone(), writes)
}

/// The position values the preview would send, as (field, value).
fn will_set(world: &World, state: &Value, key: Option<&str>) -> Vec<(String, Value)> {
    preview_json(world, extra(state, key))["willSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["field"].as_str().unwrap().to_string(), w["value"].clone()))
        .collect()
}

fn recorded(state: &Value) -> &Value {
    &state["baseline"][uuid(1)]["positions"]
}

#[test]
fn with_a_key_the_recorded_positions_are_fingerprints_and_no_date_or_title_is_in_the_state() {
    let mut w = eva(Some("2026-12-31"));
    let (state, writes) = sync(&mut w, &Value::Null, Some(KEY));
    assert_eq!(writes, Vec::<String>::new(), "activation sends nothing");
    assert_eq!(
        recorded(&state),
        &json!({"anstDatum": START, "avgDatum": END_2026_12_31, "slutat": false, "befattning": LONESPECIALIST})
    );
    let text = state.to_string();
    for value in ["2019-09-01", "2026-12-31", "Lönespecialist"] {
        assert!(!text.contains(value), "{value} is in the state: {text}");
    }
}

#[test]
fn unchanged_positions_send_nothing_on_the_next_sync_with_the_same_key() {
    let mut w = eva(Some("2026-12-31"));
    let (first, _) = sync(&mut w, &Value::Null, Some(KEY));
    assert_eq!(will_set(&w, &first, Some(KEY)), []);
    let (second, writes) = sync(&mut w, &first, Some(KEY));
    assert_eq!(writes, Vec::<String>::new());
    assert_eq!(recorded(&second), recorded(&first));
}

#[test]
fn an_extended_contract_and_a_new_title_are_sent_exactly_and_recorded_as_fingerprints() {
    let mut w = eva(Some("2026-12-31"));
    let (first, _) = sync(&mut w, &Value::Null, Some(KEY));
    w.huma[0]["_positions"] = json!([
        position("2019-09-01", Some("2026-10-31"), "Lönespecialist"),
        position("2026-11-01", Some("2027-06-30"), "Lönechef"),
    ]);
    let (next, writes) = sync(&mut w, &first, Some(KEY));
    assert_eq!(
        writes,
        [r#"PATCH /api/v1/employees/1001 {"AvgDatum":"2027-06-30","Befattning":"Lönechef"}"#]
    );
    assert_eq!(
        recorded(&next),
        &json!({"anstDatum": START, "avgDatum": END_2027_06_30, "slutat": false, "befattning": LONECHEF})
    );
    assert_eq!(will_set(&w, &next, Some(KEY)), [], "sent once");
}

#[test]
fn a_plain_state_written_before_the_key_still_tells_what_changed_and_comes_back_fingerprinted() {
    let mut w = eva(Some("2026-12-31"));
    let (plain, _) = sync(&mut w, &Value::Null, None);
    assert_eq!(
        recorded(&plain),
        &json!({"anstDatum": "2019-09-01", "avgDatum": "2026-12-31", "slutat": false, "befattning": "Lönespecialist"}),
        "without a key, the values as before"
    );
    assert_eq!(will_set(&w, &plain, Some(KEY)), [], "equal plain values");

    w.huma[0]["_positions"] = json!([position("2019-09-01", Some("2026-12-31"), "Lönechef")]);
    let (next, writes) = sync(&mut w, &plain, Some(KEY));
    assert_eq!(
        writes,
        [r#"PATCH /api/v1/employees/1001 {"Befattning":"Lönechef"}"#]
    );
    assert_eq!(
        recorded(&next),
        &json!({"anstDatum": START, "avgDatum": END_2026_12_31, "slutat": false, "befattning": LONECHEF})
    );
}

#[test]
fn a_fingerprint_that_cant_be_checked_resends_the_current_values_and_never_clears_one() {
    // Eva is employed until further notice: no end date recorded.
    let mut w = eva(None);
    let (state, _) = sync(&mut w, &Value::Null, Some(KEY));
    let current = [
        ("anstDatum".to_string(), json!("2019-09-01")),
        ("befattning".to_string(), json!("Lönespecialist")),
    ];
    // Under another key, or none, "unchanged" can't be told: Huma's current values are sent
    // again. The empty end date and Slutat are compared as they are: nothing more.
    assert_eq!(will_set(&w, &state, Some(OTHER_KEY)), current);
    assert_eq!(will_set(&w, &state, None), current);

    // Positions deleted in Huma: the start and title are kept, not cleared, under any key.
    let mut deleted = w.clone();
    deleted.huma[0]["_positions"] = json!([]);
    assert_eq!(will_set(&deleted, &state, Some(OTHER_KEY)), []);
    let (kept, writes) = sync(&mut deleted, &state, Some(OTHER_KEY));
    assert_eq!(writes, Vec::<String>::new());
    assert_eq!(
        recorded(&kept),
        recorded(&state),
        "carried forward unchanged"
    );

    // Resent, the values are recorded under the key given, which then tells again.
    let (next, writes) = sync(&mut w, &state, Some(OTHER_KEY));
    assert_eq!(
        writes,
        [
            r#"PATCH /api/v1/employees/1001 {"AnstDatum":"2019-09-01","Befattning":"Lönespecialist"}"#
        ]
    );
    assert_eq!(
        recorded(&next),
        &json!({"anstDatum": OTHER_START, "avgDatum": null, "slutat": false, "befattning": OTHER_LONESPECIALIST})
    );
    assert_eq!(will_set(&w, &next, Some(OTHER_KEY)), []);
}

#[test]
fn a_push_that_doesnt_read_someone_still_keeps_their_plain_positions_as_fingerprints() {
    let mut w = eva(Some("2026-12-31"));
    let (plain, _) = sync(&mut w, &Value::Null, None);
    let mut olle = huma_user(&uuid(2), "Olle", "Ek", "olle.ek@exempel.se");
    set_huma(&mut olle, "employmentId", json!("1002"));
    w.huma.push(olle);
    w.crona
        .push(crona_employee("1002", "Olle", "Ek", "olle.ek@exempel.se"));
    let mut extra = extra(&plain, Some(KEY));
    extra["mode"] = json!("push");
    extra["humaUserIds"] = json!([uuid(2)]);
    let report = run_session(&mut w, extra, "{}");
    assert_eq!(
        recorded(&report["nextState"]),
        &json!({"anstDatum": START, "avgDatum": END_2026_12_31, "slutat": false, "befattning": LONESPECIALIST})
    );
}
