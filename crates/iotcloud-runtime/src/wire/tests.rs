//! The shared helpers on their own, against the wire rules of DESIGN.md (flattening with
//! 1-based indexes, lenient scalars, list wrappers) and the documented constraint wording.

use std::borrow::Cow;

use serde::de::DeserializeSeed;
use serde_json::json;

use super::*;

struct Tag {
    key: Option<String>,
    value: Option<String>,
}

impl ToParam for Tag {
    fn put(&self, name: Cow<'static, str>, out: &mut Pairs) {
        member(out, &name, "TagKey", &self.key);
        member(out, &name, "TagValue", &self.value);
    }
}

fn pairs(out: &Pairs) -> Vec<(&str, &str)> {
    out.iter().map(|(k, v)| (k.as_ref(), v.as_str())).collect()
}

#[test]
fn lists_flatten_with_one_based_indexes_and_struct_members() {
    let mut out = Pairs::new();
    put(
        &mut out,
        "DeviceName",
        &vec!["a".to_string(), "b".to_string()],
    );
    let tags = vec![Tag {
        key: Some("k".into()),
        value: None,
    }];
    put(&mut out, "Tag", &tags);
    put(&mut out, "Unset", &None::<i32>);
    put(&mut out, "Flag", &Some(false));
    put(&mut out, "Items", &json!({"a": 1}));
    put(&mut out, "Text", &json!("plain"));
    assert_eq!(
        pairs(&out),
        [
            ("DeviceName.1", "a"),
            ("DeviceName.2", "b"),
            ("Tag.1.TagKey", "k"),
            ("Flag", "false"),
            ("Items", "{\"a\":1}"),
            ("Text", "plain"),
        ]
    );
}

#[test]
fn text_joins_a_list_for_a_path_segment() {
    assert_eq!(text(&vec![1i64, 2, 3]), "1,2,3");
    assert_eq!(text(&Some("x".to_string())), "x");
}

#[test]
fn checker_reports_every_violation_with_parameter_and_rule() {
    let mut c = Checker::new("QueryDevice");
    c.required("ProductKey", false);
    c.range("PageSize", Some(80), Some(1), Some(50));
    c.length(
        "Nickname",
        Some("设备ab"),
        Some(4),
        Some(4),
        Unit::CjkDouble,
    );
    c.length("Name", Some("abcde"), None, Some(4), Unit::Chars);
    c.items("DeviceName", 3, None, Some(2));
    c.items("Empty", 0, Some(1), None);
    c.one_of(
        &[
            &[("IotId", false)],
            &[("ProductKey", true), ("DeviceName", false)],
        ],
        true,
    );
    let err = c.finish().unwrap_err();
    let got: Vec<(String, String)> = err
        .violations
        .iter()
        .map(|v| (v.parameter.clone(), v.rule.clone()))
        .collect();
    let want = [
        ("ProductKey", "is required"),
        ("PageSize", "must be at most 50 (got 80)"),
        (
            "Nickname",
            "must be at most 4 characters, a CJK character counting as two long (got 6)",
        ),
        ("Name", "must be at most 4 characters long (got 5)"),
        ("DeviceName", "must have at most 2 items (got 3)"),
        ("DeviceName", "is required with ProductKey+DeviceName"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(p, r)| (p.to_string(), r.to_string()))
        .collect();
    assert_eq!(got, want);
    assert!(err.violations.iter().all(|v| v.operation == "QueryDevice"));
}

#[test]
fn checker_passes_a_valid_request() {
    let mut c = Checker::new("QueryDevice");
    c.required("ProductKey", true);
    c.range("PageSize", Some(50), Some(1), Some(50));
    c.one_of(&[&[("IotId", true)], &[("ProductKey", true)]], true);
    assert!(c.finish().is_ok());
}

#[test]
fn scalar_lists_accept_wrappers_and_mixed_types() {
    let wrapped = json!({"DeviceName": ["a", 7, null, true]});
    let got: Vec<String> = ScalarList::new().deserialize(wrapped).unwrap();
    assert_eq!(got, ["a", "7", "true"]);
    let numbers: Vec<i64> = ScalarList::new()
        .deserialize(json!(["889455942124347329", 2]))
        .unwrap();
    assert_eq!(numbers, [889455942124347329, 2]);
}

#[test]
fn lists_decode_bare_wrapped_single_and_empty() {
    let seed = || List::<serde_json::Value>::new();
    assert_eq!(
        seed().deserialize(json!([1, 2])).unwrap(),
        [json!(1), json!(2)]
    );
    assert_eq!(
        seed()
            .deserialize(json!({"DeviceInfo": [{"a": 1}]}))
            .unwrap(),
        [json!({"a": 1})]
    );
    assert_eq!(
        seed().deserialize(json!({"DeviceInfo": {"a": 1}})).unwrap(),
        [json!({"a": 1})]
    );
    assert_eq!(
        seed().deserialize(json!({"a": 1, "b": 2})).unwrap(),
        [json!({"a": 1, "b": 2})]
    );
    assert!(seed().deserialize(json!(null)).unwrap().is_empty());
    assert!(seed().deserialize(json!({})).unwrap().is_empty());
}

#[test]
fn json_documents_arrive_as_text_or_as_json() {
    let from_text: Option<serde_json::Value> =
        JsonText::new().deserialize(json!("{\"a\":1}")).unwrap();
    assert_eq!(from_text, Some(json!({"a": 1})));
    let from_json: Option<serde_json::Value> =
        JsonText::new().deserialize(json!({"a": 1})).unwrap();
    assert_eq!(from_json, Some(json!({"a": 1})));
    let blank: Option<serde_json::Value> = JsonText::new().deserialize(json!("  ")).unwrap();
    assert_eq!(blank, None);
    assert!(JsonText::<serde_json::Value>::new()
        .deserialize(json!("{not json"))
        .is_err());
    assert_eq!(
        JsonString.deserialize(json!({"a": 1})).unwrap().as_deref(),
        Some("{\"a\":1}")
    );
}

#[test]
fn lenient_scalars_keep_precision() {
    assert_eq!(
        Str.deserialize(json!(889455942124347329u64))
            .unwrap()
            .as_deref(),
        Some("889455942124347329")
    );
    assert_eq!(I64.deserialize(json!("42")).unwrap(), Some(42));
    assert_eq!(Bool.deserialize(json!("true")).unwrap(), Some(true));
    assert!(I32.deserialize(json!("forty")).is_err());
}

#[test]
fn more_pages_prefers_page_count_then_total_then_fullness() {
    assert!(more_pages(1, Some(10), 10, Some(100), Some(2)));
    assert!(!more_pages(2, Some(10), 10, Some(100), Some(2)));
    assert!(more_pages(9, Some(10), 10, Some(100), None));
    assert!(!more_pages(10, Some(10), 10, Some(100), None));
    assert!(more_pages(1, Some(10), 10, None, None));
    assert!(!more_pages(1, Some(10), 9, None, None));
    assert!(!more_pages(1, Some(10), 0, Some(100), Some(5)));
}

#[test]
fn redacted_shows_presence_never_the_value() {
    let secret = Some("s3cr3t".to_string());
    assert_eq!(format!("{:?}", Redacted(&secret)), "Some(\"<redacted>\")");
    assert_eq!(format!("{:?}", Redacted(&None::<String>)), "None");
    let list = vec!["a".to_string(), "b".to_string()];
    assert_eq!(format!("{:?}", Redacted(&list)), "[<redacted>; 2]");
}

// --- Payload formats (issue 12 item 2): expectations computed by hand or from RFC 4648 / 3339. ---

fn rules(op_checks: impl FnOnce(&mut Checker)) -> Vec<(String, String)> {
    let mut c = Checker::new("Op");
    op_checks(&mut c);
    match c.finish() {
        Ok(()) => Vec::new(),
        Err(e) => e
            .violations
            .into_iter()
            .map(|v| (v.parameter, v.rule))
            .collect(),
    }
}

#[test]
fn base64_text_is_the_rfc_4648_standard_padded_form() {
    // RFC 4648 section 10 test vectors.
    for (raw, text) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64_text(raw.as_bytes()), text);
        assert_eq!(bytes_from_base64("F", text).unwrap(), raw.as_bytes());
    }
    // Bytes that are not UTF-8 and use both characters beyond the alphanumerics.
    assert_eq!(base64_text(&[0xfb, 0xff, 0xfe]), "+//+");
}

#[test]
fn base64_checks_name_the_parameter_and_count_decoded_bytes() {
    assert!(rules(|c| c.base64("MessageContent", Some("aGVsbG8gd29ybGQ="), Some(11))).is_empty());
    assert!(rules(|c| c.base64("MessageContent", None, Some(1))).is_empty());
    let found = rules(|c| c.base64("MessageContent", Some("aGVsbG8gd29ybGQ="), Some(10)));
    assert_eq!(
        found,
        vec![(
            "MessageContent".to_string(),
            "must be at most 10 bytes (got 11)".to_string()
        )]
    );
    let found = rules(|c| c.base64("RequestBase64Byte", Some("hello world"), None));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "RequestBase64Byte");
    assert!(found[0].1.starts_with("must be Base64 text"), "{found:?}");
}

#[test]
fn json_documents_must_parse_and_objects_must_be_objects() {
    assert!(rules(|c| c.json_document("Items", Some(r#"{"Power":1}"#), true)).is_empty());
    assert!(rules(|c| c.json_document("Items", Some(" {}"), true)).is_empty());
    assert!(rules(|c| c.json_document("Doc", Some("[1,2]"), false)).is_empty());
    let found = rules(|c| c.json_document("Items", Some("Power=1"), true));
    assert_eq!(found[0].0, "Items");
    assert!(found[0].1.starts_with("must be JSON text"), "{found:?}");
    for (text, kind) in [
        ("[1]", "an array"),
        (
            r#""{}""#,
            "a string; text that is already JSON goes through the `_raw` setter",
        ),
        ("true", "a boolean"),
        ("null", "null"),
        ("-1", "a number"),
    ] {
        let found = rules(|c| c.json_document("Items", Some(text), true));
        assert_eq!(
            found,
            vec![(
                "Items".to_string(),
                format!("must be a JSON object (got {kind})")
            )],
            "{text}"
        );
    }
}

#[test]
fn a_value_serde_cannot_write_is_reported_not_sent() {
    let mut map = std::collections::BTreeMap::new();
    map.insert(vec![1u8], 2);
    let text = json_document_text(&map);
    let found = rules(|c| c.json_document("Items", Some(&text), true));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].1.starts_with("could not be serialized as JSON"),
        "{found:?}"
    );
    assert_eq!(
        json_document_text(&json!({"a": [1, "x"]})),
        r#"{"a":[1,"x"]}"#
    );
}

#[test]
fn empty_parts_are_refused_by_name() {
    assert!(rules(|c| c.not_empty("IotId", None)).is_empty());
    assert!(rules(|c| c.not_empty("IotId", Some("x"))).is_empty());
    assert_eq!(
        rules(|c| c.not_empty("ProductKey", Some(""))),
        vec![("ProductKey".to_string(), "must not be empty".to_string())]
    );
}

#[test]
fn payload_decoding_errors_name_the_field() {
    let e = bytes_from_base64("PayloadBase64Byte", "not base64!").unwrap_err();
    assert_eq!(e.field(), "PayloadBase64Byte");
    assert!(e
        .to_string()
        .starts_with("PayloadBase64Byte: not Base64 text"));
    let v: std::collections::BTreeMap<String, i64> =
        json_from_text("Versions", r#"{"Power":2}"#).unwrap();
    assert_eq!(v.get("Power"), Some(&2));
    let e = json_from_text::<Vec<i64>>("Versions", r#"{"Power":2}"#).unwrap_err();
    assert_eq!(e.field(), "Versions");
}

#[test]
fn times_from_millis_and_utc_text() {
    use std::time::{Duration, UNIX_EPOCH};
    // 1530117156000 ms = 2018-06-27T16:32:36Z (17709 days * 86400 + 59556 s, by hand).
    let t = time_from_millis("GmtCreate", 1_530_117_156_000).unwrap();
    assert_eq!(t, UNIX_EPOCH + Duration::from_millis(1_530_117_156_000));
    assert_eq!(
        time_from_millis_text("Time", " 1516517974638").unwrap(),
        UNIX_EPOCH + Duration::from_millis(1_516_517_974_638)
    );
    assert_eq!(
        time_from_millis("Time", -1).unwrap(),
        UNIX_EPOCH - Duration::from_millis(1)
    );
    assert_eq!(
        time_from_millis_text("Time", "soon").unwrap_err().field(),
        "Time"
    );
    // 2018-08-06T02:48:41Z: 17749 days since 1970-01-01, plus 2 h 48 min 41 s.
    let expected = UNIX_EPOCH + Duration::from_secs(17_749 * 86_400 + 2 * 3600 + 48 * 60 + 41);
    assert_eq!(
        time_from_utc_text("UtcActive", "2018-08-06T02:48:41.000Z").unwrap(),
        expected
    );
    assert_eq!(
        time_from_utc_text("UtcActive", "2018-08-06T02:48:41.250Z").unwrap(),
        expected + Duration::from_millis(250)
    );
    let e = time_from_utc_text("UtcActive", "2018-08-06 10:48:41").unwrap_err();
    assert_eq!(e.field(), "UtcActive");
}

#[test]
fn device_refs_split_into_exactly_one_side() {
    use crate::DeviceRef;
    assert_eq!(
        DeviceRef::iot_id("id1").into_parts(),
        (Some("id1".to_string()), None, None)
    );
    assert_eq!(
        DeviceRef::name("pk", "dev").into_parts(),
        (None, Some("pk".to_string()), Some("dev".to_string()))
    );
}
