//! The long decoder fuzz run: `cargo run --release -p iotcloud-tests --example decoder_fuzz
//! -- [cases] [seed]` (default 1,000,000 cases). Prints the count, time, panics and peak RSS;
//! exits non-zero on any panic.

#[path = "../tests/fuzz/engine.rs"]
mod engine;

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let cases: u64 = match args.next().map(|a| a.replace('_', "").parse()) {
        None => 1_000_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("cases must be a whole number: {e}");
            return ExitCode::from(2);
        }
    };
    let seed: u64 = match args.next().map(|a| a.parse()) {
        None => 0x1077_c10d,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("seed must be a whole number: {e}");
            return ExitCode::from(2);
        }
    };
    let seeds = engine::seeds();
    let started = Instant::now();
    let report = engine::run(&seeds, cases, seed);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "decoder fuzz: {} cases over {} operations in {secs:.1} s ({:.0} cases/s), seed {seed}\n  \
         decoded {}, refused {}, panics {}\n  per family {:?}\n  largest body {} bytes, \
         {} bodies of 10 MB, peak RSS {} KiB",
        report.cases,
        seeds.len(),
        report.cases as f64 / secs,
        report.decoded,
        report.refused,
        report.panics.len(),
        engine::MUTATIONS
            .iter()
            .zip(report.per_mutation)
            .collect::<Vec<_>>(),
        report.largest_body,
        report.ten_mb_bodies,
        engine::peak_rss_kib().unwrap_or(0)
    );
    for p in report.panics.iter().take(20) {
        println!("PANIC {p}");
    }
    if report.panics.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
