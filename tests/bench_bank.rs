//! `npm run bench` only (ignored by `cargo test`): native bank-account validations per second
//! over the test vectors, written to target/bench/native.json for the summary.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use crona_sync::bank::{validate, Mode};
use serde_json::Value;
use std::hint::black_box;
use std::time::Instant;

#[test]
#[ignore = "a benchmark: run by npm run bench"]
fn bench_bank() {
    let path = format!(
        "{}/tests/fixtures/bank-vectors.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let vectors: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let inputs: Vec<(String, String, Mode)> = vectors
        .iter()
        .map(|v| {
            let mode = if v["lenient"] == Value::Bool(true) {
                Mode::Lenient
            } else {
                Mode::Strict
            };
            (
                v["clearing"].as_str().unwrap_or("").to_string(),
                v["account"].as_str().unwrap_or("").to_string(),
                mode,
            )
        })
        .collect();
    let round = || {
        for (c, a, m) in &inputs {
            black_box(validate(black_box(c), black_box(a), *m));
        }
    };
    // A long warm-up: the first rounds after a build run on a cold machine.
    for _ in 0..500 {
        round();
    }
    let mut rates = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        for _ in 0..100 {
            round();
        }
        rates.push((100 * inputs.len()) as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    let dir = format!("{}/target/bench", env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        format!("{dir}/native.json"),
        serde_json::json!({ "bank_validations_per_s_native": median.round() }).to_string(),
    )
    .unwrap();
    println!("bank_validations_per_s_native = {median:.0}");
}
