//! What the generator makes of each service (counts) and how long it takes (what `generate!` does inside rustc): parse the
//! YAML, check, emit, and turn the tokens into text as the compiler would receive them.
//!
//! `cargo run -p iotcloud-codegen --example time_generate` (dev profile, like the proc-macro).

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../api-spec");
    for service in ["aliyun-iot", "aliyun-mqtt", "huawei-oceanconnect"] {
        let path = root.join(format!("{service}.yaml"));
        let runs = 5;
        let mut parse = Duration::ZERO;
        let mut generate = Duration::ZERO;
        let mut stringify = Duration::ZERO;
        let mut size = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let loaded = match iotcloud_spec::load(&path) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(1);
                }
            };
            parse += t.elapsed();
            let t = Instant::now();
            match iotcloud_codegen::generate(&loaded, &iotcloud_codegen::Options::default()) {
                Ok(tokens) => {
                    generate += t.elapsed();
                    let t = Instant::now();
                    size = tokens.to_string().len();
                    stringify += t.elapsed();
                }
                Err(errors) => {
                    errors.iter().for_each(|e| eprintln!("{e}"));
                    std::process::exit(1);
                }
            }
        }
        if let Ok(counts) = iotcloud_spec::load(&path)
            .map_err(|e| vec![e])
            .and_then(|l| iotcloud_codegen::counts(&l))
        {
            println!("{service}: {counts:?}");
        }
        println!(
            "{service}: parse {:?}, check + emit {:?}, stringify {:?} ({} KiB of tokens)",
            parse / runs,
            generate / runs,
            stringify / runs,
            size / 1024
        );
    }
}
