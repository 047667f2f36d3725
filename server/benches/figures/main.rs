//! `make bench`: the figures that are measurements, not pass/fail checks, built with the release
//! profile and printed one per line:
//! - `rush`: 500 sign-ups at once for 20 seats (the integration tests check it ends exact; this
//!   says how fast), per backend;
//! - `latency`: from sign-up to the confirmation accepted by the mail server, per backend;
//! - `reports`: the report page on 10 schools × 5 years of generated data, per backend.
//!
//! `cargo bench -p server --bench figures [-- rush latency reports] [sqlite|postgres]` runs all
//! or some of them, on both backends or one; PostgreSQL comes from `SKOLEBAENK_TEST_PG_URL`, as for the tests. With
//! `SKOLEBAENK_BENCH_FIGURES=FILE` each figure is also added to `FILE` as a line
//! `name<TAB>value<TAB>unit`, which `scripts/bench.sh` gathers into its table and JSON.

// The integration tests' helpers; the figures use some of them.
#[allow(dead_code, unused_macros)]
#[path = "../../tests/it/common/mod.rs"]
mod common;
mod latency;
mod reports;

use common::Backend;
use common::rush::{PEOPLE, SEATS, rush};

const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

/// Adds one figure to the file named by `SKOLEBAENK_BENCH_FIGURES`, if set.
pub fn record(name: &str, value: f64, unit: &str) {
    use std::io::Write;
    let Ok(path) = std::env::var("SKOLEBAENK_BENCH_FIGURES") else {
        return;
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("the figures file");
    writeln!(file, "{name}\t{value:.1}\t{unit}").expect("write a figure");
}

/// The backend as the figures name it.
pub fn label(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

fn main() {
    // `cargo bench` adds `--bench`; anything else names the figures to take.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let backend_names = ["sqlite", "postgres"];
    let backends: Vec<Backend> = match only.iter().find(|o| backend_names.contains(&o.as_str())) {
        None => BACKENDS.to_vec(),
        Some(_) => BACKENDS
            .into_iter()
            .filter(|b| only.iter().any(|o| o == label(*b)))
            .collect(),
    };
    let figures: Vec<&String> = only
        .iter()
        .filter(|o| !backend_names.contains(&o.as_str()))
        .collect();
    let wants = |name: &str| figures.is_empty() || figures.iter().any(|o| *o == name);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(8)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        if wants("rush") {
            for backend in backends.iter().copied() {
                let took = rush(backend).await;
                let per_second = PEOPLE as f64 / took.as_secs_f64();
                record(&format!("rush.{}", label(backend)), per_second, "sign-ups/s");
                println!(
                    "rush {backend:?}: {PEOPLE} concurrent sign-ups for {SEATS} seats in {:.2} s = {:.0} sign-ups/s, ended exact",
                    took.as_secs_f64(),
                    per_second
                );
            }
        }
        if wants("latency") {
            for backend in backends.iter().copied() {
                latency::measure(backend, 1).await;
                latency::measure(backend, 8).await;
            }
        }
        if wants("reports") {
            for backend in backends.iter().copied() {
                reports::measure(backend).await;
            }
        }
    });
}
