//! The exact writes: every operation carries one row per field it writes (system, property,
//! before → after), read from the request it sends; the report keeps them with the outcome; and
//! a plan writing many fields needs approval as a mass change, whatever the share.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::*;
use crona_sync::plan::{Operation, Plan};
use serde_json::{json, Value};

fn op<'a>(p: &'a Plan, id: &str) -> &'a Operation {
    p.operations.iter().find(|o| o.id == id).unwrap()
}

/// The rows as JSON, without `sent` (checked on its own): field, system, properties, before, after.
fn rows(rows: &[crona_sync::plan::WriteRow]) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap();
            v.as_object_mut().unwrap().remove("sent");
            v
        })
        .collect()
}

/// Elisabeth in both systems: HR has her new salary account, payroll her new mobile phone.
fn elisabeth() -> World {
    let mut h = huma_user(
        &uuid(1),
        "Elisabeth",
        "Söderström",
        "elisabeth.soderstrom@exempel.se",
    );
    set_huma(&mut h, "employmentId", json!("1013"));
    set_huma(&mut h, "phone", json!("073-999 88 77"));
    set_huma(
        &mut h,
        "bankAccount",
        json!({"type": "national", "number": "8327-9, 014 725 892-5", "country": "SE"}),
    );
    let mut c = crona_employee(
        "1013",
        "Elisabeth",
        "Söderström",
        "elisabeth.soderstrom@exempel.se",
    );
    c["Mobil"] = json!("070-123 45 67");
    c["UtbetClearNr"] = json!("6114");
    c["UtbetKontoNr"] = json!("517182351");
    World {
        huma: vec![h],
        crona: vec![c],
    }
}

#[test]
fn an_update_says_per_field_which_property_changes_from_what_to_what() {
    let mut s = session(&elisabeth(), json!({}));
    let p = plan(
        &mut s,
        json!({"fieldDefaults": {"bankAccount": "huma", "phone": "crona"}}),
    );
    assert_eq!(
        rows(&op(&p, "crona:update:1013").writes),
        [
            json!({"field": "bankAccount", "system": "crona", "properties": ["UtbetClearNr", "UtbetKontoNr"],
                "before": "6114-517182351", "after": "8327-0147258925"})
        ]
    );
    assert_eq!(
        serde_json::to_value(&op(&p, "crona:update:1013").writes[0].sent).unwrap(),
        json!({"UtbetClearNr": "8327", "UtbetKontoNr": "0147258925"}),
        "exactly what the PATCH carries"
    );
    assert_eq!(
        rows(&op(&p, &format!("huma:update:{}", uuid(1))).writes),
        [
            json!({"field": "phone", "system": "huma", "properties": ["phone"],
                "before": "073-999 88 77", "after": "070-123 45 67"})
        ]
    );
}

#[test]
fn a_position_value_is_a_row_from_cronas_current_value_to_the_new_one() {
    let mut w = eva(json!([position("2019-09-01", None, "Lönespecialist")]));
    let first = run_session(&mut w, json!({}), "{}");
    w.crona[0]["Befattning"] = json!("Lönespecialist");
    w.huma[0]["_positions"] = json!([
        position("2019-09-01", Some("2026-10-31"), "Lönespecialist"),
        position("2026-11-01", None, "Lönechef"),
    ]);
    let mut s = session(&w, json!({"state": first["nextState"]}));
    let p = plan(&mut s, json!({}));
    assert_eq!(
        rows(&op(&p, "crona:update:1001").writes),
        [
            json!({"field": "befattning", "system": "crona", "properties": ["Befattning"],
                "before": "Lönespecialist", "after": "Lönechef"})
        ]
    );
}

/// Björn only in Huma (starting in December), Märta only in Crona.
fn one_side_only() -> World {
    let mut bjorn = huma_user(&uuid(2), "Björn", "Öberg", "bjorn.oberg@exempel.se");
    set_huma(&mut bjorn, "employmentId", json!("1002"));
    set_huma(&mut bjorn, "phone", json!("070-555 66 77"));
    bjorn["_positions"] = json!([{"id": "p", "contractStartDate": "2026-12-01", "title": {"id": "t", "name": "Snickare"}}]);
    let mut marta = crona_employee("1003", "Märta", "Lind", "marta.lind@exempel.se");
    marta["Mobil"] = json!("0701112233");
    World {
        huma: vec![bjorn],
        crona: vec![marta],
    }
}

#[test]
fn a_create_in_crona_is_a_row_per_property_of_the_new_record_each_from_nothing() {
    let mut s = session(&one_side_only(), json!({}));
    let p = plan(&mut s, json!({"createInCrona": "all"}));
    let row = |field: &str, property: &str, after: Value| json!({"field": field, "system": "crona", "properties": [property], "before": null, "after": after});
    assert_eq!(
        rows(&op(&p, "crona:create:1002").writes),
        [
            row("email", "EpostArb", json!("bjorn.oberg@exempel.se")),
            row("employmentId", "AnstNr", json!("1002")),
            row("givenName", "FoNamn", json!("Björn")),
            row("familyName", "EfNamn", json!("Öberg")),
            row("phone", "Mobil", json!("070-555 66 77")),
            row("anstDatum", "AnstDatum", json!("2026-12-01")),
            row("slutat", "Slutat", json!("no")),
            row("befattning", "Befattning", json!("Snickare")),
        ],
        "AvgDatum is empty, so the create doesn't carry it"
    );
}

#[test]
fn a_create_in_huma_has_its_rows_and_its_follow_ups_and_the_report_keeps_them_with_the_outcome() {
    let mut w = one_side_only();
    let mut s = session(&w, json!({}));
    let p = plan(&mut s, json!({"createInHuma": "all"}));
    let create = op(&p, "huma:create:1003");
    let row = |field: &str, property: &str, after: &str| json!({"field": field, "system": "huma", "properties": [property], "before": null, "after": after});
    assert_eq!(
        rows(&create.writes),
        [
            row("email", "email", "marta.lind@exempel.se"),
            row("givenName", "givenName", "Märta"),
            row("familyName", "familyName", "Lind"),
        ]
    );
    assert_eq!(
        rows(&create.then_writes),
        [
            row("employmentId", "employmentId", "1003"),
            row("phone", "phone", "0701112233"),
        ]
    );

    s.apply(&p.hash, true).unwrap();
    w.drive(&mut s, false).unwrap();
    let report = serde_json::to_value(s.report().unwrap()).unwrap();
    let outcome = |id: &str| {
        report["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["operationId"] == id)
            .unwrap()
            .clone()
    };
    let strip = |o: Value| -> Vec<Value> {
        o["writes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.as_object_mut().unwrap().remove("sent");
                r
            })
            .collect()
    };
    assert_eq!(outcome("huma:create:1003")["outcome"], "done");
    assert_eq!(strip(outcome("huma:create:1003")), rows(&create.writes));
    assert_eq!(outcome("huma:create:1003:details")["outcome"], "done");
    assert_eq!(
        strip(outcome("huma:create:1003:details")),
        rows(&create.then_writes)
    );
}

#[test]
fn the_rows_are_exactly_what_the_requests_carry() {
    // Every property a request body carries is in one row with the value sent, and no row
    // names a property the body doesn't carry (a Huma create's group is the connection's).
    let mut w = elisabeth();
    let more = one_side_only();
    w.huma.extend(more.huma);
    w.crona.extend(more.crona);
    let mut s = session(&w, json!({}));
    let p = plan(
        &mut s,
        json!({"fieldDefaults": {"bankAccount": "huma", "phone": "crona"}, "createInCrona": "all", "createInHuma": "all"}),
    );
    assert_eq!(p.operations.len(), 4);
    for o in &p.operations {
        let mut body: serde_json::Map<String, Value> =
            serde_json::from_str(o.request.body.as_deref().unwrap()).unwrap();
        body.remove("groups");
        let mut sent = serde_json::Map::new();
        for r in &o.writes {
            assert_eq!(
                r.properties,
                r.sent.keys().map(String::as_str).collect::<Vec<_>>(),
                "{}",
                o.id
            );
            sent.extend(r.sent.clone());
        }
        assert_eq!(Value::Object(sent), Value::Object(body), "{}", o.id);
    }
}

/// `n` people in both systems, of whom the first `changed` have a new phone in Huma.
fn register(n: u32, changed: u32) -> World {
    let mut w = World {
        huma: vec![],
        crona: vec![],
    };
    for i in 0..n {
        let email = format!("p{i}@exempel.se");
        let mut h = huma_user(&uuid(i), "Per", "Ek", &email);
        set_huma(&mut h, "employmentId", json!(format!("{}", 1000 + i)));
        let mut c = crona_employee(&format!("{}", 1000 + i), "Per", "Ek", &email);
        c["Mobil"] = json!(format!("070-100 {i:04}"));
        let phone = if i < changed {
            format!("073-200 {i:04}")
        } else {
            format!("070-100 {i:04}")
        };
        set_huma(&mut h, "phone", json!(phone));
        w.huma.push(h);
        w.crona.push(c);
    }
    w
}

#[test]
fn more_than_fifty_field_writes_need_approval_even_below_the_share() {
    // 260 people: 50 or 51 changed stay below 20 % of the register.
    let mut at = session(&register(260, 50), json!({}));
    let p = plan(&mut at, json!({"fieldDefaults": {"phone": "huma"}}));
    let writes: usize = p.operations.iter().map(|o| o.writes.len()).sum();
    assert_eq!(writes, 50);
    assert!(!p.needs_mass_change_approval, "{}", p.summary);

    let mut above = session(&register(260, 51), json!({}));
    let p = plan(&mut above, json!({"fieldDefaults": {"phone": "huma"}}));
    assert!(p.needs_mass_change_approval);
    assert!(
        p.summary.ends_with(
            "This needs your approval as a mass change: it writes 51 fields, more than 50."
        ),
        "{}",
        p.summary
    );

    let mut relaxed = session(
        &register(260, 51),
        json!({"options": {"massChangeMaxWrites": 51}}),
    );
    let p = plan(&mut relaxed, json!({"fieldDefaults": {"phone": "huma"}}));
    assert!(!p.needs_mass_change_approval, "{}", p.summary);
}
