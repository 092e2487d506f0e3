//! Decoding the largest documented response example (found in the spec, not hard-coded)
//! into its typed response, against `serde_json::from_str::<Value>` of the same body in the
//! same run; prints the ratio.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use iotcloud::aliyun::iot::types::QueryDeviceGroupListResponse;
use serde_json::Value;

/// The largest JSON response example of `aliyun-iot.yaml`: (operation, body).
fn largest_example() -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../api-spec/aliyun-iot.yaml");
    let loaded = iotcloud_spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
    loaded
        .spec
        .operations
        .iter()
        .filter_map(|op| {
            op.examples
                .response
                .as_ref()
                .map(|r| (op.name.clone(), r.json.clone()))
        })
        .max_by_key(|(_, json)| json.len())
        .unwrap_or_else(|| panic!("no response examples"))
}

/// Mean time per call over `iterations`.
fn mean(iterations: u32, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    start.elapsed() / iterations
}

fn bench(c: &mut Criterion) {
    let (operation, body) = largest_example();
    // The typed target below must be the largest example's operation.
    assert_eq!(
        operation, "QueryDeviceGroupList",
        "the largest example changed: update the bench's type"
    );
    let typed: QueryDeviceGroupListResponse =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}"));
    assert!(!typed.data.is_empty(), "the example decodes to groups");

    let mut group = c.benchmark_group(format!("decode {operation} ({} bytes)", body.len()));
    group.bench_function("typed response", |b| {
        b.iter(|| serde_json::from_str::<QueryDeviceGroupListResponse>(black_box(&body)))
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&body)))
    });
    group.finish();

    // The ratio, measured here in alternating rounds so both see the same machine load.
    let (mut typed_total, mut value_total) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..10 {
        typed_total += mean(2_000, || {
            black_box(serde_json::from_str::<QueryDeviceGroupListResponse>(black_box(&body)).ok());
        });
        value_total += mean(2_000, || {
            black_box(serde_json::from_str::<Value>(black_box(&body)).ok());
        });
    }
    println!(
        "ratio typed / Value for {operation}: {:.2} ({:?} vs {:?} per decode)",
        typed_total.as_secs_f64() / value_total.as_secs_f64(),
        typed_total / 10,
        value_total / 10
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
