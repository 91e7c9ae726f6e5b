//! The baseline as keyed fingerprints (`options.baselineKey`): the state keeps no value it
//! doesn't need, and still tells which side changed since the last sync.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::*;
use crona_sync::SyncSession;
use serde_json::{json, Value};

const KEY: &str = "5f3c0a9e1b7d4c2f8a6e0d3b9c1f7a5e2d8b4c6a0e9f3d7b1c5a8e2f6d0b4c9a";
const OTHER_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";

fn anna() -> World {
    let mut h = huma_user(&uuid(1), "Anna", "Berg", "anna.berg@exempel.se");
    set_huma(&mut h, "employmentId", json!("1001"));
    set_huma(&mut h, "phone", json!("070-123 45 67"));
    set_huma(
        &mut h,
        "homeAddress",
        json!({"line1": "Storgatan 12", "line2": "", "postalCode": "411 38", "city": "Göteborg", "country": "SE"}),
    );
    let mut c = crona_employee("1001", "Anna", "Berg", "anna.berg@exempel.se");
    c["Mobil"] = json!("+46701234567");
    c["Adress1"] = json!("Storgatan 12");
    c["PostNr"] = json!("41138");
    c["PostOrt"] = json!("Göteborg");
    c["LandAdr"] = json!("SE");
    World {
        huma: vec![h],
        crona: vec![c],
    }
}

fn first_sync(world: &mut World, key: &str) -> Value {
    run_session(world, json!({"options": {"baselineKey": key}}), "{}")["nextState"].clone()
}

fn preview(world: &World, state: &Value, key: Option<&str>) -> Value {
    let options = key.map_or(json!({}), |k| json!({"baselineKey": k}));
    let mut s = SyncSession::new(config(json!({"state": state, "options": options}))).unwrap();
    world.clone().drive(&mut s, false).unwrap();
    serde_json::to_value(s.preview().unwrap()).unwrap()
}

#[test]
fn with_a_key_the_state_holds_fingerprints_and_not_one_value() {
    let mut w = anna();
    let state = first_sync(&mut w, KEY);
    let text = state.to_string();
    for value in [
        "anna.berg",
        "+46701234567",
        "Storgatan",
        "Göteborg",
        "Berg",
        "Anna",
    ] {
        assert!(!text.contains(value), "{value} is in the state: {text}");
    }
    let fields = state["baseline"][uuid(1)]["fields"].as_object().unwrap();
    assert_eq!(fields.len(), 8, "every field agreed on");
    assert!(fields
        .values()
        .all(|v| v.as_str().unwrap().starts_with("h1:")));
    // Remembered pairs keep ids only.
    assert_eq!(
        state["pairs"],
        json!([{"humaId": uuid(1), "anstNr": "1001"}])
    );
}

#[test]
fn the_side_that_changed_is_still_told_and_the_fingerprint_is_never_shown() {
    let mut w = anna();
    let state = first_sync(&mut w, KEY);
    w.crona[0]["Mobil"] = json!("+46709876543");
    let p = preview(&w, &state, Some(KEY));
    let d = &p["differences"][0];
    assert_eq!(
        (
            &d["field"],
            &d["changedSince"],
            &d["suggestion"],
            &d["baseline"]
        ),
        (
            &json!("phone"),
            &json!("crona"),
            &json!("crona"),
            &Value::Null
        )
    );
}

#[test]
fn anna_who_married_is_still_paired_by_what_both_agreed_on_as_fingerprints() {
    let mut w = anna();
    let state = first_sync(&mut w, KEY);
    w.huma[0] = huma_user(&uuid(1), "Anna", "Lind", "anna.lind@exempel.se");
    let p = preview(&w, &state, Some(KEY));
    assert_eq!(p["counts"]["matched"], 1);
    let changed: Vec<(&str, &str)> = p["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["field"] != "employmentId")
        .map(|d| {
            (
                d["field"].as_str().unwrap(),
                d["changedSince"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        changed.contains(&("familyName", "huma")) && changed.contains(&("email", "huma")),
        "{changed:?}"
    );
}

#[test]
fn a_state_written_before_the_key_still_works_and_comes_back_as_fingerprints() {
    let mut w = anna();
    let plain = run_session(&mut w, json!({}), "{}")["nextState"].clone();
    assert_eq!(
        plain["baseline"][uuid(1)]["fields"]["phone"],
        "+46701234567"
    );
    w.huma[0]["phone"] = json!({"value": "070-555 12 34", "editable": true});
    let p = preview(&w, &plain, Some(KEY));
    assert_eq!(p["differences"][0]["suggestion"], "huma");
    let next = run_session(
        &mut w,
        json!({"state": plain, "options": {"baselineKey": KEY}}),
        "{}",
    )["nextState"]
        .clone();
    assert!(!next.to_string().contains("+46701234567"), "{next}");
    assert!(!next.to_string().contains("+46705551234"), "{next}");
}

#[test]
fn fingerprints_under_another_key_suggest_nothing_rather_than_guess() {
    let mut w = anna();
    let state = first_sync(&mut w, KEY);
    w.crona[0]["Mobil"] = json!("+46709876543");
    // Under another key the values look changed on both sides: a true conflict, no suggestion.
    let d = preview(&w, &state, Some(OTHER_KEY))["differences"][0].clone();
    assert_eq!(
        (&d["changedSince"], d.get("suggestion")),
        (&json!("both"), None)
    );
    // Without a key a fingerprint tells nothing: no side is said to have changed.
    let d = preview(&w, &state, None)["differences"][0].clone();
    assert_eq!(
        (&d["changedSince"], d.get("suggestion")),
        (&Value::Null, None)
    );
}

#[test]
fn a_key_that_isnt_64_hex_digits_is_refused_without_repeating_it() {
    let e = crona_sync::SessionConfig::from_json(
        &json!({"today": "2026-11-25", "now": "2026-11-25T10:00:00+01:00", "options": {"baselineKey": "hemlig-nyckel"}}).to_string(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_config");
    assert_eq!(
        e.to_string(),
        "invalid setting `options.baselineKey`: must be 32 bytes written as 64 hex digits"
    );
}
