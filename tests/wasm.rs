//! The JS boundary, run in Node and in headless Chromium by wasm-bindgen-test-runner.
#![cfg(target_arch = "wasm32")]
// wasm_bindgen_test functions are tests, but clippy only knows #[test].
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crona_sync::wasm::{check_config, version};
use js_sys::{Error, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

#[wasm_bindgen_test]
fn version_matches_the_crate() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn a_checked_config_arrives_as_a_plain_object_with_defaults() {
    let out =
        check_config(r#"{"today": "2026-11-25", "now": "2026-11-25T09:30:00+01:00"}"#).unwrap();
    assert!(!out.is_instance_of::<js_sys::Map>());
    assert_eq!(get(&out, "today"), "2026-11-25");
    assert_eq!(get(&get(&out, "options"), "pageSize"), 50);
    assert_eq!(get(&get(&out, "options"), "massChangeShare"), 0.2);
}

#[wasm_bindgen_test]
fn a_core_error_arrives_as_a_js_error_with_code_and_details() {
    let thrown =
        check_config(r#"{"today": "2026-02-30", "now": "2026-02-28T10:00:00Z"}"#).unwrap_err();
    let error: &Error = thrown.dyn_ref::<Error>().expect("a real JS Error");
    assert_eq!(error.name(), "CronaSyncError");
    assert_eq!(get(&thrown, "code"), "invalid_config");
    assert_eq!(get(&get(&thrown, "details"), "field"), "today");
    let message: String = error.message().into();
    assert!(message.contains("2026-02-30"), "{message}");
}

#[wasm_bindgen_test]
fn a_non_object_config_is_an_invalid_argument() {
    for bad in ["undefined", "null", "\"today\"", "42", "{"] {
        let thrown = check_config(bad).unwrap_err();
        assert_eq!(get(&thrown, "code"), "invalid_argument");
    }
}

#[wasm_bindgen_test]
fn a_value_of_the_wrong_type_names_the_problem() {
    let thrown = check_config(
        r#"{"today": "2026-11-25", "now": "2026-11-25T09:30:00Z", "options": {"autoCreate": "yes"}}"#,
    )
    .unwrap_err();
    assert_eq!(get(&thrown, "code"), "invalid_config");
}

#[wasm_bindgen_test]
fn an_unknown_key_is_refused_across_the_boundary_too() {
    let thrown =
        check_config(r#"{"today": "2026-11-25", "now": "2026-11-25T09:30:00Z", "extra": 1}"#)
            .unwrap_err();
    assert_eq!(get(&thrown, "code"), "invalid_config");
}

#[wasm_bindgen_test]
fn the_wasm_build_reproduces_the_native_bank_corpus() {
    use crona_sync::wasm::{parse_bank_account, validate_bank_account};
    use serde_json::Value;
    let corpus: Vec<Value> =
        serde_json::from_str(include_str!("fixtures/bank-corpus.json")).unwrap();
    assert!(corpus.len() > 1000);
    for entry in &corpus {
        let input = &entry["input"];
        let lenient = input["lenient"] == Value::Bool(true);
        let s = |k: &str| input[k].as_str().unwrap_or_default().to_string();
        let js = if input.get("text").is_some() {
            parse_bank_account(&s("text"), lenient)
        } else {
            validate_bank_account(&s("clearing"), &s("account"), lenient)
        }
        .unwrap();
        let text: String = js_sys::JSON::stringify(&js).unwrap().into();
        let got: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(got, entry["result"], "input {input}");
    }
}

#[wasm_bindgen_test]
fn the_exported_session_polls_plain_requests_and_reports_fetch_errors_as_cronasyncerror() {
    use crona_sync::wasm::JsSyncSession;
    let mut s =
        JsSyncSession::new(r#"{"today": "2026-11-25", "now": "2026-11-25T10:00:00Z"}"#).unwrap();
    assert_eq!(s.phase(), "fetching");
    let requests = s.poll().unwrap();
    let array: &js_sys::Array = requests.dyn_ref().unwrap();
    assert_eq!(array.length(), 2);
    let first = array.get(0);
    assert_eq!(get(&first, "path"), "/users");
    assert_eq!(get(&first, "method"), "GET");
    let id = get(&first, "id");
    let answer = js_sys::JSON::parse(&format!(
        r#"[{{"id": {}, "status": 200, "body": "not json", "headers": {{}}, "attempts": 1}}]"#,
        js_sys::JSON::stringify(&id).unwrap().as_string().unwrap()
    ))
    .unwrap();
    let thrown = s.handle(answer).unwrap_err();
    assert_eq!(thrown.dyn_ref::<Error>().unwrap().name(), "CronaSyncError");
    assert_eq!(get(&thrown, "code"), "malformed_response");
    assert_eq!(get(&get(&thrown, "details"), "request"), "Huma GET /users");
    assert_eq!(s.phase(), "failed");
}

/// The session's first request and an answer to it with this body.
fn first_answer(s: &mut crona_sync::wasm::JsSyncSession, body: &JsValue) -> JsValue {
    let requests = s.poll().unwrap();
    let first = requests.dyn_ref::<js_sys::Array>().unwrap().get(0);
    let answer = js_sys::Object::new();
    Reflect::set(&answer, &"id".into(), &get(&first, "id")).unwrap();
    Reflect::set(&answer, &"status".into(), &200.into()).unwrap();
    Reflect::set(&answer, &"body".into(), body).unwrap();
    js_sys::Array::of1(&answer).into()
}

#[wasm_bindgen_test]
fn a_body_arrives_as_the_bytes_off_the_wire() {
    use crona_sync::wasm::JsSyncSession;
    let mut s =
        JsSyncSession::new(r#"{"today": "2026-11-25", "now": "2026-11-25T10:00:00Z"}"#).unwrap();
    let page = r#"{"total": 1, "items": [{"id": "0b6f5a2e", "type": "user"}]}"#;
    let bytes = js_sys::Uint8Array::from(page.as_bytes());
    let answer = first_answer(&mut s, &bytes.into());
    s.handle(answer).unwrap();
    let next = s.poll().unwrap();
    let next: &js_sys::Array = next.dyn_ref().unwrap();
    let paths: Vec<String> = next
        .iter()
        .map(|r| get(&r, "path").as_string().unwrap())
        .collect();
    assert!(paths.contains(&"/users/0b6f5a2e".to_string()), "{paths:?}");
}

#[wasm_bindgen_test]
fn bytes_that_arent_utf8_are_a_malformed_response() {
    use crona_sync::wasm::JsSyncSession;
    let mut s =
        JsSyncSession::new(r#"{"today": "2026-11-25", "now": "2026-11-25T10:00:00Z"}"#).unwrap();
    let bytes = js_sys::Uint8Array::from(&b"{\"items\": [], \"total\": 0, \"x\": \"\xc5\"}"[..]);
    let answer = first_answer(&mut s, &bytes.into());
    let thrown = s.handle(answer).unwrap_err();
    assert_eq!(get(&thrown, "code"), "malformed_response");
    let message: String = thrown.dyn_ref::<Error>().unwrap().message().into();
    assert_eq!(
        message,
        "Huma GET /users returned a response crona-sync can't read: the body is not UTF-8 text (a bad byte after 32 bytes)"
    );
    assert_eq!(s.phase(), "failed");
}

#[wasm_bindgen_test]
fn responses_of_the_wrong_shape_are_an_invalid_argument() {
    use crona_sync::wasm::JsSyncSession;
    let mut s =
        JsSyncSession::new(r#"{"today": "2026-11-25", "now": "2026-11-25T10:00:00Z"}"#).unwrap();
    for bad in [
        JsValue::from("x"),
        JsValue::NULL,
        js_sys::JSON::parse(r#"[{"id": 1}]"#).unwrap(),
        js_sys::JSON::parse(r#"[{"id": "huma:users:0"}]"#).unwrap(),
        js_sys::JSON::parse(r#"[{"id": "huma:users:0", "status": 200, "body": 7}]"#).unwrap(),
        js_sys::JSON::parse(r#"[{"id": "huma:users:0", "status": 200, "body": [123]}]"#).unwrap(),
        js_sys::JSON::parse(r#"[{"id": "huma:users:0", "status": 200.5, "body": ""}]"#).unwrap(),
    ] {
        assert_eq!(get(&s.handle(bad).unwrap_err(), "code"), "invalid_argument");
    }
}

#[wasm_bindgen_test]
fn text_is_compared_in_nfc_in_wasm_too_where_the_javascript_engine_composes_it() {
    use crona_sync::normalize::text;
    assert_eq!(text("A\u{30a}sa "), "Åsa", "A + combining ring is Å");
    assert_eq!(text("\u{212b}ke"), "Åke", "the Ångström sign is Å");
    assert_eq!(text("Rene\u{301}e"), "Renée");
    assert_eq!(text("Örjan Öberg"), "Örjan Öberg", "already NFC: unchanged");
}
