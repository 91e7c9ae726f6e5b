//! Reading Huma's and Crona's real response shapes (fixtures captured from the sandbox, which
//! follows huma-api.md and docs/crona-api.md).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use crona_sync::config::Scope;
use crona_sync::model::{BankAccount, Field};
use crona_sync::{crona, huma};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn user(name: &str) -> crona_sync::model::Person {
    let request = huma::user_details("d".into(), "x");
    huma::read_user_details(&request, &fixture(&format!("huma/user-{name}.json"))).unwrap()
}

#[test]
fn the_scope_becomes_repeated_huma_filters_and_paging() {
    let scope = Scope {
        companies: vec![],
        teams: vec![
            "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d".into(),
            "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b".into(),
        ],
        locations: vec![],
    };
    let r = huma::users_page("p".into(), &scope, 50, 100);
    let q = serde_json::to_value(&r).unwrap();
    assert_eq!(q["path"], "/users");
    assert_eq!(q["query"]["limit"], serde_json::json!(["50"]));
    assert_eq!(q["query"]["offset"], serde_json::json!(["100"]));
    assert_eq!(q["query"]["team"].as_array().unwrap().len(), 2);
    assert!(q["query"].get("company").is_none(), "no empty filters");
}

#[test]
fn a_page_of_users_lists_their_ids() {
    let request = huma::users_page("p".into(), &Scope::default(), 3, 0);
    let (ids, page) = huma::read_users_page(&request, &fixture("huma/users-page.json")).unwrap();
    assert_eq!((page.ids.len(), page.total), (3, Some(38)));
    assert_eq!(ids[1], "3a770ddc-992f-48c3-9fe1-c13b927b3983");
}

#[test]
fn service_users_and_org_units_are_not_people() {
    let body = r#"{"items": [{"id": "a", "type": "user"}, {"id": "b", "type": "service_user"}, {"id": "c", "type": "team"}]}"#;
    let request = huma::users_page("p".into(), &Scope::default(), 50, 0);
    let (ids, page) = huma::read_users_page(&request, body.as_bytes()).unwrap();
    assert_eq!(
        (ids, page.ids),
        (
            vec!["a".to_string()],
            vec!["a".into(), "b".into(), "c".into()]
        )
    );
}

#[test]
fn a_pending_email_change_is_kept_apart_from_the_confirmed_email() {
    let p = user("pendingEmailChange");
    assert_eq!(
        p.values.email.as_deref(),
        Some("ebba.bergqvist@exempelbygg.se")
    );
    assert_eq!(
        p.pending_email.as_deref(),
        Some("ebba.dahlen@exempelbygg.se")
    );
    assert_eq!(p.values.given_name.as_deref(), Some("Ebba"));
    assert_eq!(
        p.values.bank_account,
        Some(BankAccount::Text {
            text: "1930 80 869 43".into()
        })
    );
    assert_eq!(p.values.address.as_ref().unwrap().city, "Örebro");
}

#[test]
fn a_deactivated_user_is_read_as_inactive() {
    let p = user("deactivated");
    assert!(!p.active);
    assert_eq!(
        p.values.address.as_ref().unwrap().line2,
        "",
        "no line2 given"
    );
}

#[test]
fn an_international_bank_account_is_recognised_as_such() {
    let p = user("internationalBankAccount");
    assert_eq!(
        p.values.bank_account,
        Some(BankAccount::International {
            iban: "DK20 1468 8631 4235 62".into()
        })
    );
}

#[test]
fn address_line3_is_kept_apart_because_crona_has_no_place_for_it() {
    let p = user("addressLine3");
    assert_eq!(p.address_line3.as_deref(), Some("c/o Danielsson"));
    assert_eq!(p.values.address.as_ref().unwrap().line1, "Östgötagatan 64");
}

#[test]
fn a_field_huma_marks_not_editable_is_locked() {
    let p = user("notEditable");
    assert_eq!(p.locked, vec![Field::EmploymentId]);
    assert_eq!(p.values.employment_id.as_deref(), Some("1089"));
    assert_eq!(p.positions.len(), 1);
    assert_eq!(
        p.positions[0].title.as_deref(),
        Some("Kundtjänstmedarbetare")
    );
    assert_eq!(p.positions[0].start.as_deref(), Some("2015-04-07"));
}

#[test]
fn empty_values_come_absent_null_or_blank_and_all_read_as_empty() {
    let body = r#"{"id": "u1", "type": "user", "subordinatesCount": 0, "status": {"active": true},
        "email": {"value": "a@b.se", "editable": true},
        "givenName": {"editable": true}, "familyName": {"value": null, "editable": true},
        "phone": {"value": "  ", "editable": true}, "homeAddress": {"value": null, "editable": true}}"#;
    let p =
        huma::read_user_details(&huma::user_details("d".into(), "u1"), body.as_bytes()).unwrap();
    assert_eq!(p.values.given_name, None);
    assert_eq!(p.values.family_name, None);
    assert_eq!(p.values.phone, None);
    assert_eq!(p.values.address, None);
    assert_eq!(p.values.employment_id, None);
}

#[test]
fn positions_are_read_from_their_own_endpoint() {
    let request = huma::positions_page("pos".into(), "u", 100, 0);
    let (positions, page) =
        huma::read_positions_page(&request, 0, &fixture("huma/positions-several.json")).unwrap();
    assert_eq!((page.ids.len(), page.total), (3, Some(3)));
    assert_eq!(positions[1].title.as_deref(), Some("Platschef"));
    assert_eq!(positions[1].end.as_deref(), Some("2023-11-24"));
}

#[test]
fn a_body_that_isnt_json_names_the_request() {
    let request = huma::user_details("d".into(), "u1");
    let e = huma::read_user_details(&request, "<html>Bad gateway</html>".as_bytes()).unwrap_err();
    assert_eq!(e.code(), "malformed_response");
    assert!(
        e.to_string()
            .starts_with("Huma GET /users/u1 returned a response"),
        "{e}"
    );
    assert!(e.to_string().contains("not JSON"), "{e}");
}

#[test]
fn a_body_of_the_wrong_shape_says_what_is_missing() {
    let request = huma::user_details("d".into(), "u1");
    let e = huma::read_user_details(
        &request,
        r#"{"id": "u1", "status": {"active": true}}"#.as_bytes(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "malformed_response");
    assert!(e.to_string().contains("email"), "{e}");
    let e = huma::read_users_page(&request, r#"{"items": "none"}"#.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("Huma's shape"), "{e}");
}

#[test]
fn huma_error_bodies_are_read_for_messages() {
    assert_eq!(
        huma::error_text(
            r#"{"error": "invalid_token", "error_description": "Token expired"}"#.as_bytes()
        )
        .as_deref(),
        Some("Token expired")
    );
    assert_eq!(
        huma::error_text(r#"{"errorCode": "object:not-found", "errorMessage": "User not found", "interpolations": {}}"#.as_bytes()).as_deref(),
        Some("User not found")
    );
    assert_eq!(huma::error_text("<html>".as_bytes()), None);
}

#[test]
fn a_crona_page_reads_employees_with_their_own_field_names() {
    let request = crona::employees_page("c".into(), 1, 3);
    let (people, page) =
        crona::read_employees_page(&request, &fixture("crona/employees-page.json")).unwrap();
    assert_eq!(
        (page.ids, page.total),
        (
            vec!["1002".to_string(), "1003".into(), "1006".into()],
            Some(36)
        )
    );
    let jonas = &people[0];
    assert_eq!(jonas.values.employment_id.as_deref(), Some("1002"));
    assert_eq!(jonas.values.family_name.as_deref(), Some("Åkesson"));
    assert_eq!(jonas.values.address.as_ref().unwrap().country, "Sverige");
    assert_eq!(
        jonas.values.bank_account,
        Some(BankAccount::Split {
            clearing: "1124".into(),
            account: "4091618".into()
        })
    );
    assert_eq!(jonas.position_values.befattning.as_deref(), Some("VD"));
    assert_eq!(jonas.position_values.slutat, Some(false));
    assert_eq!(
        people[1].values.address.as_ref().unwrap().line2,
        "",
        "null Adress2"
    );
}

#[test]
fn a_crona_page_states_the_registers_total() {
    let request = crona::employees_page("c".into(), 2, 2);
    let body = r#"{"items": [{"AnstNr": "9"}], "page": 2, "pageSize": 2, "total": 3}"#;
    let (people, page) = crona::read_employees_page(&request, body.as_bytes()).unwrap();
    assert_eq!((page.total, page.size), (Some(3), Some(2)));
    assert_eq!(people[0].values.given_name, None);
}

#[test]
fn a_crona_employee_without_anstnr_is_a_malformed_page() {
    let request = crona::employees_page("c".into(), 1, 2);
    let e = crona::read_employees_page(
        &request,
        r#"{"items": [{"FoNamn": "Åsa"}], "page": 1, "pageSize": 2, "total": 1}"#.as_bytes(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "malformed_response");
    assert!(e.to_string().contains("AnstNr"), "{e}");
    assert_eq!(
        crona::error_text(
            r#"{"error": {"code": "unauthorized", "message": "Missing API key"}}"#.as_bytes()
        )
        .as_deref(),
        Some("Missing API key")
    );
}

#[test]
fn a_body_that_isnt_utf8_is_malformed_and_says_where() {
    let request = huma::user_details("d".into(), "u1");
    let mut body = fixture("huma/user-addressLine3.json");
    // "Tove" becomes "T\xF6ve": Latin-1's ö, not UTF-8.
    let at = body.windows(4).position(|w| w == b"Tove").unwrap();
    body[at + 1] = 0xF6;
    let e = huma::read_user_details(&request, &body).unwrap_err();
    assert_eq!(e.code(), "malformed_response");
    assert_eq!(
        e.to_string(),
        format!("Huma GET /users/u1 returned a response crona-sync can't read: the body is not UTF-8 text (a bad byte after {} bytes)", at + 1)
    );
    let page = crona::employees_page("c".into(), 1, 3);
    let e =
        crona::read_employees_page(&page, b"{\"items\": [{\"AnstNr\": \"1\xff\"}]}").unwrap_err();
    assert_eq!(e.code(), "malformed_response");
    assert!(
        e.to_string()
            .ends_with("the body is not UTF-8 text (a bad byte after 24 bytes)"),
        "{e}"
    );
}

#[test]
fn a_bad_byte_in_a_field_the_sync_never_reads_still_makes_the_body_unreadable() {
    let body = b"{\"id\": \"u1\", \"status\": {\"active\": true}, \"email\": {\"value\": \"a@b.se\"}, \"gender\": {\"value\": \"\xc3\"}}";
    let e = huma::read_user_details(&huma::user_details("d".into(), "u1"), body).unwrap_err();
    assert_eq!(e.code(), "malformed_response");
    assert!(e.to_string().contains("not UTF-8"), "{e}");
}

#[test]
fn escaped_text_is_read_as_the_characters_it_stands_for() {
    let body = br#"{"id": "u\u0031", "status": {"active": true}, "email": {"value": "a@b.se"},
        "givenName": {"value": "\u00c5sa \"Lill-\u00c5sa\""}, "familyName": {"value": "Ek\u0308"}}"#;
    let p = huma::read_user_details(&huma::user_details("d".into(), "u1"), body).unwrap();
    assert_eq!(p.huma_id.as_deref(), Some("u1"));
    assert_eq!(p.values.given_name.as_deref(), Some("Åsa \"Lill-Åsa\""));
    assert_eq!(p.values.family_name.as_deref(), Some("Ek\u{308}"));
}

#[test]
fn error_bodies_that_arent_utf8_or_json_say_nothing() {
    assert_eq!(huma::error_text(b"{\"errorMessage\": \"\xff\"}"), None);
    assert_eq!(huma::error_code(b"<html>"), None);
    assert_eq!(
        crona::error_code(b"{\"error\": {\"code\": \"\xc3(\"}}"),
        None
    );
    assert_eq!(
        crona::error_code(br#"{"error": {"code": "conflict", "message": 7}}"#).as_deref(),
        Some("conflict")
    );
    assert_eq!(
        crona::error_text(br#"{"error": {"code": "conflict", "message": 7}}"#).as_deref(),
        Some("conflict"),
        "a message that isn't text gives way to the code"
    );
    assert_eq!(
        huma::error_text(br#"{"errorMessage": 404, "message": "Not Found"}"#).as_deref(),
        Some("Not Found")
    );
}
