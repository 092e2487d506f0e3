//! `--dry-run`: the exact signed request, secrets never printed. The snapshot masks the
//! per-call values (timestamp, nonce, signature); the signature is checked separately by an
//! independent implementation of section 2.5 of the guide.

mod common;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha1::Sha1;

fn dry_run(args: &[&str]) -> Value {
    let out = common::bare()
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret")
        .args([
            "--endpoint",
            "http://127.0.0.1:9",
            "--region",
            "cn-shanghai",
            "--access-key-id",
            "testid",
        ])
        .args(args)
        .args(["--dry-run", "--output", "pretty"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !stdout.contains("testsecret"),
        "the secret is never printed"
    );
    serde_json::from_str(&stdout).expect("dry-run prints JSON")
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn pairs(encoded: &str) -> Vec<(String, String)> {
    encoded
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// RFC 3986 as the guide defines it: unreserved bytes kept, everything else `%XY`.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn query_device_dry_run() {
    let req = dry_run(&[
        "aliyun-iot",
        "query-device",
        "--product-key",
        "a1FlqIQ0000",
        "--page-size",
        "10",
        "--current-page",
        "2",
    ]);
    let url = req["url"].as_str().expect("url");
    let body = req["body"].as_str().unwrap_or("");
    let (_, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params = pairs(query);
    params.extend(pairs(body));

    // Independent signature check (guide section 2.5).
    let signature = params
        .iter()
        .find(|(k, _)| k == "Signature")
        .map(|(_, v)| v.clone())
        .expect("signed");
    let mut unsigned: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .cloned()
        .collect();
    unsigned.sort();
    let canonical: Vec<String> = unsigned
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    let string_to_sign = format!(
        "{}&%2F&{}",
        req["method"].as_str().unwrap_or(""),
        encode(&canonical.join("&"))
    );
    let mut mac = Hmac::<Sha1>::new_from_slice(b"testsecret&").expect("any key length");
    mac.update(string_to_sign.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(signature, expected);

    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("Action"), Some("QueryDevice"));
    assert_eq!(get("ProductKey"), Some("a1FlqIQ0000"));
    assert_eq!(get("AccessKeyId"), Some("testid"));
    assert_eq!(get("Version"), Some("2018-01-20"));

    insta::with_settings!({filters => vec![
        (r"Timestamp=[^&\x22]+", "Timestamp=[timestamp]"),
        (r"SignatureNonce=[^&\x22]+", "SignatureNonce=[nonce]"),
        (r"Signature=[^&\x22]+", "Signature=[signature]"),
        (r"iotcloud(-cli)?/[0-9.]+", "iotcloud$1/[version]"),
    ]}, {
        insta::assert_snapshot!(serde_json::to_string_pretty(&req).expect("JSON"));
    });
}

#[test]
fn region_and_credentials_from_the_selected_profile() {
    let home = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(home.path().join(".aliyun")).expect("mkdir");
    let config = serde_json::json!({
        "current": "default",
        "profiles": [
            {"name": "default", "mode": "AK", "access_key_id": "id-default", "access_key_secret": "s1", "region_id": "cn-shanghai"},
            {"name": "work", "mode": "AK", "access_key_id": "id-work", "access_key_secret": "s2", "region_id": "cn-hangzhou"},
        ]
    });
    std::fs::write(home.path().join(".aliyun/config.json"), config.to_string())
        .expect("write config");
    let out = common::bare()
        .env("HOME", home.path())
        .args([
            "--profile",
            "work",
            "aliyun-iot",
            "query-product",
            "--product-key",
            "pk",
            "--dry-run",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let req: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let url = req["url"].as_str().unwrap_or_default();
    assert!(
        url.starts_with("https://iot.cn-hangzhou.aliyuncs.com/?"),
        "{url}"
    );
    assert!(
        url.contains("AccessKeyId=id-work") && url.contains("RegionId=cn-hangzhou"),
        "{url}"
    );

    let no_region = common::bare()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "a")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "b")
        .args([
            "aliyun-iot",
            "query-product",
            "--product-key",
            "pk",
            "--dry-run",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        no_region.status.code(),
        Some(2),
        "no region anywhere is a usage error"
    );
}

#[test]
fn signature_version_v3_dry_run_moves_common_parameters_to_headers() {
    let req = dry_run(&[
        "--signature-version",
        "v3",
        "aliyun-iot",
        "query-device",
        "--product-key",
        "a1FlqIQ0000",
    ]);
    let url = req["url"].as_str().expect("url");
    let (_, query) = url.split_once('?').unwrap_or((url, ""));
    let params = pairs(query);
    let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["Format", "ProductKey", "RegionId"], "{url}");
    let headers = &req["headers"];
    assert_eq!(headers["x-acs-action"], "QueryDevice", "{req}");
    assert_eq!(headers["x-acs-version"], "2018-01-20", "{req}");
    assert_eq!(headers["host"], "127.0.0.1:9", "{req}");
    // The Authorization header is a credential: only its scheme is shown.
    assert_eq!(headers["Authorization"], "ACS3-HMAC-SHA256 ***", "{req}");
}

/// A TCP server on 127.0.0.1 that counts the connections it is offered and answers none.
struct CountingServer {
    url: String,
    connections: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl CountingServer {
    fn start() -> CountingServer {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        let connections = std::sync::Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        std::thread::spawn(move || {
            // Each connection is counted and dropped; the thread ends with the test process.
            for stream in listener.incoming() {
                counter.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        CountingServer { url, connections }
    }

    fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }
}

#[test]
fn oceanconnect_dry_run_sends_nothing_not_even_the_login() {
    let server = CountingServer::start();
    let out = common::bare()
        .env("OCEANCONNECT_SECRET", "app-secret-value")
        .args([
            "--oc-app-id",
            "app-id-1",
            "--oc-base-url",
            &server.url,
            "huawei-oceanconnect",
            "refresh-device-key",
            "--device-id",
            "dev-1",
            "--verify-code",
            "node-1",
            "--dry-run",
            "--output",
            "json",
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        server.connections(),
        0,
        "a dry run contacts nobody (no login): {stdout}"
    );
    assert!(!stdout.contains("app-secret-value"), "{stdout}");
    let req: Value = serde_json::from_str(&stdout).expect("dry-run prints JSON");
    assert_eq!(req["method"], "PUT", "{req}");
    let url = req["url"].as_str().unwrap_or_default();
    assert!(
        url.starts_with(&format!(
            "{}/iocm/app/reg/v1.1.0/deviceCredentials/dev-1",
            server.url
        )),
        "{req}"
    );
    assert_eq!(req["body"], r#"{"verifyCode":"node-1"}"#, "{req}");
    assert_eq!(req["headers"]["Authorization"], "Bearer ***", "{req}");
    assert_eq!(req["headers"]["app_key"], "app-id-1", "{req}");

    // The same call for real does reach the server: the counter sees what a login would send.
    let sent = common::bare()
        .env("OCEANCONNECT_SECRET", "app-secret-value")
        .args([
            "--oc-app-id",
            "app-id-1",
            "--oc-base-url",
            &server.url,
            "huawei-oceanconnect",
            "refresh-device-key",
            "--device-id",
            "dev-1",
        ])
        .output()
        .expect("runs");
    assert_ne!(sent.status.code(), Some(0), "the server answers nothing");
    assert!(server.connections() > 0, "the real call connected");
}
