//! The assembled vector set: published examples and test-suite cases of the spec's sources,
//! plus generated numbers, each with the verdict bank-accounts.md gives (tests/fixtures/).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::indexing_slicing, clippy::unwrap_used)]

use crona_sync::bank::{parse, validate, Mode};
use serde_json::Value;

fn load(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn codes(issues: &[crona_sync::bank::Issue]) -> Vec<String> {
    issues.iter().map(|i| i.code.to_string()).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map_or_else(Vec::new, |a| {
        a.iter().map(|s| s.as_str().unwrap().to_string()).collect()
    })
}

#[test]
fn every_vector_gets_the_verdict_and_normal_forms_the_spec_gives() {
    let vectors = load("bank-vectors.json");
    assert!(vectors.len() >= 150, "{} vectors", vectors.len());
    let mut failures = Vec::new();
    for v in &vectors {
        let mode = if v["lenient"] == Value::Bool(true) {
            Mode::Lenient
        } else {
            Mode::Strict
        };
        let r = validate(
            v["clearing"].as_str().unwrap(),
            v["account"].as_str().unwrap(),
            mode,
        );
        let mut wrong = Vec::new();
        let mut check = |what: &str, got: Value, want: &Value| {
            if !(want.is_null() && got.is_null()) && &got != want {
                wrong.push(format!("{what}: got {got}, want {want}"));
            }
        };
        check("valid", r.valid.into(), &v["valid"]);
        check(
            "errors",
            codes(&r.errors).into(),
            &strings(&v["errors"]).into(),
        );
        check(
            "warnings",
            codes(&r.warnings).into(),
            &strings(&v["warnings"]).into(),
        );
        if r.valid {
            check("bank", r.bank.into(), &v["bank"]);
            check("type", r.account_type.into(), &v["type"]);
            check("clearing", r.clearing.into(), &v["clearing4"]);
            check(
                "clearingCheckDigit",
                r.clearing_check_digit.into(),
                &v["clearingCheckDigit"],
            );
            check("account", r.account.into(), &v["accountNormalized"]);
            check("bban16", r.bban16.into(), &v["bban16"]);
            check("iban", r.iban.into(), &v["iban"]);
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{} / {} (lenient {}; {}): {}",
                v["clearing"],
                v["account"],
                v["lenient"],
                v["source"],
                wrong.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors disagree:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}

#[test]
fn every_single_field_vector_is_split_and_judged_as_expected() {
    let cases = load("bank-single-field.json");
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let mode = if c["lenient"] == Value::Bool(true) {
            Mode::Lenient
        } else {
            Mode::Strict
        };
        let p = parse(c["input"].as_str().unwrap(), mode);
        let mut wrong = Vec::new();
        if Value::Bool(p.result.valid) != c["valid"] {
            wrong.push(format!(
                "valid {} ({:?})",
                p.result.valid,
                codes(&p.result.errors)
            ));
        }
        if p.result.valid {
            let split = p
                .input
                .as_ref()
                .map(|s| (s.clearing.clone(), s.account.clone()));
            let want = (
                c["clearing"].as_str().map(String::from),
                c["account"].as_str().map(String::from),
            );
            if let (Some(cl), Some(ac)) = want {
                if split != Some((cl.clone(), ac.clone())) {
                    wrong.push(format!("split {split:?}, want ({cl}, {ac})"));
                }
            }
        } else if let Some(code) = c["expectedError"].as_str() {
            if codes(&p.result.errors) != [code] {
                wrong.push(format!("errors {:?}, want {code}", codes(&p.result.errors)));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{} ({}): {}",
                c["input"],
                c["note"],
                wrong.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
