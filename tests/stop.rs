//! Stopping a running plan (`SyncSession::stop`): nothing more is written, what was handed out is
//! still answered and counted as it really ended, everyone touched is read back, and the report
//! and its next state work as after a whole run (DOMAIN.md §3.5: a count counts what really
//! happened; never lose what was acknowledged).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::*;
use crona_sync::plan::decisions_from_json;
use crona_sync::request::{HttpRequest, HttpResponse, TransportError};
use crona_sync::{Phase, SyncSession};
use serde_json::{json, Value};

/// Six people in both systems, each with a mobile number only Huma has: a first sync fills
/// Crona's six gaps, one PATCH each.
fn six_phones() -> World {
    let mut world = World {
        huma: vec![],
        crona: vec![],
    };
    for i in 1..=6 {
        let mut h = huma_user(&uuid(i), "Eva", &format!("Ek{i}"), &format!("eva{i}@x.se"));
        set_huma(&mut h, "employmentId", json!(i.to_string()));
        set_huma(&mut h, "phone", json!(format!("070-000 00 0{i}")));
        world.huma.push(h);
        world.crona.push(crona_employee(
            &i.to_string(),
            "Eva",
            &format!("Ek{i}"),
            &format!("eva{i}@x.se"),
        ));
    }
    world
}

/// A session on `world`, fetched, its plan for `decisions` applied (nothing polled yet).
fn applying(world: &mut World, state: Value, decisions: &str) -> SyncSession {
    let mut s = SyncSession::new(config(json!({"state": state}))).unwrap();
    world.drive(&mut s, false).unwrap();
    let plan = s.plan(&decisions_from_json(decisions).unwrap()).unwrap();
    s.apply(&plan.hash, true).unwrap();
    assert_eq!(s.phase(), Phase::Applying);
    s
}

/// How a runner answers a request it had no HTTP answer for.
fn no_answer(r: &HttpRequest, code: &str) -> HttpResponse {
    HttpResponse {
        id: r.id.clone(),
        status: 0,
        body: Vec::new(),
        error: Some(TransportError {
            code: code.into(),
            message: format!("{code}: {}", r.label()),
        }),
    }
}

fn report(s: &SyncSession) -> Value {
    serde_json::to_value(s.report().unwrap()).unwrap()
}

/// Each operation's id and outcome, in plan order.
fn outcomes(r: &Value) -> Vec<(String, String)> {
    r["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let id = o["operationId"].as_str().unwrap().to_string();
            (id, o["outcome"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn stopped_with_writes_in_flight_counts_each_as_it_really_ended_and_reads_everyone_back() {
    let mut world = six_phones();
    let mut s = applying(&mut world, Value::Null, "{}");
    let writes = s.poll();
    assert_eq!(writes.len(), 6);
    // Two answered before the administrator stops; the runner holds the other four.
    let first: Vec<_> = writes[..2].iter().map(|r| world.answer(r)).collect();
    s.handle(&first).unwrap();
    s.stop().unwrap();
    assert!(s.poll().is_empty(), "no new write once stopped");
    assert_eq!(
        s.phase(),
        Phase::Applying,
        "the writes in flight are still awaited"
    );
    // Two land; the runner stopped waiting for one it had sent; one it never sent.
    let rest = vec![
        world.answer(&writes[2]),
        world.answer(&writes[3]),
        no_answer(&writes[4], "aborted"),
        no_answer(&writes[5], "not_sent"),
    ];
    s.handle(&rest).unwrap();
    assert_eq!(s.phase(), Phase::Verifying);
    let reads = s.poll();
    assert!(
        reads.iter().all(|r| !is_write(r)),
        "only reads after a stop"
    );
    // The four written and the one that may have been, in both systems: 5 + 5.
    assert_eq!(reads.len(), 10);
    let answers: Vec<_> = reads.iter().map(|r| world.answer(r)).collect();
    s.handle(&answers).unwrap();
    assert_eq!(s.phase(), Phase::Done);

    let r = report(&s);
    let ended: Vec<String> = outcomes(&r).into_iter().map(|(_, o)| o).collect();
    assert_eq!(
        ended,
        ["done", "done", "done", "done", "unknown", "notRun"],
        "in plan order, which is the order handed out"
    );
    assert_eq!(
        r["summary"]["counts"],
        json!({"created": 0, "updated": 4, "alreadyExisted": 0, "failed": 0, "notRun": 1, "unknown": 1, "remaining": 2})
    );
    assert_eq!(r["errors"], json!([]), "nothing was refused");
    assert_eq!(r["stopped"], true);
    assert_eq!(
        r["summary"]["text"],
        "Synchronisation of 2026-11-25: 0 people created, 4 records updated. 1 write was sent but not answered before the run stopped: it may have been written. 1 write was not run. 2 differences remain."
    );
    assert_eq!(
        r["outcomes"][4]["message"],
        "Sent, but the run stopped before the answer came: it may have been written."
    );
    // The unanswered one was read back (it didn't land here) and the unsent one as previewed.
    let reasons: Vec<(&str, &str)> = r["remaining"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["difference"]["person"]["anstNr"].as_str().unwrap(),
                d["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(reasons, [("5", "notRun"), ("6", "notRun")]);
    // The next state: active, every pair kept, so the next sync is not a first sync.
    let next = &r["nextState"];
    assert_eq!(next["activatedAt"], "2026-11-25T10:00:00+01:00");
    assert_eq!(next["pairs"].as_array().unwrap().len(), 6);
    assert_eq!(next["lastSync"]["counts"]["notRun"], 1);
    let again = preview_json(&world, json!({"state": next}));
    let notices: Vec<&str> = again["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(!notices.contains(&"first_sync/positions"), "{notices:?}");
    assert_eq!(again["counts"]["differences"], 2, "the two not written");
}

#[test]
fn stopped_before_anything_was_handed_out_writes_nothing_and_is_done_at_once() {
    let mut world = six_phones();
    let before = world.clone();
    let mut s = applying(&mut world, Value::Null, "{}");
    s.stop().unwrap();
    assert_eq!(s.phase(), Phase::Done, "nothing in flight, nobody touched");
    assert!(s.poll().is_empty());
    let r = report(&s);
    assert!(outcomes(&r).iter().all(|(_, o)| o == "notRun"));
    assert_eq!(r["summary"]["counts"]["notRun"], 6);
    assert_eq!(r["summary"]["counts"]["updated"], 0);
    assert_eq!(r["nextState"]["pairs"].as_array().unwrap().len(), 6);
    assert!(r["nextState"]["activatedAt"].is_string());
    assert_eq!(world.crona, before.crona);
    assert_eq!(world.huma, before.huma);
}

#[test]
fn a_huma_user_created_before_the_stop_gets_no_follow_up_and_it_reads_as_not_run() {
    let mut c = crona_employee("2", "Eva", "Ek2", "eva2@x.se");
    c["Mobil"] = json!("070-111 22 33");
    let mut world = World {
        huma: vec![],
        crona: vec![c],
    };
    let mut s = applying(&mut world, Value::Null, r#"{"createInHuma": "all"}"#);
    let create = s.poll();
    assert_eq!(create.len(), 1);
    s.stop().unwrap();
    let answered = world.answer(&create[0]);
    s.handle(&[answered]).unwrap();
    let reads = s.poll();
    assert!(reads.iter().all(|r| !is_write(r)), "no follow-up PATCH");
    let answers: Vec<_> = reads.iter().map(|r| world.answer(r)).collect();
    s.handle(&answers).unwrap();
    let r = report(&s);
    assert_eq!(
        outcomes(&r),
        [
            ("huma:create:2".to_string(), "done".to_string()),
            ("huma:create:2:details".to_string(), "notRun".to_string())
        ]
    );
    assert_eq!(r["summary"]["counts"]["created"], 1);
    assert_eq!(r["summary"]["counts"]["notRun"], 1);
    assert_eq!(
        world.huma[0]["phone"]["value"],
        Value::Null,
        "the rest was never sent"
    );
    let pairs = &r["nextState"]["pairs"];
    assert_eq!(pairs[0]["anstNr"], "2", "the new user is paired: {pairs}");
}

#[test]
fn a_position_value_a_stopped_run_never_sent_is_sent_by_the_next_sync() {
    let position = |end: &str| json!([{"id": "p1", "contractStartDate": "2019-09-01", "contractEndDate": end, "title": {"id": "t", "name": "Lönespecialist"}, "status": "CURRENT"}]);
    let mut h = huma_user(&uuid(1), "Eva", "Ek", "eva.ek@x.se");
    set_huma(&mut h, "employmentId", json!("1001"));
    h["_positions"] = position("2026-12-31");
    let mut world = World {
        huma: vec![h],
        crona: vec![crona_employee("1001", "Eva", "Ek", "eva.ek@x.se")],
    };
    // The first sync records her end date without sending it.
    let first = run_session(&mut world, json!({}), "{}");
    let state = first["nextState"].clone();
    // Huma moves the end date; the next sync is stopped before it sends it.
    world.huma[0]["_positions"] = position("2027-06-30");
    let mut s = applying(&mut world, state.clone(), "{}");
    s.stop().unwrap();
    let r = report(&s);
    assert_eq!(r["summary"]["counts"]["notRun"], 1);
    assert_eq!(
        r["nextState"]["baseline"][uuid(1)]["positions"],
        state["baseline"][uuid(1)]["positions"],
        "what was never sent is not recorded as sent"
    );
    let again = preview_json(&world, json!({"state": r["nextState"]}));
    let will_set: Vec<(&str, &Value)> = again["willSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["field"].as_str().unwrap(), &w["value"]))
        .collect();
    assert_eq!(will_set, [("avgDatum", &json!("2027-06-30"))]);
}

#[test]
fn stop_is_for_a_running_plan_and_does_nothing_once_the_run_is_over() {
    let mut world = six_phones();
    let mut s = SyncSession::new(config(json!({}))).unwrap();
    let refused = s.stop().unwrap_err();
    assert_eq!(refused.code(), "protocol_error");
    assert_eq!(
        refused.to_string(),
        "stop() stops a running plan; the session is fetching"
    );
    world.drive(&mut s, false).unwrap();
    assert_eq!(s.stop().unwrap_err().code(), "protocol_error");
    let plan = s.plan(&decisions_from_json("{}").unwrap()).unwrap();
    s.apply(&plan.hash, true).unwrap();
    world.drive(&mut s, false).unwrap();
    let whole = report(&s);
    s.stop().unwrap();
    assert_eq!(report(&s), whole, "a finished run stays as it ended");
    assert_eq!(whole["stopped"], false);
    assert_eq!(whole["summary"]["counts"]["updated"], 6);
}
