//! Signature V3 (`ACS3-HMAC-SHA256`): the vendor's worked example, the runtime signer against
//! the independent plain implementation in `common` on generated inputs, golden files for
//! reviewers (`tests/golden/signer_v3/*.txt`), and what the SDK puts on the wire.

mod common;

use std::time::Duration;

use common::*;
use iotcloud_runtime::clock::{FixedClock, FixedNonce};
use iotcloud_runtime::signer_v3;
use iotcloud_runtime::*;
use proptest::prelude::*;

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The worked example of Alibaba's "Request syntax and signature method V3" page
/// (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature,
/// also https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature):
/// ECS RunInstances, AccessKey `YourAccessKeyId` / `YourAccessKeySecret`, empty body; the page
/// prints the resulting `Authorization` header with signature `06563a9e...83c0`. The stored page
/// text shows that signature next to a different sample date and nonce; the date and nonce that
/// reproduce it were taken from a public test of the same example (Elixir module
/// `CozyAliyunOpenAPI.Sign.ACS3Test`, found by code search; its repository was not named).
#[test]
fn vendor_worked_example() {
    let query = [
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
        ("RegionId", "cn-shanghai"),
    ];
    let headers = [
        ("host", "ecs.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "RunInstances"),
        ("x-acs-version", "2014-05-26"),
        ("x-acs-date", "2023-10-26T10:22:32Z"),
        ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
        ("x-acs-content-sha256", EMPTY_SHA256),
    ];
    let want = "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";
    let signed = signer_v3::sign(
        "POST",
        &query,
        &headers,
        &signer_v3::hex_sha256(b""),
        "YourAccessKeyId",
        "YourAccessKeySecret",
    );
    assert_eq!(signed.authorization, want);
    // The plain implementation agrees, so it is checked against the vendor too.
    let canonical =
        plain_v3_canonical_request("POST", &owned(&query), &owned(&headers), EMPTY_SHA256);
    assert_eq!(canonical, signed.canonical_request);
    assert!(want.ends_with(&plain_v3_signature("YourAccessKeySecret", &canonical)));
}

/// Query parameters, empty names and values included; names unique as in a real request.
fn query() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        text(4),
        (1u32..30).prop_map(|n| format!("Tag.{n}.TagKey")),
        (1u32..30).prop_map(|n| format!("DeviceName.{n}")),
    ];
    prop::collection::vec((name, text(6)), 0..12).prop_map(|mut v| {
        let mut seen = std::collections::HashSet::new();
        v.retain(|(k, _)| seen.insert(k.clone()));
        v
    })
}

/// Header values as they travel: visible ASCII and spaces (padding spaces get trimmed).
fn header_value() -> impl Strategy<Value = String> {
    "[ ]{0,2}[!-~]([ -~]{0,20}[!-~])?[ ]{0,2}"
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    (
        header_value(),
        header_value(),
        header_value(),
        prop::option::of(header_value()),
        any::<bool>(),
    )
        .prop_map(|(host, action, nonce, token, upper)| {
            let mut h = vec![
                ("host".to_string(), host),
                ("x-acs-action".to_string(), action),
                ("x-acs-signature-nonce".to_string(), nonce),
                ("x-acs-date".to_string(), "2026-11-22T00:00:00Z".to_string()),
            ];
            if let Some(t) = token {
                h.push(("x-acs-security-token".to_string(), t));
            }
            if upper {
                // Names are case-insensitive: the canonical form lower-cases them.
                h.push((
                    "Content-Type".to_string(),
                    "application/x-www-form-urlencoded".to_string(),
                ));
            }
            h
        })
}

proptest! {
    // 1,024 generated requests (the issue asks for at least 1,000).
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn sign_matches_plain(
        q in query(),
        h in headers(),
        body in text(6),
        secret in text(4),
        get in any::<bool>(),
    ) {
        let method = if get { "GET" } else { "POST" };
        let payload_hash = plain_sha256_hex(body.as_bytes());
        prop_assert_eq!(signer_v3::hex_sha256(body.as_bytes()), payload_hash.clone());
        let signed = signer_v3::sign(method, &q, &h, &payload_hash, "id", &secret);
        let canonical = plain_v3_canonical_request(method, &q, &h, &payload_hash);
        prop_assert_eq!(&signed.canonical_request, &canonical);
        let sig = plain_v3_signature(&secret, &canonical);
        prop_assert_eq!(&signed.signature, &sig);
        let tail = format!(",Signature={}", sig);
        prop_assert!(signed.authorization.ends_with(&tail));
    }
}

// ------------------------------------------------------------------ golden files

struct Case {
    name: &'static str,
    secret: &'static str,
    query: Vec<(&'static str, &'static str)>,
    headers: Vec<(&'static str, &'static str)>,
    body: &'static str,
}

fn common_headers(action: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("host", "iot.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", action),
        ("x-acs-version", "2018-01-20"),
        ("x-acs-date", "2026-11-22T00:00:00Z"),
        (
            "x-acs-signature-nonce",
            "5b8a6c3e-0f6d-4f6b-9d2e-1c0a7e3f9b21",
        ),
    ]
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "query-device-detail",
            secret: "testsecret",
            query: vec![
                ("Format", "JSON"),
                ("RegionId", "cn-shanghai"),
                ("ProductKey", "a1FlqIQ****"),
                ("DeviceName", "light"),
            ],
            headers: common_headers("QueryDeviceDetail"),
            body: "",
        },
        Case {
            name: "pub-form-body-sts",
            secret: "key+with/special=chars",
            query: vec![
                ("Format", "JSON"),
                ("RegionId", "cn-shanghai"),
                ("ProductKey", "a1FlqIQ****"),
                ("TopicFullName", "/a1/dev/user/中文 topic"),
                ("Qos", "0"),
            ],
            headers: common_headers("Pub")
                .into_iter()
                .chain([
                    ("x-acs-security-token", "STS.token+/="),
                    ("content-type", "application/x-www-form-urlencoded"),
                ])
                .collect(),
            body: "MessageContent=e30%3D",
        },
        Case {
            name: "tags-byte-order-and-empty",
            secret: "s3cr3t",
            query: vec![
                ("Tag.2.TagKey", "k2"),
                ("Tag.10.TagKey", "k10"),
                ("Tag.10.TagValue", "v 10 ~*"),
                ("Empty", ""),
            ],
            headers: common_headers("SaveDeviceProp"),
            body: "",
        },
    ]
}

/// The golden text, computed by the plain implementation only.
fn golden_text(c: &Case) -> String {
    let (q, h) = (owned(&c.query), owned(&c.headers));
    let hash = plain_sha256_hex(c.body.as_bytes());
    let canonical = plain_v3_canonical_request("POST", &q, &h, &hash);
    let mut out = format!(
        "# case: {}\n# method: POST\n# secret: {}\n# body: {}\n\n## query\n",
        c.name, c.secret, c.body
    );
    for p in &q {
        out += &format!("{}\n", serde_json::to_string(p).unwrap());
    }
    out += "\n## headers\n";
    for p in &h {
        out += &format!("{}\n", serde_json::to_string(p).unwrap());
    }
    out += &format!(
        "\n## canonical request\n{canonical}\n## end\n\n## signature\n{}\n",
        plain_v3_signature(c.secret, &canonical)
    );
    out
}

#[test]
fn golden_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/signer_v3");
    let mode = golden_mode_from_env();
    for c in cases() {
        let path = dir.join(format!("{}.txt", c.name));
        let on_disk = golden_file(&path, &golden_text(&c), &mode);
        let signed = signer_v3::sign(
            "POST",
            &c.query,
            &c.headers,
            &signer_v3::hex_sha256(c.body.as_bytes()),
            "testid",
            c.secret,
        );
        let start = on_disk.find("## canonical request\n").unwrap() + 21;
        let end = on_disk.find("\n## end\n").unwrap();
        assert_eq!(signed.canonical_request, on_disk[start..end], "{}", c.name);
        let sig_start = on_disk.find("## signature\n").unwrap() + 13;
        assert_eq!(
            signed.signature,
            on_disk[sig_start..].trim_end(),
            "{}",
            c.name
        );
    }
}

// ------------------------------------------------------------------ on the wire

fn v3(b: ConfigBuilder) -> ConfigBuilder {
    b.signature_version(SignatureVersion::V3)
}

#[test]
fn v1_is_the_default() {
    assert_eq!(
        Config::builder().build().signature_version(),
        SignatureVersion::V1
    );
    assert_eq!(SignatureVersion::default(), SignatureVersion::V1);
}

#[tokio::test]
async fn sdk_request_verifies_and_moves_common_parameters_to_headers() {
    let (base, st) = start_server(vec![], None).await;
    let h = handle_with(&base, |b| {
        v3(b).credentials(Credentials::new(
            "testid",
            "testsecret",
            Some("STS.tok".into()),
        ))
    });
    let op = Pub {
        product_key: "a1FlqIQ****".into(),
        topic: "/a1/d/user/中文".into(),
        content: "e30=".into(),
    };
    h.call(&op).await.unwrap();
    let seen = st.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert!(verify_v3(s, "testsecret"), "{s:?}");
    assert!(!verify_v3(s, "wrongsecret"));
    let header = |n: &str| s.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert_eq!(header("x-acs-action"), "Pub");
    assert_eq!(header("x-acs-version"), "2018-01-20");
    assert_eq!(header("x-acs-security-token"), "STS.tok");
    assert_eq!(header("host"), base.trim_start_matches("http://"));
    assert_eq!(header("content-type"), "application/x-www-form-urlencoded");
    // Operation parameters stay where V1 puts them; V1's common ones are gone from the query.
    let params = params_of(s);
    assert_eq!(param(&params, "TopicFullName"), Some("/a1/d/user/中文"));
    assert_eq!(s.body, "MessageContent=e30%3D");
    for gone in [
        "Action",
        "Version",
        "Timestamp",
        "SignatureNonce",
        "SignatureMethod",
        "SignatureVersion",
        "AccessKeyId",
        "Signature",
        "SecurityToken",
    ] {
        assert_eq!(param(&params, gone), None, "{gone} must not be a parameter");
    }
}

#[tokio::test]
async fn fixed_clock_and_nonce_give_the_plain_signature() {
    let h = handle_with("http://iot.example:8080", |b| {
        v3(b)
            .clock(std::sync::Arc::new(FixedClock::from_unix(1_700_000_000)))
            .nonce(std::sync::Arc::new(FixedNonce("n-1".into())))
    });
    let op = QueryDeviceDetail {
        product_key: Some("pk".into()),
        device_name: Some("d".into()),
        iot_instance_id: None,
    };
    let p = h.prepare(&op).await.unwrap();
    let header = |n: &str| {
        p.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(header("x-acs-date"), "2023-11-14T22:13:20Z");
    assert_eq!(header("x-acs-signature-nonce"), "n-1");
    assert_eq!(header("host"), "iot.example:8080");
    let query: Vec<(String, String)> = p
        .url
        .split_once('?')
        .unwrap()
        .1
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (plain_decode(k), plain_decode(v))
        })
        .collect();
    let signed: Vec<(String, String)> = p
        .headers
        .iter()
        .filter(|(k, _)| k != "Authorization")
        .cloned()
        .collect();
    let canonical = plain_v3_canonical_request("POST", &query, &signed, EMPTY_SHA256);
    assert_eq!(
        header("Authorization"),
        format!(
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature={}",
            plain_v3_signature("testsecret", &canonical)
        )
    );
}

/// A clock one second further on each time it is read.
#[derive(Debug)]
struct SteppingClock(std::sync::atomic::AtomicU64);

impl Clock for SteppingClock {
    fn now(&self) -> std::time::SystemTime {
        let s = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(s)
    }
}

#[tokio::test]
async fn retry_gets_a_new_nonce_and_date() {
    let (base, st) = start_server(
        vec![Answer::json(
            503,
            r#"{"RequestId":"1","Code":"ServiceUnavailable","Message":"m"}"#,
        )],
        None,
    )
    .await;
    let h = handle_with(&base, |b| {
        v3(b)
            .clock(std::sync::Arc::new(SteppingClock(1_700_000_000.into())))
            .nonce(std::sync::Arc::new(
                iotcloud_runtime::clock::CountingNonce::new("n"),
            ))
    });
    let op = QueryDeviceDetail {
        product_key: Some("pk".into()),
        device_name: Some("d".into()),
        iot_instance_id: None,
    };
    h.call(&op).await.unwrap();
    let seen = st.seen();
    assert_eq!(seen.len(), 2);
    let get = |i: usize, n: &str| {
        seen[i]
            .headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert!(verify_v3(&seen[0], "testsecret") && verify_v3(&seen[1], "testsecret"));
    assert_eq!(get(0, "x-acs-signature-nonce"), "n-1");
    assert_eq!(get(1, "x-acs-signature-nonce"), "n-2");
    // Same-format UTC dates compare as text; the second attempt reads the clock again.
    assert!(get(0, "x-acs-date").starts_with("2023-11-14T22:13:"));
    assert!(
        get(1, "x-acs-date") > get(0, "x-acs-date"),
        "{} vs {}",
        get(0, "x-acs-date"),
        get(1, "x-acs-date")
    );
}
