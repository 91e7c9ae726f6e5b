//! The bank-account corpus: many inputs with their full results, stored in
//! tests/fixtures/bank-corpus.json. The native build must reproduce it exactly here; the wasm
//! build must reproduce it in tests/wasm.rs (Node and Chromium) and through the npm package in
//! tests/js/bank.test.js. So native, wasm and JS give identical results.
//!
//! Regenerate after an intended change with `UPDATE_SNAPSHOTS=1 cargo test --test bank_corpus`
//! and review the diff.
#![cfg(not(target_arch = "wasm32"))]
// Test helpers outside #[test] fns index and unwrap freely; a panic is a test failure here.
#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use crona_sync::bank::clearing::RANGES;
use crona_sync::bank::{parse, validate, Mode};
use serde_json::{json, Value};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/bank-corpus.json"
);

/// A small deterministic generator (xorshift64*), so the corpus never changes by accident.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + (self.next() % 10) as u8))
            .collect()
    }
}

fn inputs() -> Vec<Value> {
    let mut rng = Rng(0x5EED_CAFE_F00D_u64);
    let mut out = Vec::new();
    let mut pair = |c: &str, a: &str, lenient: bool| {
        out.push(json!({ "clearing": c, "account": a, "lenient": lenient }))
    };
    for r in RANGES {
        if r.max == 0 {
            pair(&r.from.to_string(), &rng.digits(7), false);
            continue;
        }
        for (clearing, last_digits) in [(r.from, 0..10), (r.to, 0..3)] {
            let c = clearing.to_string();
            for len in [r.min, r.max] {
                let body = rng.digits(usize::from(len) - 1);
                // Every last digit at the first clearing: one or two pass, the rest fail.
                for d in last_digits.clone() {
                    pair(&c, &format!("{body}{d}"), d % 3 == 0);
                }
            }
            pair(&c, &rng.digits(usize::from(r.max) + 1), true);
            pair(&c, &format!("00{}", rng.digits(usize::from(r.max))), false);
            pair(&c, &rng.digits(3), true);
        }
    }
    for (c, a) in [
        ("", ""),
        (" ", "1"),
        ("8327-9", "014 725 892-5"),
        ("8327\u{a0}9", "014.725.892\u{2013}5"),
        ("83271", "0147258925"),
        ("0000", "1234567"),
        ("06114", "517182351"),
        ("8214", "99234726124"),
        ("9999", "1234567"),
        ("2101", "1234564"),
        ("<script>", "alert(1)"),
        ("８３２７", "0147258925"),
        ("1234", "\u{0}"),
        ("12345678901234567890", "1"),
        ("8327", "0147258925\n"),
    ] {
        pair(c, a, false);
        pair(c, a, true);
    }
    let mut text = |t: &str, lenient: bool| out.push(json!({ "text": t, "lenient": lenient }));
    for t in [
        "8327-9, 014 725 892-5",
        "6114 517182351",
        "3300-8411283941",
        "5402-0012345",
        "832790147258925",
        "8424, 39984109",
        "SE55 8000 0832 7901 4725 8925",
        "se4112000000012740235305",
        "SE4212000000012740235305",
        "NO9386011117947",
        "SE12",
        "",
        "abc",
        "8327 9123456",
        "IBAN SE55",
        "SE5860000000000517182351",
        "SE9530000000001010101010",
        "😀",
        "9960 18 4174058",
    ] {
        text(t, false);
        text(t, true);
    }
    out.extend(fixture_inputs());
    out
}

/// The inputs of the hand-assembled vector files, when present.
fn fixture_inputs() -> Vec<Value> {
    let read = |name: &str| -> Vec<Value> {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path)
            .ok()
            .and_then(|s| serde_json::from_str::<Vec<Value>>(&s).ok())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for v in read("bank-vectors.json") {
        out.push(
            json!({ "clearing": v["clearing"], "account": v["account"], "lenient": v["lenient"] }),
        );
    }
    for v in read("bank-single-field.json") {
        out.push(json!({ "text": v["input"], "lenient": v.get("lenient").cloned().unwrap_or(json!(false)) }));
    }
    out
}

fn run(input: &Value) -> Value {
    let mode = if input["lenient"] == json!(true) {
        Mode::Lenient
    } else {
        Mode::Strict
    };
    let s = |k: &str| input[k].as_str().unwrap_or_default().to_string();
    if input.get("text").is_some() {
        serde_json::to_value(parse(&s("text"), mode)).unwrap()
    } else {
        serde_json::to_value(validate(&s("clearing"), &s("account"), mode)).unwrap()
    }
}

#[test]
fn the_native_build_reproduces_the_stored_corpus() {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        let corpus: Vec<Value> = inputs()
            .into_iter()
            .map(|input| json!({ "input": input.clone(), "result": run(&input) }))
            .collect();
        // One entry a line, so a change reads as a short diff.
        let lines: Vec<String> = corpus
            .iter()
            .map(|e| serde_json::to_string(e).unwrap())
            .collect();
        std::fs::write(PATH, format!("[\n{}\n]\n", lines.join(",\n"))).unwrap();
    }
    let stored: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    assert!(stored.len() > 1000, "the corpus is large: {}", stored.len());
    let valid = stored
        .iter()
        .filter(|e| e["result"]["valid"] == json!(true))
        .count();
    assert!(
        valid > 200 && valid < stored.len() - 200,
        "both verdicts are well represented: {valid}"
    );
    for entry in &stored {
        assert_eq!(
            run(&entry["input"]),
            entry["result"],
            "input {}",
            entry["input"]
        );
    }
}
