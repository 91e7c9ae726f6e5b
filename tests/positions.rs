//! The Huma → Crona position fields (DOMAIN.md §1.4, §2): every derivation rule, the activation
//! rule across a first sync and a later change, Slutat flipping with `today`, and the fallback
//! sources when the positions list can't be read.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use chrono::NaiveDate;
use common::*;
use crona_sync::model::{Position, PositionValues};
use crona_sync::positions::derive;
use crona_sync::request::HttpResponse;
use serde_json::{json, Value};

fn p(start: Option<&str>, end: Option<&str>, title: &str) -> Position {
    Position {
        start: start.map(Into::into),
        end: end.map(Into::into),
        title: Some(title.into()),
    }
}

fn values(
    anst: Option<&str>,
    avg: Option<&str>,
    slutat: bool,
    title: Option<&str>,
) -> PositionValues {
    PositionValues {
        anst_datum: anst.map(Into::into),
        avg_datum: avg.map(Into::into),
        slutat: Some(slutat),
        befattning: title.map(Into::into),
    }
}

const TODAY: &str = "2026-11-25";

fn on(positions: &[Position], today: &str) -> PositionValues {
    derive(
        positions,
        NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap(),
    )
    .unwrap()
}

#[test]
fn every_position_rule() {
    let cases: Vec<(&str, Vec<Position>, PositionValues)> = vec![
        (
            "one open-ended position",
            vec![p(Some("2019-09-01"), None, "Lönespecialist")],
            values(Some("2019-09-01"), None, false, Some("Lönespecialist")),
        ),
        (
            "several in a row: the earliest start, the current title, still employed",
            vec![
                p(Some("2016-02-01"), Some("2019-08-31"), "Löneadministratör"),
                p(Some("2019-09-01"), None, "Lönespecialist"),
            ],
            values(Some("2016-02-01"), None, false, Some("Lönespecialist")),
        ),
        (
            "overlapping current positions: the title of the latest start",
            vec![
                p(Some("2018-01-01"), None, "Lagerarbetare"),
                p(Some("2024-03-01"), Some("2027-02-28"), "Skyddsombud"),
            ],
            values(Some("2018-01-01"), None, false, Some("Skyddsombud")),
        ),
        (
            "overlapping ended positions: the latest end, Slutat",
            vec![
                p(Some("2015-01-01"), Some("2025-06-30"), "Kock"),
                p(Some("2020-01-01"), Some("2024-12-31"), "Kökschef"),
            ],
            values(Some("2015-01-01"), Some("2025-06-30"), true, Some("Kock")),
        ),
        (
            "an open-ended re-hire clears the end date",
            vec![
                p(Some("2010-05-01"), Some("2020-04-30"), "Säljare"),
                p(Some("2023-01-09"), None, "Säljchef"),
            ],
            values(Some("2010-05-01"), None, false, Some("Säljchef")),
        ),
        (
            "only upcoming: its start and title",
            vec![p(Some("2026-12-01"), None, "Snickare")],
            values(Some("2026-12-01"), None, false, Some("Snickare")),
        ),
        (
            "ended and upcoming: the earliest upcoming title wins over the ended one",
            vec![
                p(Some("2020-01-01"), Some("2026-10-31"), "Vikarie"),
                p(Some("2027-01-01"), None, "Lärare"),
                p(Some("2026-12-01"), Some("2026-12-31"), "Praktikant"),
            ],
            values(Some("2020-01-01"), None, false, Some("Praktikant")),
        ),
        (
            "ended yesterday: Slutat, the last title kept",
            vec![p(Some("2018-01-01"), Some("2026-11-24"), "Platschef")],
            values(
                Some("2018-01-01"),
                Some("2026-11-24"),
                true,
                Some("Platschef"),
            ),
        ),
        (
            "ends today: still employed today",
            vec![p(Some("2018-01-01"), Some(TODAY), "Platschef")],
            values(Some("2018-01-01"), Some(TODAY), false, Some("Platschef")),
        ),
        ("no positions", vec![], values(None, None, false, None)),
        (
            "a position without a start date is ignored",
            vec![
                p(None, Some("2030-01-01"), "Utan startdatum"),
                p(Some("2021-04-01"), None, "Ekonom"),
            ],
            values(Some("2021-04-01"), None, false, Some("Ekonom")),
        ),
        (
            "only positions without a start date: as none",
            vec![p(None, Some("2020-01-01"), "Okänd")],
            values(None, None, false, None),
        ),
    ];
    for (name, positions, expected) in cases {
        assert_eq!(on(&positions, TODAY), expected, "{name}");
        // Answer order never matters.
        let reversed: Vec<Position> = positions.iter().rev().cloned().collect();
        assert_eq!(on(&reversed, TODAY), expected, "{name}, reversed");
    }
}

#[test]
fn a_date_that_isnt_one_derives_nothing() {
    let broken = [p(Some("2019-01-01"), Some("2026-02-30"), "Säljare")];
    assert_eq!(
        derive(&broken, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
        None
    );
}

fn crona_writes(report: &Value) -> Vec<Value> {
    report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["system"] == "crona")
        .map(|o| json!({"fields": o["fields"], "outcome": o["outcome"]}))
        .collect()
}

#[test]
fn the_first_sync_records_positions_without_sending_and_a_later_change_is_sent() {
    let mut w = eva(json!([position("2019-09-01", None, "Lönespecialist")]));
    let first = run_session(&mut w, json!({}), "{}");
    assert_eq!(
        crona_writes(&first),
        Vec::<Value>::new(),
        "nothing historical is sent"
    );
    assert_eq!(w.crona[0].get("Befattning"), None);
    assert_eq!(
        first["nextState"]["baseline"][uuid(1)]["positions"],
        json!({"anstDatum": "2019-09-01", "avgDatum": null, "slutat": false, "befattning": "Lönespecialist"})
    );

    // Unchanged: nothing to send on the next sync either.
    let state = first["nextState"].clone();
    assert_eq!(
        preview_json(&w, json!({"state": state}))["willSet"],
        json!([])
    );

    // HR gives Eva a new title in Huma: only that is sent.
    w.huma[0]["_positions"] = json!([
        position("2019-09-01", Some("2026-10-31"), "Lönespecialist"),
        position("2026-11-01", None, "Lönechef"),
    ]);
    let later = run_session(&mut w, json!({"state": state}), "{}");
    assert_eq!(
        crona_writes(&later),
        [json!({"fields": ["befattning"], "outcome": "done"})]
    );
    assert_eq!(w.crona[0]["Befattning"], "Lönechef");
    assert_eq!(
        w.crona[0].get("AnstDatum"),
        None,
        "the start didn't change: not sent"
    );
    assert_eq!(
        later["nextState"]["baseline"][uuid(1)]["positions"]["befattning"],
        "Lönechef"
    );
}

#[test]
fn slutat_flips_on_the_day_after_the_end_date() {
    let mut w = eva(json!([position("2019-09-01", None, "Lönespecialist")]));
    let first = run_session(&mut w, json!({}), "{}");
    // The employment is given an end date: AvgDatum is sent, Slutat still false on the day.
    w.huma[0]["_positions"] = json!([position("2019-09-01", Some("2026-11-30"), "Lönespecialist")]);
    let ending = run_session(
        &mut w,
        json!({"state": first["nextState"], "today": "2026-11-25"}),
        "{}",
    );
    assert_eq!(
        crona_writes(&ending),
        [json!({"fields": ["avgDatum"], "outcome": "done"})]
    );
    assert_eq!(w.crona[0]["AvgDatum"], "2026-11-30");
    assert_eq!(w.crona[0].get("Slutat"), None);

    let state = ending["nextState"].clone();
    let on_day =
        |today: &str| preview_json(&w, json!({"state": state, "today": today}))["willSet"].clone();
    assert_eq!(
        on_day("2026-11-30"),
        json!([]),
        "the last day is still employed"
    );
    let after = on_day("2026-12-01");
    assert_eq!(after.as_array().unwrap().len(), 1);
    assert_eq!(
        (&after[0]["field"], &after[0]["value"]),
        (&json!("slutat"), &json!(true))
    );

    let flipped = run_session(&mut w, json!({"state": state, "today": "2026-12-01"}), "{}");
    assert_eq!(
        crona_writes(&flipped),
        [json!({"fields": ["slutat"], "outcome": "done"})]
    );
    assert_eq!(w.crona[0]["Slutat"], true);
}

#[test]
fn a_person_created_in_crona_by_a_sync_gets_their_position_values() {
    let mut w = eva(json!([position(
        "2019-09-01",
        Some("2026-06-30"),
        "Lönespecialist"
    )]));
    w.crona.clear();
    let report = run_session(&mut w, json!({}), r#"{"createInCrona": "all"}"#);
    assert_eq!(report["summary"]["counts"]["created"], 1);
    let e = &w.crona[0];
    assert_eq!(
        (
            &e["AnstDatum"],
            &e["AvgDatum"],
            &e["Slutat"],
            &e["Befattning"]
        ),
        (
            &json!("2019-09-01"),
            &json!("2026-06-30"),
            &json!(true),
            &json!("Lönespecialist")
        )
    );
}

/// Eva with a title in `currentPositions` and in the flat fields, and a different list.
fn eva_with_fallbacks() -> World {
    let mut w = eva(json!([
        position("2012-01-01", Some("2019-08-31"), "Löneassistent"),
        position("2019-09-01", None, "Lönespecialist"),
    ]));
    w.huma[0]["currentPositions"] = json!([{"id": "c", "contractStartDate": "2019-09-01", "title": {"id": "t", "name": "Lönespecialist (current)"}}]);
    w.huma[0]["employmentStartDate"] = json!({"value": "2012-01-01", "editable": false});
    w.huma[0]["jobTitle"] =
        json!({"value": {"id": "t", "name": "Lönespecialist (flat)"}, "editable": false});
    w
}

/// A preview where the positions list answers `status` (or an unreadable body with 200).
fn preview_with_positions_answer(w: &World, status: u16, state: Value, mode: Value) -> Value {
    let mut extra = json!({"state": state});
    if let (Some(e), Some(m)) = (extra.as_object_mut(), mode.as_object()) {
        e.extend(m.clone());
    }
    let mut s = crona_sync::SyncSession::new(config(extra)).unwrap();
    w.clone()
        .drive_with(&mut s, |world, r| {
            if r.path.ends_with("/positions") {
                return HttpResponse {
                    id: r.id.clone(),
                    status,
                    body: if status == 200 {
                        "{\"items\": 7}".into()
                    } else {
                        Vec::new()
                    },
                    error: None,
                };
            }
            world.answer(r)
        })
        .unwrap();
    serde_json::to_value(s.preview().unwrap()).unwrap()
}

fn notice<'a>(p: &'a Value, code: &str) -> Option<&'a Value> {
    p["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == code)
}

#[test]
fn an_unreadable_positions_list_falls_back_to_current_positions_then_to_the_flat_fields() {
    let w = eva_with_fallbacks();
    let state = json!({
        "activatedAt": "2026-01-01T09:00:00+01:00",
        "pairs": [{"humaId": uuid(1), "anstNr": "1001"}],
        "baseline": {uuid(1): {"positions": {"anstDatum": "2012-01-01", "slutat": false, "befattning": "Lönespecialist"}}}
    });
    // The list itself: nothing changed.
    assert_eq!(
        preview_json(&w, json!({"state": state}))["willSet"],
        json!([])
    );

    let p = preview_with_positions_answer(&w, 503, state.clone(), json!({}));
    let n = notice(&p, "positions_from_current").expect("the preview says which source");
    assert!(n["message"].as_str().unwrap().contains("503"), "{n}");
    let set: Vec<(Value, Value, Value)> = p["willSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["field"].clone(), x["value"].clone(), x["origin"].clone()))
        .collect();
    // currentPositions lacks the earlier positions: only the title is taken from it.
    assert_eq!(
        set,
        [(
            json!("befattning"),
            json!("Lönespecialist (current)"),
            json!("currentPositions")
        )]
    );

    // No current positions either: the deprecated flat fields.
    let mut flat = w.clone();
    flat.huma[0]["currentPositions"] = json!([]);
    let p = preview_with_positions_answer(&flat, 200, state.clone(), json!({}));
    assert!(
        notice(&p, "positions_from_flat_fields").is_some(),
        "{}",
        p["notices"]
    );
    assert_eq!(p["willSet"][0]["value"], "Lönespecialist (flat)");
    assert_eq!(p["willSet"][0]["origin"], "flatFields");

    // Nothing at all: said so, and nothing is cleared in Crona.
    let mut none = flat.clone();
    none.huma[0]["employmentStartDate"] = json!({"value": null});
    none.huma[0]["jobTitle"] = json!({"value": "not a title object"});
    let p = preview_with_positions_answer(&none, 404, state, json!({}));
    assert!(
        notice(&p, "positions_unavailable").is_some(),
        "{}",
        p["notices"]
    );
    assert_eq!(p["willSet"], json!([]), "nothing is cleared in Crona");
    assert_eq!(p["counts"]["matched"], 1, "the rest of the sync goes on");
}

#[test]
fn positions_deleted_in_huma_never_clear_the_start_date_or_the_title() {
    let mut w = eva(json!([position(
        "2019-09-01",
        Some("2026-12-31"),
        "Lönespecialist"
    )]));
    let first = run_session(&mut w, json!({}), "{}");
    w.huma[0]["_positions"] = json!([]);
    for mode in [json!({}), json!({"mode": "push", "humaUserIds": [uuid(1)]})] {
        let mut extra = mode.clone();
        extra["state"] = first["nextState"].clone();
        let p = preview_json(&w, extra);
        let fields: Vec<&Value> = p["willSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| &s["field"])
            .collect();
        assert_eq!(
            fields,
            [&json!("avgDatum")],
            "{mode}: only the end date may be cleared"
        );
    }
    let report = run_session(&mut w, json!({"state": first["nextState"]}), "{}");
    assert_eq!(
        report["nextState"]["baseline"][uuid(1)]["positions"],
        json!({"anstDatum": "2019-09-01", "avgDatum": null, "slutat": false, "befattning": "Lönespecialist"}),
        "the recorded start and title stay, so nothing is sent when positions return"
    );
}

#[test]
fn a_push_sends_no_position_values_from_a_fallback_and_records_none() {
    let mut w = eva_with_fallbacks();
    let state = json!({
        "activatedAt": "2026-01-01T09:00:00+01:00",
        "pairs": [{"humaId": uuid(1), "anstNr": "1001"}],
        "baseline": {uuid(1): {"positions": {"anstDatum": "2012-01-01", "slutat": false, "befattning": "Lönespecialist"}}}
    });
    let push = json!({"mode": "push", "humaUserIds": [uuid(1)]});
    let mut state = state;
    state["baseline"][uuid(1)]["positions"]["avgDatum"] = Value::Null;
    let p = preview_with_positions_answer(&w, 503, state.clone(), push.clone());
    assert_eq!(p["willSet"], json!([]));
    let n = notice(&p, "positions_from_current").unwrap();
    assert!(
        n["message"]
            .as_str()
            .unwrap()
            .contains("wait for the next sync or push"),
        "{n}"
    );

    // Run it through: the recorded values stay as they were.
    let mut extra = push;
    extra["state"] = state.clone();
    let mut s = crona_sync::SyncSession::new(config(extra)).unwrap();
    w.drive_with(&mut s, |world, r| {
        if r.path.ends_with("/positions") {
            return HttpResponse {
                id: r.id.clone(),
                status: 503,
                body: Vec::new(),
                error: None,
            };
        }
        world.answer(r)
    })
    .unwrap();
    let plan = s.plan(&Default::default()).unwrap();
    assert!(plan.operations.is_empty());
    s.apply(&plan.hash, false).unwrap();
    let r = serde_json::to_value(s.report().unwrap()).unwrap();
    assert_eq!(
        r["nextState"]["baseline"][uuid(1)]["positions"],
        state["baseline"][uuid(1)]["positions"]
    );
}
