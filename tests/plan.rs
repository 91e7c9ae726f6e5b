//! From decisions to the writes (DOMAIN.md §1.2, §3.2, §3.5), with literal data.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::*;
use crona_sync::model::{Field, Written};
use crona_sync::plan::{decisions_from_json, Plan};
use crona_sync::SyncSession;
use serde_json::{json, Value};

/// Anna in both systems: Huma has a new phone, Crona has her private e-mail, Huma alone has her
/// Swedbank account (Crona writes Swedbank clearings with 5 digits), the employment ids differ.
fn world() -> World {
    let mut h = huma_user(&uuid(1), "Anna", "Berg", "anna.berg@exempel.se");
    set_huma(&mut h, "employmentId", json!("1099"));
    set_huma(&mut h, "phone", json!("073-999 88 77"));
    set_huma(
        &mut h,
        "homeAddress",
        json!({"line1": "Storgatan 12", "line2": "", "line3": "c/o Berg", "postalCode": "411 38", "city": "Göteborg", "country": "SE"}),
    );
    set_huma(
        &mut h,
        "bankAccount",
        json!({"type": "national", "code": "SE", "number": "8327-9, 014 725 892-5", "country": "SE"}),
    );
    let mut c = crona_employee("1001", "Anna", "Berg", "anna.berg@exempel.se");
    c["Mobil"] = json!("070-123 45 67");
    c["EpostPriv"] = json!("anna@privat.se");
    c["Adress1"] = json!("Storgatan 14");
    c["PostNr"] = json!("41138");
    c["PostOrt"] = json!("Göteborg");
    c["LandAdr"] = json!("Sverige");
    c["UtbetClearNr"] = json!("83279");
    c["UtbetKontoNr"] = json!("0147258924");
    let mut only_huma = huma_user(&uuid(2), "Björn", "Öberg", "bjorn.oberg@exempel.se");
    set_huma(&mut only_huma, "employmentId", json!("1002"));
    only_huma["_positions"] = json!([{"id": "p", "contractStartDate": "2026-12-01", "title": {"id": "t", "name": "Snickare"}}]);
    let mut only_crona = crona_employee("1003", "Märta", "Lind", "marta.lind@exempel.se");
    only_crona["Mobil"] = json!("0701112233");
    World {
        huma: vec![h, only_huma],
        crona: vec![c, only_crona],
    }
}

fn id(s: &mut SyncSession, field: &str) -> String {
    let p = serde_json::to_value(s.preview().unwrap()).unwrap();
    p["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["field"] == field)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn body(p: &Plan, kind: &str) -> Value {
    let op = p
        .operations
        .iter()
        .find(|o| serde_json::to_value(o.kind).unwrap() == kind)
        .unwrap();
    serde_json::from_str(op.request.body.as_deref().unwrap()).unwrap()
}

#[test]
fn the_suggestions_fill_the_empty_side_and_conflicts_wait_for_a_choice() {
    let mut s = session(&world(), json!({}));
    let p = plan(&mut s, json!({}));
    // Private e-mail is missing in Huma → Crona's fills it; the phone and address conflicts wait.
    assert_eq!(
        body(&p, "updateHuma"),
        json!({"privateEmail": "anna@privat.se"})
    );
    assert_eq!(p.counts.update_crona, 0);
    assert_eq!(
        p.counts.left, 4,
        "phone, address, bank account, employment id"
    );
}

#[test]
fn a_patch_carries_only_the_fields_chosen_and_never_anstnr() {
    let mut s = session(&world(), json!({}));
    let (phone, emp) = (id(&mut s, "phone"), id(&mut s, "employmentId"));
    let p = plan(
        &mut s,
        json!({"choices": {phone: "huma", emp: "crona"}, "useSuggestions": false}),
    );
    assert_eq!(body(&p, "updateCrona"), json!({"Mobil": "073-999 88 77"}));
    assert_eq!(body(&p, "updateHuma"), json!({"employmentId": "1001"}));
    assert_eq!(p.operations[0].request.path, "/api/v1/employees/1001");
    assert_eq!(p.operations[1].request.path, format!("/users/{}", uuid(1)));
}

#[test]
fn choosing_huma_for_the_employment_id_is_refused_not_sent() {
    let mut s = session(&world(), json!({}));
    let emp = id(&mut s, "employmentId");
    let p = plan(
        &mut s,
        json!({"choices": {emp: "huma"}, "useSuggestions": false}),
    );
    assert!(p.operations.is_empty());
    assert_eq!(p.skipped[0].reason.code, "not_allowed");
}

#[test]
fn the_plan_lists_everything_the_preview_blocks() {
    let mut w = world();
    w.crona[0]["UtbetKontoNr"] = json!("0147258920"); // fails its check digit
    let mut s = session(&w, json!({}));
    let p = plan(&mut s, json!({}));
    assert_eq!(
        p.blocked
            .iter()
            .map(|b| b.code.as_str())
            .collect::<Vec<_>>(),
        ["E_CHECKSUM"]
    );
}

#[test]
fn a_bulk_choice_never_clears_but_an_explicit_one_may() {
    let mut s = session(&world(), json!({}));
    let private = id(&mut s, "privateEmail");
    // Bulk "huma" for private e-mail would write Huma's empty value over Crona's: it fills
    // Huma from Crona instead (the suggestion), and without suggestions leaves it.
    let bulk = plan(&mut s, json!({"fieldDefaults": {"privateEmail": "huma"}}));
    assert_eq!(
        body(&bulk, "updateHuma"),
        json!({"privateEmail": "anna@privat.se"})
    );
    assert!(bulk
        .operations
        .iter()
        .all(|o| o.kind != crona_sync::plan::OperationKind::UpdateCrona));
    let strict = plan(
        &mut s,
        json!({"fieldDefaults": {"privateEmail": "huma"}, "useSuggestions": false}),
    );
    assert!(strict.operations.is_empty());
    assert_eq!(strict.skipped[0].reason.code, "would_clear");
    let explicit = plan(
        &mut s,
        json!({"choices": {private: "huma"}, "useSuggestions": false}),
    );
    assert_eq!(body(&explicit, "updateCrona"), json!({"EpostPriv": ""}));
}

#[test]
fn the_huma_address_patch_has_all_six_keys_and_keeps_line3() {
    let mut s = session(&world(), json!({}));
    let addr = id(&mut s, "address");
    let p = plan(
        &mut s,
        json!({"choices": {addr: "crona"}, "useSuggestions": false}),
    );
    assert_eq!(
        body(&p, "updateHuma")["homeAddress"],
        json!({"line1": "Storgatan 14", "line2": "", "line3": "c/o Berg", "postalCode": "41138", "city": "Göteborg", "country": "SE"})
    );
}

#[test]
fn a_swedbank_account_keeps_the_five_digit_clearing_crona_already_uses() {
    let mut s = session(&world(), json!({}));
    let bank = id(&mut s, "bankAccount");
    let p = plan(
        &mut s,
        json!({"choices": {bank: "huma"}, "useSuggestions": false}),
    );
    assert_eq!(
        body(&p, "updateCrona"),
        json!({"UtbetClearNr": "83279", "UtbetKontoNr": "0147258925"})
    );
}

#[test]
fn people_are_created_both_ways_with_what_each_system_needs() {
    let mut s = session(&world(), json!({"scope": {"companies": [uuid(77)]}}));
    let p = plan(
        &mut s,
        json!({"createInCrona": "all", "createInHuma": ["1003"], "useSuggestions": false}),
    );
    let crona = body(&p, "createCrona");
    assert_eq!(
        crona,
        json!({"AnstNr": "1002", "FoNamn": "Björn", "EfNamn": "Öberg", "EpostArb": "bjorn.oberg@exempel.se", "AnstDatum": "2026-12-01", "Slutat": false, "Befattning": "Snickare"})
    );
    assert!(p
        .operations
        .iter()
        .any(|o| o.request.method == crona_sync::request::Method::Post
            && o.request.path == "/api/v1/employees"));
    let huma = body(&p, "createHuma");
    assert_eq!(
        huma,
        json!({"givenName": "Märta", "familyName": "Lind", "email": "marta.lind@exempel.se", "groups": [uuid(77)]})
    );
    let create = p
        .operations
        .iter()
        .find(|o| o.id == "huma:create:1003")
        .unwrap();
    assert_eq!(
        serde_json::to_value(&create.then_fields).unwrap(),
        json!(["employmentId", "phone"])
    );
}

#[test]
fn decisions_about_things_the_preview_doesnt_have_are_refused() {
    let mut s = session(&world(), json!({}));
    for bad in [
        json!({"choices": {"no-such-difference": "huma"}}),
        json!({"createInCrona": [uuid(9)]}),
        json!({"createInHuma": ["9999"]}),
    ] {
        let e = s
            .plan(&decisions_from_json(&bad.to_string()).unwrap())
            .unwrap_err();
        assert_eq!(e.code(), "invalid_argument", "{bad}");
    }
    assert_eq!(
        decisions_from_json(r#"{"choises": {}}"#)
            .unwrap_err()
            .code(),
        "invalid_argument"
    );
    assert_eq!(
        decisions_from_json(r#"{"createInCrona": "everyone"}"#)
            .unwrap_err()
            .code(),
        "invalid_argument"
    );
}

#[test]
fn the_same_decisions_give_the_same_plan_and_hash_and_planning_changes_nothing() {
    let mut s = session(&world(), json!({}));
    let before = serde_json::to_value(s.preview().unwrap()).unwrap();
    let phone = id(&mut s, "phone");
    let a = plan(
        &mut s,
        json!({"choices": {phone.clone(): "crona"}, "createInCrona": "all"}),
    );
    let b = plan(
        &mut s,
        json!({"createInCrona": "all", "choices": {phone: "crona"}}),
    );
    assert_eq!(a, b);
    let c = plan(&mut s, json!({"createInCrona": "all"}));
    assert_ne!(a.hash, c.hash);
    assert_eq!(serde_json::to_value(s.preview().unwrap()).unwrap(), before);
}

#[test]
fn changing_most_people_at_once_needs_approval_as_a_mass_change() {
    let mut w = World {
        huma: vec![],
        crona: vec![],
    };
    for i in 0..12 {
        let mut h = huma_user(&uuid(i), "Per", "Ek", &format!("p{i}@x.se"));
        set_huma(&mut h, "employmentId", json!(format!("{i}")));
        set_huma(&mut h, "phone", json!(format!("07012345{i:02}")));
        w.huma.push(h);
        w.crona.push(crona_employee(
            &format!("{i}"),
            "Per",
            "Ek",
            &format!("p{i}@x.se"),
        ));
    }
    let mut s = session(&w, json!({}));
    let p = plan(&mut s, json!({}));
    assert_eq!(p.counts.update_crona, 12);
    assert!(p.needs_mass_change_approval);
    assert!(
        p.summary
            .ends_with("This needs your approval as a mass change: it changes 12 of 12 people, more than 20 % of the register."),
        "{}",
        p.summary
    );
    let mut relaxed = session(&w, json!({"options": {"massChangeMin": 20}}));
    assert!(!plan(&mut relaxed, json!({})).needs_mass_change_approval);
    let mut eighth = session(&w, json!({"options": {"massChangeShare": 0.125}}));
    assert_eq!(
        plan(&mut eighth, json!({})).mass_change_reasons,
        vec!["it changes 12 of 12 people, more than 12.5 % of the register".to_string()]
    );
    let mut whole = session(&w, json!({"options": {"massChangeShare": 1}}));
    assert!(
        !plan(&mut whole, json!({})).needs_mass_change_approval,
        "all 12 of 12 is not more than the whole register"
    );
}

#[test]
fn the_summary_reads_like_a_sentence() {
    let mut s = session(&world(), json!({}));
    let p = plan(&mut s, json!({"createInCrona": "all"}));
    assert_eq!(
        p.summary,
        "Update 1 user in Huma, create 1 employee in Crona. 4 differences are left as they are."
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn choice() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("huma"), Just("crona"), Just("leave")]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(128)))]

        #[test]
        fn whatever_is_decided_anstnr_is_never_patched_and_the_plan_is_deterministic(
            picks in proptest::collection::vec(choice(), 5),
            defaults in proptest::collection::vec(choice(), 8),
            suggestions in any::<bool>(),
        ) {
            let mut s = session(&world(), json!({}));
            let preview = serde_json::to_value(s.preview().unwrap()).unwrap();
            let diffs = preview["differences"].as_array().unwrap().clone();
            let choices: serde_json::Map<String, Value> =
                diffs.iter().zip(&picks).map(|(d, c)| (d["id"].as_str().unwrap().to_string(), json!(c))).collect();
            let fields = ["email", "employmentId", "givenName", "familyName", "address", "phone", "bankAccount", "privateEmail"];
            let field_defaults: serde_json::Map<String, Value> =
                fields.iter().zip(&defaults).map(|(f, c)| (f.to_string(), json!(c))).collect();
            let decisions = json!({"choices": choices, "fieldDefaults": field_defaults, "useSuggestions": suggestions, "createInCrona": "all", "createInHuma": "all"});
            let a = plan(&mut s, decisions.clone());
            let b = plan(&mut s, decisions);
            prop_assert_eq!(&a, &b);
            for op in &a.operations {
                if op.request.method == crona_sync::request::Method::Patch && op.request.path.starts_with("/api/v1/employees/") {
                    let body: Value = serde_json::from_str(op.request.body.as_deref().unwrap()).unwrap();
                    prop_assert!(body.get("AnstNr").is_none(), "{}", body);
                }
            }
        }
    }
}

#[test]
fn a_bulk_address_choice_never_blanks_a_filled_part_and_an_explicit_one_writes_it_whole() {
    // Huma has another street and no flat number; Crona has a flat number.
    let mut w = world();
    w.crona[0]["Adress2"] = json!("lgh 1102");
    let mut s = session(&w, json!({}));
    let p = plan(
        &mut s,
        json!({"fieldDefaults": {"address": "huma"}, "useSuggestions": false}),
    );
    assert!(p
        .operations
        .iter()
        .all(|o| !o.fields.contains(&Written::Field(Field::Address))));
    assert_eq!(p.skipped[0].reason.code, "would_clear");
    let preview = serde_json::to_value(s.preview().unwrap()).unwrap();
    let d = preview["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["field"] == "address")
        .unwrap()
        .clone();
    assert!(d.get("suggestion").is_none());
    assert!(d["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["code"] == "clears_value"
            && n["message"]
                .as_str()
                .unwrap()
                .starts_with("Choosing Huma empties parts of Crona's address")));
    // Crona winning fills Huma's line 2 and clears nothing: a bulk choice may do that.
    let p = plan(
        &mut s,
        json!({"fieldDefaults": {"address": "crona"}, "useSuggestions": false}),
    );
    assert_eq!(body(&p, "updateHuma")["homeAddress"]["line2"], "lgh 1102");
    // An explicit choice of that one difference writes Huma's address as it is.
    let addr = id(&mut s, "address");
    let p = plan(
        &mut s,
        json!({"choices": {addr: "huma"}, "useSuggestions": false}),
    );
    let b = body(&p, "updateCrona");
    assert_eq!(
        (b["Adress1"].as_str(), b["Adress2"].as_str()),
        (Some("Storgatan 12"), Some(""))
    );
}

#[test]
fn creating_more_people_than_the_mass_change_minimum_needs_approval() {
    let mut w = World {
        huma: vec![],
        crona: vec![],
    };
    for i in 0..11 {
        let mut h = huma_user(
            &uuid(100 + i),
            "Ny",
            &format!("Person{i}"),
            &format!("ny{i}@x.se"),
        );
        set_huma(&mut h, "employmentId", json!(format!("{}", 500 + i)));
        w.huma.push(h);
    }
    for i in 0..200 {
        w.crona.push(crona_employee(
            &format!("{}", 1000 + i),
            "Old",
            "Timer",
            &format!("old{i}@x.se"),
        ));
    }
    let mut s = session(&w, json!({}));
    let p = plan(&mut s, json!({"createInCrona": "all"}));
    assert_eq!(p.counts.create_crona, 11);
    assert!(
        p.needs_mass_change_approval,
        "11 creates > 10, though only 11 of 211 people change"
    );
}

#[test]
fn a_create_leaves_out_values_that_cant_be_written() {
    let mut w = world();
    set_huma(&mut w.huma[1], "phone", json!("ring växeln"));
    let mut s = session(&w, json!({}));
    let p = plan(
        &mut s,
        json!({"createInCrona": "all", "useSuggestions": false}),
    );
    assert!(body(&p, "createCrona").get("Mobil").is_none());
    assert!(p
        .skipped
        .iter()
        .any(|x| x.reason.code == "not_copied" && x.reason.message.contains("mobile phone")));
}

#[test]
fn ids_are_percent_encoded_in_paths() {
    assert_eq!(crona_sync::request::segment("1/../2"), "1%2F%2E%2E%2F2");
    assert_eq!(
        crona_sync::crona::employee("x".into(), "1/../2").path,
        "/api/v1/employees/1%2F%2E%2E%2F2"
    );
}

#[test]
fn the_plan_says_per_difference_what_it_does_and_why_and_its_writes_agree() {
    let mut s = session(&world(), json!({}));
    let (phone, private) = (id(&mut s, "phone"), id(&mut s, "privateEmail"));
    let p = plan(
        &mut s,
        json!({"choices": {phone.clone(): "huma"}, "fieldDefaults": {"privateEmail": "huma"}}),
    );
    let preview = s.preview().unwrap();
    let order: Vec<&str> = preview.differences.iter().map(|d| d.id.as_str()).collect();
    let said: Vec<&str> = p
        .resolutions
        .iter()
        .map(|r| r.difference_id.as_str())
        .collect();
    assert_eq!(
        said, order,
        "one resolution per difference, in the preview's order"
    );
    let r = |id: &str| {
        serde_json::to_value(p.resolutions.iter().find(|r| r.difference_id == id)).unwrap()
    };
    assert_eq!(
        r(&phone),
        json!({"differenceId": phone, "choice": "huma", "source": "explicit", "clears": false, "leftOut": false})
    );
    assert_eq!(
        r(&private),
        json!({"differenceId": private, "choice": "crona", "source": "bulk", "clears": false, "leftOut": false,
               "note": {"code": "fills_gap", "message": "The bulk choice would clear a value: the empty side is filled instead."}})
    );
    // What the resolutions say is written is exactly what the operations write.
    let written = |choice: &str| {
        let mut fields: Vec<String> = preview
            .differences
            .iter()
            .filter(|d| r(&d.id)["choice"] == choice)
            .map(|d| {
                serde_json::to_value(d.field)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        fields.sort();
        fields
    };
    let fields = |kind: &str| {
        let mut f = p
            .operations
            .iter()
            .filter(|o| serde_json::to_value(o.kind).unwrap() == kind)
            .flat_map(|o| o.fields.iter().map(|f| f.key().to_string()))
            .collect::<Vec<_>>();
        f.sort();
        f
    };
    assert_eq!(written("huma"), fields("updateCrona"));
    assert_eq!(written("crona"), fields("updateHuma"));
    assert_eq!(fields("updateCrona"), ["phone"]);
    assert_eq!(fields("updateHuma"), ["privateEmail"]);
}

#[test]
fn who_to_create_is_all_or_a_list_of_ids_and_anything_else_is_refused_in_words() {
    use crona_sync::plan::{decisions_from_json, Selection};
    let d = decisions_from_json(r#"{"createInCrona": "all", "createInHuma": ["1002", "1003"]}"#)
        .unwrap();
    assert_eq!(d.create_in_crona, Selection::All);
    assert_eq!(
        d.create_in_huma,
        Selection::Some(vec!["1002".into(), "1003".into()])
    );
    let e = decisions_from_json(r#"{"createInCrona": "everyone"}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    assert_eq!(
        e.details()["reason"],
        "expected \"all\" or a list of ids, got \"everyone\" at line 1 column 28"
    );
    let e = decisions_from_json(r#"{"createInHuma": 7}"#).unwrap_err();
    assert_eq!(
        e.details()["reason"],
        "invalid type: integer `7`, expected \"all\" or a list of ids at line 1 column 18"
    );
}
