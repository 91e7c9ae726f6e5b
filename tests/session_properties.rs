//! Properties of the session over generated data.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::*;
use crona_sync::request::HttpResponse;
use crona_sync::SyncSession;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Phone formats that all mean the same Swedish mobile number.
fn phone_formats(digits: &str) -> [String; 4] {
    let (a, b) = (&digits[..2], &digits[2..]);
    [
        format!("07{a}-{b}"),
        format!("+46 7{a} {b}"),
        format!("07{a}{b}"),
        format!("+467{a}{b}"),
    ]
}

prop_compose! {
    fn person()(i in 0u32..10_000, given in "[A-ZÅÄÖ][a-zåäö]{1,8}", family in "[A-ZÅÄÖ][a-zåäö]{1,10}",
                digits in "[0-9]{8}", fmt_h in 0usize..4, fmt_c in 0usize..4, upper in any::<bool>())
                -> (Value, Value) {
        let email = format!("p{i}@exempel.se");
        let mut h = huma_user(&uuid(i), &given, &family, &email);
        set_huma(&mut h, "employmentId", json!(i.to_string()));
        set_huma(&mut h, "phone", json!(phone_formats(&digits)[fmt_h]));
        let crona_email = if upper { email.to_uppercase() } else { email };
        let mut c = crona_employee(&i.to_string(), &given, &family, &crona_email);
        c["Mobil"] = json!(phone_formats(&digits)[fmt_c]);
        (h, c)
    }
}

fn world(people: Vec<(Value, Value)>) -> World {
    let mut seen = std::collections::BTreeSet::new();
    let people: Vec<_> = people
        .into_iter()
        .filter(|(h, _)| seen.insert(h["id"].to_string()))
        .collect();
    World {
        huma: people.iter().map(|p| p.0.clone()).collect(),
        crona: people.iter().map(|p| p.1.clone()).collect(),
    }
}

fn preview(w: &World, reverse: bool) -> Value {
    let mut s = SyncSession::new(config(json!({"options": {"pageSize": 7}}))).unwrap();
    w.clone().drive(&mut s, reverse).unwrap();
    serde_json::to_value(s.preview().unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]

    #[test]
    fn identical_people_written_differently_have_no_differences(people in proptest::collection::vec(person(), 1..30)) {
        let w = world(people);
        let p = preview(&w, false);
        prop_assert_eq!(&p["differences"], &json!([]));
        prop_assert_eq!(&p["counts"]["matched"], &json!(w.huma.len()));
    }

    #[test]
    fn the_preview_is_the_same_whatever_order_answers_arrive_in(people in proptest::collection::vec(person(), 1..30), rename in 0usize..30) {
        let mut w = world(people);
        let i = rename % w.crona.len();
        w.crona[i]["EfNamn"] = json!("Annorlunda");
        prop_assert_eq!(preview(&w, false), preview(&w, true));
    }

    #[test]
    fn the_side_that_changed_since_the_baseline_is_the_suggestion(old in "[0-9]{8}", new in "[0-9]{8}", huma_changed in any::<bool>()) {
        prop_assume!(old != new);
        let (mut h, mut c) = (huma_user(&uuid(1), "Åsa", "Öberg", "a@x.se"), crona_employee("1", "Åsa", "Öberg", "a@x.se"));
        set_huma(&mut h, "employmentId", json!("1"));
        let (hp, cp) = if huma_changed { (&new, &old) } else { (&old, &new) };
        set_huma(&mut h, "phone", json!(format!("07{hp}")));
        c["Mobil"] = json!(format!("07{cp}"));
        let state = json!({"activatedAt": "2026-01-01T00:00:00Z", "baseline": {uuid(1): {"fields": {"phone": format!("+467{old}")}}}});
        let w = World { huma: vec![h], crona: vec![c] };
        let mut s = SyncSession::new(config(json!({"state": state}))).unwrap();
        w.clone().drive(&mut s, false).unwrap();
        let p = serde_json::to_value(s.preview().unwrap()).unwrap();
        prop_assert_eq!(&p["differences"][0]["suggestion"], &json!(if huma_changed { "huma" } else { "crona" }));
    }

    #[test]
    fn any_response_body_is_handled_without_a_panic(bodies in proptest::collection::vec(".{0,200}", 2), statuses in proptest::collection::vec(prop_oneof![Just(200u16), 0u16..600], 2)) {
        let mut s = SyncSession::new(config(json!({}))).unwrap();
        let requests = s.poll();
        let answers: Vec<HttpResponse> = requests.iter().zip(bodies.iter().zip(statuses.iter()))
            .map(|(r, (b, st))| HttpResponse { id: r.id.clone(), status: *st, body: b.clone().into(), error: None })
            .collect();
        let _ = s.handle(&answers);
        let _ = s.preview();
        let _ = s.poll();
    }

    #[test]
    fn json_of_the_wrong_shape_never_panics(v in json_value()) {
        for id in ["huma:users:0", "crona:employees:1"] {
            let mut s = SyncSession::new(config(json!({}))).unwrap();
            let _ = s.poll();
            let _ = s.handle(&[HttpResponse { id: id.into(), status: 200, body: v.to_string().into(), error: None }]);
        }
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from)
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("items".to_string()),
                    Just("id".to_string()),
                    Just("page".to_string()),
                    Just("AnstNr".to_string()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
