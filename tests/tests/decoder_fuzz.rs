//! Decoder fuzzing, the short CI run: every response decoder of every operation meets every
//! mutation family (see `fuzz/engine.rs`); no case may panic and memory stays bounded. The
//! long run is `cargo run --release -p iotcloud-tests --example decoder_fuzz -- <cases>`.

#[path = "fuzz/engine.rs"]
mod engine;

#[test]
fn every_response_decoder_survives_mutated_bodies() {
    let seeds = engine::seeds();
    assert_eq!(
        seeds.len(),
        93,
        "89 IoT + 1 MQTT + 3 OceanConnect operations"
    );
    // Three rounds of every (operation, family) pair.
    let cases = (seeds.len() * engine::MUTATIONS.len() * 3) as u64;
    let report = engine::run(&seeds, cases, 0x1077_c10d);
    println!(
        "decoder fuzz: {} cases, {} decoded, {} refused, {} panics, largest body {} bytes, \
         {} bodies of 10 MB, peak RSS {:?} KiB",
        report.cases,
        report.decoded,
        report.refused,
        report.panics.len(),
        report.largest_body,
        report.ten_mb_bodies,
        engine::peak_rss_kib()
    );
    assert!(
        report.panics.is_empty(),
        "{} decoder panics:\n{}",
        report.panics.len(),
        report.panics.join("\n")
    );
    assert_eq!(report.cases, cases);
    assert!(
        report.per_mutation.iter().all(|&n| n >= seeds.len() as u64),
        "every family reaches every operation: {:?}",
        report.per_mutation
    );
    // The mutations must not be so destructive that nothing decodes, nor so mild that
    // nothing is refused: both paths of every decoder are exercised.
    assert!(report.decoded > cases / 20, "{report:?}");
    assert!(report.refused > cases / 20, "{report:?}");
    if let Some(kib) = engine::peak_rss_kib() {
        assert!(
            kib < 1024 * 1024,
            "peak RSS {kib} KiB: memory is not bounded"
        );
    }
}

/// The mutators themselves do what they claim (so a clean run means something).
#[test]
fn mutations_produce_what_they_name() {
    let seeds = engine::seeds();
    let seed = seeds
        .iter()
        .find(|s| s.operation == "QueryDeviceDetail")
        .expect("QueryDeviceDetail is in the spec");
    let mut rng = engine::Rng::new(7);
    let mut saw_deep = false;
    let mut saw_huge_number = false;
    let mut saw_truncated = false;
    for _ in 0..200 {
        let deep = engine::case(seed, engine::Mutation::DeepNesting, &mut rng);
        saw_deep |= deep.contains(&"[".repeat(129)) || deep.contains(&"{\"a\":".repeat(129));
        let num = engine::case(seed, engine::Mutation::ExtremeNumber, &mut rng);
        saw_huge_number |= num.contains("18446744073709551616");
        let cut = engine::case(seed, engine::Mutation::Truncate, &mut rng);
        saw_truncated |= serde_json::from_str::<serde_json::Value>(&cut).is_err();
    }
    assert!(saw_deep && saw_huge_number && saw_truncated);
    let dup = engine::case(
        seed,
        engine::Mutation::DuplicateKeys,
        &mut engine::Rng::new(1),
    );
    assert!(
        dup.matches("\"RequestId\"").count() >= 2 || dup.matches("\":").count() > 10,
        "{dup}"
    );
}
