//! Load measurements of the emulator (a bench binary, not a test: it prints figures).
//!
//! - `cargo run -p iotcloud-emulator --example load -- scale [DEVICES] [REQUESTS]`: startup time
//!   and state-file size of a `--data-dir` holding DEVICES devices (100,000 by default), then
//!   QueryDeviceDetail (by ProductKey + DeviceName) and QueryDevice paging throughput against
//!   it and against an emulator holding one page (50 devices).
//! - `cargo run -p iotcloud-emulator --example load -- nonce-flood [SECONDS]`: resident memory
//!   while signed requests with unique nonces arrive for SECONDS (60 by default).

use futures::StreamExt;
use iotcloud_emulator::auth::signature;
use iotcloud_emulator::state::{Device, Product, State};
use iotcloud_emulator::Emulator;
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 8;
const PRODUCT_KEY: &str = "a1BenchProd";

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: u64| {
        args.get(i)
            .and_then(|a| a.parse::<u64>().ok())
            .unwrap_or(default)
    };
    match args.first().map(String::as_str) {
        Some("scale") => scale(number(1, 100_000), number(2, 3000)).await,
        Some("nonce-flood") => nonce_flood(Duration::from_secs(number(1, 60))).await,
        _ => Err("usage: load scale [DEVICES] [REQUESTS] | load nonce-flood [SECONDS]".into()),
    }
}

/// A signed POST body for `action` with a fresh nonce (the emulator's own signer: this measures
/// the server, not signing).
fn signed_body(e: &Emulator, action: &str, extra: &[(&str, String)], nonce: u64) -> String {
    let key = &e.credentials().access_keys[0];
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let now = time::OffsetDateTime::now_utc()
        .format(&f)
        .unwrap_or_default();
    let mut params: Vec<(String, String)> = [
        ("Action", action.to_string()),
        ("Format", "JSON".into()),
        ("Version", "2018-01-20".into()),
        ("AccessKeyId", key.id.clone()),
        ("SignatureMethod", "HMAC-SHA1".into()),
        ("SignatureVersion", "1.0".into()),
        (
            "SignatureNonce",
            format!("load-{}-{nonce}", std::process::id()),
        ),
        ("Timestamp", now),
        ("RegionId", "cn-shanghai".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .chain(extra.iter().map(|(k, v)| (k.to_string(), v.clone())))
    .collect();
    let sig = signature::signature(&key.secret, &signature::string_to_sign("POST", &params));
    params.push(("Signature".into(), sig));
    params
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                signature::percent_encode(k),
                signature::percent_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Send `bodies` with CONCURRENCY in flight; requests per second. Every answer must be 200.
async fn throughput(e: &Emulator, bodies: Vec<String>) -> Result<f64, String> {
    let http = reqwest::Client::new();
    let url = format!("{}/", e.base_url());
    let count = bodies.len();
    let started = Instant::now();
    let results: Vec<Result<u16, String>> = futures::stream::iter(bodies)
        .map(|body| {
            let http = http.clone();
            let url = url.clone();
            async move {
                let resp = http
                    .post(url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                let status = resp.status().as_u16();
                let text = resp.text().await.unwrap_or_default();
                if status != 200 {
                    return Err(format!("{status} {text}"));
                }
                Ok(status)
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let elapsed = started.elapsed().as_secs_f64();
    let bad = results.iter().filter(|r| !matches!(r, Ok(200))).count();
    if bad > 0 {
        return Err(format!(
            "{bad} of {count} requests failed: {:?}",
            results.iter().find(|r| !matches!(r, Ok(200)))
        ));
    }
    Ok(count as f64 / elapsed)
}

fn state_with(devices: u64) -> State {
    let mut state = State::default();
    state.products.insert(
        PRODUCT_KEY.into(),
        Product {
            product_key: PRODUCT_KEY.into(),
            product_name: "bench".into(),
            product_secret: "bench-product-secret".into(),
            gmt_create: 1_700_000_000_000,
            ..Product::default()
        },
    );
    for i in 0..devices {
        state.insert_device(Device {
            iot_id: format!("benchIotId{i:010}"),
            product_key: PRODUCT_KEY.into(),
            device_name: format!("device{i}"),
            device_secret: format!("secret{i:026}"),
            status: "UNACTIVE".into(),
            gmt_create: 1_700_000_000_000 + i as i64,
            created: i,
            ..Device::default()
        });
    }
    state.next_id = devices + 1;
    state
}

/// Throughput of both queries against an emulator holding `devices` devices (from a data dir).
async fn measure(devices: u64, requests: u64) -> Result<(f64, f64), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let bytes = serde_json::to_vec(&state_with(devices)).map_err(|e| e.to_string())?;
    let path = dir.path().join(iotcloud_emulator::persist::STATE_FILE);
    std::fs::write(&path, &bytes).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let e = Emulator::builder()
        .throttling(false)
        .data_dir(dir.path())
        .start()
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "{devices} devices: state file {:.1} MB, startup {:.2} s",
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let pages = (devices / 50).max(1);
    let detail: Vec<String> = (0..requests)
        .map(|n| {
            let name = format!("device{}", (n * 7919) % devices);
            signed_body(
                &e,
                "QueryDeviceDetail",
                &[("ProductKey", PRODUCT_KEY.into()), ("DeviceName", name)],
                n,
            )
        })
        .collect();
    let detail_rate = throughput(&e, detail).await?;
    let paging: Vec<String> = (0..requests)
        .map(|n| {
            let page = 1 + (n * 31) % pages;
            signed_body(
                &e,
                "QueryDevice",
                &[
                    ("ProductKey", PRODUCT_KEY.into()),
                    ("CurrentPage", page.to_string()),
                    ("PageSize", "50".into()),
                ],
                requests + n,
            )
        })
        .collect();
    let paging_rate = throughput(&e, paging).await?;
    println!("  QueryDeviceDetail {detail_rate:.0} req/s, QueryDevice (50 a page) {paging_rate:.0} req/s");
    e.shutdown().await;
    Ok((detail_rate, paging_rate))
}

async fn scale(devices: u64, requests: u64) -> Result<(), String> {
    // The baseline holds one full page (50), so both answer pages of the same size.
    let (empty_detail, empty_paging) = measure(50, requests).await?;
    let (full_detail, full_paging) = measure(devices, requests).await?;
    println!(
        "ratio with {devices} devices to 50 devices: QueryDeviceDetail {:.0}%, QueryDevice {:.0}%",
        100.0 * full_detail / empty_detail,
        100.0 * full_paging / empty_paging
    );
    Ok(())
}

/// Resident set size in kB (Linux).
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

async fn nonce_flood(duration: Duration) -> Result<(), String> {
    let e = Emulator::builder()
        .throttling(false)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    let warm = (0..200)
        .map(|n| {
            signed_body(
                &e,
                "QueryProductList",
                &[("CurrentPage", "1".into()), ("PageSize", "10".into())],
                n,
            )
        })
        .collect();
    throughput(&e, warm).await?;
    let before = rss_kb();
    let started = Instant::now();
    let mut sent = 200u64;
    while started.elapsed() < duration {
        let batch: Vec<String> = (sent..sent + 2000)
            .map(|n| {
                signed_body(
                    &e,
                    "QueryProductList",
                    &[("CurrentPage", "1".into()), ("PageSize", "10".into())],
                    n,
                )
            })
            .collect();
        throughput(&e, batch).await?;
        sent += 2000;
        println!(
            "  {:>5.1} s: {sent} unique nonces, RSS {} kB",
            started.elapsed().as_secs_f64(),
            rss_kb()
        );
    }
    let after = rss_kb();
    let grown = after.saturating_sub(before);
    println!(
        "{sent} unique nonces in {:.1} s: RSS {before} kB -> {after} kB (+{grown} kB, {:.0} bytes a nonce)",
        started.elapsed().as_secs_f64(),
        grown as f64 * 1024.0 / (sent - 200) as f64
    );
    e.shutdown().await;
    Ok(())
}
