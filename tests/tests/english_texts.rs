//! The English of api-spec/i18n/en reaches users: `Error`'s `Display` keeps the server's message
//! verbatim and adds the catalogue's English description of a known code; the generated
//! `ErrorCode::description_en` and `ENGLISH` tables hold exactly the committed English.

mod common;

use std::path::Path;

use iotcloud::aliyun::{iot, mqtt};
use iotcloud::huawei::oceanconnect;
use iotcloud_runtime::meta::Lang;
use iotcloud_runtime::ErrorCode;
use iotcloud_spec::i18n::{self, Translations};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn spec(service: &str) -> iotcloud_spec::ServiceSpec {
    iotcloud_spec::load(&root().join(format!("api-spec/{service}.yaml")))
        .unwrap_or_else(|e| panic!("{e}"))
        .spec
}

fn translations(service: &str) -> Translations {
    let path = root().join(format!("api-spec/i18n/en/{service}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    i18n::parse(&path, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn english(t: &Translations, key: &str) -> String {
    t.get(key)
        .unwrap_or_else(|| panic!("no entry {key}"))
        .en
        .clone()
}

fn client(body: &str) -> iot::Client {
    common::iot_client(200, body)
}

#[tokio::test]
async fn display_keeps_the_server_message_and_adds_the_catalogue_english() {
    let body = r#"{"RequestId":"R-1","Success":false,"Code":"iot.device.NotExistedDevice","ErrorMessage":"设备不存在"}"#;
    let e = client(body)
        .query_device_detail()
        .iot_id("x")
        .send()
        .await
        .err()
        .unwrap_or_else(|| panic!("an error answer"));
    let en = english(
        &translations("aliyun-iot"),
        "error.iot.device.NotExistedDevice",
    );
    assert_eq!(
        e.to_string(),
        format!(
            "iot.device.NotExistedDevice: 设备不存在 (request id R-1, HTTP 200) [documented: {en}]"
        )
    );
}

#[tokio::test]
async fn display_of_an_unknown_code_has_no_catalogue_text() {
    let body = r#"{"RequestId":"R-2","Success":false,"Code":"iot.no.SuchCode","ErrorMessage":"m"}"#;
    let e = client(body)
        .query_device_detail()
        .iot_id("x")
        .send()
        .await
        .err()
        .unwrap_or_else(|| panic!("an error answer"));
    assert_eq!(
        e.to_string(),
        "iot.no.SuchCode: m (request id R-2, HTTP 200)"
    );
}

#[test]
fn every_documented_code_has_its_committed_english() {
    fn check<C: ErrorCode>(service: &str, translations: Option<&Translations>) -> usize {
        let spec = spec(service);
        for e in &spec.errors {
            let expected = if i18n::has_cjk(&e.description) {
                translations.map(|t| english(t, &format!("error.{}", e.code)))
            } else {
                Some(e.description.clone())
            };
            assert_eq!(
                C::from_code(&e.code).description_en(),
                expected.as_deref(),
                "{}",
                e.code
            );
        }
        // The gateway's common codes (api-spec/common/) are not the documents' catalogue.
        spec.errors
            .iter()
            .filter(|e| !e.source.file.starts_with("common/"))
            .count()
    }
    let iot = check::<iot::ErrorCode>("aliyun-iot", Some(&translations("aliyun-iot")));
    let mqtt = check::<mqtt::ErrorCode>("aliyun-mqtt", Some(&translations("aliyun-mqtt")));
    let oc = check::<oceanconnect::ErrorCode>("huawei-oceanconnect", None);
    // The issue counts 229 documented codes across the three services.
    assert_eq!(iot + mqtt + oc, 229);
}

#[test]
fn operation_texts_have_their_committed_english() {
    let t = translations("aliyun-iot");
    let spec = spec("aliyun-iot");
    assert_eq!(iot::OPERATIONS.len(), spec.operations.len());
    for op in iot::OPERATIONS {
        let summary = iot::ENGLISH.text(op.summary, Lang::English);
        if i18n::has_cjk(op.summary) {
            assert_eq!(
                summary,
                english(&t, &format!("{}.summary", op.name)),
                "{}",
                op.name
            );
        } else {
            assert_eq!(summary, op.summary);
        }
        assert_eq!(iot::ENGLISH.text(op.summary, Lang::Original), op.summary);
        for p in op.params {
            let key = format!("{}.request.{}", op.name, p.wire);
            if i18n::has_cjk(p.description) {
                assert_eq!(
                    iot::ENGLISH.get(p.description),
                    Some(english(&t, &key).as_str()),
                    "{key}"
                );
            }
            for v in p.enum_values.iter().filter(|v| i18n::has_cjk(v.meaning)) {
                let key = format!("{key}.enum.{}", v.value);
                assert!(iot::ENGLISH.get(v.meaning).is_some(), "{key}");
            }
        }
        for rule in op.rules {
            let en = iot::ENGLISH.text(rule, Lang::English);
            assert!(!i18n::has_cjk(en), "{}: {en}", op.name);
        }
    }
}
