//! The signer against an independent, plain implementation (in `common`), on random inputs,
//! plus golden files per case for reviewers (`tests/golden/signer/*.txt`).

mod common;

use common::*;
use iotcloud_runtime::signer::{self, Placement, SigningKey};
use proptest::prelude::*;

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        text(4).prop_filter("non-empty", |s| !s.is_empty() && s != "Signature"),
        (1u32..30).prop_map(|n| format!("Tag.{n}.TagKey")),
        (1u32..30).prop_map(|n| format!("DeviceName.{n}")),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), text(6), "[a-zA-Z0-9+/=]{200,700}",]
}

fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((name(), value()), 0..16).prop_map(|mut v| {
        // Names are unique in a real request.
        let mut seen = std::collections::HashSet::new();
        v.retain(|(k, _)| seen.insert(k.clone()));
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn encoding_matches_plain(s in text(12)) {
        prop_assert_eq!(signer::percent_encode(&s), plain_encode(&s));
    }

    #[test]
    fn sign_matches_plain(p in params(), secret in text(4), get in any::<bool>()) {
        let method = if get { "GET" } else { "POST" };
        let signed = signer::sign(method, &p, &secret);
        let sts = plain_string_to_sign(method, &p);
        prop_assert_eq!(&signed.string_to_sign, &sts);
        prop_assert_eq!(&signed.signature, &plain_signature(&secret, &sts));
        prop_assert_eq!(signer::string_to_sign(method, &signed.canonical_query), sts);
    }

    #[test]
    fn sign_rpc_matches_plain_and_round_trips(
        p in params(),
        secret in text(4),
        places in prop::collection::vec(any::<bool>(), 16),
    ) {
        let triples: Vec<(&str, &str, Placement)> = p
            .iter()
            .zip(places.iter())
            .map(|((k, v), form)| (k.as_str(), v.as_str(), if *form { Placement::Form } else { Placement::Query }))
            .collect();
        let signed = signer::sign_rpc("POST", &triples, &SigningKey::new(&secret));
        let sts = plain_string_to_sign("POST", &p);
        prop_assert_eq!(&signed.string_to_sign, &sts);
        let sig = plain_signature(&secret, &sts);
        prop_assert_eq!(&signed.signature, &sig);
        // The wire query + body decode back to exactly the parameters plus Signature.
        let seen = Seen {
            method: "POST".into(),
            path: "/".into(),
            query: signed.query.clone(),
            headers: Default::default(),
            body: signed.body.clone(),
        };
        let mut got = params_of(&seen);
        let mut want = p.clone();
        want.push(("Signature".to_string(), sig));
        got.sort();
        want.sort();
        prop_assert_eq!(got, want);
        // Form parameters are in the body only.
        for ((k, _), form) in p.iter().zip(places.iter()) {
            let enc = format!("{}=", plain_encode(k));
            let in_body = signed.body.split('&').any(|pair| pair.starts_with(&enc));
            prop_assert_eq!(in_body, *form);
        }
    }
}

#[test]
fn byte_order_sorting() {
    let p = [
        ("Tag.2", "b"),
        ("Tag.10", "a"),
        ("a", "lower"),
        ("B", "upper"),
    ];
    let c = signer::canonical_query(&p);
    assert_eq!(c, "B=upper&Tag.10=a&Tag.2=b&a=lower");
}

/// `sign_rpc` sorts by the names' first 15 bytes and settles the rest by whole names: names
/// that share a long prefix, names equal but for trailing NULs (the padding), an empty name, and
/// more parameters than the index in its sort key holds all come out in plain byte order.
#[test]
fn sign_rpc_sorts_long_shared_prefixes_and_many_params_in_byte_order() {
    let long = |tail: &str| format!("Tag.1.TagValueLongName{tail}");
    let cases: Vec<Vec<(String, String)>> = vec![
        vec![
            (long("B"), "2".into()),
            (long("A"), "1".into()),
            (long(""), "0".into()),
            ("Tag.1.TagValueLong".into(), "x".into()),
            ("Action".into(), "Pub".into()),
        ],
        vec![
            ("ab\0".into(), "nul".into()),
            ("ab".into(), "plain".into()),
            (String::new(), "empty".into()),
            ("a".into(), "one".into()),
        ],
        // 300 names in reverse order, so the 8-bit index in the sort key would wrap.
        (0..300)
            .rev()
            .map(|i| (format!("P{i:03}"), i.to_string()))
            .collect(),
    ];
    for (n, p) in cases.iter().enumerate() {
        let triples: Vec<(&str, &str, Placement)> = p
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str(), Placement::Query))
            .collect();
        let signed = signer::sign_rpc("POST", &triples, &SigningKey::new("s3cr3t"));
        let sts = plain_string_to_sign("POST", p);
        assert_eq!(signed.string_to_sign, sts, "case {n}");
        assert_eq!(
            signed.signature,
            plain_signature("s3cr3t", &sts),
            "case {n}"
        );
    }
}

#[test]
fn encoding_rules_of_the_guide() {
    assert_eq!(signer::percent_encode("a b"), "a%20b");
    assert_eq!(signer::percent_encode("*"), "%2A");
    assert_eq!(signer::percent_encode("~"), "~");
    assert_eq!(signer::percent_encode("+"), "%2B");
    assert_eq!(signer::percent_encode("\""), "%22");
    assert_eq!(signer::percent_encode("中"), "%E4%B8%AD");
    assert_eq!(signer::percent_encode("😀"), "%F0%9F%98%80");
    assert_eq!(signer::percent_encode(""), "");
}

// ------------------------------------------------------------------ golden files

struct Case {
    name: &'static str,
    method: &'static str,
    secret: &'static str,
    params: Vec<(&'static str, &'static str)>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "guide-2.5-pub",
            method: "GET",
            secret: "testsecret",
            params: vec![
                ("MessageContent", "aGVsbG93b3JsZA="),
                ("Action", "Pub"),
                ("Timestamp", "2017-10-02T09:39:41Z"),
                ("SignatureVersion", "1.0"),
                ("ServiceCode", "iot"),
                ("Format", "XML"),
                ("Qos", "0"),
                ("SignatureNonce", "0715a395-aedf-4a41-bab7-746b43d38d88"),
                ("Version", "2017-04-20"),
                ("AccessKeyId", "testid"),
                ("SignatureMethod", "HMAC-SHA1"),
                ("RegionId", "cn-shanghai"),
                ("ProductKey", "12345abcdeZ"),
                ("TopicFullName", "/productKey/testdevice/get"),
            ],
        },
        Case {
            name: "query-device-detail",
            method: "POST",
            secret: "testsecret",
            params: common_params("QueryDeviceDetail")
                .into_iter()
                .chain([
                    ("ProductKey", "a1FlqIQ****"),
                    ("DeviceName", "light"),
                    ("IotInstanceId", "iot-cn-0pp1n8t****"),
                ])
                .collect(),
        },
        Case {
            name: "tags-byte-order",
            method: "POST",
            secret: "s3cr3t",
            params: common_params("SaveDeviceProp")
                .into_iter()
                .chain([
                    ("Tag.1.TagKey", "k1"),
                    ("Tag.2.TagKey", "k2"),
                    ("Tag.10.TagKey", "k10"),
                    ("Tag.10.TagValue", "v 10"),
                ])
                .collect(),
        },
        Case {
            name: "reserved-and-unicode",
            method: "POST",
            secret: "key+with/special=chars",
            params: common_params("Pub")
                .into_iter()
                .chain([
                    ("TopicFullName", "/a1/dev/user/中文 topic"),
                    ("MessageContent", "e30=+/*~%20😀"),
                    ("Empty", ""),
                ])
                .collect(),
        },
    ]
}

fn common_params(action: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("Format", "JSON"),
        ("Version", "2018-01-20"),
        ("AccessKeyId", "testid"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", "5b8a6c3e-0f6d-4f6b-9d2e-1c0a7e3f9b21"),
        ("Timestamp", "2026-11-22T00:00:00Z"),
        ("RegionId", "cn-shanghai"),
        ("Action", action),
    ]
}

/// The golden text, computed by the plain implementation only.
fn golden_text(c: &Case) -> String {
    let owned: Vec<(String, String)> = c
        .params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let sts = plain_string_to_sign(c.method, &owned);
    let mut sorted = owned.clone();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let canonical = sorted
        .iter()
        .map(|(k, v)| format!("{}={}", plain_encode(k), plain_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut out = format!(
        "# case: {}\n# method: {}\n# secret: {}\n\n## params\n",
        c.name, c.method, c.secret
    );
    for (k, v) in &owned {
        out += &format!("{}\n", serde_json::to_string(&(k, v)).unwrap());
    }
    out += &format!(
        "\n## canonical query\n{canonical}\n\n## string-to-sign\n{sts}\n\n## signature\n{}\n",
        plain_signature(c.secret, &sts)
    );
    out
}

fn section<'a>(text: &'a str, title: &str) -> &'a str {
    let start = text.find(&format!("## {title}\n")).unwrap() + title.len() + 4;
    text[start..].lines().next().unwrap()
}

#[test]
fn golden_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/signer");
    let mode = golden_mode_from_env();
    for c in cases() {
        let path = dir.join(format!("{}.txt", c.name));
        let on_disk = golden_file(&path, &golden_text(&c), &mode);
        let signed = signer::sign(c.method, &c.params, c.secret);
        assert_eq!(
            signed.canonical_query,
            section(&on_disk, "canonical query"),
            "{}",
            c.name
        );
        assert_eq!(
            signed.string_to_sign,
            section(&on_disk, "string-to-sign"),
            "{}",
            c.name
        );
        assert_eq!(
            signed.signature,
            section(&on_disk, "signature"),
            "{}",
            c.name
        );
    }
    let guide = std::fs::read_to_string(dir.join("guide-2.5-pub.txt")).unwrap();
    assert_eq!(section(&guide, "signature"), "Y9eWn4nF8QPh3c4zAFkM/k/u7eA=");
}

#[test]
fn worst_case_expansion_fits() {
    let all_reserved: String = "%".repeat(5000);
    let emoji: String = "😀".repeat(300);
    let bytes: String = (0u8..128).map(char::from).collect::<String>() + "é中😀";
    let p = [
        (all_reserved.as_str(), emoji.as_str(), Placement::Form),
        (emoji.as_str(), all_reserved.as_str(), Placement::Query),
        (bytes.as_str(), bytes.as_str(), Placement::Query),
        ("=", "&", Placement::Query),
        ("", "", Placement::Form),
    ];
    let owned: Vec<(String, String)> = p
        .iter()
        .map(|(k, v, _)| (k.to_string(), v.to_string()))
        .collect();
    let signed = signer::sign_rpc("POST", &p, &SigningKey::new("k"));
    let sts = plain_string_to_sign("POST", &owned);
    assert_eq!(signed.string_to_sign, sts);
    assert_eq!(signed.signature, plain_signature("k", &sts));
}

/// A missing golden file fails the check and is not created; CI cannot ask for an update.
#[test]
fn a_missing_golden_file_fails_and_is_never_written() {
    let path = std::env::temp_dir().join(format!(
        "iotcloud-missing-golden-{}/case.txt",
        std::process::id()
    ));
    let checked = std::panic::catch_unwind(|| golden_file(&path, "text\n", &GoldenMode::Check));
    let message = checked.expect_err("a missing file fails");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("cannot be read"), "{message}");
    assert!(!path.exists(), "the check wrote {}", path.display());

    assert_eq!(golden_mode(None, Some("true")), Ok(GoldenMode::Check));
    assert_eq!(golden_mode(None, None), Ok(GoldenMode::Check));
    assert_eq!(golden_mode(Some("1"), None), Ok(GoldenMode::Update));
    assert!(golden_mode(Some("1"), Some("true")).is_err());
    assert_eq!(
        golden_mode(Some("1"), Some("false")),
        Ok(GoldenMode::Update)
    );
}
